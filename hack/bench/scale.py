#!/usr/bin/env python3
"""The scale benchmark of issues 5 and 6: a whole cluster of simulated nodes on one machine.

Starts each component as its own process, so that each one's CPU and memory can be read from /proc:
`skiff apiserver`, `skiff kubelet --simulate-nodes N` (every simulated node in one process, as kwok
does), then `skiff controller-manager` and `skiff scheduler`. Then:

1. registration: the time until N nodes are Ready; CPU and memory of every process at steady state
   (heartbeats only);
2. pods at scale (issue 6): D Deployments of R replicas at once; a watch on pods records when each pod
   was first seen (ADDED), bound (spec.nodeName set) and running (phase Running, every container
   started). Prints the scheduling throughput, the pod startup latency (first seen -> running, as
   upstream's SLI: creation to running observed through a watch) p50/p90/p99, the API server's CPU
   and memory;
3. one big Deployment (issue 5): B replicas, the time until `status.availableReplicas` reaches B,
   then the time for the garbage collector to remove its ReplicaSet and pods after a background delete;
   the controller manager's CPU and memory at steady state afterwards.

Usage: python3 hack/bench/scale.py [--nodes 1000] [--deployments 30] [--replicas 1000] [--big 10000]
(builds nothing: run `swift build -c release` first, or set SKIFF_BIN). Prints a Markdown report.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.environ.get("SKIFF_BIN", os.path.join(REPO, ".build", "release", "skiff"))
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Component:
    """One skiff process, its log in the scratch directory."""

    def __init__(self, name, args, scratch):
        self.name = name
        self.log_path = os.path.join(scratch, name + ".log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([SKIFF] + args, stdout=self.log, stderr=subprocess.STDOUT)

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.process.pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mib(self):
        with open("/proc/%d/status" % self.process.pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def wait_for_line(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path) as log:
                if text in log.read():
                    return
            if self.process.poll() is not None:
                raise SystemExit("%s exited with %s" % (self.name, self.process.returncode))
            time.sleep(0.05)
        raise SystemExit("%s did not print %r within %ss" % (self.name, text, timeout))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def wait_until(what, condition, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(interval)


def sample_usage(components, seconds):
    """CPU (% of one core) and RSS of each component over `seconds`."""
    before = {c.name: c.cpu_seconds() for c in components}
    time.sleep(seconds)
    return {c.name: (100 * (c.cpu_seconds() - before[c.name]) / seconds, c.rss_mib()) for c in components}


class PodWatch:
    """Records when each pod of a namespace is first seen, bound and running, from one watch."""

    def __init__(self, server, namespace):
        self.first_seen, self.bound, self.running, self.deleted = {}, {}, {}, {}
        self.lock = threading.Lock()
        listing = requests.get("%s/api/v1/namespaces/%s/pods" % (server, namespace)).json()
        self.url = "%s/api/v1/namespaces/%s/pods?watch=1&allowWatchBookmarks=true&resourceVersion=%s" % (
            server, namespace, listing["metadata"]["resourceVersion"])
        self.response = requests.get(self.url, stream=True, timeout=(5, None))
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            self._consume()
        except (requests.RequestException, AttributeError, ValueError):
            pass  # the watch was closed by close()

    def _consume(self):
        for line in self.response.iter_lines():
            if not line:
                continue
            now = time.monotonic()
            event = json.loads(line)
            pod = event["object"]
            uid = pod.get("metadata", {}).get("uid")
            if event["type"] == "BOOKMARK" or not uid:
                continue
            with self.lock:
                self.first_seen.setdefault(uid, now)
                if event["type"] == "DELETED":
                    self.deleted.setdefault(uid, now)
                    continue
                if pod.get("spec", {}).get("nodeName"):
                    self.bound.setdefault(uid, now)
                statuses = pod.get("status", {}).get("containerStatuses") or []
                if pod.get("status", {}).get("phase") == "Running" and statuses and all(s.get("started") for s in statuses):
                    self.running.setdefault(uid, now)

    def counts(self):
        with self.lock:
            return len(self.first_seen), len(self.bound), len(self.running), len(self.deleted)

    def close(self):
        self.response.close()


def deployment(name, replicas):
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10",
                                                       "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}},
    }


def create_namespace(server, name):
    response = requests.post(server + "/api/v1/namespaces", json={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    assert response.status_code == 201, response.text


def create_deployment(server, namespace, name, replicas):
    response = requests.post("%s/apis/apps/v1/namespaces/%s/deployments" % (server, namespace), json=deployment(name, replicas))
    assert response.status_code == 201, response.text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--deployments", type=int, default=30)
    parser.add_argument("--replicas", type=int, default=1000)
    parser.add_argument("--big", type=int, default=10000, help="replicas of the one big Deployment (0 skips it)")
    parser.add_argument("--storage", default="sqlite", choices=["sqlite", "memory"])
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--qps", type=int, default=5000, help="client rate limit of the controller manager and the scheduler")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="skiff-scale-")
    port = free_port()
    server = "http://127.0.0.1:%d" % port
    kubeconfig = os.path.join(scratch, "admin.kubeconfig")
    storage = ["--storage", "memory://"] if args.storage == "memory" else []
    components = []
    try:
        apiserver = Component("apiserver", ["apiserver", "--insecure-serving", "--data-dir", scratch, "--port", str(port)] + storage, scratch)
        components.append(apiserver)
        apiserver.wait_for_line("API server is ready")

        started = time.monotonic()
        kubelets = Component("kubelets", ["kubelet", "--kubeconfig", kubeconfig, "--runtime", "simulated",
                                          "--simulate-nodes", str(args.nodes)], scratch)
        components.append(kubelets)

        def ready_nodes():
            items = requests.get(server + "/api/v1/nodes").json()["items"]
            ready = [n for n in items if any(c["type"] == "Ready" and c["status"] == "True" for c in n.get("status", {}).get("conditions", []))]
            return len(ready) >= args.nodes

        wait_until("%d Ready nodes" % args.nodes, ready_nodes, args.timeout)
        registration = time.monotonic() - started
        # Client rate limits as upstream's scale tests raise them (the defaults, 20 and 50 qps,
        # would measure the limiters rather than the components).
        limits = ["--kube-api-qps", str(args.qps), "--kube-api-burst", str(args.qps)]
        controllers = Component("controller-manager", ["controller-manager", "--kubeconfig", kubeconfig] + limits, scratch)
        scheduler = Component("scheduler", ["scheduler", "--kubeconfig", kubeconfig] + limits, scratch)
        components += [controllers, scheduler]
        time.sleep(5)
        idle = sample_usage(components, 30)

        print("## Scale: %d simulated nodes (%s storage)\n" % (args.nodes, args.storage))
        print("Time until %d nodes are Ready: %.1f s\n" % (args.nodes, registration))
        print("Steady state, heartbeats only (30 s):\n")
        print("| process | CPU (% of a core) | RSS MiB |\n|---|---|---|")
        for name, (cpu, rss) in idle.items():
            print("| %s | %.1f | %.0f |" % (name, cpu, rss))
        print()

        if args.deployments > 0:
            total = args.deployments * args.replicas
            create_namespace(server, "scale")
            watch = PodWatch(server, "scale")
            cpu_before = {c.name: c.cpu_seconds() for c in components}
            started = time.monotonic()
            for index in range(args.deployments):
                create_deployment(server, "scale", "d%d" % index, args.replicas)
            wait_until("%d running pods" % total, lambda: watch.counts()[2] >= total, args.timeout)
            elapsed = time.monotonic() - started
            with watch.lock:
                binds = sorted(watch.bound.values())
                startup = [watch.running[uid] - watch.first_seen[uid] for uid in watch.running]
                scheduling = [watch.bound[uid] - watch.first_seen[uid] for uid in watch.bound]
            peak = {c.name: c.rss_mib() for c in components}
            cpu = {c.name: c.cpu_seconds() - cpu_before[c.name] for c in components}
            watch.close()
            print("### %d Deployments x %d replicas = %d pods\n" % (args.deployments, args.replicas, total))
            print("| measurement | value |\n|---|---|")
            print("| all pods running after | %.1f s |" % elapsed)
            print("| scheduling throughput (first to last bind) | %.0f pods/s |" % (len(binds) / max(binds[-1] - binds[0], 1e-9)))
            print("| pods/s end to end (created to all running) | %.0f |" % (total / elapsed))
            print("| pod startup latency (first seen -> running observed) p50 / p90 / p99 | %.2f / %.2f / %.2f s |"
                  % (quantile(startup, 0.5), quantile(startup, 0.9), quantile(startup, 0.99)))
            print("| first seen -> bound p50 / p99 | %.2f / %.2f s |" % (quantile(scheduling, 0.5), quantile(scheduling, 0.99)))
            for component in components:
                print("| %s CPU during the run / peak RSS | %.0f%% of a core / %.0f MiB |"
                      % (component.name, 100 * cpu[component.name] / elapsed, peak[component.name]))
            print()
            started = time.monotonic()
            response = requests.delete(server + "/api/v1/namespaces/scale")
            assert response.status_code in (200, 202), response.text
            wait_until("namespace scale gone", lambda: requests.get(server + "/api/v1/namespaces/scale").status_code == 404, args.timeout)
            print("Deleting the namespace with its %d pods took %.1f s\n" % (total, time.monotonic() - started))

        if args.big > 0:
            create_namespace(server, "big")
            started = time.monotonic()
            create_deployment(server, "big", "big", args.big)

            def available():
                status = requests.get(server + "/apis/apps/v1/namespaces/big/deployments/big").json().get("status", {})
                return status.get("availableReplicas", 0) >= args.big

            wait_until("the big Deployment available", available, args.timeout)
            available_after = time.monotonic() - started
            settled = sample_usage(components, 30)
            started = time.monotonic()
            response = requests.delete(server + "/apis/apps/v1/namespaces/big/deployments/big",
                                       json={"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"})
            assert response.status_code in (200, 202), response.text

            def collected():
                pods = requests.get(server + "/api/v1/namespaces/big/pods?limit=1").json()
                sets = requests.get(server + "/apis/apps/v1/namespaces/big/replicasets?limit=1").json()
                return not pods["items"] and not sets["items"]

            wait_until("the big Deployment's pods collected", collected, args.timeout)
            collected_after = time.monotonic() - started
            print("### One Deployment of %d replicas\n" % args.big)
            print("| measurement | value |\n|---|---|")
            print("| created -> availableReplicas = %d | %.1f s |" % (args.big, available_after))
            print("| background delete -> ReplicaSet and pods gone | %.1f s |" % collected_after)
            for name, (cpu, rss) in settled.items():
                print("| %s at steady state with %d pods: CPU / RSS | %.1f%% of a core / %.0f MiB |" % (name, args.big, cpu, rss))
            print()
    finally:
        for component in reversed(components):
            component.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
