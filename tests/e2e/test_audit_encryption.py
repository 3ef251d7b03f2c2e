"""The audit log and encryption of Secrets at rest, against `skiff up`s of their own: kubectl's
requests show up in the audit log (`--audit-policy-file`, `--audit-log-path`) at the level and
stages the policy gives, `None` rules dropping theirs; Secrets are stored encrypted
(`--encryption-provider-config`), as the SQLite file and etcd show, read back through kubectl,
and survive upstream's key rotation procedure."""
import base64
import ctypes.util
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile

import pytest

from conftest import Cluster, _running, wait_for
from test_etcd import ETCD, ETCDCTL, Etcd

POLICY = """\
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: []
rules:
  - level: None
    resources: [{group: "", resources: ["events", "endpoints"]}]
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]
  - level: RequestResponse
    resources: [{group: "", resources: ["configmaps"]}]
    namespaces: ["audited"]
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
  - level: None
"""

KEY1 = base64.b64encode(bytes(range(32))).decode()
KEY2 = base64.b64encode(bytes(range(32, 64))).decode()


def encryption_config(*providers):
    lines = ["apiVersion: apiserver.config.k8s.io/v1", "kind: EncryptionConfiguration", "resources:",
             "  - resources: [secrets]", "    providers:"]
    for provider in providers:
        if provider == "identity":
            lines.append("      - identity: {}")
            continue
        name, keys = provider
        lines += ["      - %s:" % name, "          keys:"]
        for key_name, secret in keys:
            lines += ["            - name: %s" % key_name, "              secret: %s" % secret]
    return "\n".join(lines) + "\n"


def own_cluster(prefix, files, args):
    """A cluster with no nodes whose data dir holds `files` (name → text); `args` may name their
    paths as {name}."""
    data_dir = tempfile.mkdtemp(prefix=prefix)
    paths = {}
    for name, text in files.items():
        paths[name] = os.path.join(data_dir, name)
        with open(paths[name], "w") as out:
            out.write(text)
    def substituted(arg):
        for name, path in paths.items():
            arg = arg.replace("{%s}" % name, path)
        return arg
    return Cluster(data_dir, extra_args=["--nodes", "0"] + [substituted(arg) for arg in args])


def stop(running):
    assert running.stop() == 0, running.log_tail()
    if running in _running:
        _running.remove(running)
    shutil.rmtree(running.data_dir, ignore_errors=True)


def audit_events(path):
    try:
        with open(path) as log:
            return [json.loads(line) for line in log if line.strip()]
    except FileNotFoundError:
        return []


@pytest.fixture(scope="module")
def audited():
    running = own_cluster("skiff-e2e-audit-", {"policy.yaml": POLICY},
                          ["--audit-policy-file", "{policy.yaml}", "--audit-log-path", "{policy.yaml}.log"])
    running.start()
    running.audit_log = os.path.join(running.data_dir, "policy.yaml.log")
    yield running
    stop(running)


def test_kubectl_requests_recorded_at_the_policys_levels(audited):
    audited.kubectl("create", "namespace", "audited")
    audited.kubectl("create", "configmap", "settings", "-n", "audited", "--from-literal=mode=fast")
    audited.kubectl("get", "secrets", "-n", "audited")
    audited.kubectl("get", "events", "-n", "audited")
    audited.kubectl("get", "configmaps", "-n", "default")

    def kubectls(verb, resource, namespace):
        # kubectl's own: the root CA publisher creates a ConfigMap in every new namespace too.
        return [e for e in audit_events(audited.audit_log) if e["verb"] == verb and e.get("userAgent", "").startswith("kubectl")
                and e.get("objectRef", {}).get("resource") == resource and e["objectRef"].get("namespace") == namespace]

    def created():
        return kubectls("create", "configmaps", "audited")
    wait_for(lambda: len(created()) == 2, message="the configmap create's two events")
    received, complete = created()
    assert [received["stage"], complete["stage"]] == ["RequestReceived", "ResponseComplete"]
    assert received["auditID"] == complete["auditID"]
    assert complete["kind"] == "Event" and complete["apiVersion"] == "audit.k8s.io/v1"
    assert complete["level"] == "RequestResponse"
    assert complete["objectRef"] == {"resource": "configmaps", "namespace": "audited", "apiVersion": "v1"}
    assert complete["responseStatus"] == {"metadata": {}, "code": 201}
    assert complete["requestObject"]["data"] == {"mode": "fast"}
    assert complete["responseObject"]["metadata"]["name"] == "settings"
    assert "responseStatus" not in received and "requestObject" not in received and "responseObject" not in received
    assert complete["user"]["username"] == "kubernetes-admin"
    assert "system:masters" in complete["user"]["groups"]
    assert complete["userAgent"].startswith("kubectl")
    assert complete["sourceIPs"] == ["127.0.0.1"]
    assert complete["annotations"]["authorization.k8s.io/decision"] == "allow"
    # Go's RFC 3339 with microseconds.
    assert len(complete["stageTimestamp"]) == len("2026-12-06T18:04:05.123456Z")

    def listed(resource, namespace):
        return kubectls("list", resource, namespace)
    wait_for(lambda: len(listed("secrets", "audited")) == 2, message="the secrets list's events")
    for event in listed("secrets", "audited"):
        assert event["level"] == "Metadata"
        assert "requestObject" not in event and "responseObject" not in event
    assert listed("events", "audited") == []
    assert listed("configmaps", "default") == []


def test_watch_has_a_response_started_stage_and_audit_id_header(audited):
    session = audited.requests_session()
    response = session.get(audited.server + "/api/v1/namespaces/audited/configmaps",
                           params={"watch": "true", "timeoutSeconds": "1"}, headers={"Audit-ID": "e2e-watch-1"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Audit-Id"] == "e2e-watch-1"

    def stages():
        return [e["stage"] for e in audit_events(audited.audit_log) if e["auditID"] == "e2e-watch-1"]
    wait_for(lambda: len(stages()) == 3, message="the watch's three events")
    assert stages() == ["RequestReceived", "ResponseStarted", "ResponseComplete"]
    # Requests no rule records still answer with their ID.
    assert session.get(audited.server + "/readyz", timeout=30).headers["Audit-Id"]


def stored_value_sqlite(cluster, key):
    with sqlite3.connect(os.path.join(cluster.data_dir, "skiff.db")) as db:
        row = db.execute("SELECT value FROM kv WHERE key = ? ORDER BY revision DESC LIMIT 1", (key,)).fetchone()
    return bytes(row[0])


def write_config(cluster, text):
    with open(os.path.join(cluster.data_dir, "encryption.yaml"), "w") as out:
        out.write(text)


def restart(cluster):
    assert cluster.stop() == 0, cluster.log_tail()
    cluster.start()


def secret_value(cluster, namespace, name):
    out = cluster.kubectl("get", "secret", name, "-n", namespace, "-o", "jsonpath={.data.password}").stdout
    return base64.b64decode(out).decode()


def test_secrets_encrypted_at_rest_and_keys_rotated():
    cluster = own_cluster("skiff-e2e-encryption-", {"encryption.yaml": encryption_config(("aescbc", [("key1", KEY1)]), "identity")},
                          ["--encryption-provider-config", "{encryption.yaml}"])
    try:
        cluster.start()
        cluster.kubectl("create", "namespace", "vault")
        cluster.kubectl("create", "secret", "generic", "s1", "-n", "vault", "--from-literal=password=topsecret-e2e")
        cluster.kubectl("create", "configmap", "c1", "-n", "vault", "--from-literal=visible=plain-e2e")
        stored = stored_value_sqlite(cluster, "/registry/secrets/vault/s1")
        assert stored.startswith(b"k8s:enc:aescbc:v1:key1:")
        assert b"topsecret" not in stored and base64.b64encode(b"topsecret-e2e") not in stored
        assert b"plain-e2e" in stored_value_sqlite(cluster, "/registry/configmaps/vault/c1")
        assert secret_value(cluster, "vault", "s1") == "topsecret-e2e"

        # Rotation as upstream documents it: key2 second, restart; key2 first, restart, rewrite
        # every secret; drop key1, restart.
        write_config(cluster, encryption_config(("aescbc", [("key1", KEY1), ("key2", KEY2)]), "identity"))
        restart(cluster)
        assert secret_value(cluster, "vault", "s1") == "topsecret-e2e"
        write_config(cluster, encryption_config(("aescbc", [("key2", KEY2), ("key1", KEY1)]), "identity"))
        restart(cluster)
        everything = cluster.kubectl("get", "secrets", "-A", "-o", "json").stdout
        cluster.kubectl("replace", "-f", "-", input=everything)
        assert stored_value_sqlite(cluster, "/registry/secrets/vault/s1").startswith(b"k8s:enc:aescbc:v1:key2:")
        write_config(cluster, encryption_config(("aescbc", [("key2", KEY2)]), "identity"))
        restart(cluster)
        assert secret_value(cluster, "vault", "s1") == "topsecret-e2e"
        cluster.kubectl("create", "secret", "generic", "s2", "-n", "vault", "--from-literal=password=second")
        assert stored_value_sqlite(cluster, "/registry/secrets/vault/s2").startswith(b"k8s:enc:aescbc:v1:key2:")
    finally:
        if cluster.process is not None:
            stop(cluster)


@pytest.mark.skipif(ctypes.util.find_library("sodium") is None, reason="no libsodium (install Debian's libsodium23)")
def test_secretbox_provider():
    cluster = own_cluster("skiff-e2e-secretbox-", {"encryption.yaml": encryption_config(("secretbox", [("box1", KEY1)]))},
                          ["--encryption-provider-config", "{encryption.yaml}"])
    try:
        cluster.start()
        cluster.kubectl("create", "secret", "generic", "s1", "-n", "default", "--from-literal=password=topsecret-box")
        stored = stored_value_sqlite(cluster, "/registry/secrets/default/s1")
        assert stored.startswith(b"k8s:enc:secretbox:v1:box1:")
        assert b"topsecret" not in stored
        assert secret_value(cluster, "default", "s1") == "topsecret-box"
    finally:
        if cluster.process is not None:
            stop(cluster)


def test_bad_encryption_config_refuses_to_start():
    cluster = own_cluster("skiff-e2e-encryption-bad-", {"encryption.yaml": encryption_config(("aesgcm", [("key1", "c2hvcnQ=")]))},
                          ["--encryption-provider-config", "{encryption.yaml}"])
    try:
        with pytest.raises(RuntimeError) as failure:
            cluster.start(timeout=30)
        assert "secret is not of the expected length" in str(failure.value)
    finally:
        shutil.rmtree(cluster.data_dir, ignore_errors=True)


@pytest.mark.skipif(ETCD is None, reason="no etcd binary on PATH (install Debian's etcd-server)")
def test_secrets_encrypted_in_etcd():
    root = tempfile.mkdtemp(prefix="skiff-e2e-encryption-etcd-")
    etcd = Etcd(os.path.join(root, "etcd")).start()
    cluster = own_cluster("skiff-e2e-encryption-etcd-", {"encryption.yaml": encryption_config(("aesgcm", [("key1", KEY1)]), "identity")},
                          ["--encryption-provider-config", "{encryption.yaml}", "--storage", "etcd://" + etcd.endpoint])
    try:
        cluster.start()
        cluster.kubectl("create", "namespace", "vault")
        cluster.kubectl("create", "secret", "generic", "s1", "-n", "vault", "--from-literal=password=topsecret-etcd")
        # The value is binary: read as bytes, not through Etcd.etcdctl's text.
        raw = subprocess.run([ETCDCTL, "--endpoints", etcd.endpoint, "get", "/registry/secrets/vault/s1", "--print-value-only"],
                             capture_output=True, env=dict(os.environ, ETCDCTL_API="3"), timeout=30, check=True).stdout
        assert raw.startswith(b"k8s:enc:aesgcm:v1:key1:")
        assert b"topsecret" not in raw
        assert secret_value(cluster, "vault", "s1") == "topsecret-etcd"
    finally:
        if cluster.process is not None:
            stop(cluster)
        etcd.stop()
        shutil.rmtree(root, ignore_errors=True)
