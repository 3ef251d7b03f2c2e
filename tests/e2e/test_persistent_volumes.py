"""End-to-end: persistent volumes with kubectl. The default `local-path` StorageClass fills a
claim without a class; the claim waits for its first consumer, then the scheduler's node choice
lets the local-path provisioner make a hostPath volume that the binder binds. A static volume
with `Retain` binds to a matching claim and is `Released` with it. A claim a pod uses waits on
its `kubernetes.io/pvc-protection` finalizer. With the process runtime (test_runtime's
requirements and skips), a pod writes a file in its claim and a second pod reads it back.
"""
import json
import os

import pytest

from conftest import kubectl, wait_for
from test_runtime import missing, ns, real_cluster, registry  # noqa: F401 (fixtures)
from test_volumes import output


def apply(manifest, cluster=None):
    run = cluster.kubectl if cluster else kubectl
    run("apply", "-f", "-", input=json.dumps(manifest))


def claim(name, namespace, storage_class=None, size="1Gi"):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def claim_user(name, namespace, claim_name, image="busybox", command=None):
    container = {"name": "app", "image": image, "volumeMounts": [{"name": "data", "mountPath": "/data"}]}
    if command:
        container["command"] = command
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
            "spec": {"containers": [container], "terminationGracePeriodSeconds": 1,
                     "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}]}}


def get(kind, name, path, namespace=None, cluster=None):
    run = cluster.kubectl if cluster else kubectl
    args = ["get", kind, name, "-o", "jsonpath=" + path] + (["-n", namespace] if namespace else [])
    return run(*args, check=False).stdout


def events(namespace, name):
    return kubectl("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=" + name,
                   "-o", "jsonpath={range .items[*]}{.reason}{'\\n'}{end}").stdout.split()


def test_a_claim_without_class_gets_local_path_and_binds_once_a_pod_uses_it(cluster, namespace):
    listing = kubectl("get", "storageclass", "local-path", "--no-headers").stdout.split()
    assert listing[:5] == ["local-path", "(default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer"]
    apply(claim("data", namespace))
    assert get("pvc", "data", "{.spec.storageClassName}", namespace) == "local-path"
    wait_for(lambda: "WaitForFirstConsumer" in events(namespace, "data"), timeout=30, message="the WaitForFirstConsumer event")
    assert get("pvc", "data", "{.status.phase}", namespace) == "Pending"

    apply(claim_user("user", namespace, "data"))
    wait_for(lambda: get("pvc", "data", "{.status.phase}", namespace) == "Bound", timeout=60, message="the claim bound")
    volume = get("pvc", "data", "{.spec.volumeName}", namespace)
    uid = get("pvc", "data", "{.metadata.uid}", namespace)
    assert volume == "pvc-" + uid
    node = get("pod", "user", "{.spec.nodeName}", namespace)
    assert get("pvc", "data", "{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}", namespace) == node
    assert get("pv", volume, "{.metadata.annotations.pv\\.kubernetes\\.io/provisioned-by}") == "rancher.io/local-path"
    path = get("pv", volume, "{.spec.hostPath.path}")
    assert path == os.path.join(cluster.data_dir, "storage", "%s_%s_data" % (volume, namespace))
    assert os.path.isdir(path)
    assert {"ExternalProvisioning", "ProvisioningSucceeded"} <= set(events(namespace, "data"))
    kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/user", "--timeout=60s")

    kubectl("delete", "pod", "user", "-n", namespace, "--grace-period=0", "--force")
    kubectl("delete", "pvc", "data", "-n", namespace, "--timeout=60s")
    wait_for(lambda: kubectl("get", "pv", volume, check=False).returncode != 0, timeout=60, message="the provisioned volume deleted")
    assert not os.path.exists(path)


def test_a_retained_static_volume_binds_and_is_released(cluster, namespace):
    volume = "static-" + namespace
    apply({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": volume},
           "spec": {"capacity": {"storage": "2Gi"}, "accessModes": ["ReadWriteOnce"], "persistentVolumeReclaimPolicy": "Retain",
                    "storageClassName": "manual", "hostPath": {"path": "/tmp/" + volume}}})
    wait_for(lambda: get("pv", volume, "{.status.phase}") == "Available", timeout=30, message="the volume available")
    apply(claim("manual", namespace, storage_class="manual"))
    wait_for(lambda: get("pvc", "manual", "{.status.phase}", namespace) == "Bound", timeout=30, message="the claim bound")
    assert get("pvc", "manual", "{.spec.volumeName}", namespace) == volume
    assert get("pvc", "manual", "{.status.capacity.storage}", namespace) == "2Gi"
    assert get("pvc", "manual", "{.metadata.annotations.pv\\.kubernetes\\.io/bind-completed}", namespace) == "yes"
    assert get("pv", volume, "{.spec.claimRef.name}") == "manual"
    assert get("pv", volume, "{.metadata.finalizers}") == '["kubernetes.io/pv-protection"]'
    row = kubectl("get", "pv", volume, "--no-headers").stdout.split()
    assert row[:6] == [volume, "2Gi", "RWO", "Retain", "Bound", namespace + "/manual"]

    kubectl("delete", "pvc", "manual", "-n", namespace, "--timeout=60s")
    wait_for(lambda: get("pv", volume, "{.status.phase}") == "Released", timeout=30, message="the volume released")
    kubectl("delete", "pv", volume, "--timeout=60s")


def test_deleting_a_claim_in_use_waits_for_its_pod(cluster, namespace):
    apply(claim("held", namespace))
    apply(claim_user("holder", namespace, "held"))
    wait_for(lambda: get("pvc", "held", "{.status.phase}", namespace) == "Bound", timeout=60, message="the claim bound")
    kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/holder", "--timeout=60s")
    assert get("pvc", "held", "{.metadata.finalizers}", namespace) == '["kubernetes.io/pvc-protection"]'
    kubectl("delete", "pvc", "held", "-n", namespace, "--wait=false")
    assert kubectl("get", "pvc", "held", "-n", namespace, "--no-headers").stdout.split()[1] == "Terminating"
    assert get("pvc", "held", "{.metadata.deletionTimestamp}", namespace) != ""
    kubectl("delete", "pod", "holder", "-n", namespace, "--grace-period=0", "--force")
    wait_for(lambda: kubectl("get", "pvc", "held", "-n", namespace, check=False).returncode != 0, timeout=60, message="the claim deleted")


@pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing))
@pytest.mark.skipif(os.geteuid() != 0, reason="the process runtime needs root")
def test_a_second_pod_reads_what_the_first_wrote(real_cluster, registry, ns):  # noqa: F811
    apply(claim("notes", ns), real_cluster)
    apply(claim_user("writer", ns, "notes", registry, ["sh", "-c", "echo remembered > /data/note; echo --done--; sleep 3600"]), real_cluster)
    assert output(real_cluster, ns, "writer") == ""
    real_cluster.kubectl("delete", "pod", "writer", "-n", ns, "--timeout=60s")
    apply(claim_user("reader", ns, "notes", registry, ["sh", "-c", "cat /data/note; echo --done--; sleep 3600"]), real_cluster)
    assert output(real_cluster, ns, "reader") == "remembered\n"
    real_cluster.kubectl("delete", "pod", "reader", "-n", ns, "--timeout=60s")
