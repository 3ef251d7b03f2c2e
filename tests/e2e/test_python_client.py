"""The official Python client against a real `skiff up`: paging, watches, conflicts and the
Status errors of bad requests."""
import json
import threading

import pytest
import requests
from kubernetes import client, watch
from kubernetes.client.rest import ApiException


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
            assert page.metadata.remaining_item_count == 15
            first = False
        token = page.metadata._continue
        if not token:
            break
    assert seen == ["cm-%02d" % index for index in range(25)]
    assert len(versions) == 1


def test_watch_from_list_resource_version(core, namespace):
    core.create_namespaced_config_map(namespace, body("before"))
    listed = core.list_namespaced_config_map(namespace)
    assert [item.metadata.name for item in listed.items] == ["before"]
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
    thread.join(timeout=30)
    assert events == ["DELETED", "ADDED"]


def raw(cluster, method, path, data=None, headers=None):
    return requests.request(method, cluster.server + path, data=data, headers=headers or {}, timeout=20)


def test_status_errors(cluster, core, namespace):
    base = "/api/v1/namespaces/%s/configmaps" % namespace
    missing = raw(cluster, "GET", base + "/nope")
    assert missing.status_code == 404
    assert missing.json()["reason"] == "NotFound" and missing.json()["kind"] == "Status"
    core.create_namespaced_config_map(namespace, body("dup"))
    duplicate = raw(cluster, "POST", base, json.dumps({"metadata": {"name": "dup"}}))
    assert duplicate.status_code == 409 and duplicate.json()["reason"] == "AlreadyExists"
    invalid = raw(cluster, "POST", base, json.dumps({"metadata": {"name": "Not_Valid"}}))
    assert invalid.status_code == 422 and invalid.json()["reason"] == "Invalid"
    assert invalid.json()["details"]["causes"][0]["field"] == "metadata.name"
    malformed = raw(cluster, "POST", base, "{not json", {"Content-Type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["reason"] == "BadRequest"
    wrong_kind = raw(cluster, "POST", base, json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "w"}}))
    assert wrong_kind.status_code == 400
    wrong_namespace = raw(cluster, "POST", base, json.dumps({"metadata": {"name": "w", "namespace": "other"}}))
    assert wrong_namespace.status_code == 400
    selector = raw(cluster, "GET", base + "?fieldSelector=spec.foo%3Dbar")
    assert selector.status_code == 400 and selector.json()["message"] == "field label not supported: spec.foo"
    too_large = raw(cluster, "POST", base, json.dumps({"metadata": {"name": "big"}, "data": {"k": "x" * (4 * 1024 * 1024)}}))
    assert too_large.status_code == 413 and too_large.json()["reason"] == "RequestEntityTooLarge"
    assert raw(cluster, "GET", base + "/big").status_code == 404
    not_allowed = raw(cluster, "PUT", base)
    assert not_allowed.status_code == 405 and not_allowed.json()["reason"] == "MethodNotAllowed"
    unknown = raw(cluster, "GET", "/api/v1/namespaces/%s/widgets" % namespace)
    assert unknown.status_code == 404


def test_python_client_sends_bodies_without_content_type(cluster, namespace):
    created = raw(cluster, "POST", "/api/v1/namespaces/%s/configmaps" % namespace, json.dumps({"metadata": {"name": "plain"}}))
    assert created.status_code == 201
    boolean = raw(cluster, "GET", "/api/v1/namespaces/%s/configmaps?watch=True&timeoutSeconds=1" % namespace)
    assert boolean.status_code == 200
    assert '"type":"ADDED"' in boolean.text


def test_exact_list_at_past_revision(cluster, core, namespace):
    first = core.create_namespaced_config_map(namespace, body("v1"))
    core.create_namespaced_config_map(namespace, body("v2"))
    past = core.list_namespaced_config_map(namespace, resource_version=first.metadata.resource_version,
                                           resource_version_match="Exact")
    assert [item.metadata.name for item in past.items] == ["v1"]


def test_delete_collection_with_selector(core, namespace):
    for name, env in [("a", "prod"), ("b", "prod"), ("c", "dev")]:
        core.create_namespaced_config_map(namespace, body(name, env=env))
    core.delete_collection_namespaced_config_map(namespace, label_selector="env=prod")
    assert [item.metadata.name for item in core.list_namespaced_config_map(namespace).items] == ["c"]


def test_binding_and_graceful_deletion_of_a_bound_pod(cluster, core, namespace):
    pod = client.V1Pod(metadata=client.V1ObjectMeta(name="bound"),
                       spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx")]))
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
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "seen")]
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
