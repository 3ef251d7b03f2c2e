#!/usr/bin/env python3
"""The kubelet at scale: starts `skiff up --nodes N` (memory storage, own data dir and port),
measures the time until all N nodes are registered with a lease, the process's resident memory
and CPU at steady state (heartbeats only), then runs `skiff bench kubelet` (P pods created bound to
the nodes round-robin; startup latency p50/p99 from the create request to the watch event showing
Running and Ready) and the same memory/CPU sample with the pods running.

Simulated kubelets by default. With `--runtime process` the first node runs real containers
(runc): the script starts a local registry holding a busybox-static image (tests/e2e's
busybox_registry, so it needs what test_runtime needs: root, runc, docker-registry, umoci,
skopeo, busybox-static), runs one pod first so the image is pulled and unpacked before the
measured pods (upstream's startup SLO excludes image pulls), and gives every pod `sleep 3600`.
The kubelet runs inside `skiff up`, so its figures are the whole process's; the runc processes
that hold the containers (one `runc run` per container, its children the containers) are summed
apart.

    hack/bench/kubelet.py [--skiff .build/release/skiff] [--nodes 1000] [--pods 10000]
    hack/bench/kubelet.py --runtime process --nodes 1 --pods 100 [--rate 10]

The server's log of the last run is kept as $TMPDIR/skiff-kubelet-bench.log.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "e2e"))
from busybox_registry import BusyboxRegistry  # noqa: E402

# What the benchmark's pods run with the process runtime.
PROCESS_APPLETS = ["sh", "sleep"]
PROCESS_COMMAND = ["sleep", "3600"]


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


def runc_helpers(pid):
    """The `runc` processes below `pid` (one `runc run` per container): count and resident MiB."""
    parents, names, rss = {}, {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/status" % entry) as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        child = int(entry)
        parents[child] = int(fields["PPid"])
        names[child] = fields["Name"].strip()
        rss[child] = int(fields.get("VmRSS", "0 kB").split()[0])

    def below(child):
        while child in parents and child != pid:
            child = parents[child]
        return child == pid
    helpers = [child for child, name in names.items() if name == "runc" and below(child)]
    return len(helpers), sum(rss[child] for child in helpers) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skiff", default=".build/release/skiff")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--pods", type=int, default=10000)
    parser.add_argument("--sample-seconds", type=int, default=30)
    parser.add_argument("--rate", type=float, default=0, help="pods created per second (0: all at once)")
    parser.add_argument("--runtime", choices=["simulated", "process"], default="simulated",
                        help="the first node's container runtime (process: real containers with runc)")
    args = parser.parse_args()
    bench_args = []
    registry = None
    if args.runtime == "process":
        registry = BusyboxRegistry(PROCESS_APPLETS)
        try:
            bench_args = ["--image", registry.start(), "--command"] + PROCESS_COMMAND
        except BaseException:
            registry.stop()
            raise

    data_dir = tempfile.mkdtemp(prefix="skiff-kubelet-bench-")
    port = free_port()
    server = "http://127.0.0.1:%d" % port
    log = open(os.path.join(data_dir, "skiff.log"), "wb")
    began = time.monotonic()
    process = subprocess.Popen([args.skiff, "up", "--insecure-serving", "--data-dir", data_dir, "--port", str(port), "--storage", "memory://",
                                "--nodes", str(args.nodes), "--runtime", args.runtime], stdout=log, stderr=log)
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
        bench = [args.skiff, "bench", "kubelet", "--server", server, "--nodes", str(args.nodes)] + bench_args
        if registry is not None:
            print("warm-up (image pull and unpack): ", end="", flush=True)
            subprocess.run(bench + ["--pods", "1"], check=True)
        subprocess.run(bench + ["--pods", str(args.pods), "--rate", str(args.rate)], check=True)
        time.sleep(10)
        rss, cpu = process_sample(process.pid, args.sample_seconds)
        print("steady state with %d pods running: RSS %.0f MiB, CPU %.0f%% of one core" % (args.pods, rss, cpu))
        if registry is not None:
            helpers, helpers_rss = runc_helpers(process.pid)
            print("runc processes holding the containers: %d, RSS %.0f MiB together" % (helpers, helpers_rss))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=180)  # a hundred real pods are stopped and removed first
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if registry is not None:
            registry.stop()
        # The server's log outlives the data directory, for a run that needs explaining.
        shutil.copy(log.name, os.path.join(tempfile.gettempdir(), "skiff-kubelet-bench.log"))
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
