#!/usr/bin/env python3
"""The API server on etcd beside etcd itself and beside the SQLite backend, in one run with one
load tool (issue 14's figures): starts a real etcd 3.4 on loopback and drives its JSON gateway
with wrk (put, range), then `skiff apiserver --storage etcd://` on that etcd and on SQLite,
each driven with the same wrk scripts (create, get of 1 KiB ConfigMaps), plus list latency over
10,000 objects and watch delivery latency. Prints a Markdown report.
Usage: python3 hack/bench/backends.py (SKIFF_BIN, BENCH_DURATION as for bench.py)."""
import base64
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import create_many, list_timing, quantile, start_apiserver, start_etcd, watch_latency, wrk  # noqa: E402

CLIENTS = (1, 64)


def drive_etcd(url, pids):
    def put(name):
        requests.post(url + "/v3/kv/put", json={"key": base64.b64encode(name.encode()).decode(),
                                                "value": base64.b64encode(b"x" * 1000).decode()})
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, ["seed-%d" % i for i in range(1000)]))
    return {(verb, clients): wrk(url, "hack/bench/" + script, clients, "%s%d" % (verb, clients), pids=pids)
            for verb, script in [("put", "etcd_put.lua"), ("range", "etcd_range.lua")] for clients in CLIENTS}


def drive_skiff(server, pids):
    session = requests.Session()
    for namespace in ["bench", "list", "watch"]:
        session.post(server + "/api/v1/namespaces", json={"metadata": {"name": namespace}})
    create_many(requests.Session, server + "/api/v1/namespaces/bench/configmaps", ["seed-%d" % i for i in range(1000)],
                lambda name: {"metadata": {"name": name}, "data": {"k": "x" * 1000}})
    results = {(verb, clients): wrk(server, "hack/bench/" + script, clients, "%s%d" % (verb, clients), pids=pids)
               for verb, script in [("create", "skiff_create.lua"), ("get", "skiff_get.lua")] for clients in CLIENTS}
    create_many(requests.Session, server + "/api/v1/namespaces/list/configmaps", ["obj-%d" % i for i in range(10000)],
                lambda name: {"metadata": {"name": name, "labels": {"app": "bench"}}, "data": {"k": "x" * 1000}})
    listed = server + "/api/v1/namespaces/list/configmaps?labelSelector=app%3Dbench"
    count = len(session.get(listed).json()["items"])
    assert count == 10000, count
    results["list"] = list_timing(listed, pids[0])
    latencies = watch_latency(server, "watch", 200, 50)
    results["watch"] = (quantile(latencies, 0.5), quantile(latencies, 0.99))
    return results


def main():
    scratch = tempfile.mkdtemp(prefix="skiff-bench-backends-")
    processes = []
    try:
        etcd, etcd_url = start_etcd(os.path.join(scratch, "etcd"))
        processes.append(etcd)
        raw = drive_etcd(etcd_url, (etcd.pid,))
        on_etcd, server = start_apiserver(os.path.join(scratch, "on-etcd"), "etcd://" + etcd_url.replace("http://", ""))
        processes.append(on_etcd)
        skiff_etcd = drive_skiff(server, (on_etcd.pid, etcd.pid))
        on_etcd.terminate()
        on_etcd.wait()
        on_sqlite, server = start_apiserver(os.path.join(scratch, "on-sqlite"), None)
        processes.append(on_sqlite)
        skiff_sqlite = drive_skiff(server, (on_sqlite.pid,))
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait()
        shutil.rmtree(scratch, ignore_errors=True)

    print("| operation | clients | etcd 3.4 (JSON gateway) req/s, p99 ms | Skiff on etcd req/s, p99 ms | Skiff on SQLite req/s, p99 ms |")
    print("|---|---|---|---|---|")
    for (skiff_verb, etcd_verb) in [("create", "put"), ("get", "range")]:
        for clients in CLIENTS:
            cells = [raw[(etcd_verb, clients)], skiff_etcd[(skiff_verb, clients)], skiff_sqlite[(skiff_verb, clients)]]
            print("| %s (etcd: %s) | %d | %s |" % (skiff_verb, etcd_verb, clients,
                                                  " | ".join("%.0f, %.1f" % (cell["rate"], cell["p99"]) for cell in cells)))
    print()
    print("| measurement | Skiff on etcd | Skiff on SQLite |")
    print("|---|---|---|")
    print("| list 10,000 ConfigMaps (consistent, from the watch cache): first byte / last byte / server CPU | %s | %s |"
          % tuple("%.1f / %.1f / %.1f ms" % (r["list"]["head"], r["list"]["total"], r["list"]["cpu"]) for r in (skiff_etcd, skiff_sqlite)))
    print("| watch delivery, 200 watchers x 50 writes: p50 / p99 | %.1f / %.1f ms | %.1f / %.1f ms |"
          % (skiff_etcd["watch"] + skiff_sqlite["watch"]))
    print()
    print("Creates on etcd / etcd's own puts at 64 clients: %.2f (goal >= 0.80)."
          % (skiff_etcd[("create", 64)]["rate"] / raw[("put", 64)]["rate"]))
    print()
    print_cpu_budget(raw[("put", 64)], skiff_etcd[("create", 64)], skiff_sqlite[("create", 64)])


def print_cpu_budget(put, create_etcd, create_sqlite):
    """CPU milliseconds each request costs each process at 64 clients, and the rate the machine's
    cores could reach if that CPU were the only limit (cores x 1000 / the sum)."""
    cores = os.cpu_count()
    rows = [("etcd put (JSON gateway)", {"etcd": put["cpu"][0], "wrk": put["cpu_wrk"]}),
            ("Skiff create on etcd", {"skiff": create_etcd["cpu"][0], "etcd": create_etcd["cpu"][1], "wrk": create_etcd["cpu_wrk"]}),
            ("Skiff create on SQLite", {"skiff": create_sqlite["cpu"][0], "wrk": create_sqlite["cpu_wrk"]})]
    print("CPU per request at 64 clients (ms), and the rate %d cores bound it to:" % cores)
    print()
    print("| request | Skiff | etcd | wrk | sum | %d cores / sum (req/s) |" % cores)
    print("|---|---|---|---|---|---|")
    for name, cpu in rows:
        total = sum(cpu.values())
        cells = ["%.3f" % cpu[key] if key in cpu else "-" for key in ("skiff", "etcd", "wrk")]
        print("| %s | %s | %.3f | %.0f |" % (name, " | ".join(cells), total, cores * 1000 / total))


if __name__ == "__main__":
    main()
