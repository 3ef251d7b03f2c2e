"""RBAC with the bootstrap policy, access reviews, impersonation and token authentication, with
the real kubectl, the Python client and `requests` against `skiff up`s of their own, over HTTPS
with the default authorization (`Node,RBAC`).

Two servers run: one where kubectl is the admin (its client certificate, in `system:masters`)
and acts as users by impersonation (`--as`), and one with `--token-auth-file` as well, driven
with tokens by kubectl, the Python client and `requests`."""
import base64
import json
import os
import shutil
import tempfile

import subprocess

import pytest
import requests

from conftest import KUBECTL, Cluster, _running, wait_for

TOKENS = """\
jane-token,jane,1001,"devs"
bob-token,bob,1002
"""


def own_cluster(prefix, extra_args, prepare=None):
    data_dir = tempfile.mkdtemp(prefix=prefix)
    args = list(extra_args)
    if prepare:
        args += prepare(data_dir)
    return Cluster(data_dir, extra_args=["--nodes", "0"] + args).start()


def stop(running):
    assert running.stop() == 0
    if running in _running:
        _running.remove(running)
    shutil.rmtree(running.data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def rbac():
    running = own_cluster("skiff-e2e-rbac-", [])
    running.kubectl("create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "--namespace=default")
    wait_for(lambda: as_user(running, "jane", "get", "pods", "-n", "default", check=False).returncode == 0,
             message="jane's binding to be seen")
    yield running
    stop(running)


@pytest.fixture(scope="module")
def tokens():
    def token_file(data_dir):
        path = os.path.join(data_dir, "tokens.csv")
        with open(path, "w") as out:
            out.write(TOKENS)
        return ["--token-auth-file", path]

    running = own_cluster("skiff-e2e-tokens-", [], token_file)
    # Over HTTPS the admin is its client certificate; no admin token is made.
    assert not os.path.exists(os.path.join(running.data_dir, "admin.token"))
    running.requests_session().post(running.server + "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", json={
        "metadata": {"name": "jane-view"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]}, timeout=30).raise_for_status()
    wait_for(lambda: call(running, "jane-token", "GET", "/api/v1/namespaces/default/pods").status_code == 200,
             message="jane's binding to be seen")
    yield running
    stop(running)


def as_user(cluster, user, *args, check=True):
    return cluster.kubectl("--as=" + user, *args, check=check)


def call(cluster, token, method, path, body=None, headers=None):
    """One request with a bearer token (None: without credentials) and no client certificate,
    trusting the cluster CA."""
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = "Bearer " + token
    session = requests.Session()
    session.trust_env = False
    return session.request(method, cluster.server + path, json=body, headers=sent, timeout=30, verify=cluster.pki_file("ca.crt"))


def test_bootstrap_policy_is_there(rbac):
    roles = set(rbac.kubectl("get", "clusterroles", "-o", "name").stdout.split())
    for name in ["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user", "system:public-info-viewer",
                 "system:kube-controller-manager", "system:kube-scheduler", "system:node", "system:node-proxier",
                 "system:controller:deployment-controller"]:
        assert "clusterrole.rbac.authorization.k8s.io/" + name in roles
    # view's rules come from the roles it aggregates.
    view = json.loads(rbac.kubectl("get", "clusterrole", "view", "-o", "json").stdout)
    assert any("pods" in rule.get("resources", []) for rule in view["rules"])
    binding = json.loads(rbac.kubectl("get", "clusterrolebinding", "cluster-admin", "-o", "json").stdout)
    assert binding["subjects"] == [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"}]
    assert binding["metadata"]["annotations"]["rbac.authorization.kubernetes.io/autoupdate"] == "true"


def test_viewer_lists_but_cannot_create(rbac):
    assert as_user(rbac, "jane", "get", "pods", "-n", "default").returncode == 0
    refused = as_user(rbac, "jane", "create", "configmap", "c", "-n", "default", check=False)
    assert refused.returncode != 0
    assert ('configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default"'
            in refused.stderr)
    other = as_user(rbac, "bob", "get", "pods", "-n", "default", check=False)
    assert 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"' in other.stderr


def test_can_i(rbac):
    assert as_user(rbac, "jane", "auth", "can-i", "list", "pods", "-n", "default").stdout.strip() == "yes"
    denied = as_user(rbac, "jane", "auth", "can-i", "create", "pods", "-n", "default", check=False)
    assert denied.stdout.strip() == "no" and denied.returncode == 1
    assert as_user(rbac, "bob", "auth", "can-i", "list", "pods", "-n", "default", check=False).stdout.strip() == "no"
    assert as_user(rbac, "jane", "auth", "can-i", "list", "pods", "-n", "kube-system", check=False).stdout.strip() == "no"
    assert rbac.kubectl("auth", "can-i", "delete", "nodes").stdout.strip() == "yes"


def test_can_i_list(rbac):
    listed = as_user(rbac, "jane", "auth", "can-i", "--list", "-n", "default").stdout.splitlines()
    assert listed[0].split()[:2] == ["Resources", "Non-Resource"]
    rows = {line.split()[0]: line for line in listed[1:] if line.strip()}
    assert "pods" in rows and "[get list watch]" in rows["pods"]
    assert "selfsubjectaccessreviews.authorization.k8s.io" in rows
    assert "secrets" not in rows
    bob = as_user(rbac, "bob", "auth", "can-i", "--list", "-n", "default").stdout
    assert "\npods " not in bob and "selfsubjectreviews.authentication.k8s.io" in bob
    assert "*.*" in rbac.kubectl("auth", "can-i", "--list").stdout


def test_whoami(rbac):
    whoami = json.loads(as_user(rbac, "jane", "--as-group=devs", "auth", "whoami", "-o", "json").stdout)
    assert whoami["kind"] == "SelfSubjectReview"
    assert whoami["status"]["userInfo"] == {"username": "jane", "groups": ["devs", "system:authenticated"]}
    table = rbac.kubectl("auth", "whoami").stdout
    assert "kubernetes-admin" in table and "system:masters" in table


def test_escalation_is_refused(rbac):
    rbac.kubectl("create", "rolebinding", "bob-admin", "--clusterrole=admin", "--user=bob", "--namespace=default")
    wait_for(lambda: as_user(rbac, "bob", "get", "roles", "-n", "default", check=False).returncode == 0,
             message="bob's binding to be seen")
    # admin in default may grant what it holds there, but not cluster-admin or nodes.
    assert as_user(rbac, "bob", "create", "role", "reader", "--verb=get", "--resource=pods", "-n", "default").returncode == 0
    refused = as_user(rbac, "bob", "create", "rolebinding", "bob-all", "--clusterrole=cluster-admin", "--user=bob",
                      "-n", "default", check=False)
    assert refused.returncode != 0
    assert ('rolebindings.rbac.authorization.k8s.io "bob-all" is forbidden: user "bob" (groups=["system:authenticated"]) '
            'is attempting to grant RBAC permissions not currently held') in refused.stderr
    nodes = as_user(rbac, "bob", "create", "role", "nodes", "--verb=get", "--resource=nodes", "-n", "default", check=False)
    assert '{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}' in nodes.stderr


def test_tokens_anonymous_and_refusals(tokens):
    assert call(tokens, "not-a-token", "GET", "/api/v1/namespaces").status_code == 401
    assert call(tokens, "not-a-token", "GET", "/api/v1/namespaces").json()["message"] == "Unauthorized"
    assert call(tokens, None, "GET", "/healthz").status_code == 200
    anonymous = call(tokens, None, "GET", "/api/v1/namespaces")
    assert anonymous.status_code == 403
    assert anonymous.json()["message"] == ('namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" '
                                           'in API group "" at the cluster scope')
    assert tokens.requests_session().get(tokens.server + "/api/v1/namespaces", timeout=30).status_code == 200
    refused = call(tokens, "jane-token", "POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "c"}})
    assert refused.status_code == 403
    assert refused.json()["message"] == ('configmaps is forbidden: User "jane" cannot create resource "configmaps" '
                                         'in API group "" in the namespace "default"')
    whoami = call(tokens, "jane-token", "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                  {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
    assert whoami.json()["status"]["userInfo"] == {"username": "jane", "uid": "1001", "groups": ["devs", "system:authenticated"]}


def test_impersonation_needs_the_verb(tokens):
    as_jane = tokens.requests_session().get(tokens.server + "/api/v1/namespaces/default/pods", headers={"Impersonate-User": "jane"},
                                            timeout=30)
    assert as_jane.status_code == 200
    denied = call(tokens, "jane-token", "GET", "/api/v1/namespaces/default/pods", headers={"Impersonate-User": "bob"})
    assert denied.status_code == 403
    assert denied.json()["message"] == ('users "bob" is forbidden: User "jane" cannot impersonate resource "users" '
                                        'in API group "" at the cluster scope')


def test_python_client_with_a_token(tokens):
    from kubernetes import client
    from kubernetes.client.rest import ApiException
    configuration = client.Configuration(host=tokens.server, api_key={"authorization": "Bearer jane-token"})
    configuration.ssl_ca_cert = tokens.pki_file("ca.crt")
    with client.ApiClient(configuration) as api:
        review = client.V1SelfSubjectAccessReview(spec=client.V1SelfSubjectAccessReviewSpec(
            resource_attributes=client.V1ResourceAttributes(namespace="default", verb="list", resource="pods")))
        answer = client.AuthorizationV1Api(api).create_self_subject_access_review(review)
        assert answer.status.allowed is True
        assert "jane" in answer.status.reason
        with pytest.raises(ApiException) as refused:
            client.CoreV1Api(api).create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="c")))
        assert refused.value.status == 403
        assert json.loads(refused.value.body)["reason"] == "Forbidden"


def test_kubectl_with_a_token(tokens):
    """kubectl sends a bearer token over HTTPS: the token's user is who acts."""
    server = ["--server", tokens.server, "--certificate-authority", tokens.pki_file("ca.crt"), "--token", "jane-token"]
    whoami = json.loads(subprocess.run([KUBECTL, "--kubeconfig", "/dev/null"] + server + ["auth", "whoami", "-o", "json"],
                                       capture_output=True, text=True, timeout=60, check=True).stdout)
    assert whoami["status"]["userInfo"]["username"] == "jane"
    refused = subprocess.run([KUBECTL, "--kubeconfig", "/dev/null"] + server + ["create", "configmap", "c", "-n", "default"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and 'User "jane" cannot create resource "configmaps"' in refused.stderr


def test_controllers_act_as_their_service_accounts(rbac):
    """skiff up runs each controller as its own service account, bound to upstream's
    system:controller:* role: a Deployment still gets its replica set, and the deployment
    controller's account may create replica sets but not secrets."""
    rbac.kubectl("create", "deployment", "web", "--image=busybox", "--replicas=2", "-n", "default")
    wait_for(lambda: rbac.kubectl("get", "replicasets", "-n", "default", "-o", "name").stdout.strip(), timeout=60,
             message="the deployment controller to create a replica set")
    can = rbac.kubectl("auth", "can-i", "create", "replicasets", "-n", "default",
                       "--as=system:serviceaccount:kube-system:deployment-controller")
    assert can.stdout.strip() == "yes"
    cannot = rbac.kubectl("auth", "can-i", "create", "secrets", "-n", "default",
                          "--as=system:serviceaccount:kube-system:deployment-controller", check=False)
    assert cannot.stdout.strip() == "no"


def certificate_request(tmp_path, subject):
    """A PEM request for `subject` (openssl's form, `/CN=x/O=y`) and the path of its new EC key."""
    key = tmp_path / ("key-%d.pem" % len(list(tmp_path.iterdir())))
    pem = subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", str(key), "-subj", subject], capture_output=True, check=True).stdout
    return pem, key


def create_csr(running, name, pem, signer, usages):
    running.kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": name},
        "spec": {"request": base64.b64encode(pem).decode(), "signerName": signer, "usages": usages, "expirationSeconds": 3600}}))


def test_an_approved_request_is_signed_and_its_certificate_authenticates(rbac, tmp_path):
    """The csrsigning controller signs an approved kube-apiserver-client request with the cluster
    CA; kubectl then authenticates with the issued certificate as the request's subject."""
    pem, key = certificate_request(tmp_path, "/CN=carol/O=e2e-devs")
    create_csr(rbac, "e2e-carol", pem, "kubernetes.io/kube-apiserver-client", ["digital signature", "client auth"])
    assert rbac.kubectl("get", "csr", "e2e-carol", "--no-headers").stdout.split()[-1] == "Pending"
    rbac.kubectl("certificate", "approve", "e2e-carol")
    wait_for(lambda: rbac.kubectl("get", "csr", "e2e-carol", "-o", "jsonpath={.status.certificate}").stdout, timeout=30,
             message="the certificate to be issued")
    assert rbac.kubectl("get", "csr", "e2e-carol", "--no-headers").stdout.split()[-1] == "Approved,Issued"
    issued = tmp_path / "carol.crt"
    issued.write_bytes(base64.b64decode(rbac.kubectl("get", "csr", "e2e-carol", "-o", "jsonpath={.status.certificate}").stdout))
    text = subprocess.run(["openssl", "x509", "-noout", "-subject", "-issuer", "-ext", "extendedKeyUsage", "-in", str(issued)],
                          capture_output=True, text=True, check=True).stdout
    assert "CN = carol" in text and "O = e2e-devs" in text and "TLS Web Client Authentication" in text
    kubeconfig = tmp_path / "carol.kubeconfig"
    shutil.copy(rbac.kubeconfig, kubeconfig)
    as_carol = [KUBECTL, "--kubeconfig", str(kubeconfig)]
    subprocess.run(as_carol + ["config", "set-credentials", "carol", "--client-certificate", str(issued), "--client-key", str(key),
                               "--embed-certs"], check=True, capture_output=True)
    subprocess.run(as_carol + ["config", "set-context", "--current", "--user", "carol"], check=True, capture_output=True)
    whoami = json.loads(subprocess.run(as_carol + ["auth", "whoami", "-o", "json"], check=True, capture_output=True, text=True).stdout)
    assert whoami["status"]["userInfo"] == {"username": "carol", "groups": ["e2e-devs", "system:authenticated"]}
    rbac.kubectl("delete", "csr", "e2e-carol")


def test_a_request_its_signer_does_not_allow_fails(rbac, tmp_path):
    """A kubelet-client request whose subject is not a node's is approved but never signed: it
    gets the Failed condition with upstream's reason and message."""
    pem, _ = certificate_request(tmp_path, "/CN=mallory")
    create_csr(rbac, "e2e-mallory", pem, "kubernetes.io/kube-apiserver-client-kubelet", ["digital signature", "client auth"])
    rbac.kubectl("certificate", "approve", "e2e-mallory")
    failed = '{.status.conditions[?(@.type=="Failed")]}'
    wait_for(lambda: rbac.kubectl("get", "csr", "e2e-mallory", "-o", "jsonpath=" + failed).stdout, timeout=30,
             message="the Failed condition")
    condition = json.loads(rbac.kubectl("get", "csr", "e2e-mallory", "-o", "jsonpath=" + failed).stdout)
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "True", "SignerValidationFailure", "subject organization is not system:nodes")
    assert rbac.kubectl("get", "csr", "e2e-mallory", "-o", "jsonpath={.status.certificate}").stdout == ""
    assert rbac.kubectl("get", "csr", "e2e-mallory", "--no-headers").stdout.split()[-1] == "Approved,Failed"
    rbac.kubectl("delete", "csr", "e2e-mallory")


def test_a_nodes_own_client_certificate_request_is_auto_approved(rbac, tmp_path):
    """The csrapproving controller approves the kubelet client request a node makes for itself
    (its SubjectAccessReview on `certificatesigningrequests/selfnodeclient` is allowed through the
    `system:nodes` auto-approve binding) and csrsigning signs it; the same node's request for
    another node's name (only `nodeclient`, which nodes may not create) stays pending."""
    as_node = ["--as=system:node:e2e-node", "--as-group=system:nodes"]

    def create(name, subject):
        pem, _ = certificate_request(tmp_path, subject)
        rbac.kubectl("create", *as_node, "-f", "-", input=json.dumps({
            "apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": name},
            "spec": {"request": base64.b64encode(pem).decode(), "signerName": "kubernetes.io/kube-apiserver-client-kubelet",
                     "usages": ["digital signature", "client auth"]}}))

    create("e2e-other-node", "/O=system:nodes/CN=system:node:e2e-other")
    create("e2e-own-node", "/O=system:nodes/CN=system:node:e2e-node")
    # The server records the requester, whom the approver's SubjectAccessReview asks about.
    spec = json.loads(rbac.kubectl("get", "csr", "e2e-own-node", "-o", "json").stdout)["spec"]
    assert (spec["username"], spec["groups"]) == ("system:node:e2e-node", ["system:nodes", "system:authenticated"])
    wait_for(lambda: rbac.kubectl("get", "csr", "e2e-own-node", "-o", "jsonpath={.status.certificate}").stdout, timeout=30,
             message="the node's certificate to be issued")
    approved = json.loads(rbac.kubectl("get", "csr", "e2e-own-node", "-o", 'jsonpath={.status.conditions[?(@.type=="Approved")]}').stdout)
    assert (approved["status"], approved["reason"], approved["message"]) == (
        "True", "AutoApproved", "Auto approving self kubelet client certificate after SubjectAccessReview.")
    assert rbac.kubectl("get", "csr", "e2e-own-node", "--no-headers").stdout.split()[-1] == "Approved,Issued"
    assert rbac.kubectl("get", "csr", "e2e-other-node", "--no-headers").stdout.split()[-1] == "Pending"
    rbac.kubectl("delete", "csr", "e2e-own-node", "e2e-other-node")
