#!/usr/bin/env python3
"""TLS handshake cost: starts `skiff up --nodes 0` twice (HTTPS with its own certificates, then
`--insecure-serving`), and for each measures N requests of `GET /version` on a new connection each
(TCP connect, the TLS handshake with the admin's client certificate, one request) and N requests on
one kept-alive connection. The difference of the two HTTPS figures is the handshake's cost.

    hack/bench/tls.py [--skiff .build/release/skiff] [--requests 500]
"""
import argparse
import http.client
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(skiff, data_dir, port, extra):
    process = subprocess.Popen([skiff, "up", "--nodes", "0", "--data-dir", data_dir, "--port", str(port)] + extra,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    for line in iter(process.stdout.readline, b""):
        if b"Local Kubernetes cluster is running" in line:
            return process
    raise RuntimeError("skiff up exited before it was ready")


def connection(port, context):
    if context is None:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    return http.client.HTTPSConnection("localhost", port, context=context, timeout=30)


def get(conn):
    conn.request("GET", "/version")
    response = conn.getresponse()
    response.read()
    assert response.status == 200, response.status


def measure(port, context, requests):
    fresh = []
    for _ in range(requests):
        started = time.perf_counter()
        conn = connection(port, context)
        get(conn)
        conn.close()
        fresh.append(time.perf_counter() - started)
    conn = connection(port, context)
    get(conn)
    kept = []
    for _ in range(requests):
        started = time.perf_counter()
        get(conn)
        kept.append(time.perf_counter() - started)
    conn.close()
    return statistics.median(fresh) * 1000, statistics.median(kept) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skiff", default=".build/release/skiff")
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    rows = []
    for name, extra in (("HTTPS (TLS 1.3, client certificate)", []), ("plain HTTP (--insecure-serving)", ["--insecure-serving"])):
        data_dir = tempfile.mkdtemp(prefix="skiff-bench-tls-")
        port = free_port()
        process = start(args.skiff, data_dir, port, extra)
        try:
            context = None
            if not extra:
                pki = os.path.join(data_dir, "pki")
                context = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
                context.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
            fresh, kept = measure(port, context, args.requests)
            rows.append("| %s | %.2f ms | %.2f ms |" % (name, fresh, kept))
        finally:
            process.terminate()
            process.wait(timeout=30)
            shutil.rmtree(data_dir, ignore_errors=True)
    print("| transport | median, new connection per request | median, one kept-alive connection |")
    print("|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
