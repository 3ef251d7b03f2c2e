"""The bytes of JSON responses, which clients and third-party test suites (kr8s') compare: members
in Go's struct order as kube-apiserver writes them (`kind`, `apiVersion`, `metadata`, `spec`,
`status`; Status bodies as upstream's), maps and custom resources sorted, and a final newline.
Also `pods/log` of a simulated container: 200 with an empty log, as a container that printed
nothing. Raw HTTP(S), so that no client reorders anything."""
import json

from conftest import wait_for

JSON = {"Content-Type": "application/json"}


def test_a_missing_object_answers_upstreams_status_bytes(cluster, namespace):
    http = cluster.requests_session()
    response = http.get("%s/api/v1/namespaces/%s/pods/nope" % (cluster.server, namespace))
    assert response.status_code == 404
    assert response.text == (
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",'
        '"message":"pods \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}\n')


def test_objects_lists_and_watch_events_in_go_order(cluster, namespace):
    http = cluster.requests_session()
    collection = "%s/api/v1/namespaces/%s/configmaps" % (cluster.server, namespace)
    body = {"data": {"b": "2", "a": "1"}, "metadata": {"labels": {"z": "1", "y": "2"}, "name": "order"},
            "apiVersion": "v1", "kind": "ConfigMap"}
    created = http.post(collection, data=json.dumps(body), headers=JSON)
    assert created.status_code == 201, created.text
    got = http.get(collection + "/order")
    assert got.text.endswith("}\n")
    text = got.text
    assert text.startswith('{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"order","namespace":"%s","uid":' % namespace)
    assert text.index('"labels":{"y":"2","z":"1"}') < text.index('"managedFields"') < text.index('"data":{"a":"1","b":"2"}')

    # Only this test's object (the namespace holds kube-root-ca.crt too).
    selected = collection + "?labelSelector=z%3D1"
    listed = http.get(selected)
    assert listed.text.startswith('{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":')
    assert '"items":[{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"order",' in listed.text
    assert listed.text.endswith("]}\n")

    watch = http.get(selected + "&watch=1&timeoutSeconds=1", stream=True)
    first = next(watch.iter_lines())
    watch.close()
    assert first.decode().startswith('{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"order",')

    table = http.get(selected, headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    assert table.text.startswith('{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":')
    assert '"rows":[{"cells":["order",' in table.text
    assert '"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"order",' in table.text


def test_pod_log_of_a_simulated_container_is_empty(cluster, namespace):
    cluster.kubectl("run", "quiet", "-n", namespace, "--image", "pause")
    wait_for(lambda: cluster.kubectl("get", "pod", "quiet", "-n", namespace, "-o", "jsonpath={.status.phase}").stdout == "Running",
             timeout=30, message="pod quiet running")
    response = cluster.requests_session().get("%s/api/v1/namespaces/%s/pods/quiet/log" % (cluster.server, namespace))
    assert response.status_code == 200
    assert response.text == ""
