#!/usr/bin/env python3
"""Resident memory of `skiff apiserver` alone per stored pod (issue 15's "memory per stored pod"
figure): starts the server on SQLite, stores PODS typical pods (one container with a dozen env
variables, resources, a probe and a volume: about 4.3 KiB of JSON), and prints the growth of the
process's resident set divided by the number of pods, beside the size of one pod's JSON.
Usage: python3 hack/bench/memory.py (SKIFF_BIN as for bench.py; PODS, default 10000)."""
import os
import shutil
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import create_many, rss_kib, start_apiserver  # noqa: E402

PODS = int(os.environ.get("PODS", "10000"))


def pod(name):
    container = {
        "name": "app", "image": "registry.example.com/team/app:1.2.3",
        "command": ["/bin/app", "--port=8080", "--log-level=info"],
        "ports": [{"containerPort": 8080, "name": "http"}],
        "env": [{"name": "VAR_%d" % i, "value": "value-%d-xxxxxxxxxxxxxxxx" % i} for i in range(12)],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5},
        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}],
    }
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"app": "bench", "pod-template-hash": "5d8c9f7b6d", "tier": "backend"}},
            "spec": {"automountServiceAccountToken": False, "containers": [container],
                     "volumes": [{"name": "config", "configMap": {"name": "app-config"}}]}}


def main():
    scratch = tempfile.mkdtemp(prefix="skiff-bench-memory-")
    process, server = start_apiserver(scratch)
    try:
        session = requests.Session()
        session.post(server + "/api/v1/namespaces", json={"metadata": {"name": "bench"}})
        # skiff apiserver runs no controllers: the ServiceAccount admission plugin needs the account.
        session.post(server + "/api/v1/namespaces/bench/serviceaccounts", json={"metadata": {"name": "default"}})
        time.sleep(2)
        before = rss_kib(process.pid)
        create_many(requests.Session, server + "/api/v1/namespaces/bench/pods", ["pod-%d" % i for i in range(PODS)], pod)
        time.sleep(3)
        after = rss_kib(process.pid)
        size = len(session.get(server + "/api/v1/namespaces/bench/pods/pod-1").content)
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    per_pod = (after - before) / PODS
    print("| pods | pod JSON | RSS before | RSS after | per pod | per pod / JSON |")
    print("|---|---|---|---|---|---|")
    print("| %d | %d B | %d KiB | %d KiB | %.1f KiB | %.1fx |" % (PODS, size, before, after, per_pod, per_pod * 1024 / size))


if __name__ == "__main__":
    main()
