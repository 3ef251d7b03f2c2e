"""The official Python client against a real `skiff up`: paging, watches, conflicts and the
Status errors of bad requests."""
import json
import threading

import pytest
from kubernetes import client, watch
from kubernetes.client.rest import ApiException

from conftest import ROOT_CA_CONFIGMAP


@pytest.fixture
def core(cluster):
    return client.CoreV1Api(cluster.api_client())


def body(name, **labels):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels or None), data={"k": name})


def test_list_paging_is_a_consistent_snapshot(core, namespace):
    for index in range(25):
        core.create_namespaced_config_map(namespace, body("cm-%02d" % index))
    seen = []
    versions = set()
    token = None
    first = True
    while True:
        page = core.list_namespaced_config_map(namespace, limit=10, _continue=token)
        versions.add(page.metadata.resource_version)
        seen += [item.metadata.name for item in page.items]
        if first:
            # Writes after the first page must not appear in the following pages.
            core.create_namespaced_config_map(namespace, body("cm-99"))
            assert page.metadata.remaining_item_count == 16
            first = False
        token = page.metadata._continue
        if not token:
            break
    assert seen == ["cm-%02d" % index for index in range(25)] + [ROOT_CA_CONFIGMAP]
    assert len(versions) == 1


def test_watch_from_list_resource_version(core, namespace):
    core.create_namespaced_config_map(namespace, body("before"))
    listed = core.list_namespaced_config_map(namespace)
    assert [item.metadata.name for item in listed.items] == ["before", ROOT_CA_CONFIGMAP]
    events = []

    def collect():
        stream = watch.Watch().stream(core.list_namespaced_config_map, namespace,
                                      resource_version=listed.metadata.resource_version, timeout_seconds=20)
        for event in stream:
            events.append((event["type"], event["object"].metadata.name, event["object"].metadata.resource_version))
            if event["type"] == "DELETED":
                break

    thread = threading.Thread(target=collect)
    thread.start()
    created = core.create_namespaced_config_map(namespace, body("after"))
    created.data = {"k": "changed"}
    core.replace_namespaced_config_map("after", namespace, created)
    core.delete_namespaced_config_map("after", namespace)
    thread.join(timeout=30)
    assert not thread.is_alive(), "the watch did not deliver DELETED within 20s: %s" % events
    assert [(kind, name) for kind, name, _ in events] == [("ADDED", "after"), ("MODIFIED", "after"), ("DELETED", "after")]
    versions = [int(version) for _, _, version in events]
    assert versions == sorted(versions) and len(set(versions)) == 3
    assert versions[0] > int(listed.metadata.resource_version)


def test_stale_update_conflicts(core, namespace):
    created = core.create_namespaced_config_map(namespace, body("c"))
    fresh = core.read_namespaced_config_map("c", namespace)
    fresh.data = {"k": "first"}
    core.replace_namespaced_config_map("c", namespace, fresh)
    created.data = {"k": "stale"}
    with pytest.raises(ApiException) as failure:
        core.replace_namespaced_config_map("c", namespace, created)
    assert failure.value.status == 409
    status = json.loads(failure.value.body)
    assert status["reason"] == "Conflict"
    assert status["details"] == {"name": "c", "kind": "configmaps"}
    assert core.read_namespaced_config_map("c", namespace).data == {"k": "first"}


def test_selector_transition_is_delivered_as_deleted(core, namespace):
    core.create_namespaced_config_map(namespace, body("moving", env="prod"))
    listed = core.list_namespaced_config_map(namespace, label_selector="env=prod")
    events = []

    def collect():
        for event in watch.Watch().stream(core.list_namespaced_config_map, namespace, label_selector="env=prod",
                                          resource_version=listed.metadata.resource_version, timeout_seconds=20):
            events.append(event["type"])
            if len(events) == 2:
                break

    thread = threading.Thread(target=collect)
    thread.start()
    core.patch_namespaced_config_map("moving", namespace, {"metadata": {"labels": {"env": "dev"}}})
    core.patch_namespaced_config_map("moving", namespace, {"metadata": {"labels": {"env": "prod"}}})
    # Changes to objects that never match are not delivered at all.
    core.create_namespaced_config_map(namespace, body("other", env="dev"))
    thread.join(timeout=30)
    assert not thread.is_alive(), "the watch did not deliver two events within 20s: %s" % events
    assert events == ["DELETED", "ADDED"]


def raw(cluster, method, path, data=None, headers=None):
    if data is not None and headers is None:
        headers = {"Content-Type": "application/json"}
    return cluster.requests_session().request(method, cluster.server + path, data=data, headers=headers or {}, timeout=20)


def assert_status(response, code, reason):
    """A Status error as upstream: the HTTP code, and a Status body with the same code and reason."""
    assert response.status_code == code, (response.request.method, response.request.url, response.status_code, response.text[:500])
    status = response.json()
    assert status["kind"] == "Status" and status["apiVersion"] == "v1" and status["status"] == "Failure", status
    assert status["code"] == code and status["reason"] == reason, status
    return status


def test_not_found(cluster, core, namespace):
    status = assert_status(raw(cluster, "GET", "/api/v1/namespaces/%s/configmaps/nope" % namespace), 404, "NotFound")
    assert status["message"] == 'configmaps "nope" not found'
    assert status["details"] == {"name": "nope", "kind": "configmaps"}
    with pytest.raises(ApiException) as failure:
        core.read_namespaced_config_map("nope", namespace)
    assert failure.value.status == 404
    assert_status(raw(cluster, "GET", "/api/v1/namespaces/%s/widgets" % namespace), 404, "NotFound")
    assert_status(raw(cluster, "GET", "/apis/nosuch.example.com/v1/things"), 404, "NotFound")


def test_already_exists(cluster, core, namespace):
    core.create_namespaced_config_map(namespace, body("dup"))
    status = assert_status(raw(cluster, "POST", "/api/v1/namespaces/%s/configmaps" % namespace, json.dumps({"metadata": {"name": "dup"}})),
                           409, "AlreadyExists")
    assert status["message"] == 'configmaps "dup" already exists'
    assert status["details"] == {"name": "dup", "kind": "configmaps"}
    with pytest.raises(ApiException) as failure:
        core.create_namespaced_config_map(namespace, body("dup"))
    assert failure.value.status == 409 and json.loads(failure.value.body)["reason"] == "AlreadyExists"


def test_invalid_has_causes(cluster, namespace):
    response = raw(cluster, "POST", "/api/v1/namespaces/%s/configmaps" % namespace,
                   json.dumps({"metadata": {"name": "Not_Valid"}, "data": {"bad key!": "v"}}))
    status = assert_status(response, 422, "Invalid")
    assert status["message"].startswith('ConfigMap "Not_Valid" is invalid: ')
    assert status["details"]["name"] == "Not_Valid" and status["details"]["kind"] == "ConfigMap"
    causes = {(cause["field"], cause["reason"]) for cause in status["details"]["causes"]}
    assert ("metadata.name", "FieldValueInvalid") in causes
    assert ("data[bad key!]", "FieldValueInvalid") in causes
    assert raw(cluster, "GET", "/api/v1/namespaces/%s/configmaps/Not_Valid" % namespace).status_code == 404


def test_bad_requests(cluster, namespace):
    base = "/api/v1/namespaces/%s/configmaps" % namespace
    malformed = assert_status(raw(cluster, "POST", base, "{not json"), 400, "BadRequest")
    assert malformed["message"]
    wrong_kind = assert_status(raw(cluster, "POST", base, json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "w"}})),
                               400, "BadRequest")
    assert "Secret" in wrong_kind["message"] and "ConfigMap" in wrong_kind["message"]
    wrong_version = assert_status(raw(cluster, "POST", base, json.dumps({"apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": {"name": "w"}})),
                                  400, "BadRequest")
    assert "apps/v1" in wrong_version["message"]
    wrong_namespace = assert_status(raw(cluster, "POST", base, json.dumps({"metadata": {"name": "w", "namespace": "other"}})),
                                    400, "BadRequest")
    assert "namespace" in wrong_namespace["message"]
    selector = assert_status(raw(cluster, "GET", base + "?fieldSelector=spec.foo%3Dbar"), 400, "BadRequest")
    assert selector["message"] == "field label not supported: spec.foo"
    assert_status(raw(cluster, "GET", base + "?labelSelector=%3D%3D%3D"), 400, "BadRequest")
    assert raw(cluster, "GET", base + "/w").status_code == 404, "nothing was created by the bad requests"


def test_request_entity_too_large(cluster, namespace):
    base = "/api/v1/namespaces/%s/configmaps" % namespace
    big = json.dumps({"metadata": {"name": "big"}, "data": {"k": "x" * (4 * 1024 * 1024)}})
    assert_status(raw(cluster, "POST", base, big), 413, "RequestEntityTooLarge")
    assert raw(cluster, "GET", base + "/big").status_code == 404
    # The server is still healthy after refusing the body.
    assert raw(cluster, "POST", base, json.dumps({"metadata": {"name": "small"}})).status_code == 201


def test_method_not_allowed(cluster, namespace):
    base = "/api/v1/namespaces/%s/configmaps" % namespace
    assert_status(raw(cluster, "PUT", base, json.dumps({"metadata": {"name": "x"}})), 405, "MethodNotAllowed")
    raw(cluster, "POST", base, json.dumps({"metadata": {"name": "x"}}))
    assert_status(raw(cluster, "POST", base + "/x", json.dumps({"metadata": {"name": "x"}})), 405, "MethodNotAllowed")


def test_dry_run_create_does_not_persist(core, namespace):
    dry = core.create_namespaced_config_map(namespace, body("dry"), dry_run="All")
    assert dry.metadata.name == "dry" and dry.metadata.uid and dry.metadata.creation_timestamp
    with pytest.raises(ApiException) as failure:
        core.read_namespaced_config_map("dry", namespace)
    assert failure.value.status == 404
    assert [item.metadata.name for item in core.list_namespaced_config_map(namespace).items] == [ROOT_CA_CONFIGMAP]
    # A real create of the same name afterwards succeeds.
    assert core.create_namespaced_config_map(namespace, body("dry")).metadata.name == "dry"


def test_finalizers_hold_deletion(core, namespace):
    held = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="held", finalizers=["example.com/x"]), data={"k": "v"})
    created = core.create_namespaced_config_map(namespace, held)
    events = []

    def collect():
        for event in watch.Watch().stream(core.list_namespaced_config_map, namespace,
                                          resource_version=created.metadata.resource_version, timeout_seconds=20):
            events.append((event["type"], event["object"].metadata.deletion_timestamp is not None))
            if event["type"] == "DELETED":
                break

    thread = threading.Thread(target=collect)
    thread.start()
    core.delete_namespaced_config_map("held", namespace)
    still = core.read_namespaced_config_map("held", namespace)
    assert still.metadata.deletion_timestamp is not None
    assert still.metadata.finalizers == ["example.com/x"]
    assert still.data == {"k": "v"}
    # Deleting again changes nothing; the object stays until the finalizer goes.
    core.delete_namespaced_config_map("held", namespace)
    assert core.read_namespaced_config_map("held", namespace).metadata.deletion_timestamp == still.metadata.deletion_timestamp
    core.patch_namespaced_config_map("held", namespace, {"metadata": {"finalizers": None}})
    with pytest.raises(ApiException) as failure:
        core.read_namespaced_config_map("held", namespace)
    assert failure.value.status == 404
    thread.join(timeout=30)
    assert not thread.is_alive(), events
    assert events[0] == ("MODIFIED", True)
    assert events[-1] == ("DELETED", True)


def test_server_side_table(cluster, core, namespace):
    core.create_namespaced_config_map(namespace, body("tabled"))
    response = cluster.requests_session().get(cluster.server + "/api/v1/namespaces/%s/configmaps" % namespace, timeout=20,
                            headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"})
    assert response.status_code == 200
    table = response.json()
    assert table["kind"] == "Table" and table["apiVersion"] == "meta.k8s.io/v1"
    assert [column["name"] for column in table["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert [row["cells"][:2] for row in table["rows"]] == [[ROOT_CA_CONFIGMAP, 1], ["tabled", 1]]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
    assert int(table["metadata"]["resourceVersion"]) > 0


def test_python_client_sends_bodies_without_content_type(cluster, namespace):
    created = raw(cluster, "POST", "/api/v1/namespaces/%s/configmaps" % namespace, json.dumps({"metadata": {"name": "plain"}}), headers={})
    assert created.status_code == 201
    boolean = raw(cluster, "GET", "/api/v1/namespaces/%s/configmaps?watch=True&timeoutSeconds=1" % namespace)
    assert boolean.status_code == 200
    assert '"type":"ADDED"' in boolean.text


def test_exact_list_at_past_revision(cluster, core, namespace):
    first = core.create_namespaced_config_map(namespace, body("v1"))
    core.create_namespaced_config_map(namespace, body("v2"))
    past = core.list_namespaced_config_map(namespace, resource_version=first.metadata.resource_version,
                                           resource_version_match="Exact")
    assert [item.metadata.name for item in past.items] == [ROOT_CA_CONFIGMAP, "v1"]


def test_delete_collection_with_selector(core, namespace):
    for name, env in [("a", "prod"), ("b", "prod"), ("c", "dev")]:
        core.create_namespaced_config_map(namespace, body(name, env=env))
    core.delete_collection_namespaced_config_map(namespace, label_selector="env=prod")
    assert [item.metadata.name for item in core.list_namespaced_config_map(namespace).items] == ["c", ROOT_CA_CONFIGMAP]


def test_binding_and_graceful_deletion_of_a_bound_pod(cluster, core, namespace):
    # Another scheduler's pod: the default scheduler leaves it to this test, which binds it to a node without a kubelet.
    pod = client.V1Pod(metadata=client.V1ObjectMeta(name="bound"),
                       spec=client.V1PodSpec(scheduler_name="e2e-manual", containers=[client.V1Container(name="c", image="nginx")]))
    core.create_namespaced_pod(namespace, pod)
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "bound"}, "target": {"kind": "Node", "name": "node-1"}}
    response = raw(cluster, "POST", "/api/v1/namespaces/%s/pods/bound/binding" % namespace, json.dumps(binding))
    assert response.status_code == 201, response.text
    bound = core.read_namespaced_pod("bound", namespace)
    assert bound.spec.node_name == "node-1"
    assert any(c.type == "PodScheduled" and c.status == "True" for c in bound.status.conditions)
    again = raw(cluster, "POST", "/api/v1/namespaces/%s/pods/bound/binding" % namespace, json.dumps(binding))
    assert again.status_code == 409
    on_node = core.list_namespaced_pod(namespace, field_selector="spec.nodeName=node-1")
    assert [p.metadata.name for p in on_node.items] == ["bound"]
    # A pod on a node is deleted gracefully: it stays, marked, until the kubelet finishes it.
    deleted = core.delete_namespaced_pod("bound", namespace)
    assert deleted.metadata.deletion_timestamp is not None
    assert deleted.metadata.deletion_grace_period_seconds == 30
    assert core.read_namespaced_pod("bound", namespace).metadata.deletion_timestamp is not None
    core.delete_namespaced_pod("bound", namespace, grace_period_seconds=0)
    with pytest.raises(ApiException) as gone:
        core.read_namespaced_pod("bound", namespace)
    assert gone.value.status == 404


def test_terminating_namespace_refuses_creates(cluster, core):
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="ending")))
    core.delete_namespace("ending")
    namespace = core.read_namespace("ending")
    assert namespace.status.phase == "Terminating"
    refused = raw(cluster, "POST", "/api/v1/namespaces/ending/configmaps", json.dumps({"metadata": {"name": "late"}}))
    assert refused.status_code == 403 and refused.json()["reason"] == "Forbidden"
    assert "because it is being terminated" in refused.json()["message"]


def test_legacy_watch_path_and_initial_events_bookmark(cluster, core, namespace):
    core.create_namespaced_config_map(namespace, body("seen"))
    legacy = raw(cluster, "GET", "/api/v1/watch/namespaces/%s/configmaps?timeoutSeconds=1" % namespace)
    assert legacy.status_code == 200
    events = [json.loads(line) for line in legacy.text.splitlines()]
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", ROOT_CA_CONFIGMAP), ("ADDED", "seen")]
    streamed = raw(cluster, "GET", "/api/v1/namespaces/%s/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
                   "&resourceVersionMatch=NotOlderThan&timeoutSeconds=1" % namespace)
    events = [json.loads(line) for line in streamed.text.splitlines()]
    assert events[0]["type"] == "ADDED"
    assert events[-1]["type"] == "BOOKMARK"
    assert events[-1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_scale_subresource(cluster, namespace):
    apps = client.AppsV1Api(cluster.api_client())
    deployment = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="scaled"),
        spec=client.V1DeploymentSpec(
            selector=client.V1LabelSelector(match_labels={"app": "scaled"}),
            template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels={"app": "scaled"}),
                                              spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx")]))))
    apps.create_namespaced_deployment(namespace, deployment)
    scale = apps.read_namespaced_deployment_scale("scaled", namespace)
    assert scale.spec.replicas == 1 and scale.status.selector == "app=scaled"
    apps.patch_namespaced_deployment_scale("scaled", namespace, {"spec": {"replicas": 5}})
    assert apps.read_namespaced_deployment("scaled", namespace).spec.replicas == 5


def test_status_subresource(cluster, namespace):
    apps = client.AppsV1Api(cluster.api_client())
    deployment = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="statused"),
        spec=client.V1DeploymentSpec(
            replicas=1, selector=client.V1LabelSelector(match_labels={"app": "s"}),
            template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels={"app": "s"}),
                                              spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx")]))))
    apps.create_namespaced_deployment(namespace, deployment)
    # A status write changes status only; the spec in it is ignored.
    written = apps.patch_namespaced_deployment_status("statused", namespace, {"status": {"replicas": 7}, "spec": {"replicas": 9}})
    assert written.status.replicas == 7 and written.spec.replicas == 1
    # A write of the main resource changes spec only; the status in it is ignored.
    updated = apps.patch_namespaced_deployment("statused", namespace, {"status": {"replicas": 1}, "spec": {"replicas": 2}})
    assert updated.spec.replicas == 2 and updated.status.replicas == 7
    assert updated.metadata.generation == 2
    core = client.CoreV1Api(cluster.api_client())
    core.create_namespaced_pod(namespace, client.V1Pod(metadata=client.V1ObjectMeta(name="p"),
                                                       spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx")])))
    running = core.patch_namespaced_pod_status("p", namespace, {"status": {"phase": "Running"}})
    assert running.status.phase == "Running"
    assert core.read_namespaced_pod("p", namespace).status.phase == "Running"
