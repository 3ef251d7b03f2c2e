"""Kubernetes protobuf on the wire (`application/vnd.kubernetes.protobuf`), checked with an
independent decoder (`protoc --decode_raw`) on raw HTTP responses: objects, lists and `Status`
errors in the `k8s\\0` + `runtime.Unknown` envelope, watch events as 4-byte big-endian
length-prefixed `WatchEvent` messages, and content negotiation as upstream's (JSON for `*/*`,
JSON for custom resources, `406` when only protobuf is acceptable for them)."""
import json
import shutil
import struct
import subprocess
import uuid

import pytest

PROTOBUF = "application/vnd.kubernetes.protobuf"
JSON = {"Content-Type": "application/json"}

pytestmark = pytest.mark.skipif(shutil.which("protoc") is None, reason="protoc (Debian's protobuf-compiler) is not installed")


def decode_raw(message):
    """`protoc --decode_raw`'s text form of a message (no envelope, no length prefix)."""
    return subprocess.run(["protoc", "--decode_raw"], input=message, capture_output=True, check=True, timeout=30).stdout.decode()


def envelope(body):
    """The `runtime.Unknown` envelope of a protobuf answer, decoded raw."""
    assert body[:4] == b"k8s\x00", body[:16]
    return decode_raw(body[4:])


@pytest.fixture
def config_map(cluster, namespace):
    http = cluster.requests_session()
    collection = "%s/api/v1/namespaces/%s/configmaps" % (cluster.server, namespace)
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "wire", "labels": {"wire": "protobuf"}},
            "data": {"greeting": "hello-protobuf"}}
    created = http.post(collection, data=json.dumps(body), headers=JSON)
    assert created.status_code == 201, created.text
    return collection


def test_objects_and_lists_in_protobuf(cluster, config_map):
    http = cluster.requests_session()
    got = http.get(config_map + "/wire", headers={"Accept": PROTOBUF + ", application/json"})
    assert got.status_code == 200
    assert got.headers["Content-Type"] == PROTOBUF
    text = envelope(got.content)
    # TypeMeta (field 1: apiVersion, kind), the ConfigMap message (field 2) with its name and data.
    assert '1: "v1"' in text and '2: "ConfigMap"' in text, text
    assert '1: "wire"' in text and '2: "hello-protobuf"' in text, text

    listed = http.get(config_map + "?labelSelector=wire%3Dprotobuf", headers={"Accept": PROTOBUF})
    assert listed.headers["Content-Type"] == PROTOBUF
    text = envelope(listed.content)
    assert '2: "ConfigMapList"' in text and '2: "hello-protobuf"' in text, text

    assert http.get(config_map + "/wire", headers={"Accept": "*/*"}).headers["Content-Type"] == "application/json"
    table = http.get(config_map, headers={"Accept": PROTOBUF + ";as=Table;v=v1;g=meta.k8s.io, application/json"})
    assert table.headers["Content-Type"] == "application/json", "a Table is never protobuf, as upstream"


def test_status_errors_in_protobuf(cluster, config_map):
    missing = cluster.requests_session().get(config_map + "/nope", headers={"Accept": PROTOBUF})
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == PROTOBUF
    text = envelope(missing.content)
    assert '2: "Status"' in text and '4: "NotFound"' in text and "6: 404" in text, text


def test_watch_events_are_length_prefixed_frames(cluster, config_map):
    watch = cluster.requests_session().get(config_map + "?watch=1&timeoutSeconds=5&labelSelector=wire%3Dprotobuf",
                                           headers={"Accept": PROTOBUF + ";stream=watch"}, stream=True)
    assert watch.headers["Content-Type"] == PROTOBUF + ";stream=watch"
    raw = watch.raw
    (length,) = struct.unpack(">I", raw.read(4))
    frame = raw.read(length)
    watch.close()
    assert len(frame) == length
    text = decode_raw(frame)
    # WatchEvent: type (1), object (2) a RawExtension whose raw (1) is the enveloped object.
    assert text.startswith('1: "ADDED"\n2 {\n  1: "k8s\\000'), text
    assert "hello-protobuf" in text, text


def test_custom_resources_answer_json_or_406(cluster):
    http = cluster.requests_session()
    suffix = uuid.uuid4().hex[:6]
    group = "wire.example.com"
    plural = "gadgets" + suffix
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "%s.%s" % (plural, group)},
        "spec": {"group": group, "scope": "Cluster",
                 "names": {"plural": plural, "singular": "gadget" + suffix, "kind": "Gadget" + suffix.capitalize()},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]},
    }
    cluster.kubectl("apply", "-f", "-", input=json.dumps(crd))
    try:
        cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/" + crd["metadata"]["name"])
        url = "%s/apis/%s/v1/%s" % (cluster.server, group, plural)
        only = http.get(url, headers={"Accept": PROTOBUF})
        assert only.status_code == 406, only.text
        assert only.headers["Content-Type"] == "application/json"
        status = only.json()
        assert status["reason"] == "NotAcceptable"
        assert status["message"] == "only the following media types are accepted: application/json, application/yaml"
        either = http.get(url, headers={"Accept": PROTOBUF + ", application/json"})
        assert either.status_code == 200
        assert either.headers["Content-Type"] == "application/json"
        assert either.json()["items"] == []
    finally:
        cluster.kubectl("delete", "crd", crd["metadata"]["name"], "--timeout=60s")
