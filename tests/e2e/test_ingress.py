"""End-to-end: the built-in ingress controller `skiff up` runs with the process runtime (IngressClass
`skiff`, HTTP on `--ingress-http-port`): an Ingress with two paths reaches two Services from the host
by its Host header, an unknown host is 404, a Service without endpoints is 503, and the Ingress's
status carries the node's address.

Uses test_runtime's registry and image and test_proxy's requirements (the pods' network).
"""
import json
import shutil
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from conftest import Cluster, free_port, wait_for
from test_proxy import apply, pytestmark, ready_endpoints, service  # noqa: F401 (skip rules)
from test_runtime import missing, pod_json, registry  # noqa: F401 (fixtures)

# Every pod answers its name on /, /a/ and /b/.
SERVE = ("mkdir -p /www/a /www/b && for d in /www /www/a /www/b; do echo $HOSTNAME > $d/index.html; done"
         " && httpd -f -p 8080 -h /www")


@pytest.fixture(scope="module")
def cluster(registry):  # noqa: F811
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-ingress-")
    port = free_port()
    running = Cluster(data_dir, extra_args=["--runtime", "process", "--ingress-http-port", str(port)]).start()
    running.ingress_port = port
    yield running
    code = running.stop(timeout=30)
    assert code == 0, running.log_tail()
    shutil.rmtree(data_dir, ignore_errors=True)


def get(cluster, host, path):
    """(status, body) of GET path on the ingress port with `Host: host`."""
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (cluster.ingress_port, path), headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode().strip()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode().strip()
    except OSError:
        return None, None


def web_pod(registry, name, app):  # noqa: F811
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": app}},
            "spec": {"containers": [{"name": "main", "image": registry, "command": ["sh", "-c", SERVE]}],
                     "terminationGracePeriodSeconds": 1}}


def ingress_path(path, backend):
    return {"path": path, "pathType": "Prefix", "backend": {"service": {"name": backend, "port": {"number": 80}}}}


def test_an_ingress_routes_hosts_and_paths_to_services(cluster, registry):  # noqa: F811
    ns = "ingress-%d" % int(time.time() * 1000 % 1e9)
    cluster.create_namespace(ns)
    ingress_class = json.loads(cluster.kubectl("get", "ingressclass", "skiff", "-o", "json").stdout)
    assert ingress_class["spec"]["controller"] == "skiff.dev/ingress"
    assert ingress_class["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"] == "true"

    apply(cluster, ns, web_pod(registry, "pod-a", "a"), web_pod(registry, "pod-b", "b"), service("svc-a", app="a"), service("svc-b", app="b"),
          service("nobody", app="nobody"))
    for name in ("svc-a", "svc-b"):
        wait_for(lambda: len(ready_endpoints(cluster, ns, name)) == 1, timeout=90, interval=0.5, message=name + " to have an endpoint")
    # No ingressClassName: the default class's controller serves it.
    apply(cluster, ns, {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "shop"},
                        "spec": {"rules": [{"host": "shop.example", "http": {"paths": [
                            ingress_path("/a", "svc-a"), ingress_path("/b", "svc-b"), ingress_path("/none", "nobody")]}}]}})

    wait_for(lambda: get(cluster, "shop.example", "/a/") == (200, "pod-a"), timeout=30, interval=0.2, message="/a/ to reach pod-a")
    assert get(cluster, "shop.example:%d" % cluster.ingress_port, "/b/") == (200, "pod-b")
    assert get(cluster, "shop.example", "/")[0] == 404
    assert get(cluster, "unknown.example", "/a/")[0] == 404
    assert get(cluster, "shop.example", "/none")[0] == 503

    node_ip = cluster.kubectl("get", "node", "skiff-node-0", "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").stdout
    wait_for(lambda: cluster.kubectl("get", "ingress", "shop", "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").stdout == node_ip,
             timeout=30, interval=0.2, message="the ingress status to carry the node address")

