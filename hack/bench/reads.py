#!/usr/bin/env python3
"""Server CPU per request of the calls that read storage rather than the watch cache (a GET
without resourceVersion is a consistent read; every update reads the current object first), on
`skiff apiserver` alone over SQLite with 1,000 stored 1 KiB ConfigMaps, driven by wrk. Prints
the rate, p50/p99 and the server's CPU milliseconds per request; for A/B comparisons of the
storage read path. Usage: python3 hack/bench/reads.py (SKIFF_BIN as for bench.py)."""
import os
import shutil
import sys
import tempfile

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import create_many, start_apiserver, wrk  # noqa: E402


def main():
    scratch = tempfile.mkdtemp(prefix="skiff-bench-reads-")
    process, server = start_apiserver(scratch)
    try:
        requests.post(server + "/api/v1/namespaces", json={"metadata": {"name": "bench"}})
        create_many(requests.Session, server + "/api/v1/namespaces/bench/configmaps", ["seed-%d" % i for i in range(1000)],
                    lambda name: {"metadata": {"name": name}, "data": {"k": "x" * 1000}})
        results = [(verb, connections, wrk(server, "hack/bench/" + script, connections, "%s%d" % (verb, connections), pids=[process.pid]))
                   for verb, script in [("get (consistent)", "skiff_get.lua"), ("update", "skiff_update.lua")] for connections in (1, 16)]
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    print("| operation | clients | req/s | p50 ms | p99 ms | server CPU ms/request | errors |")
    print("|---|---|---|---|---|---|---|")
    for verb, connections, result in results:
        print("| %s | %d | %.0f | %.2f | %.2f | %.3f | %d |" % (verb, connections, result["rate"], result["p50"], result["p99"],
                                                          result["cpu"][0], result["errors"]))


if __name__ == "__main__":
    main()
