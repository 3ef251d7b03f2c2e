"""End-to-end: NetworkPolicies enforced on the node by the agent `skiff up` runs next to the service
proxy (nftables table `skiff-netpol`): a policy selecting a server pod denies what no rule allows, an
ingress rule for labelled clients lets them through, an egress policy blocks a client, removing the
policies opens the way again, and stopping the cluster removes the table.

Uses test_runtime's registry and image and test_proxy's requirements (nft, the CNI plugins).
"""
import json
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import Cluster, wait_for
from test_proxy import NFT, apply, pytestmark  # noqa: F401 (skip rules)
from test_runtime import missing, pod_json, registry  # noqa: F401 (fixtures)

SERVE = "mkdir -p /www && echo $HOSTNAME > /www/index.html && httpd -f -p 8080 -h /www"


@pytest.fixture(scope="module")
def cluster(registry):  # noqa: F811
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-netpol-")
    running = Cluster(data_dir, extra_args=["--runtime", "process", "--ingress-http-port=-1"]).start()
    yield running
    code = running.stop(timeout=30)
    assert code == 0, running.log_tail()
    table = subprocess.run([NFT, "list", "table", "ip", "skiff-netpol"], capture_output=True, text=True)
    assert table.returncode != 0, "the skiff-netpol table is left behind"
    shutil.rmtree(data_dir, ignore_errors=True)


def pod(registry, name, labels, command):  # noqa: F811
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "main", "image": registry, "command": ["sh", "-c", command],
                                     "ports": [{"name": "http", "containerPort": 8080}]}],
                     "terminationGracePeriodSeconds": 1}}


def policy(name, **spec):
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name}, "spec": spec}


@pytest.fixture
def pods(cluster, registry):  # noqa: F811
    """A server pod and two client pods (`friend` labelled role=client, `stranger` not): (namespace, server IP)."""
    ns = "netpol-%d" % int(time.time() * 1000 % 1e9)
    cluster.create_namespace(ns)
    apply(cluster, ns, pod(registry, "server", {"app": "server"}, SERVE),
          pod(registry, "friend", {"role": "client"}, "sleep 3600"), pod(registry, "stranger", {}, "sleep 3600"))
    for name in ("server", "friend", "stranger"):
        wait_for(lambda: pod_json(cluster, ns, name, "{.status.phase}") == "Running", timeout=90, message=name + " to run")
    return ns, pod_json(cluster, ns, "server", "{.status.podIP}")


def reaches(cluster, ns, client, address):
    """Whether `client` gets the server's page from `address` within two seconds."""
    # busybox's `wget -T` crashes (static build); its `timeout` applet bounds a dropped connection.
    done = cluster.kubectl("exec", "-n", ns, client, "--", "sh", "-c", "timeout 2 wget -q -O- http://%s/" % address, check=False)
    return done.returncode == 0 and done.stdout.strip() == "server"


def isolated(direction_map):
    """The text of the agent's map `ingress-pods` or `egress-pods` (empty if the table is not there)."""
    return subprocess.run([NFT, "list", "map", "ip", "skiff-netpol", direction_map], capture_output=True, text=True).stdout


def test_policies_deny_allow_and_block_egress(cluster, pods):
    ns, server = pods
    address = server + ":8080"
    wait_for(lambda: reaches(cluster, ns, "stranger", address), timeout=30, interval=0.2, message="the server to answer anyone")

    start = time.monotonic()
    apply(cluster, ns, policy("deny-server", podSelector={"matchLabels": {"app": "server"}}, policyTypes=["Ingress"]))
    wait_for(lambda: server in isolated("ingress-pods"), timeout=30, interval=0.02, message="the server's address in the table")
    print("policy applied to rules programmed: %.2f s" % (time.monotonic() - start))
    wait_for(lambda: not reaches(cluster, ns, "stranger", address), timeout=30, interval=0.1, message="the default deny to block")
    assert not reaches(cluster, ns, "friend", address)

    apply(cluster, ns, policy("allow-clients", podSelector={"matchLabels": {"app": "server"}},
                              ingress=[{"from": [{"podSelector": {"matchLabels": {"role": "client"}}}], "ports": [{"port": "http"}]}]))
    wait_for(lambda: reaches(cluster, ns, "friend", address), timeout=30, interval=0.2, message="the labelled client to get through")
    assert not reaches(cluster, ns, "stranger", address)

    apply(cluster, ns, policy("no-egress", podSelector={"matchLabels": {"role": "client"}}, policyTypes=["Egress"]))
    wait_for(lambda: not reaches(cluster, ns, "friend", address), timeout=30, interval=0.2, message="the egress policy to block")

    cluster.kubectl("delete", "networkpolicies", "--all", "-n", ns)
    wait_for(lambda: reaches(cluster, ns, "stranger", address) and reaches(cluster, ns, "friend", address), timeout=30, interval=0.2,
             message="everyone to get through again")


def test_policies_in_other_namespaces_and_namespace_selectors(cluster, registry, pods):  # noqa: F811
    ns, server = pods
    address = server + ":8080"
    outside = ns + "-out"
    cluster.create_namespace(outside)
    apply(cluster, outside, pod(registry, "visitor", {"role": "client"}, "sleep 3600"))
    wait_for(lambda: pod_json(cluster, outside, "visitor", "{.status.phase}") == "Running", timeout=90, message="the visitor to run")
    # A pod selector alone picks pods of the policy's own namespace: the visitor is not one.
    apply(cluster, ns, policy("allow-clients", podSelector={"matchLabels": {"app": "server"}},
                              ingress=[{"from": [{"podSelector": {"matchLabels": {"role": "client"}}}]}]))
    wait_for(lambda: not reaches(cluster, outside, "visitor", address), timeout=30, interval=0.2, message="the visitor to be blocked")
    assert reaches(cluster, ns, "friend", address)
    apply(cluster, ns, policy("allow-outside", podSelector={"matchLabels": {"app": "server"}},
                              ingress=[{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": outside}}}]}]))
    wait_for(lambda: reaches(cluster, outside, "visitor", address), timeout=30, interval=0.2, message="the visitor to get through")
    assert not reaches(cluster, ns, "stranger", address)
