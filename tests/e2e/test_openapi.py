"""/openapi/v2: the Swagger document kubectl's openapiv2 paths read (as gnostic protobuf) and
clients can fetch as JSON, against a real `skiff up`; the aggregated servers' documents (the
metrics server's metrics.k8s.io) merged into it and served beside the v3 ones."""
import re

from conftest import kubectl, wait_for

PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"


def test_explain_reads_the_v2_document_as_protobuf(cluster):
    verbose = kubectl("explain", "pods.spec.containers", "--output=plaintext-openapiv2", "-v=8")
    assert "GET %s/openapi/v2" % cluster.server in verbose.stderr
    assert "Accept: " + PROTOBUF in verbose.stderr
    lines = verbose.stdout.splitlines()
    assert lines[:2] == ["KIND:     Pod", "VERSION:  v1"]
    assert "RESOURCE: containers <[]Object>" in lines
    assert "   name\t<string> -required-" in lines and "   image\t<string>" in lines

    recursive = kubectl("explain", "deployment.spec.strategy", "--recursive", "--output=plaintext-openapiv2").stdout.splitlines()
    assert recursive[:2] == ["KIND:     Deployment", "VERSION:  apps/v1"]
    assert "RESOURCE: strategy <Object>" in recursive
    fields = recursive[recursive.index("FIELDS:") + 1:]
    assert fields == ["   rollingUpdate\t<Object>", "      maxSurge\t<string>", "      maxUnavailable\t<string>", "   type\t<string>"]


def test_json_document_describes_every_served_resource(cluster):
    response = cluster.requests_session().get(cluster.server + "/openapi/v2", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    document = response.json()
    assert document["swagger"] == "2.0"
    assert document["info"] == {"title": "Kubernetes", "version": "v1.32.4-skiff"}
    assert document["securityDefinitions"]["BearerToken"]["type"] == "apiKey"
    served = [("", "v1", cluster.requests_session().get(cluster.server + "/api/v1", timeout=30).json())]
    # Group versions an aggregated server serves (metrics.k8s.io from the metrics server) are in
    # the document once their APIService is available and its server's document was fetched.
    document = wait_for(lambda: merged_document(cluster), timeout=60, message="the aggregated servers' documents")
    kinds = {}
    for name, schema in document["definitions"].items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            kinds[(gvk["group"], gvk["version"], gvk["kind"])] = name
    for group in cluster.requests_session().get(cluster.server + "/apis", timeout=30).json()["groups"]:
        for version in group["versions"]:
            served.append((group["name"], version["version"],
                           cluster.requests_session().get(cluster.server + "/apis/" + version["groupVersion"], timeout=30).json()))
    assert any(group == "metrics.k8s.io" for group, _, _ in served)
    checked = 0
    for group, version, resources in served:
        root = "/apis/%s/%s" % (group, version) if group else "/api/" + version
        for resource in resources["resources"]:
            if "/" in resource["name"]:
                continue
            assert (group, version, resource["kind"]) in kinds, resource
            scope = "/namespaces/{namespace}/" if resource["namespaced"] else "/"
            collection = document["paths"][root + scope + resource["name"]]
            if resource["verbs"] == ["create"]:
                # Create-only resources (bindings, the reviews) have a collection path with
                # just the POST, as upstream.
                assert set(collection) == {"parameters", "post"}
                assert root + scope + resource["name"] + "/{name}" not in document["paths"]
                continue
            assert collection["get"]["x-kubernetes-action"] == "list"
            assert collection["get"]["x-kubernetes-group-version-kind"] == {"group": group, "version": version, "kind": resource["kind"]}
            item = document["paths"][root + scope + resource["name"] + "/{name}"]
            # Read-only resources (componentstatuses) have no patch, as upstream.
            assert ("patch" in item) == ("patch" in resource["verbs"])
            if "patch" in item:
                assert "application/strategic-merge-patch+json" in item["patch"]["consumes"]
            assert ("delete" in collection) == ("deletecollection" in resource["verbs"])
            checked += 1
    assert checked >= 20
    containers = document["definitions"]["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
    assert containers["x-kubernetes-patch-merge-key"] == "name" and containers["x-kubernetes-list-type"] == "map"


def test_etag_not_modified_and_negotiation(cluster):
    url = cluster.server + "/openapi/v2"
    json_response = cluster.requests_session().get(url, headers={"Accept": "application/json"}, timeout=30)
    etag = json_response.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert json_response.headers["Vary"] == "Accept"
    protobuf = cluster.requests_session().get(url, headers={"Accept": PROTOBUF}, timeout=30)
    assert protobuf.status_code == 200
    assert protobuf.headers["Content-Type"] == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    assert protobuf.headers["ETag"] == etag and protobuf.content[:5] == b"\x0a\x032.0"
    assert cluster.requests_session().get(url, headers={"If-None-Match": etag}, timeout=30).status_code == 304
    assert cluster.requests_session().get(url, headers={"If-None-Match": '"other"'}, timeout=30).status_code == 200
    assert cluster.requests_session().get(url, headers={"Accept": "text/html"}, timeout=30).status_code == 406


def available_aggregated_group_versions(cluster):
    """The group versions of the available APIServices an extension server serves."""
    items = cluster.requests_session().get(cluster.server + "/apis/apiregistration.k8s.io/v1/apiservices", timeout=30).json()["items"]
    return ["%s/%s" % (item["spec"]["group"], item["spec"]["version"]) for item in items if item["spec"].get("service") and any(
        c["type"] == "Available" and c["status"] == "True" for c in item.get("status", {}).get("conditions", []))]


def merged_document(cluster):
    """The /openapi/v2 document once it has the metrics server's paths and those of every
    available aggregated group version; None before."""
    aggregated = available_aggregated_group_versions(cluster)
    if "metrics.k8s.io/v1beta1" not in aggregated:
        return None
    document = cluster.requests_session().get(cluster.server + "/openapi/v2", timeout=30).json()
    if all(any(path.startswith("/apis/%s/" % gv) for path in document["paths"]) for gv in aggregated):
        return document
    return None


def test_explain_an_aggregated_kind(cluster):
    wait_for(lambda: merged_document(cluster), timeout=60, message="the metrics server's document")
    index = cluster.requests_session().get(cluster.server + "/openapi/v3", timeout=30).json()["paths"]
    assert index["apis/metrics.k8s.io/v1beta1"]["serverRelativeURL"].startswith("/openapi/v3/apis/metrics.k8s.io/v1beta1?hash=")
    for output in ["plaintext", "plaintext-openapiv2"]:
        explained = kubectl("explain", "nodemetrics", "--output=" + output).stdout
        assert re.search(r"KIND:\s+NodeMetrics", explained), explained
        assert "NodeMetrics sets resource usage metrics of a node." in explained
        assert re.search(r"^\s+window\t<string> -required-$", explained, re.M), explained
        containers = kubectl("explain", "podmetrics.containers", "--output=" + output).stdout
        assert "ContainerMetrics sets resource usage metrics of a container." in containers
        assert re.search(r"^\s+name\t<string> -required-$", containers, re.M), containers
