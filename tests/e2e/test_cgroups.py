"""End-to-end: `resources.limits` as cgroup limits on the process runtime (runc), on a host with
cgroup v1 controllers (docs/runtime.md, "Limits"): a memory limit ends a greedy container
OOMKilled (137), a CPU limit is the container's CFS quota, the pod's cgroups go with the pod.

Needs what test_runtime.py needs, and the v1 cpu and memory controllers under /sys/fs/cgroup.
"""
import glob
import json
import os

import pytest

from conftest import wait_for
from test_runtime import missing, ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)

CGROUPS = "/sys/fs/cgroup"
ROOT = "skiff/kubepods"
v1 = all(os.path.isdir(os.path.join(CGROUPS, controller)) for controller in ["cpu", "memory", "pids"])
pytestmark = [
    pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing)),
    pytest.mark.skipif(os.geteuid() != 0, reason="the process runtime needs root"),
    pytest.mark.skipif(not v1, reason="the limits test needs the cgroup v1 cpu, memory and pids controllers under %s" % CGROUPS),
]


def create_pod(cluster, namespace, name, image, command, resources, restart="Never"):
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
                "spec": {"restartPolicy": restart, "terminationGracePeriodSeconds": 1,
                         "containers": [{"name": "app", "image": image, "command": ["sh", "-c", command], "resources": resources}]}}
    cluster.kubectl("create", "-f", "-", input=json.dumps(manifest))
    return pod_json(cluster, namespace, name, "{.metadata.uid}")


def read(path):
    with open(path) as handle:
        return handle.read().strip()


def pod_cgroups(uid):
    return glob.glob(os.path.join(CGROUPS, "*", ROOT, "**", "pod" + uid), recursive=True)


# Doubles a shell variable until the memory limit's OOM killer ends it (2^27 bytes is 128 MiB).
GREEDY = "echo start; x=greedy; while true; do x=$x$x; done"


def test_memory_limit_ends_a_greedy_container_oomkilled(real_cluster, registry, ns):
    limits = {"limits": {"memory": "32Mi"}, "requests": {"memory": "32Mi"}}
    create_pod(real_cluster, ns, "greedy", registry, GREEDY, limits)
    wait_for(lambda: pod_json(real_cluster, ns, "greedy", "{.status.phase}") == "Failed", timeout=60, message="the greedy pod to fail")
    terminated = "{.status.containerStatuses[0].state.terminated"
    assert pod_json(real_cluster, ns, "greedy", terminated + ".reason}") == "OOMKilled"
    assert pod_json(real_cluster, ns, "greedy", terminated + ".exitCode}") == "137"
    assert real_cluster.kubectl("logs", "-n", ns, "greedy").stdout == "start\n"

    # Restarted as any other exit: the last state says why.
    create_pod(real_cluster, ns, "greedy-again", registry, GREEDY, limits, restart="Always")
    last = "{.status.containerStatuses[0].lastState.terminated"
    wait_for(lambda: pod_json(real_cluster, ns, "greedy-again", last + ".reason}") == "OOMKilled", timeout=60,
             message="the restarted pod's last state to be OOMKilled")
    assert pod_json(real_cluster, ns, "greedy-again", last + ".exitCode}") == "137"
    assert int(pod_json(real_cluster, ns, "greedy-again", "{.status.containerStatuses[0].restartCount}")) >= 1


def test_cpu_limit_is_the_quota_and_the_cgroups_go_with_the_pod(real_cluster, registry, ns):
    resources = {"limits": {"cpu": "100m", "memory": "64Mi"}, "requests": {"cpu": "100m", "memory": "64Mi"}}
    uid = create_pod(real_cluster, ns, "limited", registry, "sleep 3600", resources)
    wait_for(lambda: pod_json(real_cluster, ns, "limited", "{.status.phase}") == "Running", timeout=60, message="the pod to run")
    container = pod_json(real_cluster, ns, "limited", "{.status.containerStatuses[0].containerID}").split("://")[-1]
    # Guaranteed: the pod's cgroup is right under kubepods; the container's is below it.
    pod = os.path.join(ROOT, "pod" + uid)
    cpu = os.path.join(CGROUPS, "cpu", pod)
    memory = os.path.join(CGROUPS, "memory", pod)
    assert read(os.path.join(cpu, container, "cpu.cfs_quota_us")) == "10000"
    assert read(os.path.join(cpu, container, "cpu.cfs_period_us")) == "100000"
    assert read(os.path.join(cpu, container, "cpu.shares")) == "102"
    assert read(os.path.join(cpu, "cpu.cfs_quota_us")) == "10000"
    assert read(os.path.join(memory, container, "memory.limit_in_bytes")) == str(64 * 1024 * 1024)
    assert read(os.path.join(memory, "memory.limit_in_bytes")) == str(64 * 1024 * 1024)
    if os.path.exists(os.path.join(memory, container, "memory.memsw.limit_in_bytes")):
        assert read(os.path.join(memory, container, "memory.memsw.limit_in_bytes")) == str(64 * 1024 * 1024)
    # The container's processes are in it.
    assert read(os.path.join(cpu, container, "cgroup.procs")) != ""

    real_cluster.kubectl("delete", "pod", "limited", "-n", ns, "--wait=true", "--timeout=60s")
    wait_for(lambda: pod_cgroups(uid) == [], timeout=30, message="the pod's cgroups to be removed")
