"""The metrics API with the real kubectl: `skiff up` runs a metrics server behind the aggregator
(the APIService `v1beta1.metrics.k8s.io`, as k3s bundles metrics-server) that scrapes the
kubelets' `/metrics/resource`; `kubectl top` lists nodes and pods, and an autoscaler scales a
Deployment up when its pods' simulated CPU (the `skiff.dev/simulate-cpu-usage` annotation) rises.
The cluster scrapes every second and reconciles autoscalers every 2 s, so waits stay short."""
import json
import shutil
import tempfile

import pytest

from conftest import Cluster, _running, wait_for


@pytest.fixture(scope="module")
def metrics_cluster():
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-metrics-")
    running = Cluster(data_dir, extra_args=["--metric-resolution", "1s", "--horizontal-pod-autoscaler-sync-period", "2s"]).start()
    yield running
    assert running.stop() == 0
    if running in _running:
        _running.remove(running)
    shutil.rmtree(data_dir, ignore_errors=True)


def deployment(name, namespace, cpu):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": namespace},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "app", "image": "nginx",
                                                           "resources": {"requests": {"cpu": cpu, "memory": "64Mi"}}}]}}}}


def test_the_apiservice_is_registered_and_available(metrics_cluster):
    def available():
        conditions = json.loads(metrics_cluster.kubectl("get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "json", check=False).stdout
                                or "{}").get("status", {}).get("conditions", [])
        return any(c["type"] == "Available" and c["status"] == "True" for c in conditions)
    wait_for(available, timeout=60, message="the metrics APIService to be available")
    service = json.loads(metrics_cluster.kubectl("-n", "kube-system", "get", "service", "metrics-server", "-o", "json").stdout)
    assert service["spec"]["ports"][0]["port"] == 443 and service["metadata"]["labels"] == {"k8s-app": "metrics-server"}
    resources = metrics_cluster.kubectl("api-resources", "--api-group=metrics.k8s.io", "--no-headers").stdout.split("\n")
    assert sorted(line.split()[0] for line in resources if line) == ["nodes", "pods"]


def test_kubectl_top_nodes_and_raw_node_metrics(metrics_cluster):
    def top():
        result = metrics_cluster.kubectl("top", "nodes", "--no-headers", check=False)
        return result.returncode == 0 and result.stdout.split()
    row = wait_for(top, timeout=60, message="kubectl top nodes")
    # NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%)
    assert row[0] == "skiff-node-0" and row[1].endswith("m") and row[2].endswith("%") and row[3].endswith("Mi"), row
    metrics = json.loads(metrics_cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes").stdout)
    assert metrics["kind"] == "NodeMetricsList" and metrics["apiVersion"] == "metrics.k8s.io/v1beta1"
    node = metrics["items"][0]
    assert node["metadata"]["name"] == "skiff-node-0" and set(node["usage"]) == {"cpu", "memory"}
    assert node["window"].endswith("s") and node["timestamp"].endswith("Z")
    one = json.loads(metrics_cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes/skiff-node-0").stdout)
    assert one["kind"] == "NodeMetrics" and one["metadata"]["name"] == "skiff-node-0"
    missing = metrics_cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes/nothing", check=False)
    assert missing.returncode != 0 and "NotFound" in missing.stderr


def test_kubectl_top_pods_of_a_namespace(metrics_cluster):
    namespace = "top-pods"
    metrics_cluster.create_namespace(namespace)
    metrics_cluster.kubectl("apply", "-f", "-", input=json.dumps(deployment("web", namespace, "200m")))
    def top():
        result = metrics_cluster.kubectl("top", "pods", "-n", namespace, "--no-headers", check=False)
        return result.returncode == 0 and result.stdout.split()
    row = wait_for(top, timeout=60, message="kubectl top pods")
    # NAME CPU(cores) MEMORY(bytes): a tenth of the 200m request, half the 64Mi one.
    assert row[0].startswith("web-") and row[1] == "20m" and row[2] == "32Mi", row
    listed = json.loads(metrics_cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods?labelSelector=app%%3Dweb"
                                                % namespace).stdout)
    assert [item["containers"][0]["name"] for item in listed["items"]] == ["app"]
    assert listed["items"][0]["metadata"]["labels"]["app"] == "web"
    other = json.loads(metrics_cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods?labelSelector=app%%3Dother"
                                               % namespace).stdout)
    assert other["items"] == []
    # system:aggregated-metrics-reader is aggregated into view: a viewer may read the metrics.
    metrics_cluster.kubectl("-n", namespace, "create", "rolebinding", "viewer", "--clusterrole=view", "--user=jane")
    wait_for(lambda: metrics_cluster.kubectl("top", "pods", "-n", namespace, "--no-headers", "--as=jane", check=False).stdout.startswith("web-"),
             timeout=30, message="jane's kubectl top pods")


def test_an_autoscaler_scales_up_on_simulated_cpu(metrics_cluster):
    namespace = "hpa-cpu"
    metrics_cluster.create_namespace(namespace)
    metrics_cluster.kubectl("apply", "-f", "-", input=json.dumps(deployment("web", namespace, "100m")))
    metrics_cluster.kubectl("-n", namespace, "autoscale", "deploy", "web", "--cpu-percent=50", "--min=1", "--max=4")

    def utilization():
        status = json.loads(metrics_cluster.kubectl("-n", namespace, "get", "hpa.v2.autoscaling", "web", "-o", "json").stdout).get("status", {})
        current = status.get("currentMetrics") or [{}]
        return current[0].get("resource", {}).get("current", {}).get("averageUtilization")
    # The default simulated usage is a tenth of the request: 10% of the 50% target, one replica.
    assert wait_for(utilization, timeout=60, message="the autoscaler's current utilization") == 10
    row = metrics_cluster.kubectl("-n", namespace, "get", "hpa", "web", "--no-headers").stdout.split()
    assert row[2:4] == ["cpu:", "10%/50%"], row

    metrics_cluster.kubectl("-n", namespace, "annotate", "pods", "-l", "app=web", "skiff.dev/simulate-cpu-usage=250m")
    wait_for(lambda: (utilization() or 0) > 50, timeout=60, message="the raised utilization")
    wait_for(lambda: int(metrics_cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout) > 1,
             timeout=60, message="the deployment scaled up")
    status = json.loads(metrics_cluster.kubectl("-n", namespace, "get", "hpa.v2.autoscaling", "web", "-o", "json").stdout)["status"]
    conditions = {c["type"]: (c["status"], c["reason"]) for c in status["conditions"]}
    assert conditions["ScalingActive"] == ("True", "ValidMetricFound"), conditions
    assert status["desiredReplicas"] > 1 and status["lastScaleTime"]
    described = metrics_cluster.kubectl("-n", namespace, "describe", "hpa", "web").stdout
    assert "cpu resource utilization (percentage of request) above target" in described, described
