"""PodDisruptionBudgets with the real kubectl: the disruption controller's status in `kubectl get
pdb`, and `kubectl drain` of a simulated node evicting through `pods/eviction`, refused while the
budget allows no disruption (upstream's 429 message) and done once the evicted pod's replacement
runs on the other node."""
import json

from conftest import wait_for

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: web, image: nginx}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
"""


def pods(cluster):
    return json.loads(cluster.kubectl("get", "pods", "-l", "app=web", "-o", "json").stdout)["items"]


def test_drain_waits_for_the_budget(scratch_cluster):
    cluster = scratch_cluster
    cluster.extra_args = ["--nodes", "2"]
    cluster.start()
    # Both pods on the first node: the second is cordoned while the Deployment starts.
    wait_for(lambda: len(cluster.kubectl("get", "nodes", "--no-headers").stdout.strip().splitlines()) == 2,
             timeout=30, message="two nodes")
    cluster.kubectl("cordon", "skiff-node-1")
    cluster.kubectl("apply", "-f", "-", input=DEPLOYMENT)
    cluster.kubectl("rollout", "status", "deployment/web", "--timeout=60s")
    assert {pod["spec"]["nodeName"] for pod in pods(cluster)} == {"skiff-node-0"}
    cluster.kubectl("uncordon", "skiff-node-1")

    def budget_row():
        return cluster.kubectl("get", "pdb", "web", "--no-headers").stdout.split()
    wait_for(lambda: budget_row()[:4] == ["web", "1", "N/A", "1"], timeout=30, message="one disruption allowed")
    status = json.loads(cluster.kubectl("get", "pdb", "web", "-o", "json").stdout)["status"]
    assert (status["currentHealthy"], status["desiredHealthy"], status["expectedPods"]) == (2, 1, 2)
    assert status["conditions"][0]["type"] == "DisruptionAllowed" and status["conditions"][0]["reason"] == "SufficientPods"

    drained = cluster.kubectl("drain", "skiff-node-0", "--ignore-daemonsets", "--timeout=120s")
    output = drained.stdout + drained.stderr
    # The second eviction is refused until the first pod's replacement is ready elsewhere.
    assert "Cannot evict pod as it would violate the pod's disruption budget." in output, output
    assert "node/skiff-node-0 drained" in output, output
    wait_for(lambda: {pod["spec"].get("nodeName") for pod in pods(cluster)
                      if not pod["metadata"].get("deletionTimestamp")} == {"skiff-node-1"},
             timeout=60, message="both pods on skiff-node-1")
    wait_for(lambda: budget_row()[:4] == ["web", "1", "N/A", "1"], timeout=60, message="the budget healthy again")
    assert cluster.stop() == 0


def test_eviction_of_a_pod_without_budget_and_dry_run(cluster, namespace):
    cluster.kubectl("run", "solo", "--image=nginx", "-n", namespace)
    wait_for(lambda: cluster.kubectl("get", "pod", "solo", "-n", namespace, "-o", "jsonpath={.status.phase}").stdout == "Running",
             timeout=30, message="solo running")
    client = cluster.api_client()
    from kubernetes import client as k8s
    core = k8s.CoreV1Api(client)
    body = k8s.V1Eviction(metadata=k8s.V1ObjectMeta(name="solo", namespace=namespace))
    core.create_namespaced_pod_eviction("solo", namespace, body, dry_run="All")
    assert cluster.kubectl("get", "pod", "solo", "-n", namespace, "-o", "jsonpath={.metadata.deletionTimestamp}").stdout == ""
    core.create_namespaced_pod_eviction("solo", namespace, body)
    wait_for(lambda: cluster.kubectl("get", "pod", "solo", "-n", namespace, "--ignore-not-found").stdout.strip() == "",
             timeout=60, message="solo evicted")
