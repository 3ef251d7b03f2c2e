"""End-to-end: the service proxy (kube-proxy, nftables mode) that `skiff up` runs next to the
process runtime: two busybox httpd pods behind a Service answer on its ClusterIP from the host and
from a third pod, both of them; a NodePort answers on the host's address; a pod that stops being
ready leaves the rotation; a Service without endpoints refuses connections; ClientIP affinity
keeps a client on one pod; stopping the cluster removes the table.

Uses test_runtime's registry and image (same requirements, same skips), plus nft (Debian package
nftables) and the CNI plugins.
"""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

from conftest import Cluster, wait_for
from test_runtime import missing, pod_json, registry  # noqa: F401 (fixtures)

NFT = shutil.which("nft") or next((path for path in ("/usr/sbin/nft", "/sbin/nft") if os.access(path, os.X_OK)), None)
no_cni = [plugin for plugin in ("bridge", "static") if not os.access("/usr/lib/cni/" + plugin, os.X_OK)]
pytestmark = [
    pytest.mark.skipif(NFT is None, reason="the service proxy needs nft (Debian package nftables)"),
    pytest.mark.skipif(bool(no_cni), reason="services need the pod network (containernetworking-plugins)"),
]

SERVE = "mkdir -p /www && echo $HOSTNAME > /www/index.html && touch /www/ready && httpd -f -p 8080 -h /www"


@pytest.fixture(scope="module")
def cluster(registry):  # noqa: F811
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-proxy-")
    running = Cluster(data_dir, extra_args=["--runtime", "process"]).start()
    yield running
    code = running.stop(timeout=30)
    assert code == 0, running.log_tail()
    table = subprocess.run([NFT, "list", "table", "ip", "kube-proxy"], capture_output=True, text=True)
    assert table.returncode != 0, "the kube-proxy table is left behind"
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def ns(cluster):
    name = "proxy-%d" % int(time.time() * 1000 % 1e9)
    cluster.create_namespace(name)
    return name


def apply(cluster, namespace, *objects):
    cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": list(objects)}))


def web_pod(registry, name, app="web"):  # noqa: F811
    probe = {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 1, "failureThreshold": 1}
    container = {"name": "main", "image": registry, "command": ["sh", "-c", SERVE], "readinessProbe": probe}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": app}},
            "spec": {"containers": [container], "terminationGracePeriodSeconds": 1}}


def service(name, app="web", **spec):
    full = {"selector": {"app": app}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}
    full.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": full}


def ready_endpoints(cluster, namespace, name):
    slices = json.loads(cluster.kubectl("get", "endpointslices", "-n", namespace, "-l", "kubernetes.io/service-name=" + name,
                                        "-o", "json").stdout)["items"]
    return sorted(endpoint["addresses"][0] for piece in slices for endpoint in piece.get("endpoints") or []
                  if endpoint.get("conditions", {}).get("ready"))


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.read().decode().strip()
    except OSError:
        return None


def answers(url, count):
    return [fetch(url) for _ in range(count)]


def refused(address, port):
    """Whether a TCP connection to address:port is refused (not accepted, not timed out)."""
    try:
        socket.create_connection((address, port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return False


def host_address():
    """An address of this host other than loopback (NodePorts answer on every local address but 127/8)."""
    listing = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True).stdout
    return listing.split()[3].split("/")[0]


@pytest.fixture
def web(cluster, registry, ns):  # noqa: F811
    """Pods web-0 and web-1 behind the NodePort service `web`, both ready: (namespace, ClusterIP, nodePort)."""
    apply(cluster, ns, web_pod(registry, "web-0"), web_pod(registry, "web-1"), service("web", type="NodePort"))
    wait_for(lambda: len(ready_endpoints(cluster, ns, "web")) == 2, timeout=90, interval=0.5, message="two ready endpoints")
    spec = json.loads(cluster.kubectl("get", "service", "web", "-n", ns, "-o", "json").stdout)["spec"]
    return ns, spec["clusterIP"], spec["ports"][0]["nodePort"]


def test_cluster_ip_reaches_both_pods_from_the_host_and_from_a_pod(cluster, registry, web):  # noqa: F811
    ns, cluster_ip, _ = web
    seen = set()
    wait_for(lambda: seen.update(answers("http://%s/" % cluster_ip, 5)) or {"web-0", "web-1"} <= seen,
             timeout=30, interval=0.1, message="both pods answering on the ClusterIP from the host")
    apply(cluster, ns, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "client"},
                        "spec": {"containers": [{"name": "main", "image": registry, "command": ["sleep", "3600"]}],
                                 "terminationGracePeriodSeconds": 1}})
    wait_for(lambda: pod_json(cluster, ns, "client", "{.status.phase}") == "Running", timeout=60, message="the client to run")
    loop = "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do wget -qO- http://%s:80/; done" % cluster_ip
    fetched = cluster.kubectl("exec", "-n", ns, "client", "--", "sh", "-c", loop).stdout.split()
    assert {"web-0", "web-1"} <= set(fetched), fetched
    # A pod reaches itself through its service (hairpin): the bridge port and the masquerade.
    own = cluster.kubectl("exec", "-n", ns, "web-0", "--", "sh", "-c", loop).stdout.split()
    assert "web-0" in own and set(own) <= {"web-0", "web-1"}, own


def test_node_port_answers_on_the_host_address(web):
    _, _, node_port = web
    seen = set()
    url = "http://%s:%d/" % (host_address(), node_port)
    wait_for(lambda: seen.update(answers(url, 5)) or {"web-0", "web-1"} <= seen,
             timeout=30, interval=0.1, message="both pods answering on the NodePort")


def test_a_pod_that_is_not_ready_leaves_the_rotation(cluster, web):
    ns, cluster_ip, _ = web
    cluster.kubectl("exec", "-n", ns, "web-1", "--", "rm", "/www/ready")
    wait_for(lambda: ready_endpoints(cluster, ns, "web") == [pod_json(cluster, ns, "web-0", "{.status.podIP}")],
             timeout=30, interval=0.2, message="web-1 to leave the ready endpoints")
    wait_for(lambda: set(answers("http://%s/" % cluster_ip, 10)) == {"web-0"}, timeout=30, interval=0.2,
             message="only web-0 to answer")
    cluster.kubectl("exec", "-n", ns, "web-1", "--", "touch", "/www/ready")
    seen = set()
    wait_for(lambda: seen.update(answers("http://%s/" % cluster_ip, 5)) or "web-1" in seen, timeout=30, interval=0.1,
             message="web-1 back in the rotation")


def test_a_service_without_endpoints_refuses_connections(cluster, ns):
    apply(cluster, ns, service("nobody", app="nobody"))
    cluster_ip = json.loads(cluster.kubectl("get", "service", "nobody", "-n", ns, "-o", "json").stdout)["spec"]["clusterIP"]
    wait_for(lambda: refused(cluster_ip, 80), timeout=30, interval=0.2, message="the ClusterIP without endpoints to refuse")


def test_client_ip_affinity_keeps_a_client_on_one_pod(cluster, web):
    ns, _, _ = web
    apply(cluster, ns, service("sticky", sessionAffinity="ClientIP"))
    wait_for(lambda: len(ready_endpoints(cluster, ns, "sticky")) == 2, timeout=30, interval=0.2, message="two ready endpoints")
    cluster_ip = json.loads(cluster.kubectl("get", "service", "sticky", "-n", ns, "-o", "json").stdout)["spec"]["clusterIP"]
    wait_for(lambda: fetch("http://%s/" % cluster_ip) is not None, timeout=30, interval=0.2, message="the sticky service to answer")
    assert len(set(answers("http://%s/" % cluster_ip, 20))) == 1


def test_a_load_balancer_gets_the_node_address_and_answers_on_it(cluster, web):
    ns, _, _ = web
    apply(cluster, ns, service("public", type="LoadBalancer"))

    def ingress():
        status = json.loads(cluster.kubectl("get", "service", "public", "-n", ns, "-o", "json").stdout).get("status", {})
        return [entry.get("ip") for entry in status.get("loadBalancer", {}).get("ingress") or []]
    wait_for(lambda: ingress() != [], timeout=30, interval=0.2, message="a load balancer ingress address")
    node_ip = cluster.kubectl("get", "node", "skiff-node-0", "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").stdout
    assert ingress() == [node_ip]
    wait_for(lambda: fetch("http://%s/" % node_ip) in ("web-0", "web-1"), timeout=30, interval=0.2,
             message="the load balancer address to answer")
