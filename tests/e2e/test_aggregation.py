"""The aggregation layer's local APIServices with the real kubectl: every built-in group version
the server serves is listed as upstream's autoregister controller keeps it."""
import json


def test_local_apiservices_are_listed_and_available(cluster):
    rows = {line.split()[0]: line.split()[1:3] for line in
            cluster.kubectl("get", "apiservices", "--no-headers").stdout.splitlines()}
    for name in ["v1.", "v1.apps", "v1.batch", "v2.autoscaling", "v1.apiextensions.k8s.io",
                 "v1.admissionregistration.k8s.io", "v1.rbac.authorization.k8s.io"]:
        assert rows.get(name) == ["Local", "True"], (name, rows.get(name))
    apps = json.loads(cluster.kubectl("get", "apiservice", "v1.apps", "-o", "json").stdout)
    assert apps["spec"] == {"group": "apps", "version": "v1", "groupPriorityMinimum": 17800, "versionPriority": 15}
    assert apps["metadata"]["labels"] == {"kube-aggregator.kubernetes.io/automanaged": "onstart"}
    condition = apps["status"]["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"], condition["message"]) == \
        ("Available", "True", "Local", "Local APIServices are always available")
