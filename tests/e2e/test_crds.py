"""CustomResourceDefinitions end to end with the real kubectl: a CRD is applied and established,
its objects are served through the generic registry (printer columns, short names, schema and
CEL validation, pruning, defaults, status and scale subresources), deleting the CRD deletes its
objects and its discovery, and a restart keeps serving it."""
import json
import time
import uuid

import pytest

from conftest import wait_for

GROUP = "stable.example.com"
CATEGORY = "e2e-crds"


@pytest.fixture(scope="module", autouse=True)
def remove_crds(cluster):
    """The CRDs of this file leave the shared cluster with it (their objects go with them)."""
    yield
    cluster.kubectl("delete", "crd", "-l", "e2e=crds", "--timeout=60s")


def crd_manifest(plural, kind, short, scope="Namespaced"):
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "%s.%s" % (plural, GROUP), "labels": {"e2e": "crds"}},
        "spec": {
            "group": GROUP,
            "scope": scope,
            "names": {"plural": plural, "singular": kind.lower(), "kind": kind, "shortNames": [short], "categories": [CATEGORY]},
            "versions": [{
                "name": "v1", "served": True, "storage": True,
                "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                                                         "statusReplicasPath": ".status.replicas",
                                                         "labelSelectorPath": ".status.selector"}},
                "additionalPrinterColumns": [
                    {"name": "Image", "type": "string", "jsonPath": ".spec.image"},
                    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
                    {"name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"},
                    {"name": "Mode", "type": "string", "jsonPath": ".spec.mode", "priority": 1},
                    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
                ],
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "properties": {
                        "spec": {
                            "type": "object",
                            "required": ["image"],
                            "x-kubernetes-validations": [{"rule": "self.replicas <= self.maxReplicas",
                                                          "message": "replicas must not exceed maxReplicas"}],
                            "properties": {
                                "image": {"type": "string"},
                                "replicas": {"type": "integer", "minimum": 0, "default": 1},
                                "maxReplicas": {"type": "integer", "default": 10},
                                "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
                            },
                        },
                        "status": {
                            "type": "object",
                            "properties": {
                                "replicas": {"type": "integer"},
                                "selector": {"type": "string"},
                                "conditions": {"type": "array", "items": {
                                    "type": "object", "properties": {"type": {"type": "string"}, "status": {"type": "string"}}}},
                            },
                        },
                    },
                }},
            }],
        },
    }


def apply_crd(cluster, manifest):
    cluster.kubectl("apply", "-f", "-", input=json.dumps(manifest))
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/" + manifest["metadata"]["name"])


def test_established_and_discovered_within_a_second(cluster):
    plural = unique("timers")
    manifest = crd_manifest(plural, "Timer" + plural[-6:].capitalize(), "tm" + plural[-6:])
    name = manifest["metadata"]["name"]
    started = time.monotonic()
    created = cluster.requests_session().post(cluster.server + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json=manifest, timeout=30)
    assert created.status_code == 201, created.text

    def established():
        crd = cluster.requests_session().get(cluster.server + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + name, timeout=30).json()
        return any(c["type"] == "Established" and c["status"] == "True" for c in crd.get("status", {}).get("conditions", []))
    wait_for(established, timeout=1, interval=0.01, message="Established")

    def discovered():
        resources = cluster.requests_session().get("%s/apis/%s/v1" % (cluster.server, GROUP), timeout=30).json().get("resources", [])
        return any(r["name"] == plural for r in resources)
    wait_for(discovered, timeout=1, interval=0.01, message="discovery")
    assert time.monotonic() - started < 1.5


def unique(prefix):
    return prefix + uuid.uuid4().hex[:6]


def test_a_served_crd_group_version_has_a_local_apiservice(cluster):
    plural = unique("beacons")
    group = "e2e%s.example.com" % plural[-6:]
    manifest = crd_manifest(plural, "Beacon" + plural[-6:].capitalize(), "bc" + plural[-6:])
    manifest["metadata"]["name"] = "%s.%s" % (plural, group)
    manifest["spec"]["group"] = group
    manifest["spec"]["versions"].append(dict(manifest["spec"]["versions"][0], name="v2", served=False, storage=False))
    apply_crd(cluster, manifest)
    name = "v1." + group

    def rows():
        return {line.split()[0]: line.split()[1:3] for line in cluster.kubectl("get", "apiservices", "--no-headers").stdout.splitlines()}
    assert wait_for(lambda: rows().get(name) == ["Local", "True"], timeout=10, message="the CRD's APIService")
    assert "v2." + group not in rows()
    apiservice = json.loads(cluster.kubectl("get", "apiservice", name, "-o", "json").stdout)
    assert apiservice["metadata"]["labels"] == {"kube-aggregator.kubernetes.io/automanaged": "true"}
    assert apiservice["spec"] == {"group": group, "version": "v1", "groupPriorityMinimum": 1000, "versionPriority": 100}
    cluster.kubectl("delete", "crd", manifest["metadata"]["name"], "--timeout=60s")
    wait_for(lambda: name not in rows(), timeout=10, message="the APIService to go with the CRD")


def test_crd_lifecycle_with_kubectl(cluster, namespace):
    plural = unique("widgets")
    kind = "Widget" + plural[-6:].capitalize()
    short = "w" + plural[-6:]
    apply_crd(cluster, crd_manifest(plural, kind, short))
    crd = json.loads(cluster.kubectl("get", "crd", "%s.%s" % (plural, GROUP), "-o", "json").stdout)
    conditions = {c["type"]: c for c in crd["status"]["conditions"]}
    assert conditions["NamesAccepted"]["reason"] == "NoConflicts"
    assert conditions["Established"]["status"] == "True"
    assert crd["status"]["acceptedNames"]["shortNames"] == [short]
    assert crd["status"]["storedVersions"] == ["v1"]

    resources = cluster.kubectl("api-resources", "--api-group", GROUP).stdout
    assert plural in resources and short in resources and kind in resources
    assert CATEGORY in cluster.kubectl("api-resources", "--api-group", GROUP, "-o", "wide").stdout

    # Create with unknown fields (pruned, with a warning) and without defaults (filled in).
    created = cluster.kubectl("apply", "-n", namespace, "--validate=warn", "-f", "-", input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "one", "lables": {"a": "b"}},
        "spec": {"image": "nginx", "replicas": 2, "colour": "red"}, "extra": True,
    }))
    assert 'unknown field "spec.colour"' in created.stderr and 'unknown field "metadata.lables"' in created.stderr
    one = json.loads(cluster.kubectl("get", short, "one", "-n", namespace, "-o", "json").stdout)
    assert "colour" not in one["spec"] and "extra" not in one
    assert one["spec"]["maxReplicas"] == 10 and one["spec"]["mode"] == "fast"
    assert one["metadata"]["generation"] == 1

    # Printer columns, with the priority-1 column only in the wide output.
    assert "%s.%s/one" % (kind.lower(), GROUP) in cluster.kubectl("get", CATEGORY, "-n", namespace, "-o", "name").stdout
    table = cluster.kubectl("get", short, "-n", namespace).stdout.splitlines()
    assert table[0].split() == ["NAME", "IMAGE", "REPLICAS", "READY", "AGE"]
    assert table[1].split()[:3] == ["one", "nginx", "2"]
    wide = cluster.kubectl("get", plural, "-n", namespace, "-o", "wide").stdout.splitlines()
    assert wide[0].split() == ["NAME", "IMAGE", "REPLICAS", "READY", "MODE", "AGE"]

    # Schema and CEL failures are 422 naming every field.
    bad = cluster.kubectl("apply", "-n", namespace, "-f", "-", check=False, input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "bad"},
        "spec": {"replicas": "three", "mode": "medium"},
    }))
    assert bad.returncode != 0
    assert 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"' in bad.stderr
    assert 'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"' in bad.stderr
    assert "spec.image: Required value" in bad.stderr
    cel = cluster.kubectl("apply", "-n", namespace, "-f", "-", check=False, input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "cel"},
        "spec": {"image": "nginx", "replicas": 5, "maxReplicas": 3},
    }))
    assert cel.returncode != 0
    assert 'spec: Invalid value: "object": replicas must not exceed maxReplicas' in cel.stderr

    # Strict field validation refuses unknown fields.
    strict = cluster.kubectl("create", "-n", namespace, "--validate=strict", "-f", "-", check=False, input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "strict"}, "spec": {"image": "x", "bogus": 1},
    }))
    assert strict.returncode != 0 and 'unknown field "spec.bogus"' in strict.stderr

    # No strategic merge patch for custom resources, as upstream (and the OpenAPI document says so).
    item = "/apis/%s/v1/namespaces/%s/%s/one" % (GROUP, namespace, plural)
    strategic = cluster.requests_session().patch(cluster.server + item, headers={"Content-Type": "application/strategic-merge-patch+json"},
                               data="{}", timeout=30)
    assert strategic.status_code == 415 and strategic.json()["message"].endswith(
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
    document = cluster.requests_session().get("%s/openapi/v3/apis/%s/v1" % (cluster.server, GROUP), timeout=30).json()
    consumes = document["paths"]["/apis/%s/v1/namespaces/{namespace}/%s/{name}" % (GROUP, plural)]["patch"]["requestBody"]["content"]
    assert "application/strategic-merge-patch+json" not in consumes and "application/merge-patch+json" in consumes

    # The status subresource: status writes ignore spec, spec writes ignore status.
    cluster.kubectl("patch", short, "one", "-n", namespace, "--subresource=status", "--type=merge", "-p",
                    json.dumps({"status": {"replicas": 2, "selector": "app=one", "conditions": [{"type": "Ready", "status": "True"}]},
                                "spec": {"image": "ignored"}}))
    cluster.kubectl("patch", short, "one", "-n", namespace, "--type=merge", "-p", json.dumps({"status": {"replicas": 99}}))
    one = json.loads(cluster.kubectl("get", short, "one", "-n", namespace, "-o", "json").stdout)
    assert one["status"]["replicas"] == 2 and one["spec"]["image"] == "nginx"
    assert one["metadata"]["generation"] == 1
    assert cluster.kubectl("get", short, "one", "-n", namespace, "--no-headers").stdout.split()[3] == "True"

    # The scale subresource.
    cluster.kubectl("scale", plural + "/one", "-n", namespace, "--replicas=4")
    scale = json.loads(cluster.kubectl("get", "--raw", "/apis/%s/v1/namespaces/%s/%s/one/scale" % (GROUP, namespace, plural)).stdout)
    assert scale["spec"]["replicas"] == 4 and scale["status"] == {"replicas": 2, "selector": "app=one"}
    one = json.loads(cluster.kubectl("get", short, "one", "-n", namespace, "-o", "json").stdout)
    assert one["spec"]["replicas"] == 4 and one["metadata"]["generation"] == 2

    # Deleting the CRD deletes its objects, then the CRD and its discovery.
    cluster.kubectl("delete", "crd", "%s.%s" % (plural, GROUP), "--timeout=30s")
    wait_for(lambda: plural not in cluster.kubectl("api-resources", "--api-group", GROUP).stdout, message="discovery to drop it")
    gone = cluster.kubectl("get", "--raw", "/apis/%s/v1/namespaces/%s/%s" % (GROUP, namespace, plural), check=False)
    assert gone.returncode != 0


def test_invalid_crds_are_refused(cluster):
    plural = unique("gadgets")
    manifest = crd_manifest(plural, "Gadget", "g" + plural[-6:])
    manifest["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["image"] = {}
    refused = cluster.kubectl("apply", "-f", "-", check=False, input=json.dumps(manifest))
    assert refused.returncode != 0
    assert ("spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[image].type: "
            "Required value: must not be empty for specified object fields") in refused.stderr
    manifest = crd_manifest(plural, "Gadget", "g" + plural[-6:])
    manifest["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["x-kubernetes-validations"] = [
        {"rule": "self.nope > 1"}]
    refused = cluster.kubectl("apply", "-f", "-", check=False, input=json.dumps(manifest))
    assert refused.returncode != 0 and "compilation failed" in refused.stderr
    assert cluster.kubectl("get", "crd", "%s.%s" % (plural, GROUP), check=False).returncode != 0


def test_conflicting_names_are_not_accepted(cluster):
    first = unique("things")
    apply_crd(cluster, crd_manifest(first, "Thing" + first[-6:], "t" + first[-6:], scope="Cluster"))
    second = unique("others")
    manifest = crd_manifest(second, "Other" + second[-6:], "t" + first[-6:], scope="Cluster")
    cluster.kubectl("apply", "-f", "-", input=json.dumps(manifest))

    def names_condition():
        crd = json.loads(cluster.kubectl("get", "crd", "%s.%s" % (second, GROUP), "-o", "json").stdout)
        return {c["type"]: c for c in crd.get("status", {}).get("conditions", [])}.get("NamesAccepted")
    condition = wait_for(names_condition, message="the NamesAccepted condition")
    assert condition["status"] == "False" and condition["reason"] == "ShortNamesConflict"
    assert condition["message"] == '"t%s" is already in use' % first[-6:]
    # Once the first CRD is gone, the second one gets its short name and is established.
    cluster.kubectl("delete", "crd", "%s.%s" % (first, GROUP), "--timeout=30s")
    wait_for(lambda: names_condition()["status"] == "True", message="the names to be accepted")
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/%s.%s" % (second, GROUP))
    # A cluster-scoped custom object, through the short name it now has.
    cluster.kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": "Other" + second[-6:], "metadata": {"name": "c1"}, "spec": {"image": "x"}}))
    assert "c1" in cluster.kubectl("get", "t" + first[-6:]).stdout


def test_crds_are_served_after_a_restart(scratch_cluster):
    cluster = scratch_cluster.start()
    apply_crd(cluster, crd_manifest("tools", "Tool", "tl"))
    cluster.kubectl("create", "namespace", "keep")
    cluster.kubectl("apply", "-n", "keep", "-f", "-", input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": "Tool", "metadata": {"name": "hammer"}, "spec": {"image": "steel"}}))
    assert cluster.stop() == 0
    cluster.start()
    assert "hammer" in cluster.kubectl("get", "tl", "-n", "keep").stdout
    tool = json.loads(cluster.kubectl("get", "tools", "hammer", "-n", "keep", "-o", "json").stdout)
    assert tool["spec"]["mode"] == "fast" and tool["apiVersion"] == GROUP + "/v1"


def test_versions_selectable_fields_apply_and_explain(cluster, namespace):
    plural = unique("engines")
    kind = "Engine" + plural[-6:].capitalize()
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "fuel": {"type": "string", "description": "What the engine burns."},
        "parts": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "required": ["name"],
                            "properties": {"name": {"type": "string"}, "count": {"type": "integer"}}}},
    }}}}
    manifest = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "%s.%s" % (plural, GROUP), "labels": {"e2e": "crds"}},
        "spec": {"group": GROUP, "scope": "Namespaced", "names": {"plural": plural, "kind": kind},
                 "versions": [
                     {"name": "v1beta1", "served": True, "storage": False, "schema": {"openAPIV3Schema": schema}},
                     {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": schema},
                      "selectableFields": [{"jsonPath": ".spec.fuel"}]},
                 ]},
    }
    apply_crd(cluster, manifest)
    for name, fuel in (("diesel", "diesel"), ("petrol", "petrol")):
        cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps({
            "apiVersion": GROUP + "/v1beta1", "kind": kind, "metadata": {"name": name}, "spec": {"fuel": fuel}}))
    # None conversion: the same object through both versions, apiVersion rewritten.
    as_v1 = json.loads(cluster.kubectl("get", "--raw", "/apis/%s/v1/namespaces/%s/%s/diesel" % (GROUP, namespace, plural)).stdout)
    as_beta = json.loads(cluster.kubectl("get", "--raw", "/apis/%s/v1beta1/namespaces/%s/%s/diesel" % (GROUP, namespace, plural)).stdout)
    assert as_v1["apiVersion"] == GROUP + "/v1" and as_beta["apiVersion"] == GROUP + "/v1beta1"
    assert as_v1["spec"] == as_beta["spec"]
    # Selectable fields.
    selected = cluster.kubectl("get", plural, "-n", namespace, "--field-selector", "spec.fuel=petrol", "-o", "name").stdout.split()
    assert selected == ["%s.%s/petrol" % (kind.lower(), GROUP)]
    # Server-side apply merges the list-map by its key, two managers owning one entry each.
    for manager, part in (("first", {"name": "piston", "count": 4}), ("second", {"name": "valve", "count": 8})):
        cluster.kubectl("apply", "--server-side", "--field-manager", manager, "-n", namespace, "-f", "-", input=json.dumps({
            "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "diesel"}, "spec": {"parts": [part]}}))
    parts = json.loads(cluster.kubectl("get", plural, "diesel", "-n", namespace, "-o", "json").stdout)["spec"]["parts"]
    assert sorted(p["name"] for p in parts) == ["piston", "valve"]
    # OpenAPI: kubectl explain knows the kind.
    explained = cluster.kubectl("explain", "%s.spec.fuel" % plural).stdout
    assert "What the engine burns." in explained


def test_crd_updates_and_namespace_deletion(cluster):
    plural = unique("robots")
    kind = "Robot" + plural[-6:].capitalize()
    manifest = crd_manifest(plural, kind, "r" + plural[-6:])
    apply_crd(cluster, manifest)
    ns = unique("crd-ns-")
    cluster.kubectl("create", "namespace", ns)
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "r2d2"}, "spec": {"image": "astromech"}}))
    # An updated CRD is served with its new columns.
    manifest["spec"]["versions"][0]["additionalPrinterColumns"].insert(0, {"name": "Max", "type": "integer", "jsonPath": ".spec.maxReplicas"})
    schema = manifest["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    schema["properties"]["spec"]["properties"]["image"]["description"] = "The robot's firmware image."
    cluster.kubectl("apply", "-f", "-", input=json.dumps(manifest))
    wait_for(lambda: cluster.kubectl("get", plural, "-n", ns).stdout.split()[:2] == ["NAME", "MAX"], message="the new column")
    # ... and with its new schema in the OpenAPI documents.
    assert "The robot's firmware image." in cluster.kubectl("explain", "%s.spec.image" % plural).stdout
    # The namespace controller finds custom resources through discovery and deletes them.
    cluster.kubectl("delete", "namespace", ns, "--timeout=60s")
    listed = json.loads(cluster.kubectl("get", "--raw", "/apis/%s/v1/%s" % (GROUP, plural)).stdout)
    assert listed["items"] == []


def test_python_dynamic_client(cluster, namespace):
    from kubernetes import dynamic
    plural = unique("pumps")
    kind = "Pump" + plural[-6:].capitalize()
    apply_crd(cluster, crd_manifest(plural, kind, "p" + plural[-6:]))
    client = dynamic.DynamicClient(cluster.api_client())
    pumps = client.resources.get(api_version=GROUP + "/v1", kind=kind)
    created = pumps.create(namespace=namespace, body={
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "p1"}, "spec": {"image": "water"}})
    assert created.spec.replicas == 1
    patched = pumps.patch(namespace=namespace, name="p1", body={"spec": {"replicas": 3}},
                          content_type="application/merge-patch+json")
    assert patched.spec.replicas == 3 and patched.metadata.generation == 2
    events = []
    for event in pumps.watch(namespace=namespace, resource_version=created.metadata.resourceVersion, timeout=5):
        events.append((event["type"], event["object"].spec.replicas))
        if event["type"] == "MODIFIED":
            break
    assert events == [("MODIFIED", 3)]
    pumps.delete(namespace=namespace, name="p1")
    assert [item.metadata.name for item in pumps.get(namespace=namespace).items] == []


def test_kubectl_edit(cluster, namespace, monkeypatch):
    plural = unique("notes")
    kind = "Note" + plural[-6:].capitalize()
    apply_crd(cluster, crd_manifest(plural, kind, "n" + plural[-6:]))
    cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "memo"}, "spec": {"image": "draft"}}))
    monkeypatch.setenv("KUBE_EDITOR", "sed -i s/image:\\ draft/image:\\ final/")
    cluster.kubectl("edit", plural, "memo", "-n", namespace)
    assert json.loads(cluster.kubectl("get", plural, "memo", "-n", namespace, "-o", "json").stdout)["spec"]["image"] == "final"
    # An edit the schema refuses is not saved (kubectl keeps the causes in its copy of the edit).
    monkeypatch.setenv("KUBE_EDITOR", "sed -i s/replicas:\\ 1/replicas:\\ -1/")
    refused = cluster.kubectl("edit", plural, "memo", "-n", namespace, check=False)
    assert refused.returncode != 0 and '"memo" is invalid' in refused.stderr
    assert json.loads(cluster.kubectl("get", plural, "memo", "-n", namespace, "-o", "json").stdout)["spec"]["replicas"] == 1


def test_transition_rules_hold_for_status_writes(cluster, namespace):
    plural = unique("tasks")
    kind = "Task" + plural[-6:].capitalize()
    manifest = crd_manifest(plural, kind, "tk" + plural[-6:])
    status = manifest["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["status"]
    status["properties"]["phase"] = {"type": "string", "x-kubernetes-validations": [
        {"rule": "oldSelf != 'Done' || self == 'Done'", "message": "a finished task stays finished"}]}
    apply_crd(cluster, manifest)
    cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "t1"}, "spec": {"image": "job"}}))
    cluster.kubectl("patch", plural, "t1", "-n", namespace, "--subresource=status", "--type=merge", "-p", '{"status": {"phase": "Done"}}')
    refused = cluster.kubectl("patch", plural, "t1", "-n", namespace, "--subresource=status", "--type=merge",
                              "-p", '{"status": {"phase": "Running"}}', check=False)
    assert refused.returncode != 0
    assert 'status.phase: Invalid value: "string": a finished task stays finished' in refused.stderr


def test_validation_ratcheting(cluster, namespace):
    plural = unique("labels")
    kind = "Label" + plural[-6:].capitalize()
    manifest = crd_manifest(plural, kind, "lb" + plural[-6:])
    apply_crd(cluster, manifest)
    cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps({
        "apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": "l1"}, "spec": {"image": "longname"}}))
    # The schema tightens: the stored image is now too long.
    image = manifest["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["image"]
    image["maxLength"] = 4
    cluster.kubectl("apply", "-f", "-", input=json.dumps(manifest))

    def patch(spec):
        return cluster.kubectl("patch", plural, "l1", "-n", namespace, "--type=merge", "-p", json.dumps({"spec": spec}), check=False)
    # Other fields can still change (the unchanged invalid field is ratcheted)...
    wait_for(lambda: patch({"replicas": 2}).returncode == 0, message="an update of another field")
    # ... but a new invalid value is refused.
    refused = patch({"image": "otherlongname"})
    assert refused.returncode != 0 and "spec.image: Too long: may not be more than 4 bytes" in refused.stderr
