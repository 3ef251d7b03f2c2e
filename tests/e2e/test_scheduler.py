"""The scheduler `skiff up` runs, seen through the real kubectl: fake Nodes are created from YAML
(no kubelet runs them; the pods select them by label), pods land on them (`kubectl get pods -o wide`), `kubectl describe pod`
shows the Scheduled and FailedScheduling events, and a pending pod is scheduled once a node
with room appears."""
import json
import re

from conftest import kubectl, wait_for

NODE = """
apiVersion: v1
kind: Node
metadata:
  name: {name}
  labels: {{kubernetes.io/hostname: {name}, e2e-scheduler: {group}}}
"""

RESOURCES = {"cpu": "{cpu}", "memory": "8Gi", "pods": "110", "ephemeral-storage": "100Gi"}

REPLICA_SET = """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {{name: web}}
spec:
  replicas: 4
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      nodeSelector: {{e2e-scheduler: {group}}}
      containers: [{{name: web, image: nginx, resources: {{requests: {{cpu: 500m}}}}}}]
"""

HUGE_POD = """
apiVersion: v1
kind: Pod
metadata: {{name: huge}}
spec:
  nodeSelector: {{e2e-scheduler: {group}}}
  containers: [{{name: app, image: nginx, resources: {{requests: {{cpu: "6"}}}}}}]
"""


def create_node(name, group, cpu):
    kubectl("create", "-f", "-", input=NODE.format(name=name, group=group))
    resources = {key: value.format(cpu=cpu) for key, value in RESOURCES.items()}
    status = {"status": {"capacity": resources, "allocatable": resources,
                         "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]}}
    kubectl("patch", "node", name, "--subresource=status", "--type=merge", "-p", json.dumps(status))


def pods_wide(namespace):
    """(name, node) per pod from `kubectl get pods -o wide`."""
    lines = kubectl("get", "pods", "-o", "wide", "-n", namespace).stdout.splitlines()
    if not lines:  # "No resources found" (on stderr) before the ReplicaSet controller's first pod
        return []
    header = lines[0].split()
    node_column = header.index("NODE")
    return [(line.split()[0], line.split()[node_column]) for line in lines[1:]]


def test_pods_are_scheduled_onto_nodes_with_room(namespace):
    group = namespace
    nodes = ["%s-node-%d" % (group, index) for index in range(2)]
    try:
        for name in nodes:
            create_node(name, group, cpu="2")
        kubectl("apply", "-n", namespace, "-f", "-", input=REPLICA_SET.format(group=group))
        placed = wait_for(lambda: (lambda rows: rows if len(rows) == 4 and all(node in nodes for _, node in rows) else None)(
            pods_wide(namespace)), message="four pods on the two nodes")
        # Least-allocated scoring spreads them: two on each node.
        assert sorted(node for _, node in placed) == sorted(nodes * 2)

        pod, node = placed[0]
        description = wait_for(lambda: (lambda text: text if "Scheduled" in text else None)(
            kubectl("describe", "pod", pod, "-n", namespace).stdout), message="the Scheduled event")
        assert re.search(r"Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned %s/%s to %s"
                         % (namespace, pod, node), description), description

        # Both nodes are full (4 × 500m of 2 × 2 cpu): a 6-cpu pod cannot fit.
        kubectl("apply", "-n", namespace, "-f", "-", input=HUGE_POD.format(group=group))
        pattern = (r"Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0/(\d+) nodes are available: "
                   r".*2 Insufficient cpu.*\. preemption: 0/\d+ nodes are available: .*2 No preemption victims found for incoming pod.*\.\.")
        description = wait_for(lambda: (lambda text: text if re.search(pattern, text, re.S) else None)(
            kubectl("describe", "pod", "huge", "-n", namespace).stdout), message="the FailedScheduling event")
        condition = json.loads(kubectl("get", "pod", "huge", "-n", namespace, "-o", "json").stdout)["status"]["conditions"][0]
        assert (condition["type"], condition["status"], condition["reason"]) == ("PodScheduled", "False", "Unschedulable")
        assert "Insufficient cpu" in condition["message"]

        # A node with room appears: the pending pod is scheduled onto it.
        big = "%s-node-big" % group
        nodes.append(big)
        create_node(big, group, cpu="8")
        wait_for(lambda: dict(pods_wide(namespace)).get("huge") == big, timeout=30, message="huge on the new node")
    finally:
        kubectl("delete", "rs", "web", "-n", namespace, "--ignore-not-found")
        kubectl("delete", "pod", "huge", "-n", namespace, "--ignore-not-found", "--grace-period=0", "--force")
        for name in nodes:
            kubectl("delete", "node", name, "--ignore-not-found")
