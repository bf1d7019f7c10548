#!/usr/bin/env python3
"""client.py: the clients of the tcpip tests (tests/net/run).

  echo-tcp HOST PORT BYTES [CONNS]  sends BYTES of random data on CONNS
                                    connections at once, reading the echo
                                    meanwhile; checks it by SHA-256
  echo-udp HOST PORT [COUNT]        COUNT datagrams of 1 to 1400 bytes, each
                                    echoed (resent when lost)
  refused HOST PORT                 the connection is refused (a RST)
  keepalive HOST PORT PATH...       every PATH on one connection, each a 200

Prints why and exits 1 when a check fails.
"""
import hashlib
import http.client
import os
import socket
import sys
import threading


def fail(why):
    print("client: " + why)
    sys.exit(1)


def echo_tcp(host, port, nbytes, conns=1):
    results = [None] * conns

    def one(i):
        data = os.urandom(nbytes)
        try:
            s = socket.create_connection((host, port), timeout=60)

            def writer():
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)

            t = threading.Thread(target=writer)
            t.start()
            h = hashlib.sha256()
            got = 0
            while True:
                b = s.recv(65536)
                if not b:
                    break
                h.update(b)
                got += len(b)
            t.join()
            s.close()
            results[i] = (got, h.digest() == hashlib.sha256(data).digest())
        except OSError as e:
            results[i] = (-1, str(e))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, (got, same) in enumerate(results):
        if got != nbytes or same is not True:
            fail("connection %d: %d of %d bytes back, %s" % (i, got, nbytes,
                 "the same" if same is True else "different: %s" % same))


def echo_udp(host, port, count=20):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1)
    for i in range(count):
        data = os.urandom(1 + (i * 97) % 1400)
        for _ in range(10):  # 5% loss each way: a try fails 1 time in 10
            try:
                s.sendto(data, (host, port))
            except PermissionError:
                continue  # dropped on the way out by a firewall rule (the loss tests)
            try:
                back, _ = s.recvfrom(2048)
            except socket.timeout:
                continue
            if back != data:
                fail("datagram %d came back different" % i)
            break
        else:
            fail("datagram %d: no echo after 10 tries" % i)


def refused(host, port):
    try:
        socket.create_connection((host, port), timeout=10).close()
    except ConnectionRefusedError:
        return
    except OSError as e:
        fail("expected a refusal, got: %s" % e)
    fail("the connection to port %d was accepted" % port)


def keepalive(host, port, paths):
    c = http.client.HTTPConnection(host, port, timeout=30)
    first = None
    for p in paths:
        c.request("GET", p)
        r = c.getresponse()
        r.read()
        if r.status != 200:
            fail("GET %s: %d" % (p, r.status))
        if first is None:
            first = c.sock
        elif c.sock is not first:
            fail("GET %s: the connection was not kept" % p)


def main(argv):
    if len(argv) < 4:
        fail(__doc__)
    cmd, host, port = argv[1], argv[2], int(argv[3])
    if cmd == "echo-tcp":
        echo_tcp(host, port, int(argv[4]), int(argv[5]) if len(argv) > 5 else 1)
    elif cmd == "echo-udp":
        echo_udp(host, port, int(argv[4]) if len(argv) > 4 else 20)
    elif cmd == "refused":
        refused(host, port)
    elif cmd == "keepalive":
        keepalive(host, port, argv[4:])
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
