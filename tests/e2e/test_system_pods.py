"""End-to-end: kube-system holds the components `skiff up` runs in process, as mirror pods of
its first node's kubelet (docs/kubelet.md, Mirror pods): listed by kubectl as on a kind cluster,
in upstream's mirror-pod shape, recreated when deleted, their logs an empty 200.
"""
import json

from conftest import kubectl, wait_for

NODE = "skiff-node-0"
EXPECTED = {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-dns", "metrics-server"}


def system_pods():
    return json.loads(kubectl("get", "pods", "-n", "kube-system", "-o", "json").stdout)["items"]


def running_names():
    return {pod["metadata"]["name"] for pod in system_pods() if pod["status"].get("phase") == "Running"}


def test_kube_system_lists_the_in_process_components_as_running_mirror_pods(cluster):
    wanted = {"%s-%s" % (name, NODE) for name in EXPECTED}
    wait_for(lambda: wanted <= running_names(), timeout=60, message="the mirror pods running")
    rows = kubectl("get", "pods", "-n", "kube-system", "--no-headers").stdout.splitlines()
    row = next(line.split() for line in rows if line.startswith("kube-apiserver-" + NODE))
    assert row[1:4] == ["1/1", "Running", "0"]
    pod = json.loads(kubectl("get", "pod", "-n", "kube-system", "kube-apiserver-" + NODE, "-o", "json").stdout)
    annotations = pod["metadata"]["annotations"]
    assert annotations["kubernetes.io/config.source"] == "file"
    assert annotations["kubernetes.io/config.mirror"] == annotations["kubernetes.io/config.hash"]
    assert "kubernetes.io/config.seen" in annotations
    assert pod["metadata"]["labels"] == {"component": "kube-apiserver", "tier": "control-plane"}
    node_uid = kubectl("get", "node", NODE, "-o", "jsonpath={.metadata.uid}").stdout
    assert pod["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Node", "name": NODE, "uid": node_uid, "controller": True}]
    assert pod["spec"]["priorityClassName"] == "system-node-critical" and pod["spec"]["priority"] == 2000001000
    assert pod["spec"]["hostNetwork"] is True and "serviceAccountName" not in pod["spec"]
    assert pod["status"]["podIP"] == pod["status"]["hostIP"]
    dns = kubectl("get", "pods", "-n", "kube-system", "-l", "k8s-app=kube-dns", "-o", "name").stdout.split()
    assert dns == ["pod/kube-dns-" + NODE]
    assert kubectl("logs", "-n", "kube-system", "kube-scheduler-" + NODE).stdout == ""


def test_a_deleted_mirror_pod_comes_back(cluster):
    name = "kube-scheduler-" + NODE
    wait_for(lambda: name in running_names(), timeout=60, message="the scheduler's mirror pod")
    uid = kubectl("get", "pod", "-n", "kube-system", name, "-o", "jsonpath={.metadata.uid}").stdout
    # --wait=false: the kubelet recreates the mirror pod within milliseconds, and kubectl's wait
    # can miss the deletion: its informer may add the new pod (same name) to its store before it
    # checks that the name is gone, and then waits for a DELETED event that never comes.
    kubectl("delete", "pod", "-n", "kube-system", name, "--wait=false")
    wait_for(lambda: kubectl("get", "pod", "-n", "kube-system", name, "-o", "jsonpath={.metadata.uid}", check=False).stdout not in ("", uid)
             and name in running_names(), timeout=60, message="the mirror pod recreated")
    refused = kubectl("annotate", "pod", "-n", "kube-system", name, "--overwrite", "kubernetes.io/config.mirror=x", check=False)
    assert refused.returncode != 0 and "may not remove or update mirror pod annotation" in refused.stderr
