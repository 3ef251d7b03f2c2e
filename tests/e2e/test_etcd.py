"""A cluster on etcd (`skiff up --storage etcd://…`): Debian's etcd started on free loopback ports
by the test, then the basics through the real kubectl and the Python client, upstream's key layout
seen by etcdctl, the connection to etcd holding for 90 s idle and busy, the `kubernetes` endpoints
listing every API server, and 503s with a Status (and failing health checks) while etcd is down,
with recovery when it returns.
Skipped when etcd is not installed (CI installs etcd-server and etcd-client)."""
import base64
import concurrent.futures
import json
import os
import shutil
import subprocess
import tempfile
import time

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


def test_connection_to_etcd_holds_idle_and_busy(etcd_cluster):
    """The one HTTP/2 connection to etcd outlasts the start, an idle spell and a busy one (over
    90 s in all): no request fails with a 503 (or another 5xx but a freshness 504) and no watch
    cache loses its storage watch. etcd
    pings the client after each batch of requests; the connection used to close itself after 200
    pings in 30 s (about 20 s after start), failing everything in flight with 503."""
    cluster, _ = etcd_cluster
    cluster.kubectl("create", "namespace", "etcd-hold")
    session = cluster.requests_session()
    url = cluster.server + "/api/v1/namespaces/etcd-hold/configmaps"
    failures = []

    def check(answer):
        # A 504 "Too large resource version" is a consistent list whose cache did not confirm
        # etcd's revision within upstream's 3 s (seen once with unit tests running on the same
        # 2 cores); the dropped connection answered 503.
        if answer.status_code >= 500 and answer.status_code != 504:
            failures.append("%s %s: %s" % (answer.request.method, answer.url, answer.text[:200]))

    idle_until = time.monotonic() + 45
    while time.monotonic() < idle_until:
        check(session.get(url, timeout=30))
        time.sleep(5)  # the idle spell itself: one read every 5 s

    def writer(index):
        name = "busy-%d" % index
        check(session.post(url, json={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}, timeout=30))
        count = 0
        while time.monotonic() < busy_until:
            count += 1
            check(session.put(url + "/" + name, json={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
                                                        "data": {"n": str(count)}}, timeout=30))
            check(session.get(url + "/" + name, timeout=30))
        return count

    busy_until = time.monotonic() + 50
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        updates = sum(pool.map(writer, range(4)))
    assert not failures, "%d requests failed, first: %s" % (len(failures), failures[0])
    assert updates > 200, "only %d updates in the busy spell" % updates
    with open(cluster.log_path, errors="replace") as log:
        lost = [line for line in log if "storage watch failed" in line or "storage watch ended" in line]
    assert not lost, "watch caches lost their etcd watches:\n" + "".join(lost[:5])


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
    # Built-in kinds are stored as Kubernetes protobuf (`k8s\0`, a runtime.Unknown envelope), as
    # kube-apiserver stores them in etcd.
    [stored] = json.loads(etcd.etcdctl("get", "/registry/configmaps/etcd-keys/seen", "-w", "json"))["kvs"]
    value = base64.b64decode(stored["value"])
    assert value.startswith(b"k8s\x00\n\x0f\n\x02v1\x12\tConfigMap"), value[:32]
    assert b"etcd-keys" in value and b"\n\x01a\x12\x01b" in value, value  # the data entry a=b
    summary = etcd.etcdctl("get", "--prefix", "/registry/namespaces/", "-w", "json")
    assert all(base64.b64decode(kv["value"]).startswith(b"k8s\x00") for kv in json.loads(summary)["kvs"])


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


def test_kubernetes_endpoints_list_every_api_server(etcd_cluster):
    """The lease endpoint reconciler: a second `skiff apiserver` (advertising 127.0.0.2) joins the
    `kubernetes` Endpoints and EndpointSlice with its record under /registry/masterleases/, and
    leaves them when it stops."""
    cluster, etcd = etcd_cluster

    def published():
        endpoints = json.loads(cluster.kubectl("get", "endpoints", "kubernetes", "-n", "default", "-o", "json").stdout)
        endpoint_slice = json.loads(cluster.kubectl("get", "endpointslices.discovery.k8s.io", "kubernetes", "-n", "default",
                                                    "-o", "json").stdout)
        ips = sorted(address["ip"] for subset in endpoints.get("subsets", []) for address in subset.get("addresses", []))
        slice_ips = sorted(address for endpoint in endpoint_slice.get("endpoints", []) for address in endpoint["addresses"])
        return ips if ips == slice_ips else None

    wait_for(lambda: published() == ["127.0.0.1"], timeout=30, interval=0.5, message="the first server in the endpoints")
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-etcd-lease-")
    second = subprocess.Popen(
        [SKIFF, "apiserver", "--data-dir", data_dir, "--port", str(free_port()), "--storage", "etcd://" + etcd.endpoint,
         "--advertise-address", "127.0.0.2"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    output = LineReader(second)
    try:
        output.wait_for(lambda lines: any("API server is ready" in line for line in lines), timeout=60,
                        message="the second API server to be ready")
        wait_for(lambda: published() == ["127.0.0.1", "127.0.0.2"], timeout=30, interval=0.5, message="both servers in the endpoints")
        if ETCDCTL is not None:
            keys = etcd.etcdctl("get", "--prefix", "/registry/masterleases/", "--keys-only").split()
            assert keys == ["/registry/masterleases/127.0.0.1", "/registry/masterleases/127.0.0.2"], keys
        second.terminate()
        assert second.wait(timeout=30) == 0
        wait_for(lambda: published() == ["127.0.0.1"], timeout=30, interval=0.5, message="the stopped server to leave the endpoints")
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
        output.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def health_text(cluster, endpoint):
    return cluster.requests_session().get(cluster.server + "/" + endpoint, timeout=30).text


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
        # Health as kube-apiserver's: the etcd checks fail, named, with the reason withheld.
        for endpoint in ("readyz", "livez"):
            health = cluster.requests_session().get(cluster.server + "/" + endpoint, timeout=30)
            assert health.status_code == 500, health.text
            assert "[-]etcd failed: reason withheld\n" in health.text and "[+]ping ok\n" in health.text, health.text
            assert health.text.endswith("%s check failed\n" % endpoint), health.text
        assert "[-]etcd-readiness failed: reason withheld\n" in health_text(cluster, "readyz")
        assert cluster.kubectl("get", "--raw", "/readyz/etcd", check=False).returncode != 0
    finally:
        etcd.start()
    wait_for(lambda: create("after").status_code == 201, timeout=60, interval=0.5, message="writes to succeed once etcd is back")
    wait_for(lambda: health_text(cluster, "readyz") == "ok", timeout=30, interval=0.5, message="readyz ok once etcd is back")
    assert health_text(cluster, "livez") == "ok"
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
