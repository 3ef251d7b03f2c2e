"""Scheduler preemption with PriorityClasses, through the real kubectl, on a cluster of its own
with one simulated node that the tests fill with CPU requests sized from its allocatable CPU:
a pod of a higher class evicts a lower one (the victim is deleted with a `Preempted` event, the
preemptor is nominated to the node and runs there), a `preemptionPolicy: Never` pod stays
Pending with upstream's message, and of two possible victims the one a PodDisruptionBudget
protects is spared although it started later."""
import json

import pytest

from conftest import wait_for

NODE = "skiff-node-0"

CLASSES = """
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: e2e-low}
value: 100
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: e2e-high}
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: e2e-high-never}
value: 2000
preemptionPolicy: Never
"""

POD = """
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: {app}}}
spec:
  priorityClassName: {priority_class}
  terminationGracePeriodSeconds: 0
  containers: [{{name: app, image: nginx, resources: {{requests: {{cpu: {cpu}m}}}}}}]
"""

BUDGET = """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: protected}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: protected}}
"""


@pytest.fixture
def cluster(scratch_cluster):
    """A cluster of the test's own (its node's room is the test's to fill), with the classes."""
    scratch_cluster.start()
    wait_for(lambda: scratch_cluster.kubectl("get", "node", NODE, check=False).returncode == 0, timeout=30, message="the node")
    scratch_cluster.kubectl("apply", "-f", "-", input=CLASSES)
    return scratch_cluster


def millicores(quantity):
    return int(quantity[:-1]) if quantity.endswith("m") else int(float(quantity) * 1000)


def free_cpu(cluster):
    """The node's allocatable CPU less what its pods request, in millicores."""
    node = json.loads(cluster.kubectl("get", "node", NODE, "-o", "json").stdout)
    pods = json.loads(cluster.kubectl("get", "pods", "-A", "--field-selector", "spec.nodeName=" + NODE, "-o", "json").stdout)
    used = sum(millicores(container.get("resources", {}).get("requests", {}).get("cpu", "0"))
               for pod in pods["items"] if pod["status"].get("phase") not in ("Succeeded", "Failed")
               for container in pod["spec"]["containers"])
    return millicores(node["status"]["allocatable"]["cpu"]) - used


def create_pod(cluster, name, priority_class, cpu, app="e2e"):
    cluster.kubectl("apply", "-f", "-", input=POD.format(name=name, app=app, priority_class=priority_class, cpu=cpu))


def pod(cluster, name):
    result = cluster.kubectl("get", "pod", name, "-o", "json", check=False)
    return json.loads(result.stdout) if result.returncode == 0 else None


def wait_running(cluster, name):
    wait_for(lambda: (pod(cluster, name) or {}).get("status", {}).get("phase") == "Running", timeout=60,
             message="%s to run" % name)


def wait_gone(cluster, name):
    wait_for(lambda: pod(cluster, name) is None, timeout=60, message="%s to be deleted" % name)


def events(cluster, name):
    listed = cluster.kubectl("get", "events", "--field-selector", "involvedObject.name=" + name, "-o", "json").stdout
    return [(event["reason"], event["message"]) for event in json.loads(listed)["items"]]


def test_a_higher_priority_pod_preempts_and_never_does_not(cluster):
    share = free_cpu(cluster) * 6 // 10
    create_pod(cluster, "victim", "e2e-low", share)
    wait_running(cluster, "victim")
    assert pod(cluster, "victim")["spec"]["priority"] == 100

    create_pod(cluster, "preemptor", "e2e-high", share)
    wait_gone(cluster, "victim")
    wait_running(cluster, "preemptor")
    preemptor = pod(cluster, "preemptor")
    assert preemptor["spec"]["nodeName"] == NODE
    assert preemptor["status"].get("nominatedNodeName") == NODE
    expected = ("Preempted", "Preempted by pod %s on node %s" % (preemptor["metadata"]["uid"], NODE))
    wait_for(lambda: expected in events(cluster, "victim"), message="the Preempted event")

    # A pod of a higher class that may not preempt waits, with upstream's reason.
    create_pod(cluster, "polite", "e2e-high-never", share)
    message = "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.."
    wait_for(lambda: ("FailedScheduling", message) in events(cluster, "polite"), message="the FailedScheduling event")
    assert pod(cluster, "polite")["status"]["phase"] == "Pending"
    assert pod(cluster, "preemptor")["status"]["phase"] == "Running"
    described = cluster.kubectl("describe", "pod", "polite").stdout
    assert "preemptionPolicy=Never" in described, described


def test_a_victim_protected_by_a_budget_is_spared(cluster):
    share = free_cpu(cluster) * 45 // 100
    # Started first, hence the more important of two equal victims: without the budget the
    # protected pod, started later, would be the one evicted.
    create_pod(cluster, "unprotected", "e2e-low", share, app="plain")
    wait_running(cluster, "unprotected")
    create_pod(cluster, "protected", "e2e-low", share, app="protected")
    wait_running(cluster, "protected")
    cluster.kubectl("apply", "-f", "-", input=BUDGET)

    def budget_status():
        return json.loads(cluster.kubectl("get", "pdb", "protected", "-o", "json").stdout).get("status", {})
    wait_for(lambda: budget_status().get("currentHealthy") == 1 and budget_status().get("disruptionsAllowed") == 0,
             timeout=30, message="the budget to allow no disruption")

    create_pod(cluster, "preemptor", "e2e-high", share)
    wait_gone(cluster, "unprotected")
    wait_running(cluster, "preemptor")
    assert pod(cluster, "protected")["status"]["phase"] == "Running"
