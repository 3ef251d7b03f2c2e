"""End-to-end: the built-in ingress controller's HTTPS port (`--ingress-https-port`): an Ingress's
`spec.tls` Secret is served by SNI (curl trusts the Secret's CA), other names get the fake default
certificate, HTTP/2 by ALPN, plain HTTP for a TLS host is redirected (308), a changed Secret serves
the next handshake; and a WebSocket echo server on the host answers through the ingress (ws and wss).

Uses test_runtime's registry and image and test_proxy's requirements (the pods' network), as
test_ingress; the certificates are made with `cryptography`, requests sent with curl.
"""
import base64
import datetime
import hashlib
import os
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time

import pytest

from conftest import Cluster, free_port, wait_for
from test_ingress import get, ingress_path, web_pod
from test_proxy import apply, pytestmark as proxy_marks, ready_endpoints, service
from test_runtime import missing, registry  # noqa: F401 (fixtures)

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
except ImportError:  # pragma: no cover - skipped below
    x509 = None

CURL = shutil.which("curl")
pytestmark = proxy_marks + [
    pytest.mark.skipif(x509 is None, reason="the certificates are made with the Python package cryptography"),
    pytest.mark.skipif(CURL is None, reason="HTTPS requests are sent with curl (Debian package curl)"),
]

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@pytest.fixture(scope="module")
def cluster(registry):  # noqa: F811
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-ingress-tls-")
    http_port, https_port = free_port(), free_port()
    running = Cluster(data_dir, extra_args=["--runtime", "process", "--ingress-http-port", str(http_port),
                                            "--ingress-https-port", str(https_port)]).start()
    running.ingress_port, running.https_port, running.tmp = http_port, https_port, data_dir
    yield running
    code = running.stop(timeout=30)
    assert code == 0, running.log_tail()
    shutil.rmtree(data_dir, ignore_errors=True)


def make_ca_and_certificate(directory, tag, host):
    """Writes TAG-ca.pem, TAG.crt, TAG.key: a CA and a certificate for `host` it signs."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "e2e CA " + tag)])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False).sign(ca_key, hashes.SHA256()))
    paths = [os.path.join(directory, name) for name in (tag + "-ca.pem", tag + ".crt", tag + ".key")]
    contents = [ca.public_bytes(serialization.Encoding.PEM), leaf.public_bytes(serialization.Encoding.PEM),
                key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())]
    for path, content in zip(paths, contents):
        with open(path, "wb") as file:
            file.write(content)
    return paths


def curl(cluster, host, path, *args):
    """(exit code, stdout, stderr) of curl to https://host:PORT/path resolved to 127.0.0.1."""
    result = subprocess.run([CURL, "-sS", "--max-time", "5", "--resolve", "%s:%d:127.0.0.1" % (host, cluster.https_port)] + list(args)
                            + ["https://%s:%d%s" % (host, cluster.https_port, path)], capture_output=True, text=True, timeout=30)
    return result.returncode, result.stdout.strip(), result.stderr


def tls_secret(cluster, ns, name, cert, key):
    manifest = cluster.kubectl("create", "secret", "tls", name, "-n", ns, "--cert", cert, "--key", key, "--dry-run=client", "-o", "yaml").stdout
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=manifest)


def test_tls_by_sni_http2_and_the_redirect(cluster, registry):  # noqa: F811
    ns = "ingress-tls-%d" % int(time.time() * 1000 % 1e9)
    cluster.create_namespace(ns)
    ca, cert, key = make_ca_and_certificate(cluster.tmp, "first", "secure.example")
    tls_secret(cluster, ns, "secure-tls", cert, key)
    apply(cluster, ns, web_pod(registry, "pod-a", "a"), service("svc-a", app="a"))
    wait_for(lambda: len(ready_endpoints(cluster, ns, "svc-a")) == 1, timeout=90, interval=0.5, message="svc-a to have an endpoint")
    apply(cluster, ns, {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "secure"},
                        "spec": {"tls": [{"hosts": ["secure.example"], "secretName": "secure-tls"}],
                                 "rules": [{"host": "secure.example", "http": {"paths": [ingress_path("/a", "svc-a")]}},
                                           {"host": "plain.example", "http": {"paths": [ingress_path("/a", "svc-a")]}}]}})

    # The Secret's certificate, verified against its CA, by SNI; HTTP/1.1 and HTTP/2.
    wait_for(lambda: curl(cluster, "secure.example", "/a/", "--cacert", ca)[:2] == (0, "pod-a"), timeout=30, interval=0.3,
             message="HTTPS with the Secret's certificate to reach pod-a")
    code, out, err = curl(cluster, "secure.example", "/a/", "--cacert", ca, "--http2", "-o", "/dev/null", "-w", "%{http_version}")
    assert (code, out) == (0, "2"), err
    code, out, err = curl(cluster, "secure.example", "/a/", "--cacert", ca, "--http1.1", "-o", "/dev/null", "-w", "%{http_version}")
    assert (code, out) == (0, "1.1"), err
    # Another name (and no SNI at all) gets the fake default certificate, which nobody trusts.
    code, out, err = curl(cluster, "plain.example", "/a/", "-k", "-v")
    assert code == 0 and out == "pod-a", err
    assert "Skiff Ingress Controller Fake Certificate" in err
    assert curl(cluster, "plain.example", "/a/", "--cacert", ca)[0] != 0

    # Plain HTTP: a TLS host is redirected to HTTPS (308, path and query kept); others are served.
    request = ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H"]
    redirect = subprocess.run([CURL] + request + ["Host: secure.example", "http://127.0.0.1:%d/a/?x=1" % cluster.ingress_port],
                              capture_output=True, text=True, timeout=30).stdout
    assert redirect == "308 https://secure.example:%d/a/?x=1" % cluster.https_port
    assert get(cluster, "plain.example", "/a/") == (200, "pod-a")

    # A new certificate in the Secret serves the next handshakes.
    ca2, cert2, key2 = make_ca_and_certificate(cluster.tmp, "second", "secure.example")
    tls_secret(cluster, ns, "secure-tls", cert2, key2)
    wait_for(lambda: curl(cluster, "secure.example", "/a/", "--cacert", ca2)[:2] == (0, "pod-a"), timeout=30, interval=0.3,
             message="the changed Secret to be served")
    assert curl(cluster, "secure.example", "/a/", "--cacert", ca)[0] != 0


class EchoServer:
    """A WebSocket echo server on the host (RFC 6455, text and binary frames, close)."""

    def __init__(self):
        self.listener = socket.create_server(("0.0.0.0", 0))
        self.port = self.listener.getsockname()[1]
        self.seen_headers = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    def serve(self, connection):
        with connection:
            head = read_head(connection)
            self.seen_headers.append(head)
            key = next(line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("sec-websocket-key:"))
            accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
            connection.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
            while True:
                opcode, payload = read_frame(connection)
                connection.sendall(frame(opcode, payload, mask=False))
                if opcode == 8:
                    return

    def close(self):
        self.listener.close()


def read_exactly(connection, count):
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            raise EOFError("closed after %d of %d bytes" % (len(data), count))
        data += chunk
    return data


def read_head(connection):
    data = b""
    while not data.endswith(b"\r\n\r\n"):
        data += read_exactly(connection, 1)
    return data.decode()


def read_frame(connection):
    first, second = read_exactly(connection, 2)
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", read_exactly(connection, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", read_exactly(connection, 8))[0]
    mask = read_exactly(connection, 4) if second & 0x80 else None
    payload = read_exactly(connection, length)
    if mask:
        payload = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    return first & 0x0F, payload


def frame(opcode, payload, mask=True):
    header = bytes([0x80 | opcode])
    length = len(payload)
    size = bytes([length]) if length < 126 else bytes([126]) + struct.pack("!H", length)
    if not mask:
        return header + size + payload
    key = os.urandom(4)
    return header + bytes([size[0] | 0x80]) + size[1:] + key + bytes(byte ^ key[index % 4] for index, byte in enumerate(payload))


def host_address():
    """An IPv4 address of this host that is not loopback (where the proxy reaches the echo server)."""
    output = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True, check=True).stdout
    addresses = [line.split()[3].split("/")[0] for line in output.splitlines() if " lo " not in line]
    return addresses[0]


def websocket_echo(port, host, message, wrap=None):
    """Opens a WebSocket through the ingress on 127.0.0.1:port and returns (status line, echoed message)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        connection = wrap(raw) if wrap else raw
        key = base64.b64encode(os.urandom(16)).decode()
        connection.sendall(("GET /chat HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (host, key)).encode())
        head = read_head(connection)
        status = head.split("\r\n")[0]
        if " 101 " not in status:
            return status, None
        expected = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        assert "sec-websocket-accept: " + expected.lower() in head.lower()
        connection.sendall(frame(1, message.encode()))
        opcode, payload = read_frame(connection)
        connection.sendall(frame(8, b""))
        assert read_frame(connection)[0] == 8
        return status, payload.decode() if opcode == 1 else None


def test_websockets_are_piped_through_the_ingress(cluster):
    ns = "ingress-ws-%d" % int(time.time() * 1000 % 1e9)
    cluster.create_namespace(ns)
    echo = EchoServer()
    try:
        # A Service without a selector whose EndpointSlice points at the echo server on the host.
        apply(cluster, ns,
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "echo"}, "spec": {"ports": [{"name": "ws", "port": 80}]}},
              {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
               "metadata": {"name": "echo-host", "labels": {"kubernetes.io/service-name": "echo",
                                                            "endpointslice.kubernetes.io/managed-by": "e2e.skiff.dev"}},
               "ports": [{"name": "ws", "port": echo.port, "protocol": "TCP"}],
               "endpoints": [{"addresses": [host_address()], "conditions": {"ready": True}}]},
              {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "echo"},
               "spec": {"rules": [{"host": "ws.example", "http": {"paths": [
                   {"path": "/chat", "pathType": "Prefix", "backend": {"service": {"name": "echo", "port": {"name": "ws"}}}}]}}]}})
        wait_for(lambda: websocket_echo(cluster.ingress_port, "ws.example", "hello")[1] == "hello", timeout=30, interval=0.3,
                 message="a WebSocket echo through the ingress")
        assert any("x-forwarded-for:" in head.lower() for head in echo.seen_headers)
        # Over TLS too (the default certificate, not verified).
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        status, echoed = websocket_echo(cluster.https_port, "ws.example", "over tls",
                                        wrap=lambda raw: context.wrap_socket(raw, server_hostname="ws.example"))
        assert (status, echoed) == ("HTTP/1.1 101 Switching Protocols", "over tls")
    finally:
        echo.close()
