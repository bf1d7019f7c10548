# Makefile: builds the mirage tool; `make demo` boots the hello example,
# `make test` runs every test. Both install missing Debian packages first.
PREFIX ?= /usr/local
CC ?= cc
SANITIZE ?=
VERSION := 0.1.0

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Itargets/common/include $(WARN) $(CFLAGS) -DMIRAGE_VERSION='"$(VERSION)"'
LDLIBS := -lyaml -lcjson
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
OUT := out/san
else
OUT := out/release
endif

LIB_SRCS := $(wildcard lib/*.c)
CMD_SRCS := $(wildcard cmd/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(OUT)/%.o)
CMD_OBJS := $(CMD_SRCS:%.c=$(OUT)/%.o)

all: mirage mirage-hvt mirage-hvt-static

# ./mirage and ./mirage-hvt are copies of the build in use (plain or
# sanitized): refreshed whenever they differ, whichever is newer
mirage: $(OUT)/mirage
	@cmp -s $< $@ || cp $< $@

$(OUT)/mirage: $(CMD_OBJS) $(OUT)/libmirage.a
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# the hvt monitor, a host program of its own
HVT_SRCS := $(wildcard targets/hvt/tender/*.c)
# all of it but its main: mirage run calls the monitor too (monitor.h)
MONITOR_SRCS := $(filter-out %/main.c,$(HVT_SRCS))
HVT_OBJS := $(HVT_SRCS:%.c=$(OUT)/%.o)
$(HVT_OBJS): ALL_CFLAGS += -Itargets/hvt/include

mirage-hvt: $(OUT)/mirage-hvt
	@cmp -s $< $@ || cp $< $@

$(OUT)/mirage-hvt: $(HVT_OBJS)
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^

# the monitor linked static, for OCI images (it runs where no C library is):
# never sanitized
mirage-hvt-static: $(OUT)/mirage-hvt-static
	@cmp -s $< $@ || cp $< $@

$(OUT)/mirage-hvt-static: $(HVT_SRCS) $(wildcard targets/hvt/tender/*.h targets/hvt/include/*.h)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@ (static)"
	@$(CC) -std=gnu11 -D_GNU_SOURCE -Itargets/common/include -Itargets/hvt/include $(WARN) \
		-O2 -DMIRAGE_VERSION='"$(VERSION)"' -static -o $@ $(HVT_SRCS)

# mirage run calls the monitor in its own process (monitor.h): the library
# holds the monitor but for its main
$(OUT)/libmirage.a: $(LIB_OBJS) $(MONITOR_SRCS:%.c=$(OUT)/%.o)
	@rm -f $@ && ar rcs $@ $^

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d) $(HVT_OBJS:.o=.d)

# unit tests: lib/ through its headers; the guest runtime over a fake platform
UNIT_BINS := $(OUT)/tests/unit/test_util $(OUT)/tests/unit/test_config $(OUT)/tests/unit/test_runtime \
	$(OUT)/tests/unit/test_libc $(OUT)/tests/unit/test_libc_num $(OUT)/tests/unit/test_libc_io \
	$(OUT)/tests/unit/test_net $(OUT)/tests/unit/test_xen
RT_TEST_SRCS := targets/common/args.c targets/common/devices.c targets/common/log.c \
	targets/virtio/fdt.c

$(OUT)/tests/unit/test_runtime: tests/unit/test_runtime.c $(RT_TEST_SRCS) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itargets/common/include -Itargets/virtio -o $@ $< $(RT_TEST_SRCS) $(LDFLAGS)

# the TCP/IP stack, compiled for the host, two of them over a simulated wire
NET_SRCS := $(wildcard targets/common/net/*.c)
$(OUT)/tests/unit/test_net: tests/unit/test_net.c tests/unit/netsim.h tests/unit/unit.h $(NET_SRCS) \
		$(wildcard targets/common/net/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itargets/common/net -o $@ $< $(NET_SRCS) $(LDFLAGS)

# the xen runtime's protocol code, against a fake hypervisor and xenstored
XEN_TEST_SRCS := targets/xen/xs_wire.c targets/xen/xenstore.c targets/xen/gnttab.c
$(OUT)/tests/unit/test_xen: tests/unit/test_xen.c tests/unit/xen_fake.h tests/unit/unit.h \
		$(XEN_TEST_SRCS) $(wildcard targets/xen/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itargets/xen -Itargets/common/include -o $@ $< $(XEN_TEST_SRCS) $(LDFLAGS)

# mirage's C library, beside the host's: compiled as for a unikernel, then
# every global name it defines prefixed tl_ (objcopy), references included
LIBC_SRCS := $(wildcard targets/common/libc/*.c)
LIBC_RAW := $(LIBC_SRCS:%.c=$(OUT)/tests/libc/raw/%.o)
LIBC_TEST_OBJS := $(LIBC_SRCS:%.c=$(OUT)/tests/libc/%.o)
LIBC_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes $(filter -fsanitize%,$(ALL_CFLAGS)) \
	-ffreestanding -nostdinc -fno-builtin -fno-stack-protector -Itargets/common/libc/include \
	-Itargets/common/include -isystem $(shell $(CC) -print-file-name=include)
$(OUT)/tests/libc/raw/%.o: %.c $(wildcard targets/common/libc/*.h targets/common/libc/include/*.h \
		targets/common/libc/include/sys/*.h)
	@mkdir -p $(dir $@)
	@$(CC) $(LIBC_CFLAGS) -c -o $@ $<
$(OUT)/tests/libc/renames: $(LIBC_RAW)
	@nm --defined-only -g $^ | awk 'NF == 3 { print $$3 " tl_" $$3 }' | sort -u >$@
$(OUT)/tests/libc/%.o: $(OUT)/tests/libc/raw/%.o $(OUT)/tests/libc/renames
	@mkdir -p $(dir $@)
	@objcopy --redefine-syms=$(OUT)/tests/libc/renames $< $@

LIBC_TESTS := $(addprefix $(OUT)/tests/unit/,test_libc test_libc_num test_libc_io)
$(LIBC_TESTS): $(OUT)/tests/unit/%: tests/unit/%.c tests/unit/libc_fake.c $(LIBC_TEST_OBJS) \
		tests/unit/unit.h tests/unit/libc_host.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< tests/unit/libc_fake.c $(LIBC_TEST_OBJS) \
		$(LDFLAGS) -lm

$(OUT)/tests/unit/%: tests/unit/%.c $(OUT)/libmirage.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< $(OUT)/libmirage.a $(LDFLAGS) $(LDLIBS)

unit: $(UNIT_BINS)

# fuzz targets (libFuzzer): every parser, with ASan and UBSan
FUZZ_CC ?= clang
FUZZ_FLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Itargets/common/include \
	-DMIRAGE_VERSION='"$(VERSION)"'
LIBC_FUZZ := fuzz_strtod fuzz_printf fuzz_sscanf fuzz_strftime
fuzz: out/fuzz/fuzz_config out/fuzz/fuzz_args out/fuzz/fuzz_elf out/fuzz/fuzz_cmdline \
	out/fuzz/fuzz_fdt out/fuzz/fuzz_target out/fuzz/fuzz_state out/fuzz/fuzz_gen \
	$(LIBC_FUZZ:%=out/fuzz/%) out/fuzz/fuzz_wire out/fuzz/fuzz_stack \
	out/fuzz/fuzz_xs

# mirage's C library, instrumented, its names prefixed tl_ as for the unit
# tests, against glibc as the oracle
LIBC_FUZZ_RAW := $(LIBC_SRCS:%.c=out/fuzz/libc/raw/%.o)
LIBC_FUZZ_OBJS := $(LIBC_SRCS:%.c=out/fuzz/libc/%.o)
out/fuzz/libc/raw/%.o: %.c $(wildcard targets/common/libc/*.h targets/common/libc/include/*.h \
		targets/common/libc/include/sys/*.h)
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -ffreestanding \
		-nostdinc -fno-builtin -fno-stack-protector -Itargets/common/libc/include \
		-Itargets/common/include -isystem $(shell $(FUZZ_CC) -print-resource-dir)/include \
		-c -o $@ $<
out/fuzz/libc/renames: $(LIBC_FUZZ_RAW)
	@nm --defined-only -g $^ | awk 'NF == 3 { print $$3 " tl_" $$3 }' | sort -u >$@
out/fuzz/libc/%.o: out/fuzz/libc/raw/%.o out/fuzz/libc/renames
	@mkdir -p $(dir $@)
	@objcopy --redefine-syms=out/fuzz/libc/renames $< $@
$(LIBC_FUZZ:%=out/fuzz/%): out/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_libc.h tests/unit/libc_fake.c \
		tests/unit/libc_host.h $(LIBC_FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< tests/unit/libc_fake.c $(LIBC_FUZZ_OBJS) -lm

# the tool's own parsers: linked with the whole of lib/ (and the monitor
# that mirage run calls)
LIB_FUZZ := fuzz_config fuzz_target fuzz_state fuzz_gen
$(LIB_FUZZ:%=out/fuzz/%): out/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(MONITOR_SRCS) $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Ilib -Itargets/hvt/include -o $@ $< $(LIB_SRCS) $(MONITOR_SRCS) \
		$(LDLIBS)

out/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c targets/hvt/tender/elfload.c targets/hvt/tender/elfload.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Itargets/hvt/tender -Itargets/hvt/include -Itargets/common/include -o $@ $< targets/hvt/tender/elfload.c

out/fuzz/fuzz_cmdline: tests/fuzz/fuzz_cmdline.c tests/fuzz/fuzz_rt.h targets/common/args.c targets/common/include/mirage_rt.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Itargets/common/include -o $@ $< targets/common/args.c

# the TCP/IP stack: its parsers alone; the whole of it, checksums not checked
out/fuzz/fuzz_wire: tests/fuzz/fuzz_wire.c targets/common/net/wire.c targets/common/net/wire.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Itargets/common/net -o $@ $< targets/common/net/wire.c
out/fuzz/fuzz_stack: tests/fuzz/fuzz_stack.c $(NET_SRCS) $(wildcard targets/common/net/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Itargets/common/net \
		-o $@ $< $(NET_SRCS)

# the xen runtime's xenstore client against a hostile daemon
out/fuzz/fuzz_xs: tests/fuzz/fuzz_xs.c tests/unit/xen_fake.h $(XEN_TEST_SRCS) $(wildcard targets/xen/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Itargets/xen -Itargets/common/include -o $@ $< $(XEN_TEST_SRCS)

out/fuzz/fuzz_fdt: tests/fuzz/fuzz_fdt.c targets/virtio/fdt.c targets/virtio/fdt.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Itargets/virtio -o $@ $< targets/virtio/fdt.c

out/fuzz/fuzz_args: tests/fuzz/fuzz_args.c tests/fuzz/fuzz_rt.h targets/common/args.c targets/common/include/mirage_rt.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Itargets/common/include -o $@ $< targets/common/args.c

setup:
	@scripts/setup

demo: setup
	$(MAKE) mirage mirage-hvt
	cd examples/hello && ../../mirage configure && ../../mirage build && ../../mirage run

test: setup
	$(MAKE) $(OUT)/mirage $(OUT)/mirage-hvt $(OUT)/mirage-hvt-static unit fuzz format-check
	MIRAGE=$(CURDIR)/$(OUT)/mirage UNIT_DIR=$(OUT)/tests/unit tests/run

bench: setup
	$(MAKE) mirage mirage-hvt
	scripts/bench

install: mirage mirage-hvt mirage-hvt-static
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/mirage
	install -m 755 mirage $(DESTDIR)$(PREFIX)/bin/mirage
	install -m 755 mirage-hvt $(DESTDIR)$(PREFIX)/bin/mirage-hvt
	cp -r targets templates $(DESTDIR)$(PREFIX)/share/mirage/

clean:
	rm -rf out mirage mirage-hvt mirage-hvt-static tests/tmp

FORMATTED := $(wildcard lib/*.[ch] cmd/*.[ch] targets/*/*.c targets/*/*/*.[ch] \
	targets/common/include/*.h targets/common/libc/*.[ch] targets/virtio/*.h \
	tests/unit/*.[ch] tests/fuzz/*.[ch] tests/bench/*.c tests/bench/*/*.c tests/hvt/*.c \
	tests/hvt/*/*.c examples/*/*.c)
format-check:
	@clang-format --dry-run --Werror $(FORMATTED) && echo "  FORMAT  ok"

format:
	clang-format -i $(FORMATTED)

.PHONY: all setup demo test bench install clean format-check format unit fuzz mirage mirage-hvt \
	mirage-hvt-static
