"""End-to-end: the service proxy in iptables mode (`skiff up --proxy-mode iptables`, as where nft is
missing): two busybox httpd pods behind a Service answer on its ClusterIP from the host, both of
them; a Service without endpoints refuses connections; stopping the cluster removes the chains
and the jumps to them.

Uses test_runtime's registry and image and test_proxy's pods and Services, plus the iptables tools
(Debian package iptables) and the CNI plugins.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import Cluster, wait_for
from test_proxy import answers, apply, no_cni, ready_endpoints, refused, service, web_pod
from test_runtime import missing, registry  # noqa: F401 (fixtures)

IPTABLES_SAVE = shutil.which("iptables-save") or next(
    (path for path in ("/usr/sbin/iptables-save", "/sbin/iptables-save") if os.access(path, os.X_OK)), None)

pytestmark = [
    pytest.mark.skipif(IPTABLES_SAVE is None, reason="the iptables mode needs the iptables tools (Debian package iptables)"),
    pytest.mark.skipif(bool(no_cni), reason="services need the pod network (containernetworking-plugins)"),
]


def saved(table):
    return subprocess.run([IPTABLES_SAVE, "-t", table], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def cluster(registry):  # noqa: F811
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-proxy-iptables-")
    running = Cluster(data_dir, extra_args=["--runtime", "process", "--proxy-mode", "iptables"]).start()
    yield running
    code = running.stop(timeout=30)
    assert code == 0, running.log_tail()
    for table in ("nat", "filter"):
        assert "KUBE-SERVICES" not in saved(table), "the %s chains are left behind" % table
    shutil.rmtree(data_dir, ignore_errors=True)


def test_cluster_ip_answers_from_the_host_in_iptables_mode(cluster, registry):  # noqa: F811
    ns = "proxy-ipt-%d" % int(time.time() * 1000 % 1e9)
    cluster.create_namespace(ns)
    apply(cluster, ns, web_pod(registry, "web-0"), web_pod(registry, "web-1"), service("web"), service("nobody", app="nobody"))
    wait_for(lambda: len(ready_endpoints(cluster, ns, "web")) == 2, timeout=90, interval=0.5, message="two ready endpoints")
    cluster_ip = json.loads(cluster.kubectl("get", "service", "web", "-n", ns, "-o", "json").stdout)["spec"]["clusterIP"]
    seen = set()
    wait_for(lambda: seen.update(answers("http://%s/" % cluster_ip, 5)) or {"web-0", "web-1"} <= seen,
             timeout=30, interval=0.1, message="both pods answering on the ClusterIP from the host")
    nat = saved("nat")
    # iptables-save prints the rules in its own order and spelling; the comments and targets are ours.
    assert "%s/web:http cluster IP" % ns in nat and "-j KUBE-SVC-" in nat and "--mode random --probability 0.5" in nat, nat
    assert "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES" in nat, nat

    nobody = json.loads(cluster.kubectl("get", "service", "nobody", "-n", ns, "-o", "json").stdout)["spec"]["clusterIP"]
    wait_for(lambda: refused(nobody, 80), timeout=30, interval=0.2, message="the ClusterIP without endpoints to refuse")
