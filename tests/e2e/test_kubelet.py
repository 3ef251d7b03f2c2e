"""Simulated kubelets in `skiff up --nodes 3`, seen through the real kubectl: three Ready nodes
with kubectl's columns, `describe node`, pods bound with `nodeName` run with an IP on their
node, `kubectl delete pod` completes (the kubelet stops the pod and deletes it for good)."""
import json
import re

from conftest import wait_for

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

    cluster.kubectl("delete", "pod", "web-0", "--timeout=30s")
    result = cluster.kubectl("get", "pod", "web-0", check=False)
    assert result.returncode != 0 and "NotFound" in result.stderr
    assert cluster.stop() == 0
