"""End-to-end: pod volumes on the process runtime (runc) — an emptyDir two containers share,
config map and secret files with their modes, downward API labels and resources, a hostPath, a
projected service account token (checked with a TokenReview), a FailedMount for a missing config
map, and the volumes removed with the pod. The
containers print what they see; the tests read their logs. Uses test_runtime's registry and
cluster (same requirements, same skips).
"""
import json
import os
import shutil
import tempfile

import pytest

from conftest import wait_for
from test_runtime import missing, ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing)),
    pytest.mark.skipif(os.geteuid() != 0, reason="the process runtime needs root"),
]
TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
DONE = "--done--"


def create(cluster, manifest):
    cluster.kubectl("create", "-f", "-", input=json.dumps(manifest))


def pod(name, namespace, containers, volumes, labels=None):
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
                "spec": {"containers": containers, "terminationGracePeriodSeconds": 1}}
    if volumes:
        manifest["spec"]["volumes"] = volumes
    return manifest


def script(lines):
    """A container command running `lines`, then printing DONE and sleeping."""
    return ["sh", "-c", "; ".join(lines + ["echo " + DONE, "sleep 3600"])]


def output(cluster, namespace, name, container=None):
    """What the container printed before DONE (waits for it)."""
    args = ["logs", "-n", namespace, name] + (["-c", container] if container else [])

    def done():
        text = cluster.kubectl(*args, check=False).stdout
        return text if DONE in text else None
    try:
        return wait_for(done, timeout=60, interval=0.2, message="%s to print its findings" % name).split(DONE)[0]
    except AssertionError as timeout:
        # Say where the pod got stuck: its status, its claims and its events.
        described = cluster.kubectl("describe", "pod", name, "-n", namespace, check=False).stdout
        claims = cluster.kubectl("get", "pvc", "-n", namespace, "-o", "wide", check=False).stdout
        raise AssertionError("%s\n%s\n%s" % (timeout, described, claims)) from None


def test_two_containers_share_an_empty_dir(real_cluster, registry, ns):  # noqa: F811
    mount = [{"name": "shared", "mountPath": "/shared"}]
    create(real_cluster, pod("sidecar", ns, [
        {"name": "writer", "image": registry, "volumeMounts": mount,
         "command": script(["echo from-writer > /shared/file", "while [ ! -f /shared/reply ]; do sleep 0.1; done", "cat /shared/reply"])},
        {"name": "reader", "image": registry, "volumeMounts": mount,
         "command": script(["while [ ! -f /shared/file ]; do sleep 0.1; done", "cat /shared/file", "echo from-reader > /shared/reply"])},
    ], [{"name": "shared", "emptyDir": {}}]))
    assert output(real_cluster, ns, "sidecar", "reader") == "from-writer\n"
    assert output(real_cluster, ns, "sidecar", "writer") == "from-reader\n"


def test_config_map_and_secret_files_with_modes(real_cluster, registry, ns):  # noqa: F811
    real_cluster.kubectl("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast", "--from-literal=level=3")
    real_cluster.kubectl("create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=s3cret")
    create(real_cluster, pod("configured", ns, [{
        "name": "app", "image": registry,
        "command": script(["cat /etc/config/mode /etc/config/level", "echo", "cat /etc/creds/db/pass", "echo",
                           "ls -lL /etc/config/mode /etc/creds/db/pass", "ls -a /etc/config", "touch /etc/config/new 2>&1"]),
        "volumeMounts": [{"name": "config", "mountPath": "/etc/config", "readOnly": True}, {"name": "creds", "mountPath": "/etc/creds"}],
    }], [
        {"name": "config", "configMap": {"name": "settings", "defaultMode": 0o440}},
        {"name": "creds", "secret": {"secretName": "creds", "items": [{"key": "password", "path": "db/pass", "mode": 0o400}]}},
    ]))
    lines = output(real_cluster, ns, "configured").splitlines()
    assert lines[0:2] == ["fast3", "s3cret"]
    assert lines[2].startswith("-r--r-----") and lines[2].endswith("/etc/config/mode")
    assert lines[3].startswith("-r--------") and lines[3].endswith("/etc/creds/db/pass")
    assert {"..data", "mode", "level"} <= set(lines[4:-1])
    assert lines[-1] == "touch: /etc/config/new: Read-only file system"


def test_a_missing_config_map_keeps_the_pod_creating(real_cluster, registry, ns):  # noqa: F811
    create(real_cluster, pod("unconfigured", ns, [{
        "name": "app", "image": registry, "command": script(["cat /etc/config/now"]),
        "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}],
    }], [{"name": "config", "configMap": {"name": "absent"}}]))
    message = 'MountVolume.SetUp failed for volume "config" : configmap "absent" not found'

    def failed_mount():
        events = real_cluster.kubectl("get", "events", "-n", ns, "--field-selector", "reason=FailedMount", "-o", "json").stdout
        return any(event["message"] == message and event["type"] == "Warning" for event in json.loads(events)["items"])
    wait_for(failed_mount, timeout=30, message="the FailedMount event")
    assert pod_json(real_cluster, ns, "unconfigured", "{.status.phase}") == "Pending"
    assert pod_json(real_cluster, ns, "unconfigured", "{.status.containerStatuses[0].state.waiting.reason}") == "ContainerCreating"
    real_cluster.kubectl("create", "configmap", "absent", "-n", ns, "--from-literal=now=here")
    assert output(real_cluster, ns, "unconfigured") == "here"


def test_downward_api_and_host_path(real_cluster, registry, ns):  # noqa: F811
    host = tempfile.mkdtemp(prefix="skiff-e2e-hostpath-")
    try:
        os.mkdir(os.path.join(host, "out"))
        create(real_cluster, pod("described", ns, [{
            "name": "app", "image": registry, "resources": {"limits": {"memory": "64Mi"}},
            "command": script(["cat /etc/info/labels", "echo", "cat /etc/info/name", "echo", "cat /etc/info/memory", "echo",
                               "echo written > /host/out/file"]),
            "volumeMounts": [{"name": "info", "mountPath": "/etc/info"}, {"name": "host", "mountPath": "/host"}],
        }], [
            {"name": "info", "downwardAPI": {"items": [
                {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
                {"path": "memory", "resourceFieldRef": {"containerName": "app", "resource": "limits.memory", "divisor": "1Mi"}},
            ]}},
            {"name": "host", "hostPath": {"path": host, "type": "Directory"}},
        ], labels={"tier": "web", "app": "shop"}))
        assert output(real_cluster, ns, "described") == 'app="shop"\ntier="web"\ndescribed\n64\n'
        with open(os.path.join(host, "out", "file")) as handle:
            assert handle.read() == "written\n"
    finally:
        shutil.rmtree(host, ignore_errors=True)


def test_a_projected_token_authenticates_the_pod(real_cluster, registry, ns):  # noqa: F811
    create(real_cluster, pod("client", ns, [{
        "name": "app", "image": registry, "command": script(["cat %s/namespace" % TOKEN_DIR, "echo", "cat %s/token" % TOKEN_DIR, "echo"]),
        "volumeMounts": [{"name": "api-access", "mountPath": TOKEN_DIR, "readOnly": True}],
    }], [{"name": "api-access", "projected": {"defaultMode": 0o644, "sources": [
        {"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}}]))
    namespace, token = output(real_cluster, ns, "client").splitlines()
    assert namespace == ns
    review = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": token}}
    status = json.loads(real_cluster.kubectl("create", "-f", "-", "-o", "json", input=json.dumps(review)).stdout)["status"]
    assert status["authenticated"] is True, status
    assert status["user"]["username"] == "system:serviceaccount:%s:default" % ns
    uid = pod_json(real_cluster, ns, "client", "{.metadata.uid}")
    assert status["user"]["extra"]["authentication.kubernetes.io/pod-name"] == ["client"]
    assert status["user"]["extra"]["authentication.kubernetes.io/pod-uid"] == [uid]

    pod_dir = os.path.join(real_cluster.data_dir, "kubelet", "pods", uid)
    assert os.path.isdir(os.path.join(pod_dir, "volumes", "kubernetes.io~projected", "api-access"))
    real_cluster.kubectl("delete", "pod", "client", "-n", ns, "--wait=true", "--timeout=60s")
    wait_for(lambda: not os.path.exists(pod_dir), timeout=30, message="the pod's volumes removed")
    with open("/proc/mounts") as mounts:
        assert pod_dir not in mounts.read()
