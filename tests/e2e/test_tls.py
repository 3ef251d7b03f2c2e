"""Transport security: HTTPS by default with the certificates `skiff up` makes, HTTP/2 by ALPN,
x509 client certificates, refusals of strangers, certificates reused on restart and rotated by
`skiff certs`, and plain HTTP only when asked for."""
import base64
import datetime
import os
import re
import socket
import ssl
import subprocess

import pytest
import requests
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from conftest import KUBECTL, SKIFF, Cluster, kubectl

PKI_FILES = ["ca", "apiserver", "admin", "controller-manager", "scheduler", "kube-proxy", "kubelet-skiff-node-0"]
KUBECONFIGS = ["admin", "controller-manager", "scheduler", "kube-proxy", "kubelet"]


def stranger_ca_and_client(directory):
    """A CA nobody in the cluster trusts, and a client certificate it signed for kubernetes-admin:
    PEM files in `directory`, as (ca, cert, key) paths."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:masters"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes-admin")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False).sign(ca_key, hashes.SHA256()))
    paths = [os.path.join(directory, name) for name in ("stranger-ca.crt", "stranger.crt", "stranger.key")]
    for path, data in zip(paths, [ca.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.PEM),
                                  key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption())]):
        with open(path, "wb") as out:
            out.write(data)
    return paths


def test_cluster_info_shows_https(cluster):
    assert cluster.server.startswith("https://")
    assert "Kubernetes control plane is running at https://127.0.0.1:%d" % cluster.port in kubectl("cluster-info").stdout


def test_certificates_and_kubeconfigs_are_owner_only(cluster):
    for name in PKI_FILES:
        for suffix in (".crt", ".key"):
            assert os.stat(cluster.pki_file(name + suffix)).st_mode & 0o777 == 0o600, name + suffix
    for name in KUBECONFIGS:
        assert os.stat(os.path.join(cluster.data_dir, name + ".kubeconfig")).st_mode & 0o777 == 0o600, name


def test_admin_kubeconfig_embeds_the_ca_and_the_client_certificate(cluster):
    with open(cluster.kubeconfig) as file:
        config = yaml.safe_load(file)
    server = config["clusters"][0]["cluster"]
    user = config["users"][0]["user"]
    assert server["server"] == cluster.server
    with open(cluster.pki_file("ca.crt"), "rb") as ca:
        assert base64.b64decode(server["certificate-authority-data"]) == ca.read()
    certificate = x509.load_pem_x509_certificate(base64.b64decode(user["client-certificate-data"]))
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kubernetes-admin"
    assert [o.value for o in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == ["system:masters"]
    assert base64.b64decode(user["client-key-data"]).startswith(b"-----BEGIN PRIVATE KEY-----")


def test_serving_certificate_names(cluster):
    with open(cluster.pki_file("apiserver.crt"), "rb") as file:
        certificate = x509.load_pem_x509_certificate(file.read())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local", socket.gethostname()} <= set(names.get_values_for_type(x509.DNSName))
    assert {"127.0.0.1", "::1", "10.96.0.1"} <= {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}


def test_a_wrong_ca_fails_verification(cluster, tmp_path):
    stranger_ca, _, _ = stranger_ca_and_client(str(tmp_path))
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(cluster.server + "/version", verify=stranger_ca, timeout=10)
    with open(cluster.kubeconfig) as file:
        config = yaml.safe_load(file)
    with open(stranger_ca, "rb") as ca:
        config["clusters"][0]["cluster"]["certificate-authority-data"] = base64.b64encode(ca.read()).decode()
    wrong = tmp_path / "wrong-ca.kubeconfig"
    wrong.write_text(yaml.safe_dump(config))
    result = subprocess.run([KUBECTL, "--kubeconfig", str(wrong), "get", "namespaces"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "x509: certificate signed by unknown authority" in result.stderr


def test_no_client_certificate_is_anonymous(cluster):
    # Nobody vouches for the request: it is system:anonymous, whom RBAC lets read only the
    # public endpoints (a wrong token is 401 instead: test_access.py).
    response = requests.get(cluster.server + "/api/v1/namespaces", verify=cluster.pki_file("ca.crt"), timeout=10)
    assert response.status_code == 403
    status = response.json()
    assert (status["kind"], status["reason"], status["code"]) == ("Status", "Forbidden", 403)
    assert status["message"] == ('namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" '
                                 'in API group "" at the cluster scope')
    assert requests.get(cluster.server + "/version", verify=cluster.pki_file("ca.crt"), timeout=10).status_code == 200


def test_a_client_certificate_of_another_ca_is_refused(cluster, tmp_path):
    _, certificate, key = stranger_ca_and_client(str(tmp_path))
    try:
        response = requests.get(cluster.server + "/api/v1/namespaces", verify=cluster.pki_file("ca.crt"), cert=(certificate, key), timeout=10)
    except (requests.exceptions.SSLError, requests.exceptions.ConnectionError):
        return  # refused in the handshake
    assert response.status_code == 401


def test_http2_is_negotiated_and_http1_still_served(cluster):
    context = ssl.create_default_context(cafile=cluster.pki_file("ca.crt"))
    context.load_cert_chain(cluster.pki_file("admin.crt"), cluster.pki_file("admin.key"))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", cluster.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.selected_alpn_protocol() == "h2"
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
    for flag, version in (("--http2", "2"), ("--http1.1", "1.1")):
        result = subprocess.run(["curl", "-sS", flag, "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                                 "--cacert", cluster.pki_file("ca.crt"), "--cert", cluster.pki_file("admin.crt"),
                                 "--key", cluster.pki_file("admin.key"), cluster.server + "/api/v1/namespaces"],
                                capture_output=True, text=True, timeout=30)
        assert result.stdout == "%s 200" % version, result.stderr


def test_watch_over_http2_streams_events(cluster, namespace):
    watcher = subprocess.Popen(["curl", "-sS", "-N", "--http2", "--cacert", cluster.pki_file("ca.crt"),
                                "--cert", cluster.pki_file("admin.crt"), "--key", cluster.pki_file("admin.key"),
                                cluster.server + "/api/v1/namespaces/%s/configmaps?watch=1&timeoutSeconds=10"
                                "&fieldSelector=metadata.name%%3Dstreamed" % namespace],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Whether the watch starts before the create or after it (then as its initial state), the
        # object is delivered as ADDED.
        kubectl("create", "configmap", "streamed", "-n", namespace)
        line = watcher.stdout.readline()
        assert '"type":"ADDED"' in line and '"name":"streamed"' in line
    finally:
        watcher.kill()
        watcher.wait()


def test_certificates_are_reused_on_restart_and_rotated_by_skiff_certs(scratch_cluster):
    cluster = scratch_cluster.start()

    def read(name):
        with open(cluster.pki_file(name), "rb") as file:
            return file.read()

    before = {name: read(name + ".crt") for name in PKI_FILES}
    assert cluster.stop() == 0
    listing = subprocess.run([SKIFF, "certs", "--data-dir", cluster.data_dir], capture_output=True, text=True, timeout=30)
    assert listing.returncode == 0, listing.stderr
    rows = {line.split()[0]: line for line in listing.stdout.splitlines()[1:]}
    assert set(PKI_FILES) <= set(rows)
    assert "CN=kubernetes-admin,O=system:masters" in rows["admin"]
    assert "CN=front-proxy-client" in rows["front-proxy/front-proxy-client"] and "front-proxy/ca" in rows
    # A year's leaf and a ten-year CA: 364d and 9y, or 365d and 10y when listed within the
    # second their expiry was rounded to (a release build starts and stops that fast).
    assert re.search(r"\b36[45]d\b", rows["admin"]) and re.search(r"\b(9|10)y\b", rows["ca"])
    cluster.start()
    assert {name: read(name + ".crt") for name in PKI_FILES} == before, "a restart reuses every certificate"
    assert cluster.stop() == 0
    rotated = subprocess.run([SKIFF, "certs", "rotate", "--data-dir", cluster.data_dir], capture_output=True, text=True, timeout=30)
    assert rotated.returncode == 0, rotated.stderr
    assert read("ca.crt") == before["ca"]
    assert all(read(name + ".crt") != before[name] for name in PKI_FILES if name != "ca")
    assert "front-proxy/front-proxy-client" in rotated.stdout
    cluster.start()
    assert cluster.kubectl("get", "namespaces", "default", "-o", "name").stdout.strip() == "namespace/default"


def test_insecure_serving_is_plain_http_and_says_so(tmp_path):
    cluster = Cluster(str(tmp_path), extra_args=["--insecure-serving"]).start()
    try:
        assert cluster.server.startswith("http://")
        assert "WARNING: --insecure-serving" in cluster.log_tail()
        assert cluster.kubectl("get", "namespaces", "default", "-o", "name").stdout.strip() == "namespace/default"
        assert not os.path.exists(cluster.pki_file("ca.crt"))
    finally:
        assert cluster.stop() == 0
