"""Admission webhooks with the real kubectl: a Python HTTPS webhook server on loopback, reached by
`url` and through a selector-less Service with Endpoints to 127.0.0.1; a mutating webhook adds a
label, a validating one refuses with its message, and failurePolicy decides when a webhook is down.
Every configuration selects only the test's namespace, so the shared cluster's other tests are
not affected."""
import json

from conftest import free_port, wait_for
from webhook_server import WebhookServer, admission_answer, loopback_service


def webhook(name, client_config, namespace, resources=("configmaps",), failure_policy="Fail"):
    return {
        "name": name, "clientConfig": client_config, "sideEffects": "None", "admissionReviewVersions": ["v1"],
        "failurePolicy": failure_policy, "timeoutSeconds": 5,
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}},
        "rules": [{"operations": ["CREATE", "UPDATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": list(resources)}],
    }


def configure(cluster, kind, name, webhooks):
    cluster.kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": kind, "metadata": {"name": name}, "webhooks": webhooks}))


def mutate_or_deny(path, review):
    request = review["request"]
    if path == "/mutate":
        labels = request["object"]["metadata"].get("labels")
        patch = ([{"op": "add", "path": "/metadata/labels/webhook", "value": "mutated"}] if labels
                 else [{"op": "add", "path": "/metadata/labels", "value": {"webhook": "mutated"}}])
        return admission_answer(review, patch=patch, warnings=["labelled by the e2e webhook"])
    if "forbidden" in (request["object"].get("data") or {}):
        return admission_answer(review, allowed=False, status={"code": 403, "message": "data.forbidden is not allowed"})
    return admission_answer(review)


def test_mutating_webhook_by_url_adds_a_label(cluster, namespace):
    name = namespace + "-mutate"
    with WebhookServer(mutate_or_deny) as server:
        configure(cluster, "MutatingWebhookConfiguration", name, [webhook(
            "label.e2e.skiff.dev", {"url": "https://127.0.0.1:%d/mutate" % server.port, "caBundle": server.ca_bundle}, namespace)])
        try:
            attempt = [0]

            def labelled():
                attempt[0] += 1
                created = cluster.kubectl("-n", namespace, "create", "configmap", "c%d" % attempt[0])
                labels = json.loads(cluster.kubectl("-n", namespace, "get", "configmap", "c%d" % attempt[0], "-o", "json").stdout
                                    )["metadata"].get("labels", {})
                return labels.get("webhook") == "mutated" and created
            created = wait_for(labelled, message="the mutating webhook's label")
            assert "labelled by the e2e webhook" in created.stderr
            path, review = server.requests[-1]
            assert path.endswith("?timeout=5s")
            request = review["request"]
            assert review["apiVersion"] == "admission.k8s.io/v1" and review["kind"] == "AdmissionReview"
            assert request["operation"] == "CREATE" and request["namespace"] == namespace
            assert request["kind"] == {"group": "", "version": "v1", "kind": "ConfigMap"}
            assert request["resource"] == {"group": "", "version": "v1", "resource": "configmaps"}
            assert request["userInfo"]["username"] == "kubernetes-admin"
            assert request["dryRun"] is False and request["options"]["kind"] == "CreateOptions"
        finally:
            cluster.kubectl("delete", "mutatingwebhookconfiguration", name)


def test_validating_webhook_by_service_refuses_with_its_message(cluster, namespace):
    name = namespace + "-deny"
    with WebhookServer(mutate_or_deny, dns_names=["hook.%s.svc" % namespace]) as server:
        cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(loopback_service("hook", server.port)))
        configure(cluster, "ValidatingWebhookConfiguration", name, [webhook(
            "deny.e2e.skiff.dev", {"service": {"namespace": namespace, "name": "hook", "path": "/validate"},
                                   "caBundle": server.ca_bundle}, namespace)])
        try:
            attempt = [0]

            def refused():
                attempt[0] += 1
                result = cluster.kubectl("-n", namespace, "create", "configmap", "r%d" % attempt[0],
                                         "--from-literal=forbidden=x", check=False)
                return result if result.returncode != 0 else None
            result = wait_for(refused, message="the validating webhook's refusal")
            assert ('admission webhook "deny.e2e.skiff.dev" denied the request: data.forbidden is not allowed'
                    in result.stderr), result.stderr
            cluster.kubectl("-n", namespace, "create", "configmap", "allowed", "--from-literal=fine=x")
            # A dry run reaches the webhook (side effects None) and is refused the same way.
            dry = cluster.kubectl("-n", namespace, "create", "configmap", "dry", "--from-literal=forbidden=x",
                                  "--dry-run=server", check=False)
            assert dry.returncode != 0 and "denied the request" in dry.stderr
            assert any(review["request"]["dryRun"] for _, review in server.requests)
        finally:
            cluster.kubectl("delete", "validatingwebhookconfiguration", name)


def test_failure_policy_when_the_webhook_is_down(cluster, namespace):
    name = namespace + "-down"
    down = "https://127.0.0.1:%d/down" % free_port()
    configure(cluster, "ValidatingWebhookConfiguration", name, [
        webhook("ignore.e2e.skiff.dev", {"url": down}, namespace, resources=("configmaps",), failure_policy="Ignore"),
        webhook("fail.e2e.skiff.dev", {"url": down}, namespace, resources=("secrets",), failure_policy="Fail"),
    ])
    try:
        attempt = [0]

        def failed():
            attempt[0] += 1
            result = cluster.kubectl("-n", namespace, "create", "secret", "generic", "s%d" % attempt[0], check=False)
            return result if result.returncode != 0 else None
        result = wait_for(failed, message="the failing webhook's error")
        assert ('Internal error occurred: failed calling webhook "fail.e2e.skiff.dev": failed to call webhook: Post "%s?timeout=5s": '
                'dial tcp 127.0.0.1:%s: connect: connection refused' % (down, down.split(":")[2].split("/")[0])) in result.stderr, \
            result.stderr
        cluster.kubectl("-n", namespace, "create", "configmap", "ignored")
    finally:
        cluster.kubectl("delete", "validatingwebhookconfiguration", name)


def convert(path, review):
    """v1 `spec.size` (a string) and v2 `spec.replicas` (an integer) of the same Widget."""
    request = review["request"]
    converted = []
    for obj in request["objects"]:
        obj = json.loads(json.dumps(obj))
        spec = obj.get("spec", {})
        if request["desiredAPIVersion"].endswith("/v2") and "size" in spec:
            spec["replicas"] = int(spec.pop("size"))
        elif request["desiredAPIVersion"].endswith("/v1") and "replicas" in spec:
            spec["size"] = str(spec.pop("replicas"))
        obj["apiVersion"] = request["desiredAPIVersion"]
        obj.setdefault("metadata", {}).setdefault("labels", {})["converted-by"] = "e2e"
        converted.append(obj)
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
            "response": {"uid": request["uid"], "convertedObjects": converted, "result": {"status": "Success"}}}


def test_conversion_webhook_converts_between_versions(cluster, namespace):
    group = "conv%s.e2e.skiff.dev" % namespace[-8:]
    crd = "widgets." + group

    def version(name, storage, spec_properties):
        return {"name": name, "served": True, "storage": storage, "schema": {"openAPIV3Schema": {
            "type": "object", "properties": {"spec": {"type": "object", "properties": spec_properties}}}}}
    with WebhookServer(convert) as server:
        cluster.kubectl("apply", "-f", "-", input=json.dumps({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": crd},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                     "versions": [version("v1", True, {"size": {"type": "string"}}),
                                  version("v2", False, {"replicas": {"type": "integer"}})],
                     "conversion": {"strategy": "Webhook", "webhook": {
                         "conversionReviewVersions": ["v1"],
                         "clientConfig": {"url": "https://127.0.0.1:%d/convert" % server.port, "caBundle": server.ca_bundle}}}}}))
        try:
            cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/" + crd)
            wait_for(lambda: cluster.kubectl("-n", namespace, "get", "widgets.v2." + group, check=False).returncode == 0,
                     message="v2 served")
            cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(
                {"apiVersion": group + "/v1", "kind": "Widget", "metadata": {"name": "old"}, "spec": {"size": "3"}}))
            as_v2 = json.loads(cluster.kubectl("-n", namespace, "get", "widgets.v2." + group, "old", "-o", "json").stdout)
            assert as_v2["apiVersion"] == group + "/v2" and as_v2["spec"] == {"replicas": 3}
            assert as_v2["metadata"]["labels"] == {"converted-by": "e2e"}

            # Written as v2, stored as v1 (through the webhook), read back as v1.
            cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(
                {"apiVersion": group + "/v2", "kind": "Widget", "metadata": {"name": "new"}, "spec": {"replicas": 5}}))
            as_v1 = json.loads(cluster.kubectl("-n", namespace, "get", "widgets.v1." + group, "new", "-o", "json").stdout)
            assert as_v1["apiVersion"] == group + "/v1" and as_v1["spec"] == {"size": "5"}
            assert any(review["request"]["desiredAPIVersion"] == group + "/v1" for _, review in server.requests)
        finally:
            # Deleted while the webhook still answers: the objects are read through it on the way out.
            cluster.kubectl("delete", "crd", crd, "--timeout=30s")
