"""The REST semantics every resource shares, run by the same test code against a built-in kind
(ConfigMaps) and a custom resource: resourceVersions and optimistic concurrency, list paging,
watches from a list's resourceVersion, label selectors, dry-run, server-side apply conflicts,
finalizers and delete-collection. Raw HTTP(S), so nothing kind-specific sits in between."""
import json
import threading

import pytest

from conftest import wait_for

GROUP = "semantics.example.com"
JSON = {"Content-Type": "application/json"}


class Kind:
    """How to address and fill one resource: its collection path and a body with one value."""

    def __init__(self, cluster, prefix, plural, api_version, kind, field):
        self.http = cluster.requests_session()
        self.collection = "%s%s/namespaces/%%s/%s" % (cluster.server, prefix, plural)
        self.api_version = api_version
        self.kind = kind
        self.field = field  # (container, key): where the test's one value lives

    def url(self, namespace, name=""):
        return self.collection % namespace + ("/" + name if name else "")

    def body(self, name, value, labels=None, finalizers=None):
        metadata = {"name": name}
        if labels:
            metadata["labels"] = labels
        if finalizers:
            metadata["finalizers"] = finalizers
        container, key = self.field
        return {"apiVersion": self.api_version, "kind": self.kind, "metadata": metadata, container: {key: value}}

    def value(self, obj):
        container, key = self.field
        return obj[container][key]

    def set_value(self, obj, value):
        container, key = self.field
        obj[container] = dict(obj[container], **{key: value})
        return obj


@pytest.fixture(scope="module")
def custom_plural(cluster):
    plural = "semantics"
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "%s.%s" % (plural, GROUP)},
        "spec": {"group": GROUP, "scope": "Namespaced", "names": {"plural": plural, "kind": "Semantic"},
                 "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                     "type": "object", "properties": {"spec": {"type": "object", "properties": {"value": {"type": "string"}}}}}}}]},
    }
    cluster.kubectl("apply", "-f", "-", input=json.dumps(crd))
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/%s.%s" % (plural, GROUP))
    yield plural
    cluster.kubectl("delete", "crd", "%s.%s" % (plural, GROUP), "--timeout=60s")


@pytest.fixture(params=["configmaps", "custom"])
def kind(request, cluster, custom_plural):
    if request.param == "configmaps":
        return Kind(cluster, "/api/v1", "configmaps", "v1", "ConfigMap", ("data", "value"))
    return Kind(cluster, "/apis/%s/v1" % GROUP, custom_plural, GROUP + "/v1", "Semantic", ("spec", "value"))


def create(kind, namespace, name, value="a", **extra):
    response = kind.http.post(kind.url(namespace), headers=JSON, data=json.dumps(kind.body(name, value, **extra)), timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def test_resource_versions_and_optimistic_concurrency(kind, namespace):
    created = create(kind, namespace, "occ")
    current = kind.set_value(dict(created), "b")
    updated = kind.http.put(kind.url(namespace, "occ"), headers=JSON, data=json.dumps(current), timeout=30)
    assert updated.status_code == 200, updated.text
    assert int(updated.json()["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    stale = kind.http.put(kind.url(namespace, "occ"), headers=JSON, data=json.dumps(kind.set_value(dict(created), "c")), timeout=30)
    assert stale.status_code == 409 and stale.json()["reason"] == "Conflict"
    assert kind.value(kind.http.get(kind.url(namespace, "occ"), timeout=30).json()) == "b"


def test_paging_and_label_selectors(kind, namespace):
    for index in range(5):
        create(kind, namespace, "page-%d" % index, labels={"parity": "even" if index % 2 == 0 else "odd"})
    names, token = [], None
    while True:
        params = {"limit": 2, "labelSelector": "parity"}  # the test's objects (a namespace holds kube-root-ca.crt too)
        if token:
            params["continue"] = token
        page = kind.http.get(kind.url(namespace), params=params, timeout=30).json()
        names += [item["metadata"]["name"] for item in page["items"]]
        token = page["metadata"].get("continue")
        if not token:
            break
    assert names == ["page-%d" % index for index in range(5)]
    odd = kind.http.get(kind.url(namespace), params={"labelSelector": "parity=odd"}, timeout=30).json()
    assert [item["metadata"]["name"] for item in odd["items"]] == ["page-1", "page-3"]
    deleted = kind.http.delete(kind.url(namespace), params={"labelSelector": "parity=even"}, timeout=30)
    assert deleted.status_code == 200, deleted.text
    left = kind.http.get(kind.url(namespace), params={"labelSelector": "parity"}, timeout=30).json()
    assert [item["metadata"]["name"] for item in left["items"]] == ["page-1", "page-3"]


def test_watch_from_a_list_resource_version(kind, namespace):
    version = kind.http.get(kind.url(namespace), timeout=30).json()["metadata"]["resourceVersion"]
    events = []
    done = threading.Event()

    def watch():
        with kind.http.get(kind.url(namespace), params={"watch": "true", "resourceVersion": version, "timeoutSeconds": 10},
                          stream=True, timeout=30) as response:
            for line in response.iter_lines():
                if line:
                    event = json.loads(line)
                    events.append((event["type"], event["object"]["metadata"]["name"]))
                    if event["type"] == "DELETED":
                        break
        done.set()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    created = create(kind, namespace, "watched")
    kind.http.put(kind.url(namespace, "watched"), headers=JSON, data=json.dumps(kind.set_value(created, "z")), timeout=30)
    kind.http.delete(kind.url(namespace, "watched"), timeout=30)
    wait_for(done.is_set, message="the DELETED event")
    assert events == [("ADDED", "watched"), ("MODIFIED", "watched"), ("DELETED", "watched")]


def test_dry_run_and_finalizers(kind, namespace):
    dry = kind.http.post(kind.url(namespace), params={"dryRun": "All"}, headers=JSON, data=json.dumps(kind.body("dry", "a")), timeout=30)
    assert dry.status_code == 201, dry.text
    assert kind.http.get(kind.url(namespace, "dry"), timeout=30).status_code == 404
    create(kind, namespace, "held", finalizers=["example.com/hold"])
    pending = kind.http.delete(kind.url(namespace, "held"), timeout=30)
    assert pending.status_code == 200 and pending.json()["metadata"]["deletionTimestamp"]
    released = kind.http.patch(kind.url(namespace, "held"), headers={"Content-Type": "application/merge-patch+json"},
                              data=json.dumps({"metadata": {"finalizers": None}}), timeout=30)
    assert released.status_code == 200, released.text
    assert kind.http.get(kind.url(namespace, "held"), timeout=30).status_code == 404


def test_server_side_apply_conflicts(kind, namespace):
    apply = {"Content-Type": "application/apply-patch+yaml"}
    first = kind.http.patch(kind.url(namespace, "applied"), params={"fieldManager": "one"}, headers=apply,
                           data=json.dumps(kind.body("applied", "a")), timeout=30)
    assert first.status_code == 201, first.text
    conflict = kind.http.patch(kind.url(namespace, "applied"), params={"fieldManager": "two"}, headers=apply,
                              data=json.dumps(kind.body("applied", "b")), timeout=30)
    assert conflict.status_code == 409 and conflict.json()["reason"] == "Conflict"
    forced = kind.http.patch(kind.url(namespace, "applied"), params={"fieldManager": "two", "force": "true"}, headers=apply,
                            data=json.dumps(kind.body("applied", "b")), timeout=30)
    assert forced.status_code == 200 and kind.value(forced.json()) == "b"
    # The forced manager took the only field the first one owned, so the first one's entry is gone.
    managers = sorted(entry["manager"] for entry in forced.json()["metadata"]["managedFields"])
    assert managers == ["two"]


def test_json_patch_test_operation_guards_the_resource_version(kind, namespace):
    created = create(kind, namespace, "guarded")
    container, key = kind.field
    patch = [{"op": "test", "path": "/metadata/resourceVersion", "value": created["metadata"]["resourceVersion"]},
             {"op": "replace", "path": "/%s/%s" % (container, key), "value": "b"}]
    headers = {"Content-Type": "application/json-patch+json"}
    applied = kind.http.patch(kind.url(namespace, "guarded"), headers=headers, data=json.dumps(patch), timeout=30)
    assert applied.status_code == 200, applied.text
    stale = kind.http.patch(kind.url(namespace, "guarded"), headers=headers, data=json.dumps(patch), timeout=30)
    assert stale.status_code == 422, stale.text
