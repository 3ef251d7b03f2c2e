#!/usr/bin/env python3
"""Issue 15's list figure: a consistent LIST of 10,000 1 KiB ConfigMaps (served from the watch
cache) on `skiff apiserver` alone over SQLite. Prints the median time to the response's first
byte and last byte (the body is read, not parsed) and the server's CPU per list.
Usage: python3 hack/bench/list.py (SKIFF_BIN as for bench.py)."""
import os
import shutil
import sys
import tempfile

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import create_many, list_timing, start_apiserver  # noqa: E402

OBJECTS = 10000


def main():
    scratch = tempfile.mkdtemp(prefix="skiff-bench-list-")
    server_process = None
    try:
        server_process, server = start_apiserver(os.path.join(scratch, "data"), None)
        requests.post(server + "/api/v1/namespaces", json={"metadata": {"name": "list"}})
        create_many(requests.Session, server + "/api/v1/namespaces/list/configmaps", ["obj-%d" % i for i in range(OBJECTS)],
                    lambda name: {"metadata": {"name": name, "labels": {"app": "bench"}}, "data": {"k": "x" * 1000}})
        url = server + "/api/v1/namespaces/list/configmaps"
        count = len(requests.get(url).json()["items"])
        assert count == OBJECTS, count
        plain = list_timing(url, server_process.pid)
        selected = list_timing(url + "?labelSelector=app%3Dbench", server_process.pid)
    finally:
        if server_process is not None and server_process.poll() is None:
            server_process.terminate()
            server_process.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    print("| consistent LIST of %d ConfigMaps | first byte ms | last byte ms | server CPU ms | bytes |" % OBJECTS)
    print("|---|---|---|---|---|")
    for label, result in (("no selector", plain), ("label selector matching all", selected)):
        print("| %s | %.1f | %.1f | %.1f | %d |" % (label, result["head"], result["total"], result["cpu"], result["bytes"]))


if __name__ == "__main__":
    main()
