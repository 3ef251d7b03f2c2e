"""End-to-end: the node running real containers under memory pressure, as upstream's eviction
manager handles it. The cluster is started with a hard threshold no machine meets
(`--eviction-hard memory.available<100Ti`), so the pressure is real and lasting: the node
reports `MemoryPressure`, the node lifecycle controller taints it, a running pod is evicted
(`Failed`, reason `Evicted`, a `DisruptionTarget` condition, a Warning event) and a new
BestEffort pod is turned away. Uses test_runtime's registry (same requirements, same skips).
"""
import json
import os
import shutil
import tempfile

import pytest

from conftest import Cluster, wait_for
from test_probes import busybox_pod, create
from test_runtime import missing, pod_json, registry  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing)),
    pytest.mark.skipif(os.geteuid() != 0, reason="the process runtime needs root"),
]


@pytest.fixture(scope="module")
def pressed_cluster(registry):  # noqa: F811
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-eviction-")
    running = Cluster(data_dir, extra_args=["--runtime", "process", "--eviction-hard", "memory.available<100Ti"]).start()
    yield running
    assert running.stop(timeout=30) == 0, running.log_tail()
    shutil.rmtree(data_dir, ignore_errors=True)


def node(cluster):
    return json.loads(cluster.kubectl("get", "node", "skiff-node-0", "-o", "json").stdout)


def test_the_node_reports_memory_pressure_and_is_tainted(pressed_cluster):
    def pressure():
        conditions = {c["type"]: c for c in node(pressed_cluster)["status"]["conditions"]}
        return conditions["MemoryPressure"] if conditions["MemoryPressure"]["status"] == "True" else None
    condition = wait_for(pressure, timeout=30, interval=0.5, message="MemoryPressure=True")
    assert condition["reason"] == "KubeletHasInsufficientMemory"
    assert condition["message"] == "kubelet has insufficient memory available"
    wait_for(lambda: any(t["key"] == "node.kubernetes.io/memory-pressure" and t["effect"] == "NoSchedule"
                         for t in node(pressed_cluster)["spec"].get("taints", [])), timeout=30, message="the memory-pressure taint")
    wait_for(lambda: "NodeHasInsufficientMemory" in pressed_cluster.kubectl("describe", "node", "skiff-node-0").stdout,
             message="the NodeHasInsufficientMemory event")
    # The hard threshold comes off the allocatable memory (here: all of it).
    assert node(pressed_cluster)["status"]["allocatable"]["memory"] == "0"


def test_a_running_pod_is_evicted(pressed_cluster, registry):  # noqa: F811
    pressed_cluster.create_namespace("evict")
    # Burstable (it requests CPU, no memory: the allocatable memory left is 0), so admitted.
    pod = busybox_pod(registry, "victim", "sleep 3600", resources={"requests": {"cpu": "10m"}})
    # Bound past the scheduler, which the taint keeps away: only the kubelet decides.
    pod["spec"]["nodeName"] = "skiff-node-0"
    create(pressed_cluster, "evict", pod)
    wait_for(lambda: pod_json(pressed_cluster, "evict", "victim", "{.status.reason}") == "Evicted", timeout=60, interval=0.5,
             message="the pod evicted")
    status = json.loads(pressed_cluster.kubectl("get", "pod", "victim", "-n", "evict", "-o", "json").stdout)["status"]
    assert status["phase"] == "Failed"
    assert status["message"].startswith("The node was low on resource: memory. Threshold quantity: 100Ti, available: "), status
    disruption = [c for c in status["conditions"] if c["type"] == "DisruptionTarget"]
    assert disruption and disruption[0]["reason"] == "TerminationByKubelet" and disruption[0]["status"] == "True"
    assert status["containerStatuses"][0]["state"].get("terminated"), status
    wait_for(lambda: any(e["reason"] == "Evicted" and e["type"] == "Warning" and e["message"] == status["message"]
                         for e in json.loads(pressed_cluster.kubectl("get", "events", "-n", "evict", "-o", "json").stdout)["items"]),
             message="the Evicted event")


def test_a_new_best_effort_pod_is_turned_away(pressed_cluster, registry):  # noqa: F811
    pressed_cluster.create_namespace("besteffort")
    pod = busybox_pod(registry, "late", "sleep 3600")
    pod["spec"]["nodeName"] = "skiff-node-0"
    create(pressed_cluster, "besteffort", pod)
    wait_for(lambda: pod_json(pressed_cluster, "besteffort", "late", "{.status.phase}") == "Failed", timeout=30, interval=0.5,
             message="the pod rejected")
    assert pod_json(pressed_cluster, "besteffort", "late", "{.status.reason}") == "Evicted"
    assert pod_json(pressed_cluster, "besteffort", "late", "{.status.message}") == \
        "Pod was rejected: The node had condition: [MemoryPressure]. "
