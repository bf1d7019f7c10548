# dom0.sh: the tests tests/xen/run has the dom0 run under Xen. Each
# unikernel of /uk (NAME.xen and the NAME.xl mirage build wrote) is created
# with xl as `mirage run -t xen` does: kept after it shuts down (preserve),
# its exit status read from xenstore (data/mirage-exit-status), then
# destroyed; its console read from xenconsoled's log. Prints
# "XENTEST ok|FAIL NAME ..." lines and "XENTEST figure NAME VALUE"; exits 1
# when a test failed.
fails=0
ok() { echo "XENTEST ok $1"; }
fail() {
	echo "XENTEST FAIL $1: $2"
	fails=$((fails + 1))
	[ -f "/var/log/xen/console/guest-$3.log" ] &&
		tr -d '\r' <"/var/log/xen/console/guest-$3.log" | tail -15 | sed 's/^/  | /'
}
now_cs() { cut -d' ' -f1 /proc/uptime | tr -d .; } # centiseconds since boot

# start NAME [SED-EXPRESSION] -- ARGS: creates the domain from NAME.xl
start() {
	name=$1
	cfg=/tmp/$name.xl
	shift
	sedx='s/^x//'
	[ "$1" != -- ] && sedx=$1 && shift
	shift
	sed -e 's/^on_poweroff.*/on_poweroff = "preserve"/' -e 's/^on_crash.*/on_crash = "preserve"/' \
		-e "s|^kernel = .*|kernel = \"/uk/$name.xen\"|" -e "$sedx" "/uk/$name.xl" >"$cfg"
	[ $# -gt 0 ] && echo "cmdline = \"$*\"" >>"$cfg"
	rm -f "/var/log/xen/console/guest-$name.log"
	t0=$(now_cs)
	xl create "$cfg" >/tmp/create.log 2>&1 || {
		sed 's/^/  | /' /tmp/create.log
		return 1
	}
	domid=$(xl domid "$name")
}

# finish NAME SECONDS: the exit status ("none" when it gave none in time),
# then the domain destroyed
finish() {
	status=none
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		status=$(xenstore-read "/local/domain/$domid/data/mirage-exit-status" 2>/dev/null) && break
		status=none
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	xl destroy "$1" 2>/dev/null
	sleep 0.2
}

console() { tr -d '\r' <"/var/log/xen/console/guest-$1.log" 2>/dev/null; }

# first_line NAME: centiseconds from xl create to the console's first line
first_line() {
	i=0
	while [ $i -lt 300 ] && ! [ -s "/var/log/xen/console/guest-$1.log" ]; do
		sleep 0.02
		i=$((i + 1))
	done
	echo $(($(now_cs) - t0))
}

# the acceptance contract: arguments, exit statuses, a malformed argument
if start contract --; then
	echo "XENTEST figure xl-create-to-first-line-ms $(($(first_line contract) * 10))"
	finish contract 60
	if [ "$status" = 7 ] && console contract | grep -q "CONTRACT hello world code=7 upper=0"; then
		ok contract-default
	else
		fail contract-default "status $status" contract
	fi
else
	fail contract-default "xl create failed" contract
fi
if start contract -- --who=unikernel --code=42 --upper=true; then
	finish contract 60
	if [ "$status" = 42 ] && console contract | grep -q "CONTRACT hello UNIKERNEL code=42 upper=1"; then
		ok contract-args
	else
		fail contract-args "status $status" contract
	fi
fi
if start contract -- --code=notanumber; then
	finish contract 60
	if [ "$status" != none ] && [ "$status" != 0 ] && [ "$status" != 7 ] &&
		console contract | grep -q code; then
		ok contract-bad-arg
	else
		fail contract-bad-arg "status $status" contract
	fi
fi

# hello: the console in order, a poweroff with 0
if start hello -- --times=2 --greeting=Xen; then
	finish hello 60
	if [ "$status" = 0 ] && [ "$(console hello | grep -c '^Xen from mirage')" = 2 ]; then
		ok hello
	else
		fail hello "status $status" hello
	fi
else
	fail hello "xl create failed" hello
fi

# kv: files compiled in
if start kv --; then
	finish kv 60
	if [ "$status" = 0 ] && console kv | grep -q "hello.txt"; then
		ok kv
	else
		fail kv "status $status" kv
	fi
fi

# block: blkfront on a file of dom0 (through a loop device), requests of
# many sectors written, read back and checked
dd if=/dev/zero of=/tmp/disk.img bs=1M count=8 2>/dev/null
if start block 's|target=disk.img|target=/tmp/disk.img|' --; then
	finish block 120
	if [ "$status" = 0 ]; then
		ok block
		console block | grep -i "MB/s" | sed 's/^/XENTEST figure block /'
	else
		fail block "status $status" block
	fi
else
	fail block "xl create failed" block
fi

# block throughput (make bench): 8 MiB written then read in 1 MiB requests
if start blockbench 's|target=disk.img|target=/tmp/disk.img|' -- --sectors=2048; then
	finish blockbench 120
	console blockbench | grep "requests:" | sed 's/.*requests: /XENTEST figure block-8MiB-in-1MiB-requests /'
	[ "$status" = 0 ] && ok blockbench || fail blockbench "status $status" blockbench
fi

# net: netfront on xenbr0, pinged from dom0
if start net -- --ip=10.0.0.2 --count=3; then
	if ping -c 3 -W 5 10.0.0.2 >/tmp/ping.log 2>&1; then
		finish net 60
		[ "$status" = 0 ] && ok net || fail net "status $status" net
	else
		finish net 1
		fail net "no answer to ping: $(tail -2 /tmp/ping.log)" net
	fi
else
	fail net "xl create failed" net
fi

# http: the tcpip stack over netfront, fetched from dom0
if start http -- --stack-ipv4=10.0.0.2/24; then
	got=
	i=0
	while [ $i -lt 20 ] && [ -z "$got" ]; do
		# busybox's wget crashes here (static, resolving): HTTP by hand
		got=$(printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 5 10.0.0.2 80 2>/tmp/wget.log |
			tr -d '\r' | sed '1,/^$/d')
		i=$((i + 1))
		[ -z "$got" ] && sleep 0.5
	done
	ping -c 1 -W 2 10.0.0.2 >/tmp/ping.log 2>&1
	# idle: the domain's CPU time over 10 s, as Xen counts it (0.1 s steps)
	c0=$(xl list http | awk 'NR == 2 { print $6 }')
	sleep 10
	c1=$(xl list http | awk 'NR == 2 { print $6 }')
	idle=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.1f", (b - a) * 100 / 10 }')
	echo "XENTEST figure idle-cpu-percent $idle"
	if awk -v p="$idle" 'BEGIN { exit !(p < 5) }'; then
		ok http-idle
	else
		fail http-idle "the idle server used $idle% of a CPU (goal: under 5%)" http
	fi
	finish http 0
	if [ -n "$got" ] && [ "$got" = "$(cat /uk/index.html)" ]; then
		ok http
	else
		fail http "index.html not served: $(tail -2 /tmp/wget.log | tr "\n" " "); ping: $(grep -c 'bytes from' /tmp/ping.log)" http
	fi
else
	fail http "xl create failed" http
fi

[ $fails = 0 ]
