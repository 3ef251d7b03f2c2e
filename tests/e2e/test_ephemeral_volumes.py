"""End-to-end: generic ephemeral volumes with kubectl. The ephemeral-volume controller creates
the claim `<pod>-<volume>` from the pod's template, owned by the pod; the default `local-path`
class provisions it once the scheduler placed the pod, the pod runs with it, and the garbage
collector deletes the claim with the pod. A claim of that name the pod does not own is reported
on the pod (`FailedBinding`).
"""
import json

from conftest import kubectl, wait_for
from test_persistent_volumes import apply, events, get


def ephemeral_user(name, namespace):
    template = {"metadata": {"labels": {"type": "scratch"}},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
            "spec": {"containers": [{"name": "app", "image": "busybox", "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}]}],
                     "terminationGracePeriodSeconds": 1,
                     "volumes": [{"name": "scratch", "ephemeral": {"volumeClaimTemplate": template}}]}}


def test_an_ephemeral_volume_gets_a_claim_owned_by_its_pod(cluster, namespace):
    apply(ephemeral_user("user", namespace))
    wait_for(lambda: get("pvc", "user-scratch", "{.status.phase}", namespace) == "Bound", timeout=60, message="the claim bound")
    claim = json.loads(kubectl("get", "pvc", "user-scratch", "-n", namespace, "-o", "json").stdout)
    pod_uid = get("pod", "user", "{.metadata.uid}", namespace)
    assert claim["metadata"]["labels"] == {"type": "scratch"}
    assert claim["spec"]["storageClassName"] == "local-path"
    assert claim["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Pod", "name": "user", "uid": pod_uid,
                                                     "controller": True, "blockOwnerDeletion": True}]
    kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/user", "--timeout=60s")

    kubectl("delete", "pod", "user", "-n", namespace, "--timeout=60s")
    wait_for(lambda: kubectl("get", "pvc", "user-scratch", "-n", namespace, check=False).returncode != 0, timeout=60,
             message="the claim deleted with its pod")


def test_a_claim_the_pod_does_not_own_is_reported(cluster, namespace):
    apply({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "other-scratch", "namespace": namespace},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})
    apply(ephemeral_user("other", namespace))
    wait_for(lambda: "FailedBinding" in events(namespace, "other"), timeout=30, message="the FailedBinding event")
    listed = json.loads(kubectl("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=other", "-o", "json").stdout)
    message = next(event["message"] for event in listed["items"] if event["reason"] == "FailedBinding")
    assert message == "ephemeral volume scratch: PVC %s/other-scratch was not created for pod %s/other (pod is not owner)" % (namespace, namespace)
