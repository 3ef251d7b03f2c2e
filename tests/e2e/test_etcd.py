"""A cluster on etcd (`skiff up --storage etcd://…`): Debian's etcd started on free loopback ports
by the test, then the basics through the real kubectl and the Python client, upstream's key layout
seen by etcdctl, and 503s with a Status while etcd is down, with recovery when it returns.
Skipped when etcd is not installed (CI installs etcd-server and etcd-client)."""
import json
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import KUBECTL, SKIFF, Cluster, LineReader, free_port, run_kubectl, wait_for

ETCD = shutil.which("etcd")
ETCDCTL = shutil.which("etcdctl")

pytestmark = pytest.mark.skipif(ETCD is None, reason="no etcd binary on PATH (install Debian's etcd-server)")


class Etcd:
    """One etcd member on loopback with a scratch data dir; start/stop keep the data."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.client_port = free_port()
        self.peer_port = free_port()
        self.process = None
        self.endpoint = "127.0.0.1:%d" % self.client_port

    def start(self):
        client = "http://" + self.endpoint
        peer = "http://127.0.0.1:%d" % self.peer_port
        self.process = subprocess.Popen(
            [ETCD, "--name", "e2e", "--data-dir", self.data_dir,
             "--listen-client-urls", client, "--advertise-client-urls", client,
             "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
             "--initial-cluster", "e2e=" + peer],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.log = LineReader(self.process, stream="stderr")
        self.log.wait_for(lambda lines: any("ready to serve client requests" in line for line in lines), timeout=30,
                          message="etcd to serve clients")
        return self

    def stop(self):
        if self.process is not None:
            self.log.close()
            self.process = None

    def etcdctl(self, *args):
        env = dict(os.environ, ETCDCTL_API="3")
        return subprocess.run([ETCDCTL, "--endpoints", self.endpoint] + list(args), capture_output=True, text=True,
                              env=env, timeout=30, check=True).stdout


@pytest.fixture(scope="module")
def etcd_cluster():
    """etcd, and `skiff up` on it; both stopped at the end."""
    root = tempfile.mkdtemp(prefix="skiff-e2e-etcd-")
    etcd = Etcd(os.path.join(root, "etcd")).start()
    data_dir = os.path.join(root, "skiff")
    os.makedirs(data_dir)
    cluster = Cluster(data_dir, extra_args=["--storage", "etcd://" + etcd.endpoint]).start()
    yield cluster, etcd
    code = cluster.stop()
    etcd.stop()
    assert code == 0, "skiff on etcd did not shut down cleanly (exit %s):\n%s" % (code, cluster.log_tail())
    shutil.rmtree(root, ignore_errors=True)


# Known defect (issue 14, docs/storage.md): the one gRPC connection to etcd drops every 20-70 s
# under load and every request in flight then fails with 503 until it reconnects; this test is
# the first to write and sometimes meets the drop. It runs and reports; it must pass once the
# drop is fixed (then remove this mark).
@pytest.mark.xfail(strict=False, reason="the gRPC connection to etcd drops under load (issue 14)")
def test_create_get_list_watch(etcd_cluster):
    cluster, _ = etcd_cluster
    cluster.kubectl("create", "namespace", "etcd-basics")
    watch = LineReader(cluster.popen_kubectl("get", "configmaps", "-n", "etcd-basics", "--watch", "-o", "name"))
    try:
        for index in range(3):
            cluster.kubectl("create", "configmap", "c%d" % index, "-n", "etcd-basics", "--from-literal=k=%d" % index)
        watch.wait_for(lambda lines: {"configmap/c0", "configmap/c1", "configmap/c2"} <= set(lines), message="watched creates")
    finally:
        watch.close()
    got = json.loads(cluster.kubectl("get", "configmap", "c1", "-n", "etcd-basics", "-o", "json").stdout)
    assert got["data"] == {"k": "1"}
    names = cluster.kubectl("get", "configmaps", "-n", "etcd-basics", "-o", "name", "--chunk-size=1").stdout.split()
    assert {"configmap/c0", "configmap/c1", "configmap/c2"} <= set(names)
    cluster.kubectl("delete", "configmap", "c0", "-n", "etcd-basics")
    missing = cluster.kubectl("get", "configmap", "c0", "-n", "etcd-basics", check=False)
    assert missing.returncode != 0 and "NotFound" in missing.stderr


def test_apply_and_deployment_rollout(etcd_cluster):
    cluster, _ = etcd_cluster
    cluster.kubectl("create", "namespace", "etcd-apps")
    manifest = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: etcd-apps}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
"""
    applied = cluster.kubectl("apply", "-f", "-", input=manifest).stdout
    assert "deployment.apps/web created" in applied
    status = cluster.kubectl("rollout", "status", "deployment/web", "-n", "etcd-apps", "--timeout=90s", timeout=120).stdout
    assert 'deployment "web" successfully rolled out' in status
    again = cluster.kubectl("apply", "-f", "-", input=manifest.replace("replicas: 2", "replicas: 3")).stdout
    assert "deployment.apps/web configured" in again
    wait_for(lambda: json.loads(cluster.kubectl("get", "deploy", "web", "-n", "etcd-apps", "-o", "json").stdout)
             ["status"].get("readyReplicas") == 3, timeout=60, message="3 ready replicas")


@pytest.mark.skipif(ETCDCTL is None, reason="no etcdctl on PATH (install Debian's etcd-client)")
def test_etcdctl_sees_the_registry(etcd_cluster):
    cluster, etcd = etcd_cluster
    cluster.kubectl("create", "namespace", "etcd-keys")
    cluster.kubectl("create", "configmap", "seen", "-n", "etcd-keys", "--from-literal=a=b")
    keys = etcd.etcdctl("get", "--prefix", "/registry", "--keys-only").split()
    assert "/registry/configmaps/etcd-keys/seen" in keys
    assert "/registry/namespaces/etcd-keys" in keys
    value = json.loads(etcd.etcdctl("get", "/registry/configmaps/etcd-keys/seen", "--print-value-only"))
    assert value["data"] == {"a": "b"}


def test_two_api_servers_see_each_others_writes(etcd_cluster):
    """A second `skiff apiserver` on the same etcd: a watch through one sees writes through the other."""
    cluster, etcd = etcd_cluster
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-etcd-second-")
    second = subprocess.Popen(
        [SKIFF, "apiserver", "--data-dir", data_dir, "--port", str(free_port()), "--storage", "etcd://" + etcd.endpoint],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    output = LineReader(second)
    watch = None
    try:
        output.wait_for(lambda lines: any("API server is ready" in line for line in lines), timeout=60,
                        message="the second API server to be ready")
        kubeconfig = os.path.join(data_dir, "admin.kubeconfig")
        cluster.kubectl("create", "namespace", "etcd-two")
        env = dict(os.environ, KUBECONFIG=kubeconfig)
        watch = LineReader(subprocess.Popen(
            [KUBECTL, "get", "configmaps", "-n", "etcd-two", "--watch", "-o", "name"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
        cluster.kubectl("create", "configmap", "from-first", "-n", "etcd-two")
        watch.wait_for(lambda lines: "configmap/from-first" in lines, message="the first server's write in the second's watch")
        run_kubectl(kubeconfig, ["create", "configmap", "from-second", "-n", "etcd-two"])
        names = cluster.kubectl("get", "configmaps", "-n", "etcd-two", "-o", "name").stdout.split()
        assert "configmap/from-second" in names
    finally:
        if watch is not None:
            watch.close()
        output.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def test_etcd_down_answers_503_then_recovers(etcd_cluster):
    cluster, etcd = etcd_cluster
    cluster.kubectl("create", "namespace", "etcd-outage")
    url = cluster.server + "/api/v1/namespaces/etcd-outage/configmaps"

    def create(name):
        return cluster.requests_session().post(url, json={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}, timeout=60)

    etcd.stop()
    try:
        def failure():
            answer = create("during")
            return [answer] if answer.status_code >= 500 else None  # a list: a Response is falsy when not ok
        [refused] = wait_for(failure, timeout=60, interval=0.5, message="a write to fail while etcd is down")
        assert refused.status_code in (503, 504), refused.text
        status = refused.json()
        assert status["kind"] == "Status" and status["status"] == "Failure"
        assert status["reason"] in ("ServiceUnavailable", "Timeout"), status
    finally:
        etcd.start()
    wait_for(lambda: create("after").status_code == 201, timeout=60, interval=0.5, message="writes to succeed once etcd is back")
    assert cluster.kubectl("get", "configmap", "after", "-n", "etcd-outage", "-o", "name").stdout.strip() == "configmap/after"


def test_migrate_sqlite_to_etcd_and_back():
    """`skiff migrate`: a stopped SQLite cluster's objects copied to a fresh etcd, served from
    there in the same order, and copied back into a new SQLite file."""
    root = tempfile.mkdtemp(prefix="skiff-e2e-migrate-")
    etcd = Etcd(os.path.join(root, "etcd")).start()
    try:
        os.makedirs(os.path.join(root, "sqlite"))
        source = Cluster(os.path.join(root, "sqlite")).start()
        source.kubectl("create", "namespace", "moved")
        for name in ["first", "second", "third"]:
            source.kubectl("create", "configmap", name, "-n", "moved", "--from-literal=name=" + name)
        assert source.stop() == 0

        def migrate(origin, destination):
            result = subprocess.run([SKIFF, "migrate", "--from", origin, "--to", destination], capture_output=True, text=True,
                                    timeout=120)
            assert result.returncode == 0, result.stderr
            assert "verified" in result.stdout, result.stdout
            return result.stdout

        sqlite_url = "sqlite://" + os.path.join(root, "sqlite", "skiff.db")
        etcd_url = "etcd://" + etcd.endpoint
        migrate(sqlite_url, etcd_url)
        again = subprocess.run([SKIFF, "migrate", "--from", sqlite_url, "--to", etcd_url], capture_output=True, text=True, timeout=120)
        assert again.returncode != 0 and "empty store" in again.stderr

        os.makedirs(os.path.join(root, "on-etcd"))
        moved = Cluster(os.path.join(root, "on-etcd"), extra_args=["--storage", etcd_url]).start()
        try:
            items = json.loads(moved.kubectl("get", "configmaps", "-n", "moved", "-o", "json").stdout)["items"]
            by_name = {item["metadata"]["name"]: item for item in items}
            assert {name: by_name[name]["data"]["name"] for name in ["first", "second", "third"]} == \
                {"first": "first", "second": "second", "third": "third"}
            versions = [int(by_name[name]["metadata"]["resourceVersion"]) for name in ["first", "second", "third"]]
            assert versions == sorted(versions)
        finally:
            assert moved.stop() == 0
        migrate(etcd_url, "sqlite://" + os.path.join(root, "back.db"))
    finally:
        etcd.stop()
        shutil.rmtree(root, ignore_errors=True)
