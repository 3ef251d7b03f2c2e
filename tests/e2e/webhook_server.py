"""An HTTPS webhook server on loopback for the end-to-end tests: a CA and a serving certificate
made with `cryptography` (names: the given DNS names and 127.0.0.1), served by the standard
library's `http.server` and `ssl` in a thread. Each POSTed JSON body goes to `handler(path, body)`
(a GET to `handler(path, None)`), whose returned object is the JSON answer; every request is
recorded in `requests`. With `echo_upgrades`, a GET asking to upgrade (`Connection: Upgrade`)
is answered `101 Switching Protocols` and every byte it then sends is sent back; its headers are
recorded in `upgrades`."""
import base64
import datetime
import ipaddress
import json
import ssl
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _certificates(dns_names):
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "e2e-webhook-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(name) for name in dns_names] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "e2e-webhook")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return ca.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.PEM), key_pem


class WebhookServer:
    def __init__(self, handler, dns_names=(), echo_upgrades=False):
        ca_pem, cert_pem, key_pem = _certificates(dns_names)
        self.ca_bundle = base64.b64encode(ca_pem).decode()
        self.requests = []
        self.upgrades = []
        self._directory = tempfile.TemporaryDirectory(prefix="skiff-e2e-webhook-")
        cert_file, key_file = self._directory.name + "/tls.crt", self._directory.name + "/tls.key"
        with open(cert_file, "wb") as file:
            file.write(cert_pem)
        with open(key_file, "wb") as file:
            file.write(key_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self._answer(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))

            def do_GET(self):
                if echo_upgrades and "upgrade" in self.headers.get("Connection", "").lower():
                    self._echo()
                else:
                    self._answer(None)

            def _echo(self):
                server.upgrades.append((self.path, list(self.headers.items())))
                self.send_response(101)
                self.send_header("Connection", "Upgrade")
                self.send_header("Upgrade", self.headers["Upgrade"])
                self.end_headers()
                self.wfile.flush()
                self.close_connection = True
                while True:
                    data = self.rfile.read1(4096)
                    if not data:
                        return
                    self.wfile.write(data)
                    self.wfile.flush()

            def _answer(self, body):
                server.requests.append((self.path, body))
                answer = json.dumps(handler(self.path.split("?")[0], body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.socket = context.wrap_socket(self._http.socket, server_side=True)
        self.port = self._http.server_address[1]
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._http.shutdown()
        self._http.server_close()
        self._directory.cleanup()


def admission_answer(review, allowed=True, patch=None, status=None, warnings=None):
    """The AdmissionReview a webhook answers `review` with."""
    response = {"uid": review["request"]["uid"], "allowed": allowed}
    if patch is not None:
        response["patchType"] = "JSONPatch"
        response["patch"] = base64.b64encode(json.dumps(patch).encode()).decode()
    if status is not None:
        response["status"] = status
    if warnings:
        response["warnings"] = warnings
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}


def loopback_service(name, port):
    """A selector-less Service `name` (port 443) whose Endpoints lead to 127.0.0.1:`port`, as a List."""
    return {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
         "spec": {"ports": [{"port": 443, "targetPort": port}]}},
        {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name},
         "subsets": [{"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": port}]}]},
    ]}
