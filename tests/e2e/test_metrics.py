"""Prometheus metrics (docs/metrics.md): `kubectl get --raw /metrics` on the API server of `skiff up`
shows upstream's metric names for every component of the process (API server, storage, scheduler,
kubelets, clients, work queues, the process) with sane values after some requests; a user outside the
`system:monitoring` group is refused with 403; a scheduler run on its own serves them at
`--metrics-port`; and a tiny `skiff bench cluster` run prints its SLO report."""
import re
import subprocess
import time

import requests

from conftest import SKIFF, free_port, kubectl, wait_for

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

POD = """
apiVersion: v1
kind: Pod
metadata: {name: metered}
spec:
  containers: [{name: app, image: registry.k8s.io/pause:3.10}]
"""


def scrape(*args):
    samples = []
    for line in kubectl(*args, "get", "--raw", "/metrics").stdout.splitlines():
        match = SAMPLE.match(line)
        if match:
            samples.append((match.group(1), dict(LABEL.findall(match.group(2) or "")), float(match.group(3))))
    return samples


def value(samples, name, **labels):
    """The sum of the samples named `name` whose labels include `labels`."""
    return sum(v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in labels.items()))


def names(samples):
    return {name for name, _, _ in samples}


def test_metrics_show_every_component_with_upstream_names(cluster, namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=POD)
    wait_for(lambda: kubectl("get", "pod", "metered", "-n", namespace, "-o", "jsonpath={.status.phase}").stdout == "Running",
             timeout=60, message="the pod running")
    kubectl("get", "pods", "-n", namespace)

    def scheduled():
        samples = scrape()
        return samples if value(samples, "kubelet_pod_start_duration_seconds_count") >= 1 else None
    samples = wait_for(scheduled, timeout=30, message="the pod's start measured")
    present = names(samples)
    for name in [
        "apiserver_request_total", "apiserver_request_duration_seconds_bucket", "apiserver_storage_objects",
        "etcd_request_duration_seconds_bucket", "apiserver_watch_events_total", "apiserver_current_inflight_requests",
        "apiserver_longrunning_requests", "scheduler_schedule_attempts_total", "scheduler_scheduling_attempt_duration_seconds_bucket",
        "scheduler_pending_pods", "kubelet_pod_start_duration_seconds_bucket", "kubelet_running_pods",
        "rest_client_requests_total", "rest_client_request_duration_seconds_bucket", "workqueue_adds_total",
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "process_open_fds",
    ]:
        assert name in present, name
    assert value(samples, "apiserver_request_total", verb="POST", resource="pods", code="201") >= 1
    assert value(samples, "apiserver_request_total", verb="LIST", resource="pods", scope="namespace", code="200") >= 1
    assert value(samples, "apiserver_request_duration_seconds_bucket", verb="POST", resource="pods", le="+Inf") >= 1
    assert value(samples, "apiserver_request_duration_seconds_bucket", verb="POST", resource="pods", le="60") >= 1
    assert value(samples, "apiserver_storage_objects", resource="namespaces") >= 4
    assert value(samples, "apiserver_storage_objects", resource="pods") >= 1
    assert value(samples, "etcd_request_duration_seconds_count", operation="create", type="pods") >= 1
    assert value(samples, "apiserver_watch_events_total", group="", version="v1", resource="pods") >= 1
    assert value(samples, "apiserver_longrunning_requests", verb="WATCH") >= 1  # the components' informers
    # This scrape is a read in flight.
    assert value(samples, "apiserver_current_inflight_requests", request_kind="readOnly") >= 1
    assert value(samples, "scheduler_schedule_attempts_total", result="scheduled", profile="default-scheduler") >= 1
    assert value(samples, "kubelet_running_pods") >= 1
    assert value(samples, "rest_client_requests_total", method="GET", code="200") >= 1
    assert 0 < value(samples, "process_cpu_seconds_total")
    assert value(samples, "process_resident_memory_bytes") > 1 << 20
    assert time.time() - 3600 < value(samples, "process_start_time_seconds") <= time.time()


def test_metrics_need_the_monitoring_role():
    refused = kubectl("--as=e2e-nobody", "get", "--raw", "/metrics", check=False)
    assert refused.returncode != 0
    assert "Forbidden" in refused.stderr or "forbidden" in refused.stderr
    monitoring = scrape("--as=e2e-prometheus", "--as-group=system:monitoring")
    assert "apiserver_request_total" in names(monitoring)
    assert value(monitoring, "apiserver_request_total", verb="GET", code="403") >= 1


def test_a_separate_scheduler_serves_its_own_metrics_port(cluster):
    port = free_port()
    scheduler = subprocess.Popen([SKIFF, "scheduler", "--kubeconfig", cluster.kubeconfig, "--metrics-port", str(port)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def scraped():
            try:
                response = requests.get("http://127.0.0.1:%d/metrics" % port, timeout=5)
            except requests.ConnectionError:
                return None
            return response if "rest_client_requests_total" in response.text else None
        response = wait_for(scraped, timeout=30, message="the scheduler's /metrics")
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        assert "process_resident_memory_bytes" in response.text
        assert requests.get("http://127.0.0.1:%d/healthz" % port, timeout=5).text == "ok"
    finally:
        scheduler.terminate()
        assert scheduler.wait(timeout=20) == 0


def test_bench_cluster_smoke_run_prints_the_report():
    result = subprocess.run(
        [SKIFF, "bench", "cluster", "--nodes", "5", "--deployments", "2", "--replicas", "10", "--storage", "memory", "--timeout", "240"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "nodes Ready 5/5" in out
    assert "running 20" in out
    assert "## Cluster density: 5 simulated nodes, 2 × 10 = 20 pods" in out
    assert re.search(r"\| pod startup \(first seen → running\) p50 / p90 / p99 \| \d+", out), out
    assert re.search(r"\| POST \| pods \| resource \| \d+ \|", out), out
    for component in ["apiserver", "kubelets", "controller-manager", "scheduler"]:
        assert "| %s: CPU during the run" % component in out
