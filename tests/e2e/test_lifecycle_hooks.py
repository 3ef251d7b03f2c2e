"""End-to-end: containers' postStart and preStop hooks on the process runtime (runc), and the
kubelet's container events (`Killing`, `FailedPostStartHook`) as upstream's kubelet writes them.
Uses test_runtime's registry and cluster (same requirements, same skips).
"""
import json
import os
import tempfile

from conftest import wait_for
from test_probes import busybox_pod, create
from test_runtime import missing, ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)


def events(cluster, namespace):
    """(type, reason, message, fieldPath) of the namespace's events."""
    items = json.loads(cluster.kubectl("get", "events", "-n", namespace, "-o", "json").stdout)["items"]
    return {(item["type"], item["reason"], item["message"], item["involvedObject"].get("fieldPath", "")) for item in items}


def test_post_start_hook_has_run_when_the_pod_reports_running(real_cluster, registry, ns):  # noqa: F811
    hooks = {"postStart": {"exec": {"command": ["sh", "-c", "echo hooked > /started"]}}}
    create(real_cluster, ns, busybox_pod(registry, "warm", "sleep 3600", lifecycle=hooks))
    wait_for(lambda: pod_json(real_cluster, ns, "warm", "{.status.phase}") == "Running", timeout=60, message="the pod to run")
    # The kubelet reports the container running only once its postStart hook has returned.
    assert real_cluster.kubectl("exec", "-n", ns, "warm", "--", "cat", "/started").stdout == "hooked\n"


def test_a_failing_post_start_hook_kills_the_container_and_says_so(real_cluster, registry, ns):  # noqa: F811
    hooks = {"postStart": {"exec": {"command": ["sh", "-c", "exit 3"]}}}
    create(real_cluster, ns, busybox_pod(registry, "cold", "sleep 3600", lifecycle=hooks))
    wait_for(lambda: pod_json(real_cluster, ns, "cold", "{.status.containerStatuses[0].restartCount}") not in ("", "0"),
             timeout=60, interval=0.5, message="a restart after the failed postStart hook")
    wanted = {("Warning", "FailedPostStartHook", "PostStartHook failed", "spec.containers{main}"),
              ("Normal", "Killing", "FailedPostStartHook", "spec.containers{main}")}
    wait_for(lambda: wanted <= events(real_cluster, ns), message="the hook's events")


def test_pre_stop_hook_runs_before_the_container_gets_sigterm(real_cluster, registry, ns):  # noqa: F811
    out = tempfile.mkdtemp(prefix="skiff-prestop-")
    os.chmod(out, 0o777)
    hooks = {"preStop": {"exec": {"command": ["sh", "-c", "echo prestop >> /out/order"]}}}
    script = "trap 'echo sigterm >> /out/order; exit 0' TERM; while true; do sleep 0.2; done"
    pod = busybox_pod(registry, "drain", script, lifecycle=hooks, volumeMounts=[{"name": "out", "mountPath": "/out"}])
    pod["spec"]["volumes"] = [{"name": "out", "hostPath": {"path": out, "type": "Directory"}}]
    pod["spec"]["terminationGracePeriodSeconds"] = 30
    create(real_cluster, ns, pod)
    wait_for(lambda: pod_json(real_cluster, ns, "drain", "{.status.phase}") == "Running", timeout=60, message="the pod to run")
    real_cluster.kubectl("delete", "pod", "-n", ns, "drain", "--wait=true", "--timeout=60s")
    with open(os.path.join(out, "order")) as order:
        assert order.read() == "prestop\nsigterm\n"
    wait_for(lambda: ("Normal", "Killing", "Stopping container main", "spec.containers{main}") in events(real_cluster, ns),
             message="the Killing event")
