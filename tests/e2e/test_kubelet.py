"""Simulated kubelets in `skiff up --nodes 3`, seen through the real kubectl: three Ready nodes
with kubectl's columns, `describe node`, pods bound with `nodeName` run with an IP on their
node, a pod bound to a node without room for it is rejected by that node's kubelet (`OutOfcpu`),
`kubectl delete pod` completes (the kubelet stops the pod and deletes it for good); and when a
node's kubelet dies, its pods are evicted and replaced on the live node."""
import json
import re
import subprocess

from conftest import SKIFF, wait_for

POD = """
apiVersion: v1
kind: Pod
metadata: {name: %(name)s}
spec:
  nodeName: %(node)s
  containers: [{name: web, image: nginx}]
"""


def test_three_nodes_run_pods(scratch_cluster):
    cluster = scratch_cluster
    cluster.extra_args = ["--nodes", "3"]
    cluster.start()

    def ready_nodes():
        lines = cluster.kubectl("get", "nodes", "--no-headers").stdout.strip().splitlines()
        rows = [line.split() for line in lines]
        return rows if len(rows) == 3 and all(row[1] == "Ready" for row in rows) else None

    rows = wait_for(ready_nodes, timeout=30, message="three Ready nodes")
    assert [row[0] for row in rows] == ["skiff-node-0", "skiff-node-1", "skiff-node-2"]
    assert all(row[2] == "<none>" and row[4] == "v1.32.0" for row in rows)
    header = cluster.kubectl("get", "nodes", "-o", "wide").stdout.splitlines()[0].split()
    assert header[:5] == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"] and "INTERNAL-IP" in header

    described = cluster.kubectl("describe", "node", "skiff-node-1").stdout
    for text in ["kubernetes.io/hostname=skiff-node-1", "KubeletReady", "kubelet is posting ready status",
                 "KubeletHasSufficientMemory", "PodCIDR:", "InternalIP:", "Kubelet Version:", "v1.32.0",
                 "Container Runtime Version:", "containerd://", "Capacity:", "pods:"]:
        assert text in described, "%r not in describe output:\n%s" % (text, described)
    lease = json.loads(cluster.kubectl("get", "lease", "-n", "kube-node-lease", "skiff-node-1", "-o", "json").stdout)
    assert lease["spec"]["holderIdentity"] == "skiff-node-1" and lease["spec"]["leaseDurationSeconds"] == 40

    for index in range(3):
        cluster.kubectl("apply", "-f", "-", input=POD % {"name": "web-%d" % index, "node": "skiff-node-%d" % index})

    def running_pods():
        lines = cluster.kubectl("get", "pods", "-o", "wide", "--no-headers").stdout.strip().splitlines()
        rows = [line.split() for line in lines]
        return rows if len(rows) == 3 and all(row[1] == "1/1" and row[2] == "Running" for row in rows) else None

    rows = wait_for(running_pods, timeout=30, message="three running pods")
    by_name = {row[0]: row for row in rows}
    for index in range(3):
        row = by_name["web-%d" % index]
        assert row[6] == "skiff-node-%d" % index
        assert row[5].startswith("10.1")  # from the node's pod CIDR in 10.128.0.0/10
    assert len({row[5] for row in rows}) == 3

    described = cluster.kubectl("describe", "pod", "web-0").stdout
    assert re.search(r"^Status:\s+Running$", described, re.M), described
    assert re.search(r"^\s+Ready\s+True\s*$", described, re.M), described
    assert re.search(r"^IP:\s+10\.", described, re.M), described

    # Bound past the scheduler to a node without room (a simulated node offers 32 CPUs): its
    # kubelet turns it away as upstream's does, and kubectl shows the reason as the status.
    cluster.kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hungry"},
        "spec": {"nodeName": "skiff-node-1", "restartPolicy": "Never",
                 "containers": [{"name": "web", "image": "nginx", "resources": {"requests": {"cpu": "40"}}}]}}))
    row = wait_for(lambda: (lambda r: r if len(r) > 2 and r[2] == "OutOfcpu" else None)(
        cluster.kubectl("get", "pod", "hungry", "--no-headers").stdout.split()), timeout=30, message="hungry rejected")
    assert row[1] == "0/1", row
    wanted = ["Status:           Failed", "Reason:           OutOfcpu",
              "Message:          Pod was rejected: Node didn't have enough resource: cpu, requested: 40000, used: 0, capacity: 32000",
              "Warning  OutOfcpu"]
    wait_for(lambda: all(text in cluster.kubectl("describe", "pod", "hungry").stdout for text in wanted), message="describe shows the rejection")

    cluster.kubectl("delete", "pod", "web-0", "--timeout=30s")
    result = cluster.kubectl("get", "pod", "web-0", check=False)
    assert result.returncode != 0 and "NotFound" in result.stderr
    assert cluster.stop() == 0


DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      # Leave an unreachable node after 2 s rather than the default 300 s, so the test is short.
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      containers: [{name: web, image: nginx}]
"""


def test_pods_of_a_silent_node_are_replaced_elsewhere(scratch_cluster):
    """A node whose kubelet dies stops renewing its Lease: after the grace period (40 s) the node
    lifecycle controller marks it Unknown and taints it unreachable, taint eviction deletes its pods
    once their toleration ends, and the Deployment's replacements are scheduled on the live node."""
    cluster = scratch_cluster
    cluster.start()
    far = subprocess.Popen([SKIFF, "kubelet", "--kubeconfig", cluster.kubeconfig, "--node-name", "e2e-far"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: "Ready" == (cluster.kubectl("get", "node", "e2e-far", "--no-headers", check=False).stdout.split() or ["", ""])[1],
                 timeout=30, message="e2e-far Ready")
        # Every pod on the far node first: the local one is cordoned while the Deployment starts.
        cluster.kubectl("cordon", "skiff-node-0")
        cluster.kubectl("apply", "-f", "-", input=DEPLOYMENT)
        cluster.kubectl("rollout", "status", "deployment/web", "--timeout=60s")
        assert {pod["spec"]["nodeName"] for pod in pods(cluster)} == {"e2e-far"}
        cluster.kubectl("uncordon", "skiff-node-0")

        far.kill()
        far.wait()
        wait_for(lambda: "Unknown" in cluster.kubectl("get", "node", "e2e-far", "-o",
                                                       "jsonpath={.status.conditions[?(@.type=='Ready')].status}").stdout,
                 timeout=90, interval=1, message="e2e-far Ready=Unknown")
        taints = json.loads(cluster.kubectl("get", "node", "e2e-far", "-o", "jsonpath={.spec.taints}").stdout)
        assert {(t["key"], t["effect"]) for t in taints} >= {("node.kubernetes.io/unreachable", "NoExecute"),
                                                             ("node.kubernetes.io/unreachable", "NoSchedule")}

        def replaced():
            live = [pod for pod in pods(cluster) if not pod["metadata"].get("deletionTimestamp")]
            ready = [pod for pod in live if pod["spec"].get("nodeName") == "skiff-node-0"
                     and pod.get("status", {}).get("phase") == "Running"]
            return len(live) == 3 and len(ready) == 3
        wait_for(replaced, timeout=60, interval=1, message="three replacement pods running on skiff-node-0")
        described = cluster.kubectl("describe", "node", "e2e-far").stdout
        assert "NodeStatusUnknown" in described and "Kubelet stopped posting node status." in described, described
    finally:
        if far.poll() is None:
            far.kill()
    assert cluster.stop() == 0


def pods(cluster):
    return json.loads(cluster.kubectl("get", "pods", "-l", "app=web", "-o", "json").stdout)["items"]


def test_graceful_deletion_ends_with_a_terminal_status(cluster, namespace):
    """Upstream's kubelet writes a deleted pod's final status before it deletes the pod: its
    containers terminated, Ready and ContainersReady false, a terminal phase. Clients waiting for
    Ready=False (or watching for the pod's end) see it."""
    cluster.kubectl("-n", namespace, "run", "doomed", "--image=nginx")
    cluster.kubectl("-n", namespace, "wait", "--for=condition=Ready", "pod/doomed", "--timeout=60s")
    url = "%s/api/v1/namespaces/%s/pods" % (cluster.server, namespace)
    listed = cluster.requests_session().get(url, timeout=30).json()
    watch = cluster.requests_session().get(url, params={"watch": "1", "resourceVersion": listed["metadata"]["resourceVersion"],
                                                        "timeoutSeconds": "60"}, stream=True, timeout=90)
    cluster.kubectl("-n", namespace, "delete", "pod", "doomed", "--wait=false")
    events = []
    for line in watch.iter_lines():
        if line:
            events.append(json.loads(line))
            if events[-1]["type"] == "DELETED":
                break
    watch.close()
    assert events and events[-1]["type"] == "DELETED", [event["type"] for event in events]
    final = events[-1]["object"]["status"]
    assert final["phase"] == "Failed", final  # stopped by SIGTERM: exit code 143, not every container succeeded
    conditions = {condition["type"]: condition for condition in final["conditions"]}
    assert conditions["Ready"]["status"] == "False" and conditions["Ready"]["reason"] == "PodFailed", conditions
    assert conditions["ContainersReady"]["status"] == "False", conditions
    [container] = final["containerStatuses"]
    assert container["ready"] is False
    assert container["state"]["terminated"]["exitCode"] == 143 and container["state"]["terminated"]["reason"] == "Error", container
    # That status was written (a MODIFIED event) before the pod went.
    terminal = [event for event in events[:-1] if event["type"] == "MODIFIED" and event["object"]["status"].get("phase") == "Failed"]
    assert terminal, [(event["type"], event["object"]["status"].get("phase")) for event in events]
