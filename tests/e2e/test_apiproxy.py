"""End-to-end: the API proxies and kubectl's port-forward on the process runtime (runc), against a
busybox httpd pod behind a Service: `services/proxy`, `pods/proxy` and `nodes/proxy` through
`kubectl get --raw`, `kubectl proxy`, `kubectl cluster-info`, and `kubectl port-forward` to a pod
and to a service (SPDY tunnelled in a WebSocket, and on a plain SPDY upgrade), two connections
at once. Uses test_runtime's registry and cluster (same requirements, same skips) and
test_probes' pod helpers.
"""
import json
import re
import socket
import urllib.request

import pytest

from conftest import LineReader, wait_for
from test_probes import busybox_pod, create, needs_cni, read_to_end, ready
from test_runtime import ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)
from test_runtime import pytestmark as runtime_requirements

SERVE = "mkdir -p /www && echo hello from $HOSTNAME > /www/index.html && httpd -f -p 8080 -h /www"
pytestmark = runtime_requirements + [needs_cni]


@pytest.fixture
def web(real_cluster, registry, ns):  # noqa: F811
    """Pod `web` serving its name on 8080 behind Service `web` (port 80, named `http`)."""
    pod = busybox_pod(registry, "web", SERVE, readinessProbe={"tcpSocket": {"port": 8080}, "periodSeconds": 1},
                      ports=[{"containerPort": 8080}])
    pod["metadata"]["labels"] = {"app": "web"}
    create(real_cluster, ns, pod)
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
               "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}
    create(real_cluster, ns, service)
    wait_for(lambda: ready(real_cluster, ns, "web") == "True", timeout=60, interval=0.2, message="the pod to be ready")
    wait_for(lambda: real_cluster.kubectl("get", "endpoints", "web", "-n", ns, "-o", "jsonpath={.subsets[0].addresses[0].ip}",
                                        check=False).stdout != "",
             timeout=30, interval=0.2, message="a ready endpoint")
    return "web"


def raw(cluster, path, check=True):
    return cluster.kubectl("get", "--raw", path, check=check)


def test_service_pod_and_node_proxies(real_cluster, ns, web):  # noqa: F811
    assert raw(real_cluster, "/api/v1/namespaces/%s/services/web:80/proxy/" % ns).stdout == "hello from web\n"
    assert raw(real_cluster, "/api/v1/namespaces/%s/services/http:web:http/proxy/index.html" % ns).stdout == "hello from web\n"
    assert raw(real_cluster, "/api/v1/namespaces/%s/pods/web/proxy/" % ns).stdout == "hello from web\n"
    assert raw(real_cluster, "/api/v1/namespaces/%s/pods/web:8080/proxy/" % ns).stdout == "hello from web\n"
    node = pod_json(real_cluster, ns, "web", "{.spec.nodeName}")
    assert raw(real_cluster, "/api/v1/nodes/%s/proxy/healthz" % node).stdout == "ok"
    pods = json.loads(raw(real_cluster, "/api/v1/nodes/%s/proxy/pods" % node).stdout)
    assert pods["kind"] == "PodList" and "web" in [item["metadata"]["name"] for item in pods["items"]]
    empty = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "empty"},
             "spec": {"selector": {"app": "nothing"}, "ports": [{"port": 80}]}}
    create(real_cluster, ns, empty)
    # Once the endpoints controller wrote the service's (empty) Endpoints: upstream's 503.
    message = 'Error from server (ServiceUnavailable): no endpoints available for service "empty"'
    wait_for(lambda: message in raw(real_cluster, "/api/v1/namespaces/%s/services/empty:80/proxy/" % ns, check=False).stderr,
             timeout=20, interval=0.3, message="the no-endpoints error")


def test_kubectl_proxy_and_cluster_info(real_cluster, ns, web):  # noqa: F811
    proxy = real_cluster.popen_kubectl("proxy", "--port=0")
    lines = LineReader(proxy)
    try:
        lines.wait_for(lambda seen: any("Starting to serve on" in line for line in seen), message="kubectl proxy to start")
        port = int(next(line for line in lines.snapshot() if "Starting to serve on" in line).rsplit(":", 1)[1])
        url = "http://127.0.0.1:%d/api/v1/namespaces/%s/services/web:80/proxy/" % (port, ns)
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == b"hello from web\n"
    finally:
        lines.close()
    # A cluster service in kube-system whose endpoints are the pod: cluster-info lists its proxy URL.
    pod_ip = pod_json(real_cluster, ns, "web", "{.status.podIP}")
    info = {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web-info", "labels": {"kubernetes.io/cluster-service": "true"}},
            "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}
    endpoints = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web-info"},
                 "subsets": [{"addresses": [{"ip": pod_ip}], "ports": [{"name": "http", "port": 8080}]}]}
    try:
        create(real_cluster, "kube-system", info)
        create(real_cluster, "kube-system", endpoints)
        printed = re.sub(r"\x1b\[[0-9;]*m", "", real_cluster.kubectl("cluster-info").stdout)
        link = re.search(r"web-info is running at (\S+)", printed)
        assert link, printed
        assert link.group(1).endswith("/api/v1/namespaces/kube-system/services/web-info:http/proxy"), printed
        path = link.group(1).split("://", 1)[1].split("/", 1)[1]
        assert raw(real_cluster, "/" + path + "/").stdout == "hello from web\n"
    finally:
        real_cluster.kubectl("delete", "service,endpoints", "web-info", "-n", "kube-system", "--ignore-not-found")


def fetch_through(port):
    """Opens a connection to the forwarded local port; returns it with the request sent."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    connection.sendall(b"GET / HTTP/1.0\r\n\r\n")
    return connection


@pytest.mark.parametrize("target,ports,websockets", [("pod/web", "0:8080", True), ("svc/web", "0:80", True), ("pod/web", "0:8080", False)],
                         ids=["pod", "service", "pod-spdy-upgrade"])
def test_kubectl_port_forward(real_cluster, ns, web, target, ports, websockets, monkeypatch):  # noqa: F811
    if not websockets:
        # kubectl's fallback: SPDY on a plain `Upgrade: SPDY/3.1` connection instead of the WebSocket tunnel.
        monkeypatch.setenv("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false")
    forward = real_cluster.popen_kubectl("port-forward", "-n", ns, target, ports)
    lines = LineReader(forward)
    try:
        lines.wait_for(lambda seen: any(line.startswith("Forwarding from 127.0.0.1:") for line in seen), message="the forward")
        local = int(re.search(r"127\.0\.0\.1:(\d+)", next(line for line in lines.snapshot() if line.startswith("Forwarding from 127.0.0.1:"))).group(1))
        # Two connections at once through the one forward.
        first, second = fetch_through(local), fetch_through(local)
        for connection in (second, first):
            received = read_to_end(connection)
            assert received.startswith(b"HTTP/1.") and received.endswith(b"hello from web\n"), received
        assert read_to_end(fetch_through(local)).endswith(b"hello from web\n")
    finally:
        stderr = lines.close()
    assert "error" not in stderr.lower(), stderr
