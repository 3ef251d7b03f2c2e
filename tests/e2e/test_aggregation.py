"""The aggregation layer's APIServices with the real kubectl: every built-in group version the
server serves is listed as upstream's autoregister controller keeps it, and an APIService served
by a service (a Python HTTPS discovery endpoint behind a selector-less Service) is checked for
availability."""
import json

from conftest import wait_for
from webhook_server import WebhookServer, loopback_service


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


def test_availability_of_apiservices_served_by_a_service(cluster, namespace):
    group = "wardle%s.example.com" % namespace[-8:]

    def discovery(path, body):
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group + "/v1alpha1", "resources": []}
    with WebhookServer(discovery, dns_names=["api.%s.svc" % namespace]) as server:
        cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(loopback_service("api", server.port)))

        def apiservice(version, service):
            return {"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": {"name": "%s.%s" % (version, group)},
                    "spec": {"group": group, "version": version, "groupPriorityMinimum": 1000, "versionPriority": 15,
                             "service": {"namespace": namespace, "name": service}, "caBundle": server.ca_bundle}}
        cluster.kubectl("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": [
            apiservice("v1alpha1", "api"), apiservice("v1beta1", "missing")]}))
        try:
            def available(name):
                rows = cluster.kubectl("get", "apiservice", name, "--no-headers").stdout.split()
                return rows[1:3] if len(rows) > 2 and rows[2] != "Unknown" else None
            assert wait_for(lambda: available("v1alpha1." + group), timeout=30, message="the check") == \
                ["%s/api" % namespace, "True"]
            condition = json.loads(cluster.kubectl("get", "apiservice", "v1alpha1." + group, "-o", "json").stdout
                                   )["status"]["conditions"][0]
            assert (condition["reason"], condition["message"]) == ("Passed", "all checks passed")
            assert any(path == "/apis/%s/v1alpha1" % group for path, _ in server.requests)
            assert wait_for(lambda: available("v1beta1." + group), timeout=30, message="the check") == \
                ["%s/missing" % namespace, "False"]
            missing = json.loads(cluster.kubectl("get", "apiservice", "v1beta1." + group, "-o", "json").stdout
                                 )["status"]["conditions"][0]
            assert (missing["status"], missing["reason"], missing["message"]) == \
                ("False", "ServiceNotFound", 'service/missing in "%s" is not present' % namespace)
        finally:
            cluster.kubectl("delete", "apiservice", "v1alpha1." + group, "v1beta1." + group)
