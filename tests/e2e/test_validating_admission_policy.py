"""ValidatingAdmissionPolicy with the real kubectl: the docs' replicas example refused with
upstream's message, a Warn binding's `Warning:` line, a policy with ConfigMap params and its
parameterNotFoundAction, and a policy that does not match letting requests through. Each test's
policies select its own namespace only (the session's cluster is shared) and are deleted after."""
import json
import uuid

import pytest

from conftest import wait_for

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: %d
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: nginx
"""


@pytest.fixture
def policies(cluster):
    """Applies policies and bindings (as dicts) and deletes them after the test."""
    created = []

    def apply(*objects):
        for item in objects:
            cluster.kubectl("apply", "-f", "-", input=json.dumps(item))
            created.append((item["kind"].lower(), item["metadata"]["name"]))

    yield apply
    for kind, name in reversed(created):
        cluster.kubectl("delete", kind, name, "--ignore-not-found")


def policy(name, namespace, validations, resources=("deployments",), groups=("apps",), **spec):
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": name},
            "spec": dict({"failurePolicy": "Fail", "validations": validations, "matchConstraints": {
                "resourceRules": [{"apiGroups": list(groups), "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
                                   "resources": list(resources)}],
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}}}, **spec)}


def binding(name, policy_name, actions=("Deny",), **spec):
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": name},
            "spec": dict({"policyName": policy_name, "validationActions": list(actions)}, **spec)}


def unique(name):
    return "%s-%s.example.com" % (name, uuid.uuid4().hex[:6])


def wait_until_refused(cluster, namespace, manifest, expected):
    """Applies `manifest` until the server refuses it with `expected` in kubectl's stderr (the
    plugin reads policies from its watch cache, a moment behind the write)."""
    outcome = {}

    def refused():
        result = cluster.kubectl("-n", namespace, "apply", "--dry-run=server", "-f", "-", input=manifest, check=False)
        outcome["stderr"] = result.stderr
        return result.returncode != 0 and expected in result.stderr

    wait_for(refused, message="the refusal %r (last: %r)" % (expected, outcome.get("stderr")))


def test_replicas_policy_refuses_with_upstreams_message(cluster, namespace, policies):
    name, binding_name = unique("demo-policy"), unique("demo-binding-test")
    policies(policy(name, namespace, [{"expression": "object.spec.replicas <= 5"}]), binding(binding_name, name))
    expected = ("The deployments \"nginx\" is invalid: : ValidatingAdmissionPolicy '%s' with binding '%s' denied request: "
                "failed expression: object.spec.replicas <= 5" % (name, binding_name))
    wait_until_refused(cluster, namespace, DEPLOYMENT % 6, expected)
    refused = cluster.kubectl("-n", namespace, "apply", "-f", "-", input=DEPLOYMENT % 6, check=False)
    assert refused.returncode != 0
    assert expected in refused.stderr
    cluster.kubectl("-n", namespace, "apply", "-f", "-", input=DEPLOYMENT % 3)
    assert cluster.kubectl("-n", namespace, "get", "deployment", "nginx", "-o", "jsonpath={.spec.replicas}").stdout == "3"


def test_warn_binding_gives_kubectls_warning_line(cluster, namespace, policies):
    name, binding_name = unique("warn-policy"), unique("warn-binding")
    policies(policy(name, namespace, [{"expression": "object.spec.replicas <= 5", "message": "at most 5 replicas"}]),
             binding(binding_name, name, actions=("Warn",)))
    expected = ("Warning: Validation failed for ValidatingAdmissionPolicy '%s' with binding '%s': at most 5 replicas"
                % (name, binding_name))

    def warned():
        result = cluster.kubectl("-n", namespace, "apply", "--dry-run=server", "-f", "-", input=DEPLOYMENT % 6)
        return expected in result.stderr

    wait_for(warned, message="the warning")
    created = cluster.kubectl("-n", namespace, "apply", "-f", "-", input=DEPLOYMENT % 6)
    assert expected in created.stderr
    assert cluster.kubectl("-n", namespace, "get", "deployment", "nginx", "-o", "jsonpath={.spec.replicas}").stdout == "6"


def test_params_from_a_config_map(cluster, namespace, policies):
    name, binding_name = unique("replica-limit"), unique("replica-limit-binding")
    policies(
        policy(name, namespace, [{"expression": "object.spec.replicas <= int(params.data.maxReplicas)",
                                  "messageExpression": "'replicas must be at most ' + params.data.maxReplicas"}],
               paramKind={"apiVersion": "v1", "kind": "ConfigMap"}),
        binding(binding_name, name, paramRef={"name": "replica-limit", "namespace": namespace,
                                              "parameterNotFoundAction": "Deny"}))
    prefix = "ValidatingAdmissionPolicy '%s' with binding '%s' denied request: " % (name, binding_name)
    # No ConfigMap yet: Deny refuses everything the policy matches.
    wait_until_refused(cluster, namespace, DEPLOYMENT % 1,
                       prefix + "failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction")
    cluster.kubectl("-n", namespace, "create", "configmap", "replica-limit", "--from-literal=maxReplicas=2")
    wait_until_refused(cluster, namespace, DEPLOYMENT % 3, prefix + "replicas must be at most 2")
    cluster.kubectl("-n", namespace, "apply", "-f", "-", input=DEPLOYMENT % 2)

    # With Allow, a missing param checks nothing.
    allow = binding(binding_name, name, paramRef={"name": "absent", "namespace": namespace,
                                                  "parameterNotFoundAction": "Allow"})
    cluster.kubectl("apply", "-f", "-", input=json.dumps(allow))
    wait_for(lambda: cluster.kubectl("-n", namespace, "apply", "--dry-run=server", "-f", "-", input=DEPLOYMENT % 9,
                                     check=False).returncode == 0, message="the Allow binding")


def test_a_policy_that_does_not_match_lets_requests_through(cluster, namespace, policies):
    name, binding_name = unique("configmaps-only"), unique("configmaps-only-binding")
    policies(policy(name, namespace, [{"expression": "false", "message": "no config maps here"}],
                    resources=("configmaps",), groups=("",)),
             binding(binding_name, name))
    wait_until_refused(cluster, namespace, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "no config maps here")
    cluster.kubectl("-n", namespace, "apply", "-f", "-", input=DEPLOYMENT % 7)
    assert cluster.kubectl("-n", namespace, "get", "deployment", "nginx", "-o", "jsonpath={.spec.replicas}").stdout == "7"
    # Another namespace is not selected.
    other = "e2e-" + uuid.uuid4().hex[:8]
    cluster.kubectl("create", "namespace", other)
    try:
        cluster.kubectl("-n", other, "create", "configmap", "c")
    finally:
        cluster.kubectl("delete", "namespace", other, "--wait=false")


def test_authorizer_checks_ask_rbac_as_the_requesting_user(cluster, namespace, policies):
    """A policy asking whether the requester may read the namespace's secrets: the admin may,
    a user allowed only to create config maps (`--as`) is refused with RBAC's reason."""
    name, binding_name = unique("secret-readers"), unique("secret-readers-binding")
    check = "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('list')"
    policies(policy(name, namespace, [{"expression": check + ".allowed()",
                                       "messageExpression": "'only secret readers: ' + string(" + check + ".allowed())"}],
                    resources=("configmaps",), groups=("",)),
             binding(binding_name, name))
    cluster.kubectl("-n", namespace, "create", "role", "cm-creator", "--verb=create", "--resource=configmaps")
    cluster.kubectl("-n", namespace, "create", "rolebinding", "cm-creator", "--role=cm-creator", "--user=jane")
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    expected = ("ValidatingAdmissionPolicy '%s' with binding '%s' denied request: only secret readers: false"
                % (name, binding_name))
    outcome = {}

    def refused():
        result = cluster.kubectl("--as", "jane", "-n", namespace, "create", "--dry-run=server", "-f", "-", input=manifest, check=False)
        outcome["stderr"] = result.stderr
        return result.returncode != 0 and expected in result.stderr

    wait_for(refused, message="jane's refusal (last: %r)" % outcome.get("stderr"))
    cluster.kubectl("-n", namespace, "create", "-f", "-", input=manifest)


def test_type_checking_warns_about_a_misspelled_field(cluster, policies):
    """`status.typeChecking`: a policy on Deployments and a custom resource whose expression
    names a field neither schema has gets upstream's warning for each kind; fixing it clears them."""
    group = "vap%s.example.com" % uuid.uuid4().hex[:6]
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets." + group},
           "spec": {"group": group, "scope": "Namespaced",
                    "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                        "type": "object", "properties": {"spec": {"type": "object", "properties": {
                            "replicas": {"type": "integer"}}}}}}}]}}
    cluster.kubectl("apply", "-f", "-", input=json.dumps(crd))
    try:
        cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/widgets." + group)
        name = unique("typo-policy")
        typo = policy(name, "unused", [{"expression": "object.spec.replicaz <= 5"}])
        typo["spec"]["matchConstraints"]["resourceRules"].append(
            {"apiGroups": [group], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["widgets"]})
        policies(typo)

        def status(generation):
            item = json.loads(cluster.kubectl("get", "validatingadmissionpolicy", name, "-o", "json").stdout)
            return item["status"] if item.get("status", {}).get("observedGeneration") == generation else None

        wait_for(lambda: status(1), message="the type checking of generation 1")
        caret = " | object.spec.replicaz <= 5\n | ...........^\n"
        assert status(1)["typeChecking"]["expressionWarnings"] == [{
            "fieldRef": "spec.validations[0].expression",
            "warning": "apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicaz'\n" + caret + "\n"
                       + group + "/v1, Kind=Widget: ERROR: <input>:1:12: undefined field 'replicaz'\n" + caret}]
        shown = cluster.kubectl("get", "validatingadmissionpolicy", name, "-o", "yaml").stdout
        assert "fieldRef: spec.validations[0].expression" in shown and "undefined field 'replicaz'" in shown

        typo["spec"]["validations"] = [{"expression": "object.spec.replicas <= 5"}]
        cluster.kubectl("apply", "-f", "-", input=json.dumps(typo))
        wait_for(lambda: status(2), message="the type checking of generation 2")
        assert status(2)["typeChecking"] == {}
    finally:
        cluster.kubectl("delete", "crd", "widgets." + group, "--ignore-not-found")
