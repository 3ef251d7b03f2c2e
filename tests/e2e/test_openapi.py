"""/openapi/v2: the Swagger document kubectl's openapiv2 paths read (as gnostic protobuf) and
clients can fetch as JSON, against a real `skiff up`."""

from conftest import kubectl

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
    kinds = {}
    for name, schema in document["definitions"].items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            kinds[(gvk["group"], gvk["version"], gvk["kind"])] = name
    served = [("", "v1", cluster.requests_session().get(cluster.server + "/api/v1", timeout=30).json())]
    # Group versions an aggregated server serves (metrics.k8s.io from the metrics server): upstream
    # merges their servers' OpenAPI into this document; Skiff does not yet (issue 11), so they are
    # left out here.
    api_services = cluster.requests_session().get(cluster.server + "/apis/apiregistration.k8s.io/v1/apiservices", timeout=30).json()
    aggregated = {"%s/%s" % (item["spec"]["group"], item["spec"]["version"]) for item in api_services["items"]
                  if item["spec"].get("service")}
    for group in cluster.requests_session().get(cluster.server + "/apis", timeout=30).json()["groups"]:
        for version in group["versions"]:
            if version["groupVersion"] in aggregated:
                continue
            served.append((group["name"], version["version"],
                           cluster.requests_session().get(cluster.server + "/apis/" + version["groupVersion"], timeout=30).json()))
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
