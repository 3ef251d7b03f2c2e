"""The aggregation layer's APIServices with the real kubectl: every built-in group version the
server serves is listed as upstream's autoregister controller keeps it, an APIService served
by a service (a Python HTTPS discovery endpoint behind a selector-less Service) is checked for
availability, and the sample extension server (`skiff sample-apiserver`, wardle.example.com)
registered behind such a service is driven through the API server: create, get, watch,
api-resources, explain (its OpenAPI merged into the cluster's), and 503 once it stops."""
import base64
import json
import os
import re
import socket
import ssl
import subprocess
import tempfile
from urllib.parse import urlparse

import pytest

from conftest import SKIFF, LineReader, wait_for
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


def test_upgrade_requests_are_joined_to_the_extension_server(cluster, namespace):
    group = "echo%s.example.com" % namespace[-8:]

    def discovery(path, body):
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group + "/v1", "resources": [
            {"name": "streams", "singularName": "stream", "namespaced": True, "kind": "Stream", "verbs": ["get"]}]}
    with WebhookServer(discovery, dns_names=["api.%s.svc" % namespace], echo_upgrades=True) as server:
        cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(loopback_service("api", server.port)))
        name = "v1." + group
        cluster.kubectl("apply", "-f", "-", input=json.dumps({
            "apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": {"name": name},
            "spec": {"group": group, "version": "v1", "groupPriorityMinimum": 1000, "versionPriority": 15,
                     "service": {"namespace": namespace, "name": "api"}, "caBundle": server.ca_bundle}}))
        try:
            wait_for(lambda: cluster.kubectl("get", "apiservice", name, "--no-headers").stdout.split()[2] == "True",
                     timeout=30, message="the APIService to be available")
            address = urlparse(cluster.server)
            context = ssl.create_default_context(cafile=cluster.pki_file("ca.crt"))
            context.load_cert_chain(cluster.pki_file("admin.crt"), cluster.pki_file("admin.key"))
            path = "/apis/%s/v1/namespaces/%s/streams/one?follow=true" % (group, namespace)
            with socket.create_connection((address.hostname, address.port), timeout=20) as raw, \
                    context.wrap_socket(raw, server_hostname=address.hostname) as stream:
                stream.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: Upgrade\r\nUpgrade: e2e-echo\r\n\r\n"
                                % (path, address.netloc)).encode())
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = stream.recv(4096)
                    assert chunk, head
                    head += chunk
                assert head.startswith(b"HTTP/1.1 101"), head
                assert re.search(rb"(?im)^upgrade: e2e-echo\r$", head), head
                echoed = head.split(b"\r\n\r\n", 1)[1]
                stream.sendall(b"ping over the aggregator")
                while len(echoed) < len(b"ping over the aggregator"):
                    chunk = stream.recv(4096)
                    assert chunk, echoed
                    echoed += chunk
                assert echoed == b"ping over the aggregator"
            forwarded_path, headers = server.upgrades[0]
            assert forwarded_path == path
            assert ("X-Remote-User", "kubernetes-admin") in headers and ("X-Remote-Group", "system:masters") in headers
        finally:
            cluster.kubectl("delete", "apiservice", name)


@pytest.fixture
def sample_server(cluster, namespace):
    """`skiff sample-apiserver` on a free loopback port, trusting the cluster's front-proxy CA,
    with a serving certificate for `api.<namespace>.svc`; yields (process, port, caBundle)."""
    with tempfile.TemporaryDirectory(prefix="skiff-e2e-wardle-") as cert_dir:
        process = subprocess.Popen(
            [SKIFF, "sample-apiserver", "--secure-port", "0", "--cert-dir", cert_dir, "--tls-san", "api.%s.svc" % namespace,
             "--requestheader-client-ca-file", cluster.pki_file("front-proxy/ca.crt"), "--authorization-kubeconfig", cluster.kubeconfig],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        output = LineReader(process)
        try:
            ready = output.wait_for(lambda lines: next((line for line in lines if "Sample API server is ready" in line), None),
                                    timeout=60, message="the sample server's ready line")
            port = int(re.search(r":(\d+)$", ready).group(1))
            with open(os.path.join(cert_dir, "ca.crt"), "rb") as file:
                ca_bundle = base64.b64encode(file.read()).decode()
            yield process, port, ca_bundle
        finally:
            output.close()


def test_sample_extension_server_through_the_aggregator(cluster, namespace, sample_server):
    process, port, ca_bundle = sample_server
    cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(loopback_service("api", port)))
    name = "v1alpha1.wardle.example.com"
    cluster.kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": {"name": name},
        "spec": {"group": "wardle.example.com", "version": "v1alpha1", "groupPriorityMinimum": 1000, "versionPriority": 15,
                 "service": {"namespace": namespace, "name": "api"}, "caBundle": ca_bundle}}))
    try:
        def available():
            rows = cluster.kubectl("get", "apiservice", name, "--no-headers").stdout.split()
            return rows[2] == "True"
        wait_for(available, timeout=30, message="the APIService to be available")
        authentication = json.loads(cluster.kubectl("-n", "kube-system", "get", "configmap", "extension-apiserver-authentication",
                                                    "-o", "json").stdout)["data"]
        assert json.loads(authentication["requestheader-allowed-names"]) == ["front-proxy-client"]
        assert json.loads(authentication["requestheader-username-headers"]) == ["X-Remote-User"]
        assert "BEGIN CERTIFICATE" in authentication["requestheader-client-ca-file"]

        wait_for(lambda: "flunders" in cluster.kubectl("api-resources", "--api-group=wardle.example.com", "--no-headers").stdout,
                 timeout=30, message="flunders in api-resources")
        resources = {line.split()[0]: line.split() for line in
                     cluster.kubectl("api-resources", "--api-group=wardle.example.com", "--no-headers").stdout.splitlines()}
        assert resources["flunders"][-2:] == ["true", "Flunder"]
        assert resources["fischers"][-2:] == ["false", "Fischer"]
        # The aggregator merged the sample server's OpenAPI into the cluster's documents.
        def explained():
            result = cluster.kubectl("explain", "flunders.spec", check=False)
            return result.stdout if result.returncode == 0 else None
        explanation = wait_for(explained, timeout=30, message="flunders in the OpenAPI documents")
        assert re.search(r"KIND:\s+Flunder", explanation) and re.search(r"^\s+referenceType\t<string>$", explanation, re.M), explanation
        fischers = cluster.kubectl("explain", "fischers", "--output=plaintext-openapiv2").stdout
        assert re.search(r"^\s+disallowedFlunders\t<\[\]string>$", fischers, re.M), fischers

        watch = LineReader(cluster.popen_kubectl("-n", namespace, "get", "flunders", "--watch", "-o", "name"))
        try:
            cluster.kubectl("-n", namespace, "create", "-f", "-", input=json.dumps({
                "apiVersion": "wardle.example.com/v1alpha1", "kind": "Flunder", "metadata": {"name": "my-flunder"},
                "spec": {"reference": "my-fischer", "referenceType": "Fischer"}}))
            watch.wait_for(lambda lines: "flunder.wardle.example.com/my-flunder" in lines, message="the watch event")
        finally:
            watch.close()
        assert cluster.kubectl("-n", namespace, "get", "flunders", "--no-headers").stdout.split()[0] == "my-flunder"
        flunder = json.loads(cluster.kubectl("-n", namespace, "get", "flunder", "my-flunder", "-o", "json").stdout)
        assert flunder["spec"] == {"reference": "my-fischer", "referenceType": "Fischer"}
        invalid = cluster.kubectl("-n", namespace, "create", "-f", "-", check=False, input=json.dumps({
            "apiVersion": "wardle.example.com/v1alpha1", "kind": "Flunder", "metadata": {"name": "bad"},
            "spec": {"referenceType": "Nothing"}}))
        assert invalid.returncode != 0 and "spec.referenceType" in invalid.stderr
        cluster.kubectl("create", "-f", "-", input=json.dumps({
            "apiVersion": "wardle.example.com/v1alpha1", "kind": "Fischer", "metadata": {"name": "my-fischer"}}))
        assert cluster.kubectl("get", "fischers", "-o", "name").stdout.split() == ["fischer.wardle.example.com/my-fischer"]
        cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps({
            "apiVersion": "wardle.example.com/v1alpha1", "kind": "Flunder", "metadata": {"name": "applied"},
            "spec": {"reference": "my-flunder", "referenceType": "Flunder"}}))
        cluster.kubectl("-n", namespace, "patch", "flunder", "applied", "--type=merge", "-p", '{"spec":{"reference":"other"}}')
        assert json.loads(cluster.kubectl("-n", namespace, "get", "flunder", "applied", "-o", "json").stdout)["spec"]["reference"] == "other"
        cluster.kubectl("-n", namespace, "delete", "flunder", "applied")
        # The main server authorizes aggregated resources as any other (RBAC), before proxying.
        forbidden = cluster.kubectl("-n", namespace, "get", "flunders", "--as=jane", check=False)
        assert forbidden.returncode != 0
        assert 'User "jane" cannot list resource "flunders" in API group "wardle.example.com"' in forbidden.stderr
        # Granted, jane's request passes both: the extension server asks the main server too (SubjectAccessReview).
        cluster.kubectl("-n", namespace, "create", "role", "flunder-reader", "--verb=list", "--resource=flunders.wardle.example.com")
        cluster.kubectl("-n", namespace, "create", "rolebinding", "jane-reads", "--role=flunder-reader", "--user=jane")
        wait_for(lambda: cluster.kubectl("-n", namespace, "get", "flunders", "--as=jane", "-o", "name", check=False).stdout.split()
                 == ["flunder.wardle.example.com/my-flunder"], timeout=10, message="jane's list")

        process.terminate()
        process.wait(timeout=20)
        wait_for(lambda: not available(), timeout=30, message="the APIService to become unavailable")
        stopped = cluster.requests_session().get(cluster.server + "/apis/wardle.example.com/v1alpha1/namespaces/%s/flunders" % namespace)
        assert (stopped.status_code, stopped.text) == (503, "service unavailable\n")
        aggregated = cluster.requests_session().get(cluster.server + "/apis", headers={
            "Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"}).json()
        wardle = [item for item in aggregated["items"] if item["metadata"]["name"] == "wardle.example.com"]
        assert wardle[0]["versions"][0]["freshness"] == "Stale"
    finally:
        cluster.kubectl("delete", "apiservice", name)
