"""Service account tokens and bootstrap tokens against a `skiff up` of their own, over HTTPS with
`Node,RBAC`: `kubectl create token` and the Python client's TokenRequest, the tokens' identity
(`kubectl --token ... auth whoami`), their refusals (tampered signature, deleted account, deleted
bound pod, too short a lifetime), legacy token secrets filled by the tokens controller, the issuer
discovery documents, and a bootstrap token."""
import base64
import datetime
import json
import shutil
import subprocess
import tempfile

import pytest
import requests

from conftest import KUBECTL, Cluster, _running, wait_for

ISSUER = "https://kubernetes.default.svc.cluster.local"


@pytest.fixture(scope="module")
def cluster_with_tokens():
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-satokens-")
    running = Cluster(data_dir, extra_args=["--nodes", "0"]).start()
    yield running
    assert running.stop() == 0
    if running in _running:
        _running.remove(running)
    shutil.rmtree(data_dir, ignore_errors=True)


def with_token(cluster, token, *args, check=True):
    """kubectl with only `token` as credentials, trusting the cluster CA."""
    server = ["--server", cluster.server, "--certificate-authority", cluster.pki_file("ca.crt"), "--token", token]
    return subprocess.run([KUBECTL, "--kubeconfig", "/dev/null"] + server + list(args),
                          capture_output=True, text=True, timeout=60, check=check)


def whoami(cluster, token):
    """The user info `kubectl auth whoami` shows for `token`, or None when the server answers 401
    (kubectl words any refusal of the review alike, so the status is asked directly)."""
    answer = with_token(cluster, token, "auth", "whoami", "-o", "json", check=False)
    if answer.returncode != 0:
        refused = call(cluster, token, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                       {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
        assert refused.status_code == 401, (refused.status_code, answer.stderr)
        assert refused.json()["reason"] == "Unauthorized"
        return None
    return json.loads(answer.stdout)["status"]["userInfo"]


def call(cluster, token, method, path, body=None):
    session = requests.Session()
    session.trust_env = False
    return session.request(method, cluster.server + path, json=body, headers={"Authorization": "Bearer " + token}, timeout=30,
                           verify=cluster.pki_file("ca.crt"))


def test_created_token_acts_as_the_account(cluster_with_tokens):
    cluster = cluster_with_tokens
    cluster.kubectl("create", "serviceaccount", "robot", "-n", "default")
    token = cluster.kubectl("create", "token", "robot", "-n", "default").stdout.strip()
    user = whoami(cluster, token)
    assert user["username"] == "system:serviceaccount:default:robot"
    assert user["groups"] == ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"]
    uid = cluster.kubectl("get", "serviceaccount", "robot", "-n", "default", "-o", "jsonpath={.metadata.uid}").stdout
    assert user["uid"] == uid
    assert user["extra"]["authentication.kubernetes.io/credential-id"][0].startswith("JTI=")
    # The account holds no role: RBAC refuses it like any user.
    refused = with_token(cluster, token, "get", "pods", "-n", "default", check=False)
    assert ('pods is forbidden: User "system:serviceaccount:default:robot" cannot list resource "pods" in API group "" '
            'in the namespace "default"') in refused.stderr


def test_refused_tokens(cluster_with_tokens):
    cluster = cluster_with_tokens
    cluster.kubectl("create", "serviceaccount", "doomed", "-n", "default")
    token = cluster.kubectl("create", "token", "doomed", "-n", "default").stdout.strip()
    assert whoami(cluster, token)["username"] == "system:serviceaccount:default:doomed"
    header, payload, signature = token.split(".")
    tampered = ".".join([header, payload, signature[::-1]])
    assert whoami(cluster, tampered) is None
    answer = call(cluster, tampered, "GET", "/api/v1/namespaces")
    assert answer.status_code == 401
    assert answer.json()["kind"] == "Status" and answer.json()["reason"] == "Unauthorized"
    # Another audience is not the API server's.
    elsewhere = cluster.kubectl("create", "token", "doomed", "-n", "default", "--audience", "vault").stdout.strip()
    assert whoami(cluster, elsewhere) is None
    # Too short a lifetime is refused with upstream's message.
    short = cluster.kubectl("create", "token", "doomed", "-n", "default", "--duration", "5m", check=False)
    assert short.returncode != 0
    assert "spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes" in short.stderr
    # The account deleted, its token no longer works.
    cluster.kubectl("delete", "serviceaccount", "doomed", "-n", "default")
    wait_for(lambda: whoami(cluster, token) is None, message="the deleted account's token to be refused")


def test_token_bound_to_a_pod_ends_with_it(cluster_with_tokens):
    cluster = cluster_with_tokens
    cluster.kubectl("create", "serviceaccount", "runner", "-n", "default")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bound", "namespace": "default"},
           "spec": {"serviceAccountName": "runner", "containers": [{"name": "c", "image": "busybox"}]}}
    cluster.kubectl("create", "-f", "-", input=json.dumps(pod))
    token = cluster.kubectl("create", "token", "runner", "-n", "default", "--duration", "20m",
                            "--bound-object-kind", "Pod", "--bound-object-name", "bound").stdout.strip()
    user = whoami(cluster, token)
    assert user["extra"]["authentication.kubernetes.io/pod-name"] == ["bound"]
    uid = cluster.kubectl("get", "pod", "bound", "-n", "default", "-o", "jsonpath={.metadata.uid}").stdout
    assert user["extra"]["authentication.kubernetes.io/pod-uid"] == [uid]
    cluster.kubectl("delete", "pod", "bound", "-n", "default", "--grace-period=0", "--force")
    wait_for(lambda: whoami(cluster, token) is None, message="the deleted pod's token to be refused")


def test_python_client_requests_a_token(cluster_with_tokens):
    from kubernetes import client
    cluster = cluster_with_tokens
    cluster.kubectl("create", "serviceaccount", "pyrobot", "-n", "default")
    with cluster.api_client() as api:
        request = client.AuthenticationV1TokenRequest(spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=1200))
        answer = client.CoreV1Api(api).create_namespaced_service_account_token("pyrobot", "default", request)
    assert answer.status.token.count(".") == 2
    expires = answer.status.expiration_timestamp
    lifetime = expires - datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(minutes=18) < lifetime <= datetime.timedelta(minutes=20, seconds=5)
    configuration = client.Configuration(host=cluster.server, api_key={"authorization": "Bearer " + answer.status.token})
    configuration.ssl_ca_cert = cluster.pki_file("ca.crt")
    with client.ApiClient(configuration) as api:
        review = client.AuthenticationV1Api(api).create_self_subject_review(client.V1SelfSubjectReview())
        assert review.status.user_info.username == "system:serviceaccount:default:pyrobot"


def test_legacy_token_secret(cluster_with_tokens):
    cluster = cluster_with_tokens
    cluster.kubectl("create", "serviceaccount", "legacy", "-n", "default")
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
              "metadata": {"name": "legacy-token", "namespace": "default", "annotations": {"kubernetes.io/service-account.name": "legacy"}}}
    cluster.kubectl("create", "-f", "-", input=json.dumps(secret))

    def filled():
        data = json.loads(cluster.kubectl("get", "secret", "legacy-token", "-n", "default", "-o", "json").stdout).get("data") or {}
        return data if "token" in data else None

    data = wait_for(filled, timeout=30, message="the tokens controller to fill the secret")
    assert base64.b64decode(data["namespace"]).decode() == "default"
    assert "BEGIN CERTIFICATE" in base64.b64decode(data["ca.crt"]).decode()
    token = base64.b64decode(data["token"]).decode()
    assert whoami(cluster, token)["username"] == "system:serviceaccount:default:legacy"
    cluster.kubectl("delete", "secret", "legacy-token", "-n", "default")
    wait_for(lambda: whoami(cluster, token) is None, message="the deleted secret's token to be refused")


def test_issuer_discovery(cluster_with_tokens):
    cluster = cluster_with_tokens
    session = cluster.requests_session()
    configuration = session.get(cluster.server + "/.well-known/openid-configuration", timeout=30)
    assert configuration.status_code == 200
    assert configuration.json()["issuer"] == ISSUER
    assert configuration.json()["jwks_uri"].endswith("/openid/v1/jwks")
    keys = session.get(cluster.server + "/openid/v1/jwks", timeout=30)
    assert keys.headers["Content-Type"] == "application/jwk-set+json"
    assert [key["kty"] for key in keys.json()["keys"]] == ["EC"]
    # Service accounts may read them (system:service-account-issuer-discovery).
    cluster.kubectl("create", "serviceaccount", "reader", "-n", "default")
    token = cluster.kubectl("create", "token", "reader", "-n", "default").stdout.strip()
    assert call(cluster, token, "GET", "/openid/v1/jwks").status_code == 200


def test_bootstrap_token(cluster_with_tokens):
    cluster = cluster_with_tokens
    expiration = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
              "metadata": {"name": "bootstrap-token-abcdef", "namespace": "kube-system"},
              "stringData": {"token-id": "abcdef", "token-secret": "0123456789abcdef", "expiration": expiration,
                             "usage-bootstrap-authentication": "true",
                             "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token"}}
    cluster.kubectl("create", "-f", "-", input=json.dumps(secret))
    user = wait_for(lambda: whoami(cluster, "abcdef.0123456789abcdef"), message="the bootstrap token to authenticate")
    assert user["username"] == "system:bootstrap:abcdef"
    assert user["groups"] == ["system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token", "system:authenticated"]
    assert whoami(cluster, "abcdef.0123456789abcdee") is None


def test_controllers_use_their_accounts_tokens(cluster_with_tokens):
    """The controller manager requests a token for each controller's account (made in
    kube-system when missing): a deployment still rolls out."""
    cluster = cluster_with_tokens
    cluster.kubectl("create", "deployment", "web", "--image=busybox", "-n", "default")
    wait_for(lambda: cluster.kubectl("get", "replicasets", "-n", "default", "-o", "name").stdout.strip(), timeout=60,
             message="the deployment controller to create a replica set")
    accounts = cluster.kubectl("get", "serviceaccounts", "-n", "kube-system", "-o", "name").stdout.split()
    assert "serviceaccount/deployment-controller" in accounts
    assert "serviceaccount/replicaset-controller" in accounts
