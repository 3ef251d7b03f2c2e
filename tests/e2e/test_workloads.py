"""StatefulSets and DaemonSets through the real kubectl: pods with stable names, columns,
ControllerRevisions and `rollout history` / `rollout status`. StatefulSet pods run on `skiff up`'s
simulated node; the DaemonSet targets fake Nodes without a kubelet, whose pods `make_pods_ready`
reports ready the way a kubelet would."""
import json

from conftest import kubectl, wait_for
from test_controllers import get_json, pod_names


def make_pods_ready(namespace, selector):
    """Marks every pod `selector` selects Running and Ready, as a kubelet would once its
    containers are ready; returns how many pods are ready. (Replace with a wait for the kubelet
    once one runs.)"""
    ready = 0
    for pod in get_json("pods", "-n", namespace, "-l", selector)["items"]:
        if pod["metadata"].get("deletionTimestamp"):
            continue
        conditions = pod.get("status", {}).get("conditions", [])
        if not any(c["type"] == "Ready" and c["status"] == "True" for c in conditions):
            status = {"status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
            result = kubectl("patch", "pod", pod["metadata"]["name"], "-n", namespace, "--subresource=status",
                             "--type=merge", "-p", json.dumps(status), check=False)
            if result.returncode != 0:
                continue
        ready += 1
    return ready


STATEFUL_SET = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 2
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def roll_out(namespace, kind, name, selector, expected, fake_kubelet=False):
    """Waits until `rollout status` reports the rollout done (making the pods ready when they are
    on fake nodes); returns its output."""
    def done():
        if fake_kubelet:
            make_pods_ready(namespace, selector)
        result = kubectl("rollout", "status", "%s/%s" % (kind, name), "-n", namespace, "--watch=false", check=False)
        return result.stdout if expected in result.stdout else None
    return wait_for(done, timeout=60, interval=0.2, message="%s/%s rolled out" % (kind, name))


def test_stateful_set_rollout(namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=STATEFUL_SET)
    wait_for(lambda: pod_names(namespace, "app=web") == ["web-0", "web-1"], timeout=60, message="web-0 and web-1")
    header = kubectl("get", "sts", "web", "-n", namespace).stdout.splitlines()[0]
    assert header.split() == ["NAME", "READY", "AGE"]
    # OrderedReady: web-1 is created only once the kubelet reports web-0 ready.
    web0, web1 = (get_json("pod", name, "-n", namespace) for name in ("web-0", "web-1"))
    ready_at = next(c["lastTransitionTime"] for c in web0["status"]["conditions"] if c["type"] == "Ready" and c["status"] == "True")
    assert web1["metadata"]["creationTimestamp"] >= ready_at
    assert "data-web-0" in kubectl("get", "pvc", "-n", namespace).stdout

    output = roll_out(namespace, "statefulset", "web", "app=web", "roll out complete")
    assert "partitioned roll out complete: 2 new pods have been updated..." in output
    assert pod_names(namespace, "app=web") == ["web-0", "web-1"]
    assert kubectl("get", "sts", "web", "-n", namespace, "--no-headers").stdout.split()[:2] == ["web", "2/2"]

    kubectl("set", "image", "statefulset/web", "web=nginx:1.28", "-n", namespace)
    roll_out(namespace, "statefulset", "web", "app=web", "roll out complete")
    images = {pod["spec"]["containers"][0]["image"] for pod in get_json("pods", "-n", namespace, "-l", "app=web")["items"]}
    assert images == {"nginx:1.28"}

    history = kubectl("rollout", "history", "statefulset/web", "-n", namespace).stdout.splitlines()
    assert history[0].strip() == "statefulset.apps/web"
    assert history[1].split() == ["REVISION", "CHANGE-CAUSE"]
    assert [line.split()[0] for line in history[2:] if line.strip()] == ["1", "2"]
    detail = kubectl("rollout", "history", "statefulset/web", "-n", namespace, "--revision=1").stdout
    assert "nginx:1.27" in detail

    revisions = kubectl("get", "controllerrevisions", "-n", namespace).stdout.splitlines()
    assert revisions[0].split() == ["NAME", "CONTROLLER", "REVISION", "AGE"]
    assert sorted(line.split()[1:3] for line in revisions[1:]) == [["statefulset.apps/web", "1"], ["statefulset.apps/web", "2"]]

    # Undo applies the first revision's template again: that revision becomes number 3.
    kubectl("rollout", "undo", "statefulset/web", "--to-revision=1", "-n", namespace)
    roll_out(namespace, "statefulset", "web", "app=web", "roll out complete")
    images = {pod["spec"]["containers"][0]["image"] for pod in get_json("pods", "-n", namespace, "-l", "app=web")["items"]}
    assert images == {"nginx:1.27"}
    history = kubectl("rollout", "history", "statefulset/web", "-n", namespace).stdout.splitlines()
    assert [line.split()[0] for line in history[2:] if line.strip()] == ["2", "3"]

    kubectl("scale", "statefulset", "web", "--replicas=0", "-n", namespace)
    wait_for(lambda: pod_names(namespace, "app=web") == [], timeout=30, message="scaled to zero")
    assert "data-web-1" in kubectl("get", "pvc", "-n", namespace).stdout


DAEMON_SET = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {e2e-pool: %(pool)s}
      containers: [{name: agent, image: "agent:1"}]
"""

NODE = """
apiVersion: v1
kind: Node
metadata:
  name: %(name)s
  labels: {e2e-pool: %(pool)s}
"""


def test_daemon_set_rollout(namespace):
    nodes = ["%s-node-a" % namespace, "%s-node-b" % namespace]
    try:
        for node in nodes:
            kubectl("apply", "-f", "-", input=NODE % {"name": node, "pool": namespace})
        kubectl("apply", "-n", namespace, "-f", "-", input=DAEMON_SET % {"pool": namespace})
        wait_for(lambda: len(pod_names(namespace, "app=agent")) == 2, message="a pod per node")
        pods = get_json("pods", "-n", namespace, "-l", "app=agent")["items"]
        targets = sorted(pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                         ["nodeSelectorTerms"][0]["matchFields"][0]["values"][0] for pod in pods)
        assert targets == nodes

        header = kubectl("get", "ds", "-n", namespace, "-o", "wide").stdout.splitlines()[0].split()
        assert header[:8] == ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE", "SELECTOR"]
        wait_for(lambda: kubectl("get", "ds", "agent", "-n", namespace, "--no-headers").stdout.split()[:7]
                 == ["agent", "2", "2", "0", "2", "0", "e2e-pool=%s" % namespace], message="the daemon set's columns")

        output = roll_out(namespace, "daemonset", "agent", "app=agent", "successfully rolled out", fake_kubelet=True)
        assert 'daemon set "agent" successfully rolled out' in output

        kubectl("set", "image", "daemonset/agent", "agent=agent:2", "-n", namespace)
        roll_out(namespace, "daemonset", "agent", "app=agent", "successfully rolled out", fake_kubelet=True)
        images = {pod["spec"]["containers"][0]["image"] for pod in get_json("pods", "-n", namespace, "-l", "app=agent")["items"]
                  if not pod["metadata"].get("deletionTimestamp")}
        assert images == {"agent:2"}
        history = kubectl("rollout", "history", "daemonset/agent", "-n", namespace).stdout.splitlines()
        assert history[0].strip() == "daemonset.apps/agent"
        assert [line.split()[0] for line in history[2:] if line.strip()] == ["1", "2"]

        kubectl("delete", "node", nodes[1])
        wait_for(lambda: len(pod_names(namespace, "app=agent")) == 1, message="the pod of the deleted node gone")
    finally:
        kubectl("delete", "node", *nodes, "--ignore-not-found")
