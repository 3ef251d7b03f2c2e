"""End-to-end: the composite-pod examples of Examples/pods/ applied with the real kubectl on the
process runtime (runc), their busybox image pointed at test_runtime's local registry: the sidecar
ships the app's log file to `kubectl logs`, the ambassador forwards the app's localhost port to a
Service, the adapter serves the app's metrics as Prometheus text on the pod IP. Also the native
sidecar's lifecycle: restarted in a `Never` pod, stopped when a Job's container is done (SIGTERM
in reverse order of declaration, the traps' output in `kubectl logs`).
Uses test_runtime's registry and cluster (same requirements, same skips).
"""
import json
import os
import re
import urllib.request

from conftest import REPO, wait_for
from test_probes import needs_cni
from test_runtime import missing, ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)

EXAMPLES = os.path.join(REPO, "Examples", "pods")
# The image the examples name; the tests substitute the local registry's busybox.
EXAMPLE_IMAGE = "busybox:1.36"


def apply_example(cluster, namespace, registry, *path):
    with open(os.path.join(EXAMPLES, *path)) as handle:
        manifest = handle.read()
    assert EXAMPLE_IMAGE in manifest
    cluster.kubectl("apply", "-n", namespace, "-f", "-", input=manifest.replace(EXAMPLE_IMAGE, registry))


def logs(cluster, namespace, pod, container):
    return cluster.kubectl("logs", "-n", namespace, pod, "-c", container).stdout


def wait_ready(cluster, namespace, pod):
    cluster.kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/" + pod, "--timeout=90s")


def test_sidecar_ships_the_app_log_file(real_cluster, registry, ns):  # noqa: F811
    apply_example(real_cluster, ns, registry, "sidecar", "pod.yaml")
    wait_ready(real_cluster, ns, "log-shipping")

    def shipped():
        lines = logs(real_cluster, ns, "log-shipping", "shipper").splitlines()
        return lines if len(lines) >= 3 else None
    lines = wait_for(shipped, timeout=30, interval=0.5, message="three shipped lines")
    numbers = []
    for line in lines:
        match = re.fullmatch(r"\d\d:\d\d:\d\d served request (\d+)", line)
        assert match, line
        numbers.append(int(match.group(1)))
    assert numbers == list(range(1, len(numbers) + 1))
    # The app writes the file only; its own log is empty.
    assert logs(real_cluster, ns, "log-shipping", "app") == ""
    shipper = json.loads(pod_json(real_cluster, ns, "log-shipping", "{.status.initContainerStatuses[0]}"))
    assert shipper["name"] == "shipper" and "running" in shipper["state"] and shipper["started"] is True
    assert shipper["ready"] is True and shipper["restartCount"] == 0
    assert pod_json(real_cluster, ns, "log-shipping", "{.status.containerStatuses[0].state.running.startedAt}") != ""


@needs_cni
def test_ambassador_forwards_localhost_to_the_backend_service(real_cluster, registry, ns):  # noqa: F811
    apply_example(real_cluster, ns, registry, "ambassador", "backend.yaml")
    apply_example(real_cluster, ns, registry, "ambassador", "pod.yaml")
    real_cluster.kubectl("rollout", "status", "-n", ns, "deployment/backend", "--timeout=120s")
    wait_ready(real_cluster, ns, "ambassador")
    backends = real_cluster.kubectl("get", "pods", "-n", ns, "-l", "app=backend", "-o", "jsonpath={.items[*].metadata.name}").stdout.split()
    assert len(backends) == 2
    answers = {"hello from %s" % name for name in backends}
    # `localhost` resolves through the kubelet-managed /etc/hosts, as upstream's.
    hosts = real_cluster.kubectl("exec", "-n", ns, "ambassador", "-c", "app", "--", "cat", "/etc/hosts").stdout
    pod_ip = pod_json(real_cluster, ns, "ambassador", "{.status.podIP}")
    assert hosts.startswith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n") and hosts.endswith("\n%s\tambassador\n" % pod_ip), hosts

    def through_the_ambassador():
        result = real_cluster.kubectl("exec", "-n", ns, "ambassador", "-c", "app", "--", "wget", "-qO-", "http://localhost:9000/", check=False)
        return result.returncode == 0 and result.stdout.strip()
    assert wait_for(through_the_ambassador, timeout=30, interval=0.5, message="an answer on localhost:9000") in answers

    def app_logged():
        said = [line[len("backend says: "):] for line in logs(real_cluster, ns, "ambassador", "app").splitlines()]
        return [answer for answer in said if answer in answers]
    assert wait_for(app_logged, timeout=30, interval=0.5, message="the app's log to show a backend's answer")


@needs_cni
def test_adapter_serves_the_app_metrics_as_prometheus_text(real_cluster, registry, ns):  # noqa: F811
    apply_example(real_cluster, ns, registry, "adapter", "pod.yaml")
    wait_ready(real_cluster, ns, "adapter")
    pod_ip = pod_json(real_cluster, ns, "adapter", "{.status.podIP}")

    def scrape():
        # From the node: the pod IP is routed over the node's bridge.
        with urllib.request.urlopen("http://%s:9102/cgi-bin/metrics" % pod_ip, timeout=5) as response:
            return response.headers["Content-Type"], response.read().decode()
    content_type, text = wait_for(lambda: (lambda got: got if "app_requests_total" in got[1] else None)(scrape()),
                                  timeout=30, interval=0.5, message="the converted metrics")
    assert content_type == "text/plain; version=0.0.4"
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("#")] == [
        "# TYPE app_requests_total counter", "# TYPE app_errors_total counter", "# TYPE app_queue_length gauge"]
    values = dict(line.split(" ") for line in lines if not line.startswith("#"))
    assert sorted(values) == ["app_errors_total", "app_queue_length", "app_requests_total"]
    # One snapshot of the app's counter i: requests 3i, errors i/10, queue i mod 5.
    i = int(values["app_requests_total"]) // 3
    assert i >= 1 and int(values["app_requests_total"]) == 3 * i
    assert int(values["app_errors_total"]) == i // 10 and int(values["app_queue_length"]) == i % 5
    # The adapter reads the very file the app writes.
    stats = real_cluster.kubectl("exec", "-n", ns, "adapter", "-c", "adapter", "--", "cat", "/var/metrics/app.stats").stdout
    assert re.fullmatch(r"STAT requests_total \d+\nSTAT errors_total \d+\nSTAT queue_length \d\n", stats), stats


def sidecar_pod(registry, name, sidecar_script, main_script, restart_policy):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"restartPolicy": restart_policy, "terminationGracePeriodSeconds": 1,
                     "initContainers": [{"name": "sidecar", "image": registry, "restartPolicy": "Always",
                                         "command": ["sh", "-c", sidecar_script]}],
                     "containers": [{"name": "main", "image": registry, "command": ["sh", "-c", main_script]}]}}


def test_a_sidecar_is_restarted_in_a_never_pod(real_cluster, registry, ns):  # noqa: F811
    pod = sidecar_pod(registry, "restarts", "sleep 1; exit 3", "sleep 3600", "Never")
    real_cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(pod))
    wait_for(lambda: int(pod_json(real_cluster, ns, "restarts", "{.status.initContainerStatuses[0].restartCount}") or 0) >= 1,
             timeout=60, interval=0.5, message="the sidecar's restart")
    assert pod_json(real_cluster, ns, "restarts", "{.status.initContainerStatuses[0].lastState.terminated.exitCode}") == "3"
    assert pod_json(real_cluster, ns, "restarts", "{.status.phase}") == "Running"
    assert pod_json(real_cluster, ns, "restarts", "{.status.containerStatuses[0].restartCount}") == "0"


def test_a_job_with_a_sidecar_completes(real_cluster, registry, ns):  # noqa: F811
    template = sidecar_pod(registry, "unused", "exec sleep 3600", "echo done", "Never")
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "with-sidecar"},
           "spec": {"backoffLimit": 0, "template": {"spec": template["spec"]}}}
    real_cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(job))
    real_cluster.kubectl("wait", "-n", ns, "--for=condition=Complete", "job/with-sidecar", "--timeout=90s")
    assert real_cluster.kubectl("logs", "-n", ns, "job/with-sidecar", "-c", "main").stdout == "done\n"
    pod = real_cluster.kubectl("get", "pods", "-n", ns, "-l", "job-name=with-sidecar", "-o", "jsonpath={.items[0].metadata.name}").stdout
    assert pod_json(real_cluster, ns, pod, "{.status.phase}") == "Succeeded"
    # `sleep` as its container's PID 1 ignores SIGTERM: SIGKILL after upstream's minimum of 2 s.
    assert pod_json(real_cluster, ns, pod, "{.status.initContainerStatuses[0].state.terminated.exitCode}") == "137"


def finish_a_job_with_trapping_sidecars(cluster, registry, namespace):  # noqa: F811
    """Runs a Job whose two sidecars trap SIGTERM, write to their logs and exit 0, and checks the
    order: `shipper`, declared last, is stopped first and leaves a note in the shared emptyDir that
    `proxy`'s trap then reads. Also used by test_cri.py (the same order through CRI)."""
    loop = "while true; do sleep 1; done"
    shipper = "trap 'echo shipper flushed > /shared/order; echo shipper stopping; exit 0' TERM; " + loop
    proxy = "trap 'echo \"proxy stopping after $(cat /shared/order)\"; exit 0' TERM; " + loop
    mount = [{"name": "shared", "mountPath": "/shared"}]
    sidecars = [{"name": name, "image": registry, "restartPolicy": "Always", "command": ["sh", "-c", script], "volumeMounts": mount}
                for name, script in (("proxy", proxy), ("shipper", shipper))]
    spec = {"restartPolicy": "Never", "terminationGracePeriodSeconds": 30, "volumes": [{"name": "shared", "emptyDir": {}}],
            "initContainers": sidecars, "containers": [{"name": "main", "image": registry, "command": ["sh", "-c", "echo done"]}]}
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "graceful-sidecars"},
           "spec": {"backoffLimit": 0, "template": {"spec": spec}}}
    cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps(job))
    cluster.kubectl("wait", "-n", namespace, "--for=condition=Complete", "job/graceful-sidecars", "--timeout=90s")
    assert cluster.kubectl("logs", "-n", namespace, "job/graceful-sidecars", "-c", "shipper").stdout == "shipper stopping\n"
    assert cluster.kubectl("logs", "-n", namespace, "job/graceful-sidecars", "-c", "proxy").stdout == "proxy stopping after shipper flushed\n"
    pod = cluster.kubectl("get", "pods", "-n", namespace, "-l", "job-name=graceful-sidecars", "-o", "jsonpath={.items[0].metadata.name}").stdout
    assert pod_json(cluster, namespace, pod, "{.status.phase}") == "Succeeded"
    ends = pod_json(cluster, namespace, pod, "{range .status.initContainerStatuses[*]}{.name}={.state.terminated.exitCode}/{.state.terminated.reason} {end}")
    assert ends.split() == ["proxy=0/Completed", "shipper=0/Completed"]


def test_a_finished_job_stops_its_sidecars_gracefully_last_declared_first(real_cluster, registry, ns):  # noqa: F811
    finish_a_job_with_trapping_sidecars(real_cluster, registry, ns)
