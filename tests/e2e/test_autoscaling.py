"""The horizontal pod autoscaler with the real kubectl when CPU utilization cannot be computed
(the pods request no CPU): `kubectl autoscale` makes an autoscaler whose status says, as
upstream's does, that the CPU metrics cannot be read; a target above `--max` is scaled down to it.
test_metrics_api.py scales on metrics."""
import json

from conftest import wait_for


def test_autoscale_reports_missing_metrics_and_keeps_bounds(cluster, namespace):
    cluster.kubectl("create", "deployment", "web", "--image=nginx", "--replicas=4", "-n", namespace)
    cluster.kubectl("autoscale", "deployment", "web", "--min=1", "--max=2", "--cpu-percent=50", "-n", namespace)
    wait_for(lambda: cluster.kubectl("get", "deployment", "web", "-n", namespace, "-o", "jsonpath={.spec.replicas}").stdout == "2",
             timeout=60, message="the deployment scaled to --max")
    described = lambda: cluster.kubectl("describe", "hpa", "web", "-n", namespace).stdout
    wait_for(lambda: "the HPA was unable to compute the replica count" in described(), timeout=60, message="the missing metrics reported")
    text = described()
    assert "New size: 2; reason: Current number of replicas above Spec.MaxReplicas" in text, text
    assert "FailedGetResourceMetric" in text and "FailedComputeMetricsReplicas" in text, text
    row = cluster.kubectl("get", "hpa", "web", "-n", namespace, "--no-headers").stdout.split()
    assert row[1] == "Deployment/web" and row[2:4] == ["cpu:", "<unknown>/50%"], row
    status = json.loads(cluster.kubectl("get", "hpa.v2.autoscaling", "web", "-n", namespace, "-o", "json").stdout)["status"]
    conditions = {c["type"]: (c["status"], c["reason"]) for c in status["conditions"]}
    assert conditions["AbleToScale"] == ("True", "SucceededGetScale") and conditions["ScalingActive"] == ("False", "FailedGetResourceMetric")
