"""The three-machine layout on one host: a 3-member etcd cluster (Debian's etcd), `skiff up` on it
and a second `skiff apiserver` sharing its PKI. Faults under load: the etcd leader killed (writes
resume after the election; a watch through the other server misses nothing, or says 410 and the
client relists), an API server killed with kill -9 (a client with both servers goes on through the
other; no acknowledged write is lost), and every object read through both servers compared.
Skipped when etcd is not installed (CI installs etcd-server and etcd-client)."""
import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import pytest
import requests

from conftest import SKIFF, Cluster, LineReader, free_port, wait_for
from test_etcd import ETCD, ETCDCTL

pytestmark = pytest.mark.skipif(ETCD is None or ETCDCTL is None,
                                reason="no etcd/etcdctl on PATH (install Debian's etcd-server and etcd-client)")

MEMBERS = 3


class Member:
    """One member of a static etcd cluster on loopback."""

    def __init__(self, root, index, client_port, peer_port):
        self.name = "m%d" % index
        self.data_dir = os.path.join(root, self.name)
        self.endpoint = "127.0.0.1:%d" % client_port
        self.peer_url = "http://127.0.0.1:%d" % peer_port
        self.process = None

    def start(self, initial_cluster, state):
        client = "http://" + self.endpoint
        self.process = subprocess.Popen(
            [ETCD, "--name", self.name, "--data-dir", self.data_dir,
             "--listen-client-urls", client, "--advertise-client-urls", client,
             "--listen-peer-urls", self.peer_url, "--initial-advertise-peer-urls", self.peer_url,
             "--initial-cluster", initial_cluster, "--initial-cluster-state", state,
             "--initial-cluster-token", "skiff-e2e-ha"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.log = LineReader(self.process, stream="stderr")

    def wait_ready(self):
        self.log.wait_for(lambda lines: any("ready to serve client requests" in line for line in lines), timeout=60,
                          message="etcd member %s to serve clients" % self.name)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()
        self.process = None


def etcdctl(endpoints, *args):
    env = dict(os.environ, ETCDCTL_API="3")
    return subprocess.run([ETCDCTL, "--endpoints", ",".join(endpoints)] + list(args), capture_output=True, text=True,
                          env=env, timeout=30, check=True).stdout


def leader(members):
    """The member that leads the etcd cluster now (by `etcdctl endpoint status`)."""
    live = {member.endpoint: member for member in members if member.process is not None}
    statuses = json.loads(etcdctl(list(live), "endpoint", "status", "-w", "json"))
    for status in statuses:
        if status["Status"]["leader"] == status["Status"]["header"]["member_id"]:
            return live[status["Endpoint"].split("//")[-1]]
    raise AssertionError("no leader among %s" % statuses)


class APIServer:
    """A `skiff apiserver` process beside the cluster, with the cluster's PKI (so the same admin
    certificate works on both) and its own data directory and port."""

    def __init__(self, cluster, storage, advertise):
        self.data_dir = tempfile.mkdtemp(prefix="skiff-e2e-ha-second-")
        self.port = free_port()
        self.server = "https://127.0.0.1:%d" % self.port
        self.args = [SKIFF, "apiserver", "--data-dir", self.data_dir, "--port", str(self.port), "--storage", storage,
                     "--pki-dir", cluster.pki_dir, "--advertise-address", advertise]
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        self.output = LineReader(self.process)
        self.output.wait_for(lambda lines: any("API server is ready" in line for line in lines), timeout=60,
                             message="the second API server to be ready")
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.output.close()
        self.process = None

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            code = self.process.wait(timeout=30)
            self.output.close()
            self.process = None
            return code
        return 0


@pytest.fixture(scope="module")
def ha():
    root = tempfile.mkdtemp(prefix="skiff-e2e-etcd-ha-")
    members = [Member(root, index, free_port(), free_port()) for index in range(MEMBERS)]
    initial = ",".join("%s=%s" % (member.name, member.peer_url) for member in members)
    for member in members:
        member.start(initial, "new")
    for member in members:
        member.wait_ready()
    storage = "etcd://" + ",".join(member.endpoint for member in members)
    data_dir = os.path.join(root, "skiff")
    os.makedirs(data_dir)
    cluster = Cluster(data_dir, extra_args=["--storage", storage]).start()
    second = APIServer(cluster, storage, "127.0.0.2").start()
    try:
        yield cluster, second, members
        second_code = second.stop()
        code = cluster.stop()
    finally:
        if second.process is not None:
            second.kill()
        if cluster.process is not None:
            cluster.process.kill()
        for member in members:
            if member.process is not None:
                member.kill()
        shutil.rmtree(second.data_dir, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
    assert second_code == 0, "the second API server did not shut down cleanly (exit %s)" % second_code
    assert code == 0, "skiff on etcd did not shut down cleanly (exit %s)" % code


class Writer:
    """Creates ConfigMaps `w-0`, `w-1`, … one after another through the first server of `servers`
    that answers, retrying a name until it is acknowledged (201, or 409 AlreadyExists after an
    attempt whose answer was lost): the names acknowledged are the writes that must survive."""

    def __init__(self, session, servers, namespace):
        self.session = session
        self.servers = servers
        self.namespace = namespace
        self.acknowledged = []
        self.failures = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        index = 0
        while not self.stopping.is_set():
            name = "w-%d" % index
            if self.create(name):
                self.acknowledged.append(name)
                index += 1
            else:
                self.failures += 1
                time.sleep(0.1)

    def create(self, name):
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"n": name}}
        for server in self.servers:
            try:
                answer = self.session.post("%s/api/v1/namespaces/%s/configmaps" % (server, self.namespace), json=body, timeout=15)
            except requests.RequestException:
                continue
            if answer.status_code == 201 or (answer.status_code == 409 and answer.json().get("reason") == "AlreadyExists"):
                return True
        return False

    def wait_for_more(self, count, message):
        target = len(self.acknowledged) + count
        wait_for(lambda: len(self.acknowledged) >= target, timeout=90, interval=0.1, message=message)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the writer did not stop"


class Watcher:
    """Watches ConfigMaps of a namespace through one server from a list's resourceVersion, as an
    informer does: on 410 Gone (or a broken stream) it lists again and watches from there."""

    def __init__(self, session, server, namespace):
        self.session = session
        self.url = "%s/api/v1/namespaces/%s/configmaps" % (server, namespace)
        self.seen = {}        # name -> resourceVersion, from the lists and the watch events
        self.relists = 0
        self.out_of_order = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def relist(self):
        listed = self.session.get(self.url, timeout=30)
        listed.raise_for_status()
        body = listed.json()
        for item in body["items"]:
            self.seen[item["metadata"]["name"]] = item["metadata"]["resourceVersion"]
        return body["metadata"]["resourceVersion"]

    def run(self):
        version = None
        while not self.stopping.is_set():
            try:
                if version is None:
                    version = self.relist()
                stream = self.session.get(self.url, params={"watch": "1", "resourceVersion": version, "timeoutSeconds": "10",
                                                            "allowWatchBookmarks": "true"}, stream=True, timeout=30)
                for line in stream.iter_lines():
                    if not line:
                        continue
                    event = json.loads(line)
                    if event["type"] == "ERROR":
                        if event["object"].get("code") == 410:
                            self.relists += 1
                            version = None
                        break
                    current = event["object"]["metadata"]["resourceVersion"]
                    if event["type"] != "BOOKMARK" and int(current) <= int(version):
                        self.out_of_order.append((event["type"], current, version))
                    version = current
                    if event["type"] in ("ADDED", "MODIFIED"):
                        self.seen[event["object"]["metadata"]["name"]] = current
                    if self.stopping.is_set():
                        break
            except (requests.RequestException, ValueError):
                time.sleep(0.2)  # the stream (or the list) broke: try again, from the last revision seen

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=40)
        assert not self.thread.is_alive(), "the watcher did not stop"


def listed(session, server, path):
    answer = session.get(server + path, timeout=30)
    assert answer.status_code == 200, answer.text
    return sorted((item["metadata"].get("namespace", ""), item["metadata"]["name"], item["metadata"]["resourceVersion"],
                   json.dumps(item, sort_keys=True)) for item in answer.json()["items"])


def test_etcd_leader_killed_under_load(ha):
    cluster, second, members = ha
    cluster.create_namespace("ha-leader")
    session = cluster.requests_session()
    watcher = Watcher(session, second.server, "ha-leader")
    watcher.thread.start()
    writer = Writer(session, [cluster.server], "ha-leader")
    writer.thread.start()
    try:
        writer.wait_for_more(20, "20 writes before the fault")
        killed = leader(members)
        killed.kill()
        writer.wait_for_more(20, "20 writes after the etcd leader was killed")
        new_leader = leader(members)
        assert new_leader is not killed
    finally:
        writer.stop()
        last = writer.acknowledged[-1] if writer.acknowledged else None
        if last is not None:
            wait_for(lambda: last in watcher.seen, timeout=60, interval=0.1, message="the last write in the other server's watch")
        watcher.stop()
    missing = [name for name in writer.acknowledged if name not in watcher.seen]
    assert not missing, "acknowledged writes the watch through the other server never delivered: %s" % missing[:10]
    assert not watcher.out_of_order, "watch events out of revision order: %s" % watcher.out_of_order[:5]
    stored = json.loads(etcdctl([m.endpoint for m in members if m.process is not None], "get", "--prefix",
                                "/registry/configmaps/ha-leader/", "--keys-only", "-w", "json"))
    keys = {os.path.basename(base64.b64decode(kv["key"]).decode()) for kv in stored.get("kvs", [])}
    assert set(writer.acknowledged) <= keys


def test_api_server_killed_under_load_and_both_servers_agree(ha):
    cluster, second, members = ha
    cluster.create_namespace("ha-server")
    session = cluster.requests_session()
    # The client knows both servers and prefers the second one, which is killed.
    writer = Writer(session, [second.server, cluster.server], "ha-server")
    writer.thread.start()
    try:
        writer.wait_for_more(20, "20 writes through the second server")
        second.kill()
        writer.wait_for_more(20, "20 writes through the first server after the second was killed")
    finally:
        writer.stop()
    names = {item["metadata"]["name"] for item in session.get(cluster.server + "/api/v1/namespaces/ha-server/configmaps",
                                                                 timeout=30).json()["items"]}
    lost = [name for name in writer.acknowledged if name not in names]
    assert not lost, "acknowledged writes lost with the killed server: %s" % lost[:10]

    second.start()
    # Every object of the kinds no controller keeps rewriting, read through both servers (consistent
    # lists: each server's cache confirms etcd's current revision first), is the same object.
    # A controller's write between the two reads can differ them once; they must agree again at once.
    for path in ["/api/v1/namespaces", "/api/v1/configmaps", "/api/v1/secrets", "/api/v1/serviceaccounts",
                 "/apis/rbac.authorization.k8s.io/v1/clusterroles", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"]:
        difference = []

        def agree():
            first, other = listed(session, cluster.server, path), listed(session, second.server, path)
            difference[:] = [sorted(set(first) - set(other))[:2], sorted(set(other) - set(first))[:2]]
            return first == other
        try:
            wait_for(agree, timeout=10, interval=0.2, message="both servers to list the same %s" % path)
        except AssertionError as failure:
            raise AssertionError("%s; only through the first, then only through the second: %s" % (failure, difference)) from None
    assert len(listed(session, second.server, "/api/v1/namespaces/ha-server/configmaps")) >= len(writer.acknowledged)
