"""Admission with the real kubectl: the ServiceAccount, LimitRanger, ResourceQuota (with the
quota controller) and PodSecurity plugins that `skiff up` runs by default."""
import json
import uuid

from conftest import wait_for

PRIVILEGED_POD = """
apiVersion: v1
kind: Pod
metadata:
  name: root
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: true
"""


def fresh_namespace(cluster, labels=()):
    name = "e2e-" + uuid.uuid4().hex[:8]
    cluster.create_namespace(name)
    if labels:
        cluster.kubectl("label", "namespace", name, *labels)
    return name


def test_pod_gets_the_default_service_account(cluster, namespace):
    cluster.kubectl("-n", namespace, "run", "plain", "--image=nginx")
    account = cluster.kubectl("-n", namespace, "get", "pod", "plain", "-o", "jsonpath={.spec.serviceAccountName}").stdout
    assert account == "default"

    refused = cluster.kubectl("-n", namespace, "run", "robotic", "--image=nginx",
                              "--overrides", json.dumps({"spec": {"serviceAccountName": "robot"}}), check=False)
    assert refused.returncode != 0
    assert ('pods "robotic" is forbidden: error looking up service account %s/robot: serviceaccount "robot" not found'
            % namespace) in refused.stderr


def test_limit_range_defaults_requests(cluster, namespace):
    cluster.kubectl("-n", namespace, "apply", "-f", "-", input="""
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 128Mi}
    defaultRequest: {cpu: 100m}
    max: {cpu: "1"}
""")
    cluster.kubectl("-n", namespace, "run", "plain", "--image=nginx")
    pod = json.loads(cluster.kubectl("-n", namespace, "get", "pod", "plain", "-o", "json").stdout)
    assert pod["spec"]["containers"][0]["resources"] == {
        "requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "128Mi"}}
    assert pod["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == \
        "LimitRanger plugin set: cpu, memory request for container plain; cpu, memory limit for container plain"

    big = cluster.kubectl("-n", namespace, "run", "big", "--image=nginx",
                          "--overrides", json.dumps({"spec": {"containers": [
                              {"name": "big", "image": "nginx", "resources": {"limits": {"cpu": "2"}}}]}}), check=False)
    assert big.returncode != 0
    assert 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2' in big.stderr


def test_quota_refuses_the_fourth_pod(cluster, namespace):
    cluster.kubectl("-n", namespace, "create", "quota", "compute", "--hard=pods=3,requests.cpu=2")
    wait_for(lambda: cluster.kubectl("-n", namespace, "get", "quota", "compute", "-o", "jsonpath={.status.used.pods}").stdout == "0",
             message="the quota controller's status")
    for index in range(1, 4):
        cluster.kubectl("-n", namespace, "run", "p%d" % index, "--image=nginx", "--overrides", json.dumps({"spec": {"containers": [
            {"name": "p%d" % index, "image": "nginx", "resources": {"requests": {"cpu": "100m"}}}]}}))
    refused = cluster.kubectl("-n", namespace, "run", "p4", "--image=nginx", "--overrides", json.dumps({"spec": {"containers": [
        {"name": "p4", "image": "nginx", "resources": {"requests": {"cpu": "100m"}}}]}}), check=False)
    assert refused.returncode != 0
    assert ('Error from server (Forbidden): pods "p4" is forbidden: exceeded quota: compute, '
            'requested: pods=1, used: pods=3, limited: pods=3') in refused.stderr

    described = cluster.kubectl("-n", namespace, "describe", "quota", "compute").stdout.splitlines()
    rows = [line.split() for line in described]
    assert ["pods", "3", "3"] in rows
    assert ["requests.cpu", "300m", "2"] in rows

    # Deleting a pod frees its share once the controller has counted again.
    cluster.kubectl("-n", namespace, "delete", "pod", "p1", "--grace-period=0", "--force")
    wait_for(lambda: cluster.kubectl("-n", namespace, "get", "quota", "compute", "-o", "jsonpath={.status.used.pods}").stdout == "2",
             message="the deleted pod released")


def test_restricted_namespace_refuses_a_privileged_pod_and_warn_warns(cluster):
    locked = fresh_namespace(cluster, ["pod-security.kubernetes.io/enforce=restricted"])
    refused = cluster.kubectl("-n", locked, "apply", "-f", "-", input=PRIVILEGED_POD, check=False)
    assert refused.returncode != 0
    assert ('pods "root" is forbidden: violates PodSecurity "restricted:latest": '
            'privileged (container "app" must not set securityContext.privileged=true), '
            'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)') in refused.stderr

    watched = fresh_namespace(cluster, ["pod-security.kubernetes.io/warn=baseline"])
    created = cluster.kubectl("-n", watched, "apply", "-f", "-", input=PRIVILEGED_POD)
    assert ('Warning: would violate PodSecurity "baseline:latest": '
            'privileged (container "app" must not set securityContext.privileged=true)') in created.stderr
