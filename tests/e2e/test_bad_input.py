"""Bad input and attacks over TLS against the session's `skiff up` (HTTPS, `Node,RBAC`, admission
on): client certificates that are expired, not yet valid, for the wrong usage or forged in the
cluster CA's name; service account tokens that are expired, unsigned, signed with HMAC over the
public key or by another key; headers over kube-apiserver's 1 MiB; bodies over its 3 MiB; a
client trickling its headers (slowloris); impersonation without the `impersonate` verb. Each is
refused with upstream's code (a `Status` where upstream sends one), the server stays up, and
nothing is written. (Wrong CAs, tampered signatures, other audiences and deleted accounts are in
test_tls.py and test_service_account_tokens.py.)"""
import base64
import datetime
import hashlib
import json
import os
import select
import socket
import ssl
import time
import uuid

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ISSUER = "https://kubernetes.default.svc.cluster.local"


def load_ca(cluster):
    with open(cluster.pki_file("ca.crt"), "rb") as cert, open(cluster.pki_file("ca.key"), "rb") as key:
        return x509.load_pem_x509_certificate(cert.read()), serialization.load_pem_private_key(key.read(), None)


def client_certificate(cluster, directory, name, user, groups=(), not_before=None, not_after=None, usage=ExtendedKeyUsageOID.CLIENT_AUTH,
                       signing_key=None):
    """A client certificate for `user` issued in the cluster CA's name (signed by its key unless
    `signing_key` is given), as (cert, key) paths under `directory`."""
    ca, ca_key = load_ca(cluster)
    now = datetime.datetime.now(datetime.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, group) for group in groups]
                        + [x509.NameAttribute(NameOID.COMMON_NAME, user)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - datetime.timedelta(minutes=5))
            .not_valid_after(not_after or now + datetime.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .sign(signing_key or ca_key, hashes.SHA256()))
    paths = (os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key"))
    with open(paths[0], "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths


def configmap_exists(cluster, name):
    return cluster.requests_session().get(cluster.server + "/api/v1/namespaces/default/configmaps/" + name, timeout=30).status_code == 200


def assert_unauthorized(response):
    assert response.status_code == 401, response.text
    status = response.json()
    assert (status["kind"], status["reason"], status["code"], status["message"]) == ("Status", "Unauthorized", 401, "Unauthorized")


def try_create_with_certificate(cluster, cert, name):
    """POSTs a ConfigMap presenting `cert`; the response, or None when the handshake refused it."""
    try:
        return requests.post(cluster.server + "/api/v1/namespaces/default/configmaps", json={"metadata": {"name": name}},
                             verify=cluster.pki_file("ca.crt"), cert=cert, timeout=30)
    except (requests.exceptions.SSLError, requests.exceptions.ConnectionError):
        return None


@pytest.mark.parametrize("case", ["expired", "not-yet-valid", "serving-usage", "forged"])
def test_bad_client_certificates_are_refused_and_write_nothing(cluster, tmp_path, case):
    now = datetime.datetime.now(datetime.timezone.utc)
    options = {
        "expired": dict(not_before=now - datetime.timedelta(days=2), not_after=now - datetime.timedelta(days=1)),
        "not-yet-valid": dict(not_before=now + datetime.timedelta(days=1), not_after=now + datetime.timedelta(days=2)),
        "serving-usage": dict(usage=ExtendedKeyUsageOID.SERVER_AUTH),
        # The cluster CA's name, another key: the signature does not verify.
        "forged": dict(signing_key=ec.generate_private_key(ec.SECP256R1())),
    }[case]
    cert = client_certificate(cluster, str(tmp_path), case, "mallory", groups=["system:masters"], **options)
    name = "bad-cert-" + uuid.uuid4().hex[:8]
    response = try_create_with_certificate(cluster, cert, name)
    if response is not None:
        assert_unauthorized(response)
    assert not configmap_exists(cluster, name)
    # The same subject with a good certificate is the user it names: the refusals above were the certificates'.
    good = client_certificate(cluster, str(tmp_path), "good", "mallory", groups=["system:masters"])
    assert try_create_with_certificate(cluster, good, name).status_code == 201


def test_impersonation_without_the_verb_writes_nothing(cluster, tmp_path):
    eve = client_certificate(cluster, str(tmp_path), "eve", "eve")
    name = "impersonated-" + uuid.uuid4().hex[:8]
    response = requests.post(cluster.server + "/api/v1/namespaces/default/configmaps", json={"metadata": {"name": name}},
                             headers={"Impersonate-User": "kubernetes-admin", "Impersonate-Group": "system:masters"},
                             verify=cluster.pki_file("ca.crt"), cert=eve, timeout=30)
    assert response.status_code == 403
    status = response.json()
    assert (status["kind"], status["reason"]) == ("Status", "Forbidden")
    assert status["message"] == ('users "kubernetes-admin" is forbidden: User "eve" cannot impersonate resource "users" '
                                 'in API group "" at the cluster scope')
    assert not configmap_exists(cluster, name)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(header, claims, sign):
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    return signing_input + "." + b64url(sign(signing_input.encode()))


def es256(key):
    def sign(data):
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return sign


@pytest.fixture(scope="module")
def forger(cluster):
    """Makes tokens for `default/default` the way the server signs them (its `sa.key`, upstream's
    key id), with claims and header to taste."""
    with open(cluster.pki_file("sa.key"), "rb") as pem:
        key = serialization.load_pem_private_key(pem.read(), None)
    public_der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    kid = b64url(hashlib.sha256(public_der).digest())
    uid = cluster.kubectl("get", "serviceaccount", "default", "-n", "default", "-o", "jsonpath={.metadata.uid}").stdout.strip()

    def make(expires_in=3600, header=None, sign=None, **extra):
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": "system:serviceaccount:default:default", "aud": [ISSUER], "iat": now, "nbf": now,
                  "exp": now + expires_in, "jti": str(uuid.uuid4()),
                  "kubernetes.io": {"namespace": "default", "serviceaccount": {"name": "default", "uid": uid}}}
        claims.update(extra)
        return jwt(header or {"alg": "ES256", "kid": kid, "typ": "JWT"}, claims, sign or es256(key))
    make.public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    make.kid = kid
    return make


def call_with_token(cluster, token, method="GET", path="/api/v1/namespaces/default/configmaps", body=None):
    session = requests.Session()
    session.trust_env = False
    return session.request(method, cluster.server + path, json=body, headers={"Authorization": "Bearer " + token},
                           verify=cluster.pki_file("ca.crt"), timeout=30)


def whoami(cluster, token):
    return call_with_token(cluster, token, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                           {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})


def test_a_token_forged_like_the_servers_own_authenticates(cluster, forger):
    # The control for the refusals below: the forger's tokens are the server's own.
    answer = whoami(cluster, forger())
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"]["userInfo"]["username"] == "system:serviceaccount:default:default"


def hs256_over_public_key(forger):
    def sign(data):
        mac = hmac.HMAC(forger.public_pem, hashes.SHA256())
        mac.update(data)
        return mac.finalize()
    return sign


@pytest.mark.parametrize("case", ["expired", "not-yet-valid", "alg-none", "hs256-public-key", "another-key", "unknown-account"])
def test_bad_tokens_are_refused_and_write_nothing(cluster, forger, case):
    now = int(time.time())
    token = {
        "expired": lambda: forger(expires_in=-60),
        "not-yet-valid": lambda: forger(nbf=now + 3600),
        "alg-none": lambda: forger(header={"alg": "none", "typ": "JWT"}, sign=lambda data: b""),
        "hs256-public-key": lambda: forger(header={"alg": "HS256", "kid": forger.kid, "typ": "JWT"}, sign=hs256_over_public_key(forger)),
        "another-key": lambda: forger(sign=es256(ec.generate_private_key(ec.SECP256R1()))),
        "unknown-account": lambda: forger(**{"kubernetes.io": {"namespace": "default", "serviceaccount": {"name": "ghost", "uid": "0"}}}),
    }[case]()
    assert_unauthorized(whoami(cluster, token))
    name = "bad-token-" + uuid.uuid4().hex[:8]
    assert_unauthorized(call_with_token(cluster, token, "POST", body={"metadata": {"name": name}}))
    assert not configmap_exists(cluster, name)


def tls_socket(cluster):
    """A TLS connection to the server speaking HTTP/1.1, presenting the admin's certificate."""
    context = ssl.create_default_context(cafile=cluster.pki_file("ca.crt"))
    context.load_cert_chain(cluster.pki_file("admin.crt"), cluster.pki_file("admin.key"))
    context.set_alpn_protocols(["http/1.1"])
    raw = socket.create_connection(("127.0.0.1", cluster.port), timeout=60)
    return context.wrap_socket(raw, server_hostname="localhost")


def send_and_read_until_closed(connection, data, timeout=60):
    """Sends `data` and returns what the server answers until it closes, in one thread: the
    server may answer (and stop reading) before the last byte is sent. (An SSL socket read and
    written from two threads at once can break and read an empty answer.)"""
    connection.setblocking(False)
    view, sent, received = memoryview(data), 0, b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sending = sent < len(view)
        readable, writable, _ = select.select([connection], [connection] if sending else [], [], 1)
        if sending and writable:
            try:
                sent += connection.send(view[sent:sent + 65536])
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                pass
            except OSError:
                sent = len(view)  # the server stopped reading: what it answered is still to come
        if readable or connection.pending():
            try:
                chunk = connection.recv(65536)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                continue
            except OSError:
                break
            if not chunk:
                break
            received += chunk
    return received


def test_headers_over_one_mebibyte_get_431_as_go_answers(cluster):
    # kube-apiserver's MaxHeaderBytes is 1 MiB; Go's server answers 431 in plain text (no Status:
    # no handler has run) and closes. Below the limit (and far above NIO's default 80 KiB) is served.
    fitting = cluster.requests_session().get(cluster.server + "/api/v1/namespaces/default/configmaps",
                                             headers={"X-Padding": "a" * (900 * 1024)}, timeout=60)
    assert fitting.status_code == 200
    connection = tls_socket(cluster)
    request = b"GET /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * ((1 << 20) + 8192) + b"\r\n\r\n"
    answer = send_and_read_until_closed(connection, request)
    connection.close()
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n"), answer[:200]
    assert answer.endswith(b"\r\n\r\n431 Request Header Fields Too Large")
    assert cluster.requests_session().get(cluster.server + "/readyz", timeout=30).status_code == 200


def test_bodies_over_three_mebibytes_get_413_and_write_nothing(cluster, tmp_path):
    name = "huge-" + uuid.uuid4().hex[:8]
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"blob": "a" * (3 * 1024 * 1024 + 1)}}
    response = cluster.requests_session().post(cluster.server + "/api/v1/namespaces/default/configmaps", json=body, timeout=60)
    assert response.status_code == 413
    status = response.json()
    assert (status["kind"], status["reason"], status["code"]) == ("Status", "RequestEntityTooLarge", 413)
    assert status["message"] == "Request entity too large: limit is 3145728"
    # kubectl (HTTP/2) is told the same.
    manifest = tmp_path / "huge.json"
    manifest.write_text(json.dumps(body))
    created = cluster.kubectl("create", "-f", str(manifest), check=False)
    assert created.returncode != 0
    assert "Request entity too large: limit is 3145728" in created.stderr
    assert not configmap_exists(cluster, name)


def test_a_client_trickling_its_headers_is_cut_off_without_stalling_others(cluster):
    # kube-apiserver's ReadHeaderTimeout is 32 s, however steadily the bytes come.
    slow = tls_socket(cluster)
    slow.sendall(b"GET /api/v1/namespaces HTTP/1.1\r\nHost: localhost\r\n")
    slow.settimeout(1)
    started = time.monotonic()
    closed = False
    while time.monotonic() - started < 45:
        try:
            slow.sendall(b"X-Slow-%d: a\r\n" % int(time.monotonic() - started))
            # Waits a second for the server's close, which is also the trickle's pace.
            if slow.recv(1) == b"":
                closed = True
                break
        except socket.timeout:
            # Meanwhile everyone else is served at once.
            fast = time.monotonic()
            assert cluster.requests_session().get(cluster.server + "/api/v1/namespaces", timeout=10).status_code == 200
            assert time.monotonic() - fast < 5
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            closed = True
            break
    elapsed = time.monotonic() - started
    slow.close()
    assert closed, "the trickling client was never cut off"
    assert 25 < elapsed < 40, elapsed
