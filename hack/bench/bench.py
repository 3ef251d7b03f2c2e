#!/usr/bin/env python3
"""Skiff's benchmark: starts a real `skiff up` and a real etcd on loopback, drives both with wrk,
and measures what wrk cannot (list latency, watch fan-out latency, memory, time to ready).
Prints a Markdown report. Usage: scripts/bench (builds first) or python3 hack/bench/bench.py."""
import base64
import json
import os
import re
import resource
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.environ.get("SKIFF_BIN", os.path.join(REPO, ".build", "release", "skiff"))
DURATION = os.environ.get("BENCH_DURATION", "5s")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wrk(url, script, connections, tag, *args, pids=()):
    """Runs wrk's `script` (arguments: `tag`, then `args`) with `connections` clients; returns the
    rate, p50 and p99 in ms, the count of non-2xx answers, and the CPU milliseconds each request
    cost wrk itself (`cpu_wrk`) and each process of `pids` (`cpu`, a list in the same order)."""
    threads = min(2, connections)
    before = [cpu_seconds(pid) for pid in pids]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % connections, "-d" + DURATION, "--latency", "-s", script, url, "--", tag, *args],
                         capture_output=True, text=True, cwd=REPO, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests_done = max(int(re.search(r"(\d+) requests in", out).group(1)), 1)
    per_request = lambda seconds: seconds * 1000 / requests_done
    cpu = [per_request(cpu_seconds(pid) - began) for pid, began in zip(pids, before)]
    cpu_wrk = per_request(after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def percentile(p):
        match = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % p, out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rate": rate, "p50": percentile(50), "p99": percentile(99), "errors": int(errors.group(1)) if errors else 0,
            "cpu": cpu, "cpu_wrk": cpu_wrk}


def create_many(session_factory, url, names, body):
    def work(chunk):
        session = session_factory()
        for name in chunk:
            response = session.post(url, data=json.dumps(body(name)), headers={"Content-Type": "application/json"})
            assert response.status_code in (200, 201), response.text
    chunks = [names[i::16] for i in range(16)]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(work, chunks))


def start_skiff(data_dir, port, args=("--insecure-serving",)):
    began = time.monotonic()
    process = subprocess.Popen([SKIFF, "up", "--data-dir", data_dir, "--port", str(port)] + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    while True:
        line = process.stdout.readline().decode()
        if "Local Kubernetes cluster is running" in line:
            return process, time.monotonic() - began
        if not line:
            raise RuntimeError("skiff exited")


def wait_until_ok(url, process, what, attempts=600):
    """Polls `url` every 0.1 s until it answers 2xx; fails when `process` exits first or after
    `attempts` tries."""
    for _ in range(attempts):
        if process.poll() is not None:
            raise RuntimeError("%s exited" % what)
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("%s did not become ready" % what)


def start_apiserver(data_dir, storage=None):
    """`skiff apiserver` alone on plain HTTP, as upstream measures kube-apiserver (`skiff up` also
    runs the controllers, whose informers decode every event on the same cores); returns the
    process and its URL once /readyz answers."""
    port = free_port()
    args = [SKIFF, "apiserver", "--insecure-serving", "--data-dir", data_dir, "--port", str(port)]
    if storage:
        args += ["--storage", storage]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = "http://127.0.0.1:%d" % port
    wait_until_ok(server + "/readyz", process, "skiff apiserver")
    return process, server


def start_etcd(data_dir):
    """A one-member etcd on loopback ports; returns the process and its client URL once /health answers."""
    port, peer = free_port(), free_port()
    url = "http://127.0.0.1:%d" % port
    process = subprocess.Popen(["etcd", "--data-dir", data_dir, "--listen-client-urls", url, "--advertise-client-urls", url,
                                "--listen-peer-urls", "http://127.0.0.1:%d" % peer,
                                "--initial-advertise-peer-urls", "http://127.0.0.1:%d" % peer,
                                "--initial-cluster", "default=http://127.0.0.1:%d" % peer],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_ok(url + "/health", process, "etcd", attempts=300)
    return process, url


def watch_latency(server, namespace, watchers, writes, interval=0.05):
    """Opens `watchers` watches, creates `writes` objects carrying their send time, and returns the
    delivery latencies (send -> readable at a watcher) in milliseconds. One epoll wakeup gets one
    timestamp for every socket it reports, so the client's own work does not inflate the figures."""
    host, port = server.replace("http://", "").split(":")
    resource_version = requests.get("%s/api/v1/namespaces/%s/configmaps" % (server, namespace)).json()["metadata"]["resourceVersion"]
    request = ("GET /api/v1/namespaces/%s/configmaps?watch=1&resourceVersion=%s HTTP/1.1\r\nHost: x\r\n\r\n"
               % (namespace, resource_version)).encode()
    selector = selectors.DefaultSelector()
    sockets = []
    for _ in range(watchers):
        sock = socket.create_connection((host, int(port)))
        sock.sendall(request)
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, data={"tail": b"", "headers": False})
        sockets.append(sock)
    latencies = []
    marker = b'"sent":"'

    def writer():
        session = requests.Session()
        time.sleep(1)
        for index in range(writes):
            body = {"metadata": {"name": "w-%d" % index}, "data": {"sent": repr(time.time())}}
            session.post("%s/api/v1/namespaces/%s/configmaps" % (server, namespace), json=body)
            time.sleep(interval)

    thread = threading.Thread(target=writer)
    thread.start()
    deadline = time.monotonic() + writes * interval + 60
    while len(latencies) < watchers * writes and time.monotonic() < deadline:
        ready = selector.select(timeout=1)
        now = time.time()
        for key, _ in ready:
            data = key.fileobj.recv(1 << 16)
            if not data:
                selector.unregister(key.fileobj)
                continue
            text = key.data["tail"] + data
            position = 0
            while True:
                found = text.find(marker, position)
                end = text.find(b'"', found + len(marker)) if found >= 0 else -1
                if found < 0 or end < 0:
                    break
                latencies.append((now - float(text[found + len(marker):end])) * 1000)
                position = end
            key.data["tail"] = text[position:][-64:]
    thread.join()
    for sock in sockets:
        sock.close()
    return latencies


def cpu_seconds(pid):
    """User + system CPU time the process has used, from /proc (clock ticks of 1/100 s)."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def list_timing(url, pid, rounds=5):
    """A consistent LIST of `url`, `rounds` times over one connection, without decoding the body:
    returns the median milliseconds to the response head (the server's work before its first
    byte), to the last byte, and the server's CPU milliseconds per list (`pid`), plus the body
    length. A client that parses 10,000 objects spends longer than the server that sends them."""
    session = requests.Session()
    heads, totals, size = [], [], 0
    began_cpu = cpu_seconds(pid)
    for _ in range(rounds):
        began = time.monotonic()
        with session.get(url, stream=True) as response:
            heads.append((time.monotonic() - began) * 1000)
            assert response.status_code == 200, response.status_code
            size = sum(len(chunk) for chunk in response.iter_content(1 << 20))
        totals.append((time.monotonic() - began) * 1000)
    cpu = (cpu_seconds(pid) - began_cpu) / rounds * 1000
    return {"head": statistics.median(heads), "total": statistics.median(totals), "cpu": cpu, "bytes": size}


def deployment_config(containers, image):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "wide"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "wide"}},
                     "template": {"metadata": {"labels": {"app": "wide"}},
                                  "spec": {"containers": [{"name": "c%d" % i, "image": "%s:%d" % (image, i),
                                                           "ports": [{"containerPort": 8000 + i}],
                                                           "env": [{"name": "INDEX", "value": str(i)}],
                                                           "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}
                                                          for i in range(containers)]}}}}


def apply_cpu(server, pid, containers=50, rounds=200):
    """Server CPU per server-side apply of a Deployment with `containers` containers: each apply
    changes every image (a real merge, conflict check and write), sent one at a time."""
    session = requests.Session()
    url = server + "/apis/apps/v1/namespaces/bench/deployments/wide?fieldManager=bench"
    headers = {"Content-Type": "application/apply-patch+yaml"}
    bodies = [json.dumps(deployment_config(containers, "img-%d" % (index % 2))) for index in range(rounds)]
    assert session.patch(url, data=bodies[1], headers=headers).status_code in (200, 201)
    began = cpu_seconds(pid)
    for body in bodies:
        response = session.patch(url, data=body, headers=headers)
        assert response.status_code == 200, response.text
    return (cpu_seconds(pid) - began) / rounds * 1000


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main():
    report = []
    scratch = tempfile.mkdtemp(prefix="skiff-bench-")
    port = free_port()
    server = "http://127.0.0.1:%d" % port
    skiff, ready_seconds = start_skiff(os.path.join(scratch, "skiff"), port)
    etcd = None
    try:
        session = requests.Session()
        for namespace in ["bench", "list", "watch"]:
            session.post(server + "/api/v1/namespaces", json={"metadata": {"name": namespace}})
        create_many(requests.Session, server + "/api/v1/namespaces/bench/configmaps", ["seed-%d" % i for i in range(1000)],
                    lambda name: {"metadata": {"name": name}, "data": {"k": "x" * 1000}})
        results = {}
        for verb, script in [("create", "skiff_create.lua"), ("get", "skiff_get.lua"), ("update", "skiff_update.lua"),
                             ("merge patch", "skiff_patch.lua"), ("apply", "skiff_apply.lua")]:
            for connections in (1, 64):
                results[(verb, connections)] = wrk(server, "hack/bench/" + script, connections, "%s%d" % (verb, connections))

        # Memory per 10,000 stored objects and list latency over them.
        before = rss_kib(skiff.pid)
        create_many(requests.Session, server + "/api/v1/namespaces/list/configmaps", ["obj-%d" % i for i in range(10000)],
                    lambda name: {"metadata": {"name": name, "labels": {"app": "bench"}}, "data": {"k": "x" * 1000}})
        time.sleep(1)
        after = rss_kib(skiff.pid)
        lists = {}
        for label, query in [("rv=0 (watch cache)", "?resourceVersion=0"), ("consistent (cache after catching up)", ""),
                             ("consistent, limit=500 pages (storage)", "?limit=500")]:
            samples = []
            for _ in range(5):
                began = time.monotonic()
                url = server + "/api/v1/namespaces/list/configmaps" + query
                count = 0
                while url:
                    body = session.get(url).json()
                    count += len(body["items"])
                    token = body["metadata"].get("continue")
                    url = server + "/api/v1/namespaces/list/configmaps?limit=500&continue=" + token if token else None
                samples.append((time.monotonic() - began) * 1000)
                assert count == 10000, count
            lists[label] = statistics.median(samples)

        latencies = watch_latency(server, "watch", 1000, 50)
        apply_milliseconds = apply_cpu(server, skiff.pid)

        # etcd on loopback, driven by the same tool.
        etcd, etcd_url = start_etcd(os.path.join(scratch, "etcd"))
        def put(name):
            requests.post(etcd_url + "/v3/kv/put", json={"key": base64.b64encode(name.encode()).decode(),
                                                         "value": base64.b64encode(b"x" * 1000).decode()})
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(put, ["seed-%d" % i for i in range(1000)]))
        etcd_results = {(verb, c): wrk(etcd_url, "hack/bench/" + script, c, "%s%d" % (verb, c))
                        for verb, script in [("put", "etcd_put.lua"), ("range", "etcd_range.lua")] for c in (1, 64)}
    finally:
        skiff.terminate()
        skiff.wait()
        if etcd:
            etcd.terminate()
            etcd.wait()
        shutil.rmtree(scratch, ignore_errors=True)

    report.append("| operation (1 KiB ConfigMaps over HTTP) | clients | Skiff req/s | p50 ms | p99 ms | errors |")
    report.append("|---|---|---|---|---|---|")
    for (verb, connections), result in results.items():
        report.append("| %s | %d | %.0f | %.2f | %.2f | %d |" % (verb, connections, result["rate"], result["p50"], result["p99"], result["errors"]))
    report.append("")
    report.append("| etcd 3.4 JSON gateway (same wrk, loopback) | clients | req/s | p50 ms | p99 ms |")
    report.append("|---|---|---|---|---|")
    for (verb, connections), result in etcd_results.items():
        report.append("| %s | %d | %.0f | %.2f | %.2f |" % (verb, connections, result["rate"], result["p50"], result["p99"]))
    report.append("")
    report.append("Ratios at 64 clients: Skiff creates / etcd puts = %.2f (target >= 1); Skiff gets / etcd ranges = %.2f (target >= 1.5)."
                  % (results[("create", 64)]["rate"] / etcd_results[("put", 64)]["rate"],
                     results[("get", 64)]["rate"] / etcd_results[("range", 64)]["rate"]))
    report.append("")
    report.append("| measurement | value |")
    report.append("|---|---|")
    for label, value in lists.items():
        report.append("| list 10,000 objects, %s | %.1f ms |" % (label, value))
    report.append("| watch delivery, 1,000 watchers x 50 writes: p50 / p99 (write sent -> event read) | %.1f / %.1f ms (target p99 < 50) |"
                  % (quantile(latencies, 0.5), quantile(latencies, 0.99)))
    report.append("| resident memory added by 10,000 stored 1 KiB objects | %.1f MiB (RSS %.1f -> %.1f MiB) |"
                  % ((after - before) / 1024, before / 1024, after / 1024))
    report.append("| time from `skiff up` to ready | %.0f ms (target < 1000) |" % (ready_seconds * 1000))
    report.append("| server CPU per server-side apply of a 50-container Deployment (every image changed) | %.2f ms (target < 2) |"
                  % apply_milliseconds)
    print("\n".join(report))


if __name__ == "__main__":
    main()
