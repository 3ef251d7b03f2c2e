"""The controllers `skiff up` runs, seen through the real kubectl: replica sets make pods,
deleting a namespace finishes, orphan deletion leaves the pods, the default service account.
Pods never run (there is no kubelet yet); tests only look at the objects."""
import json

from conftest import kubectl, wait_for


def get_json(*args):
    return json.loads(kubectl("get", "-o", "json", *args).stdout)


def pod_names(namespace, selector):
    items = get_json("pods", "-n", namespace, "-l", selector)["items"]
    return sorted(item["metadata"]["name"] for item in items if not item["metadata"].get("deletionTimestamp"))


REPLICA_SET = """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
"""


def test_replica_set_creates_its_pods(namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=REPLICA_SET)
    names = wait_for(lambda: (lambda n: n if len(n) == 3 else None)(pod_names(namespace, "app=web")),
                     message="three pods")
    assert all(name.startswith("web-") and len(name) == len("web-") + 5 for name in names)
    output = kubectl("get", "rs,pods", "-n", namespace).stdout
    assert "replicaset.apps/web" in output and names[0] in output
    wait_for(lambda: get_json("rs", "web", "-n", namespace).get("status", {}).get("replicas") == 3, message="status")
    wait_for(lambda: any(e["reason"] == "SuccessfulCreate" for e in get_json("events", "-n", namespace)["items"]),
             message="SuccessfulCreate events")

    kubectl("scale", "rs", "web", "--replicas=1", "-n", namespace)
    wait_for(lambda: len(pod_names(namespace, "app=web")) == 1, message="one pod left")


def test_orphan_cascade_leaves_the_pods(namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=REPLICA_SET)
    wait_for(lambda: len(pod_names(namespace, "app=web")) == 3, message="three pods")
    kubectl("delete", "rs", "web", "--cascade=orphan", "-n", namespace)
    wait_for(lambda: not get_json("rs", "-n", namespace)["items"], message="the replica set gone")
    pods = get_json("pods", "-n", namespace, "-l", "app=web")["items"]
    assert len(pods) == 3
    assert all(not pod["metadata"].get("ownerReferences") for pod in pods)


def test_background_cascade_deletes_the_pods(namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=REPLICA_SET)
    wait_for(lambda: len(pod_names(namespace, "app=web")) == 3, message="three pods")
    kubectl("delete", "rs", "web", "-n", namespace)
    wait_for(lambda: not get_json("pods", "-n", namespace, "-l", "app=web")["items"], message="the pods collected")


def test_namespace_deletion_finishes(cluster):
    kubectl("create", "namespace", "e2e-doomed")
    kubectl("create", "configmap", "settings", "-n", "e2e-doomed", "--from-literal=a=b")
    kubectl("apply", "-n", "e2e-doomed", "-f", "-", input=REPLICA_SET)
    kubectl("delete", "namespace", "e2e-doomed", "--timeout=60s")
    result = kubectl("get", "namespace", "e2e-doomed", check=False)
    assert result.returncode != 0 and "NotFound" in result.stderr


def test_default_service_account(namespace):
    wait_for(lambda: kubectl("get", "serviceaccount", "default", "-n", namespace, check=False).returncode == 0,
             message="the default service account")
