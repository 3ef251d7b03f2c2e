"""Endpoints and EndpointSlices of services through the real kubectl: a service over pods on a fake
node without a kubelet, made ready by hand, `kubectl get endpoints`/`endpointslices` columns and
the Endpoints line of `kubectl describe svc`; a NoExecute taint evicting a pod; and the events
`kubectl describe` shows."""
import json
import uuid
from datetime import datetime, timezone

from conftest import kubectl, wait_for
from test_controllers import REPLICA_SET

POD = """
apiVersion: v1
kind: Pod
metadata: {name: %(name)s, labels: {app: web}}
spec:
  nodeName: %(node)s
  containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
"""


def make_pods_ready(namespace, ips, ready=True):
    """Reports each pod (name -> IP) running at its IP with a Ready condition, as a kubelet would."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name, ip in ips.items():
        status = {"status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
                             "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                             "lastTransitionTime": now}]}}
        kubectl("patch", "pod", name, "-n", namespace, "--subresource=status", "--type=merge", "-p", json.dumps(status))


def create_node():
    name = "node-" + uuid.uuid4().hex[:8]
    node = {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"topology.kubernetes.io/zone": "zone-a"}}}
    kubectl("apply", "-f", "-", input=json.dumps(node))
    return name


def rows(*args):
    """The rows of a kubectl table, split into columns."""
    return [line.split() for line in kubectl("get", *args).stdout.splitlines()]


def test_service_endpoints_and_slices(namespace):
    node = create_node()
    try:
        for name in ("web-a", "web-b"):
            kubectl("apply", "-n", namespace, "-f", "-", input=POD % {"name": name, "node": node})
        make_pods_ready(namespace, {"web-a": "10.9.0.1", "web-b": "10.9.0.2"})
        kubectl("create", "service", "clusterip", "web", "--tcp=80:http", "-n", namespace)
        # The endpoints controller writes the Endpoints a moment after the service exists.
        wait_for(lambda: kubectl("get", "endpoints", "web", "-n", namespace, check=False).returncode == 0, message="the endpoints")

        wait_for(lambda: rows("endpoints", "web", "-n", namespace)[1][1] == "10.9.0.1:8080,10.9.0.2:8080",
                 message="both pods in the endpoints")
        assert rows("endpoints", "web", "-n", namespace)[0] == ["NAME", "ENDPOINTS", "AGE"]
        describe = kubectl("describe", "svc", "web", "-n", namespace).stdout
        assert any(line.split() == ["Endpoints:", "10.9.0.1:8080,10.9.0.2:8080"] for line in describe.splitlines()), describe

        slices = wait_for(lambda: (lambda r: r if len(r) == 2 and r[1][3] == "10.9.0.1,10.9.0.2" else None)(
            rows("endpointslices", "-n", namespace, "-l", "kubernetes.io/service-name=web")), message="the slice")
        assert slices[0] == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
        assert slices[1][0].startswith("web-") and slices[1][1:3] == ["IPv4", "8080"]
        endpoint_slice = json.loads(kubectl("get", "endpointslices", slices[1][0], "-n", namespace, "-o", "json").stdout)
        assert endpoint_slice["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"
        assert {e["zone"] for e in endpoint_slice["endpoints"]} == {"zone-a"}

        # A pod that stops being ready moves to notReadyAddresses; ENDPOINTS lists ready ones only.
        make_pods_ready(namespace, {"web-b": "10.9.0.2"}, ready=False)
        wait_for(lambda: rows("endpoints", "web", "-n", namespace)[1][1] == "10.9.0.1:8080", message="web-b not ready")
        endpoints = json.loads(kubectl("get", "endpoints", "web", "-n", namespace, "-o", "json").stdout)
        assert [a["ip"] for a in endpoints["subsets"][0]["notReadyAddresses"]] == ["10.9.0.2"]
        assert endpoints["subsets"][0]["notReadyAddresses"][0]["targetRef"]["name"] == "web-b"
    finally:
        kubectl("delete", "node", node, "--wait=false")


def test_describe_shows_controller_events(namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=REPLICA_SET)
    describe = wait_for(lambda: (lambda out: out if "SuccessfulCreate" in out else None)(
        kubectl("describe", "rs", "web", "-n", namespace).stdout), message="the event in describe")
    assert "Created pod: web-" in describe


def test_no_execute_taint_evicts_intolerant_pod(namespace):
    node = create_node()
    try:
        kubectl("apply", "-n", namespace, "-f", "-", input=POD % {"name": "victim", "node": node})
        kubectl("taint", "nodes", node, "example.com/broken=:NoExecute")

        def pod():
            return json.loads(kubectl("get", "pod", "victim", "-n", namespace, "-o", "json").stdout)

        # Bound to a node, the pod terminates gracefully (30 s), and no kubelet finishes it here.
        wait_for(lambda: pod()["metadata"].get("deletionTimestamp"), message="the pod evicted")
        assert any(c["type"] == "DisruptionTarget" and c["reason"] == "DeletionByTaintManager"
                   for c in pod()["status"]["conditions"])
        wait_for(lambda: (lambda d: "TaintManagerEviction" in d and "Marking for deletion Pod %s/victim" % namespace in d)(
            kubectl("describe", "pod", "victim", "-n", namespace).stdout), message="the TaintManagerEviction event")
        # The node lifecycle controller's first pass over the node (every 5 s) registers it.
        wait_for(lambda: "Registered Node %s in Controller" % node in kubectl("describe", "node", node).stdout,
                 message="RegisteredNode in kubectl describe node")
    finally:
        kubectl("delete", "node", node, "--wait=false")
