#!/usr/bin/env python3
"""The simulated kubelets at scale: starts `skiff up --nodes N` (memory storage, own data dir and
port), measures the time until all N nodes are registered with a lease, the process's resident
memory and CPU at steady state (heartbeats only), then runs `skiff bench kubelet` (P pods created
bound to the nodes round-robin; startup latency p50/p99 from the create request to the watch
event showing Running and Ready) and the same memory/CPU sample with the pods running.

    hack/bench/kubelet.py [--skiff .build/release/skiff] [--nodes 1000] [--pods 10000]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(server, path):
    with urllib.request.urlopen(server + path, timeout=30) as response:
        return json.load(response)


def count(server, path):
    return len(get(server, path)["items"])


def process_sample(pid, seconds):
    """Resident memory (MiB) and CPU (% of one core) of `pid` over `seconds`."""
    tick = os.sysconf("SC_CLK_TCK")

    def cpu():
        with open("/proc/%d/stat" % pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    start_cpu, start = cpu(), time.monotonic()
    time.sleep(seconds)
    used = cpu() - start_cpu
    elapsed = time.monotonic() - start
    with open("/proc/%d/status" % pid) as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return rss / 1024, 100 * used / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skiff", default=".build/release/skiff")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--pods", type=int, default=10000)
    parser.add_argument("--sample-seconds", type=int, default=30)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="skiff-kubelet-bench-")
    port = free_port()
    server = "http://127.0.0.1:%d" % port
    log = open(os.path.join(data_dir, "skiff.log"), "wb")
    began = time.monotonic()
    process = subprocess.Popen([args.skiff, "up", "--insecure-serving", "--data-dir", data_dir, "--port", str(port), "--storage", "memory://",
                                "--nodes", str(args.nodes)], stdout=log, stderr=log)
    try:
        while True:
            try:
                if count(server, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases") >= args.nodes:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                raise SystemExit("skiff exited early; see %s" % log.name)
            time.sleep(0.2)
        registered = time.monotonic() - began
        nodes = get(server, "/api/v1/nodes")["items"]
        ready = sum(1 for node in nodes for c in node["status"]["conditions"] if c["type"] == "Ready" and c["status"] == "True")
        print("%d nodes registered with leases %.1f s after start (%d Ready)" % (args.nodes, registered, ready))
        time.sleep(15)
        rss, cpu = process_sample(process.pid, args.sample_seconds)
        print("steady state, heartbeats only: RSS %.0f MiB, CPU %.0f%% of one core (server + controllers + kubelets)" % (rss, cpu))
        subprocess.run([args.skiff, "bench", "kubelet", "--server", server, "--pods", str(args.pods), "--nodes", str(args.nodes)],
                       check=True)
        time.sleep(10)
        rss, cpu = process_sample(process.pid, args.sample_seconds)
        print("steady state with %d pods running: RSS %.0f MiB, CPU %.0f%% of one core" % (args.pods, rss, cpu))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
