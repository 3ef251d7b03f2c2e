"""API priority and fairness with the real kubectl and raw HTTP: the bootstrap FlowSchemas and
PriorityLevelConfigurations are listed, every answer names its schema and level, and a server
with tiny in-flight limits answers 429 with Retry-After to a level whose seat is taken while
system:masters requests still pass. The seat is held deterministically: the request holding it
waits in a validating webhook (a Python HTTPS server on loopback) until the test lets it go."""
import json
import threading

import requests

from conftest import wait_for
from webhook_server import WebhookServer, admission_answer

FLOWCONTROL = "/apis/flowcontrol.apiserver.k8s.io/v1"
TOO_MANY = "Too many requests, please try again later.\n"
BOOTSTRAP_SCHEMAS = {
    "exempt", "probes", "system-leader-election", "endpoint-controller", "workload-leader-election", "system-node-high",
    "system-nodes", "kube-controller-manager", "kube-scheduler", "kube-system-service-accounts", "service-accounts",
    "global-default", "catch-all",
}
BOOTSTRAP_LEVELS = {"exempt", "catch-all", "system", "node-high", "leader-election", "workload-high", "workload-low", "global-default"}


def names(cluster, resource):
    return {line.split("/", 1)[1] for line in cluster.kubectl("get", resource, "-o", "name").stdout.split()}


def uid(cluster, resource, name):
    return cluster.kubectl("get", resource, name, "-o", "jsonpath={.metadata.uid}").stdout


def test_kubectl_lists_the_bootstrap_configuration(cluster):
    assert names(cluster, "flowschemas") >= BOOTSTRAP_SCHEMAS
    assert names(cluster, "prioritylevelconfigurations") >= BOOTSTRAP_LEVELS
    levels = cluster.kubectl("get", "prioritylevelconfigurations").stdout.splitlines()
    assert levels[0].split()[:6] == ["NAME", "TYPE", "NOMINALCONCURRENCYSHARES", "QUEUES", "HANDSIZE", "QUEUELENGTHLIMIT"]
    assert next(line for line in levels if line.startswith("global-default ")).split()[1:6] == ["Limited", "20", "128", "6", "50"]
    schema = json.loads(cluster.kubectl("get", "flowschema", "global-default", "-o", "json").stdout)
    assert schema["metadata"]["annotations"]["apf.kubernetes.io/autoupdate-spec"] == "true"
    assert schema["spec"]["matchingPrecedence"] == 9900 and schema["spec"]["distinguisherMethod"] == {"type": "ByUser"}
    # The Dangling condition says the level exists (kubectl's MISSINGPL column).
    wait_for(lambda: all(line.split()[-1] == "False" for line in cluster.kubectl("get", "flowschemas").stdout.splitlines()[1:]
                         if line.split()[0] in BOOTSTRAP_SCHEMAS),
             message="every bootstrap schema's Dangling condition")


def test_answers_name_their_flow_schema_and_priority_level(cluster):
    session = cluster.requests_session()
    admin = session.get(cluster.server + "/api/v1/namespaces", timeout=30)
    assert admin.headers["X-Kubernetes-PF-FlowSchema-UID"] == uid(cluster, "flowschema", "exempt")
    assert admin.headers["X-Kubernetes-PF-PriorityLevel-UID"] == uid(cluster, "prioritylevelconfiguration", "exempt")
    jane = session.get(cluster.server + "/version", headers={"Impersonate-User": "jane"}, timeout=30)
    assert jane.headers["X-Kubernetes-PF-FlowSchema-UID"] == uid(cluster, "flowschema", "global-default")
    assert jane.headers["X-Kubernetes-PF-PriorityLevel-UID"] == uid(cluster, "prioritylevelconfiguration", "global-default")


class HeldCreate:
    """A webhook on configmaps of `namespace` that keeps a create of the configmap `held` waiting
    until `release`, so the request holds its seat for as long as the test needs."""

    def __init__(self, cluster, namespace):
        self.cluster = cluster
        self.namespace = namespace
        self.released = threading.Event()
        self.server = WebhookServer(self._answer)
        self.name = namespace + "-hold"

    def _answer(self, path, review):
        if review["request"]["name"] == "held":
            self.released.wait(25)
        return admission_answer(review)

    def __enter__(self):
        self.server.__enter__()
        self.cluster.kubectl("apply", "-f", "-", input=json.dumps({
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": self.name}, "webhooks": [{
                "name": "hold.e2e.skiff.dev", "sideEffects": "None", "admissionReviewVersions": ["v1"], "timeoutSeconds": 30,
                "clientConfig": {"url": "https://127.0.0.1:%d/hold" % self.server.port, "caBundle": self.server.ca_bundle},
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": self.namespace}},
                "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["configmaps"]}],
            }]}))
        attempt = [0]

        def reached():
            attempt[0] += 1
            self.cluster.kubectl("-n", self.namespace, "create", "configmap", "probe-%d" % attempt[0])
            return self.server.requests
        wait_for(reached, message="the holding webhook")
        return self

    def start(self, session, headers):
        """Creates `held` in a thread until the webhook holds it (an attempt the server refuses
        because the components' own writes took the seat is repeated); returns a function that
        lets it go and returns the create's answer."""
        url = "%s/api/v1/namespaces/%s/configmaps" % (self.cluster.server, self.namespace)
        answer = {}

        def create():
            answer["response"] = session.post(url, json={"metadata": {"name": "held"}}, headers=headers, timeout=60)

        def held():
            return any(body and body["request"]["name"] == "held" for _, body in self.server.requests)

        def attempt():
            answer.clear()
            thread = threading.Thread(target=create, daemon=True)
            thread.start()
            wait_for(lambda: held() or "response" in answer, message="the create reaching the webhook or refused")
            return thread if held() else None
        thread = wait_for(attempt, message="the create waiting in the webhook")

        def finish():
            self.released.set()
            thread.join(60)
            return answer["response"]
        return finish

    def __exit__(self, *exc):
        self.released.set()
        self.cluster.kubectl("delete", "validatingwebhookconfiguration", self.name, check=False)
        self.server.__exit__(*exc)


def session_of(cluster):
    """A fresh session with the admin's credentials (one per thread)."""
    session = requests.Session()
    session.trust_env = False
    session.verify = cluster.pki_file("ca.crt")
    session.cert = (cluster.pki_file("admin.crt"), cluster.pki_file("admin.key"))
    return session


def start_small(scratch_cluster, *args):
    scratch_cluster.extra_args = list(args)
    cluster = scratch_cluster.start()
    cluster.create_namespace("flood")
    cluster.kubectl("create", "clusterrolebinding", "flood-edit", "--clusterrole=edit", "--user=flood")
    return cluster


def test_a_level_with_its_seat_taken_answers_429_while_exempt_requests_pass(scratch_cluster):
    cluster = start_small(scratch_cluster, "--max-requests-inflight", "1", "--max-mutating-requests-inflight", "1")
    flood = {"Impersonate-User": "flood"}
    cluster.kubectl("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "PriorityLevelConfiguration", "metadata": {"name": "e2e-flood"},
         "spec": {"type": "Limited", "limited": {"nominalConcurrencyShares": 1, "limitResponse": {"type": "Reject"}}}},
        {"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "FlowSchema", "metadata": {"name": "e2e-flood"},
         "spec": {"matchingPrecedence": 100, "priorityLevelConfiguration": {"name": "e2e-flood"},
                  "distinguisherMethod": {"type": "ByUser"},
                  "rules": [{"subjects": [{"kind": "User", "user": {"name": "flood"}}],
                             "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"],
                                                "namespaces": ["*"], "clusterScope": True}]}]}},
    ]}))
    schema_uid = uid(cluster, "flowschema", "e2e-flood")
    session = session_of(cluster)
    pods = cluster.server + "/api/v1/namespaces/flood/pods"
    wait_for(lambda: session.get(pods, headers=flood, timeout=30).headers.get("X-Kubernetes-PF-FlowSchema-UID") == schema_uid,
             message="flood's requests classified to e2e-flood")
    with HeldCreate(cluster, "flood") as hold:
        finish = hold.start(session_of(cluster), flood)
        refused = session.get(pods, headers=flood, timeout=30)
        assert refused.status_code == 429, refused.text
        assert refused.headers["Retry-After"] == "1"
        assert refused.text == TOO_MANY
        assert refused.headers["X-Kubernetes-PF-FlowSchema-UID"] == schema_uid
        assert refused.headers["X-Kubernetes-PF-PriorityLevel-UID"] == uid(cluster, "prioritylevelconfiguration", "e2e-flood")
        # The administrator (system:masters, the exempt level) is served meanwhile, through kubectl too.
        assert session.get(pods, timeout=30).status_code == 200
        cluster.kubectl("-n", "flood", "create", "configmap", "by-admin")
        assert finish().status_code == 201
    assert session.get(pods, headers=flood, timeout=30).status_code == 200


def test_without_priority_and_fairness_the_plain_limits_apply(scratch_cluster):
    cluster = start_small(scratch_cluster, "--max-mutating-requests-inflight", "1", "--enable-priority-and-fairness=false")
    # Upstream ensures the bootstrap configuration only with priority and fairness on.
    assert names(cluster, "flowschemas") == set()
    flood = {"Impersonate-User": "flood"}
    session = session_of(cluster)
    configmaps = cluster.server + "/api/v1/namespaces/flood/configmaps"
    with HeldCreate(cluster, "flood") as hold:
        finish = hold.start(session_of(cluster), flood)
        refused = session.post(configmaps, json={"metadata": {"name": "second"}}, headers=flood, timeout=30)
        assert refused.status_code == 429, refused.text
        assert refused.headers["Retry-After"] == "1" and refused.text == TOO_MANY
        assert "X-Kubernetes-PF-FlowSchema-UID" not in refused.headers
        # Reads have their own limit (400 here); system:masters is never turned away.
        assert session.get(configmaps, headers=flood, timeout=30).status_code == 200
        assert session.post(configmaps, json={"metadata": {"name": "by-admin"}}, timeout=30).status_code == 201
        assert finish().status_code == 201
