"""Every GA API kube-apiserver v1.32 serves by default, through the real kubectl: discovery lists
them, every GA list path of upstream's OpenAPI document answers, and a representative of each
group is created, read and printed with upstream's columns."""
import base64
import json
import os
import re
import subprocess


from conftest import kubectl, wait_for

# The GA list paths (GET, not watch) of upstream's v1.32 OpenAPI document, with their group and
# resource, kept beside the tests so they need no copy of the document. Regenerate with:
#   python3 - <<'PY'
#   import json, re
#   pattern = re.compile(r"^/api(?:s/(?P<group>[^/]+))?/(?P<version>v\d+)/(?:namespaces/\{namespace\}/)?(?P<resource>[a-z]+)$")
#   paths = json.load(open("../shared/kubernetes/openapi/swagger-v1.32.json"))["paths"]
#   found = [{"path": p, "group": m.group("group") or "", "resource": m.group("resource")}
#            for p, ops in sorted(paths.items()) if (m := pattern.match(p)) and "get" in ops and "/watch/" not in p]
#   json.dump(found, open("tests/e2e/fixtures/ga-list-paths-v1.32.json", "w"), indent=1)
#   PY
GA_LIST_PATHS = os.path.join(os.path.dirname(__file__), "fixtures", "ga-list-paths-v1.32.json")


def ga_list_paths():
    """The GA list paths of upstream's document: (path, group, resource)."""
    with open(GA_LIST_PATHS) as fixture:
        return [(entry["path"], entry["group"], entry["resource"]) for entry in json.load(fixture)]


def header(output):
    """A table's column names (kubectl separates them by at least two spaces)."""
    return re.split(r"\s{2,}", output.splitlines()[0].strip())


def apply(manifest, namespace=None):
    args = ["apply", "-f", "-"] + (["-n", namespace] if namespace else [])
    return kubectl(*args, input=manifest)


def test_api_resources_lists_every_ga_resource(cluster):
    listed = set()
    for line in kubectl("api-resources", "--no-headers").stdout.splitlines():
        fields = line.split()
        api_version = fields[-3]
        listed.add((api_version.split("/")[0] if "/" in api_version else "", fields[0]))
    expected = {(group, resource) for _, group, resource in ga_list_paths()}
    assert expected - listed == set()
    wide = {line.split()[0]: line.split() for line in kubectl("api-resources", "--no-headers").stdout.splitlines()}
    for resource, short in {"replicationcontrollers": "rc", "persistentvolumes": "pv", "limitranges": "limits", "resourcequotas": "quota",
                            "componentstatuses": "cs", "ingresses": "ing", "networkpolicies": "netpol", "poddisruptionbudgets": "pdb",
                            "priorityclasses": "pc", "horizontalpodautoscalers": "hpa", "storageclasses": "sc",
                            "certificatesigningrequests": "csr"}.items():
        assert wide[resource][1] == short, wide[resource]
    assert wide["horizontalpodautoscalers"][2] == "autoscaling/v2"
    in_all = {line.split()[0] for line in kubectl("api-resources", "--categories=all", "--no-headers").stdout.splitlines()}
    assert {"replicationcontrollers", "horizontalpodautoscalers"} <= in_all


def test_every_ga_list_path_answers(cluster):
    for path, _, resource in ga_list_paths():
        body = json.loads(kubectl("get", "--raw", path.replace("{namespace}", "default")).stdout)
        assert body["kind"].endswith("List"), (path, body.get("kind"))
        assert isinstance(body["items"], list), path


def test_replication_controller_create_scale_delete(cluster, namespace):
    apply("""
apiVersion: v1
kind: ReplicationController
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
""", namespace)
    rc = json.loads(kubectl("get", "rc", "web", "-n", namespace, "-o", "json").stdout)
    assert rc["spec"]["selector"] == {"app": "web"} and rc["spec"]["replicas"] == 1
    assert header(kubectl("get", "rc", "-n", namespace).stdout) == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert header(kubectl("get", "rc", "-n", namespace, "-o", "wide").stdout)[-3:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    assert "scaled" in kubectl("scale", "rc", "web", "--replicas=3", "-n", namespace).stdout
    assert kubectl("get", "rc", "web", "-n", namespace, "-o", "jsonpath={.spec.replicas}").stdout == "3"
    scale = json.loads(kubectl("get", "--raw", "/api/v1/namespaces/%s/replicationcontrollers/web/scale" % namespace).stdout)
    assert scale["spec"]["replicas"] == 3 and scale["status"]["selector"] == "app=web"
    # The replication controller manager keeps three pods, ready on the simulated node.
    wait_for(lambda: kubectl("get", "rc", "web", "-n", namespace, "-o", "jsonpath={.status.readyReplicas}").stdout == "3",
             timeout=60, message="three ready replicas")
    assert kubectl("get", "rc", "web", "-n", namespace, "--no-headers").stdout.split()[:4] == ["web", "3", "3", "3"]
    pods = kubectl("get", "pods", "-l", "app=web", "-n", namespace, "--no-headers").stdout.strip().splitlines()
    victim = pods[0].split()[0]
    kubectl("delete", "pod", victim, "-n", namespace)

    def replaced():
        names = [line.split()[0] for line in kubectl("get", "pods", "-l", "app=web", "-n", namespace, "--no-headers").stdout.strip().splitlines()]
        ready = kubectl("get", "rc", "web", "-n", namespace, "-o", "jsonpath={.status.readyReplicas}").stdout
        return victim not in names and len(names) == 3 and ready == "3"
    wait_for(replaced, timeout=60, message="the deleted pod replaced")
    kubectl("delete", "rc", "web", "-n", namespace)
    assert kubectl("get", "rc", "-n", namespace, "--no-headers", check=False).stdout.strip() == ""
    wait_for(lambda: kubectl("get", "pods", "-l", "app=web", "-n", namespace, "--no-headers").stdout.strip() == "",
             timeout=60, message="the pods collected")


def test_core_kinds_columns(cluster, namespace):
    apply("""
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ResourceQuota
  metadata: {name: q}
  spec: {hard: {pods: "10", limits.cpu: "2"}}
- apiVersion: v1
  kind: LimitRange
  metadata: {name: l}
  spec: {limits: [{type: Container, default: {cpu: 500m}}]}
- apiVersion: v1
  kind: PodTemplate
  metadata: {name: t}
  template:
    metadata: {labels: {app: t}}
    spec: {containers: [{name: c, image: busybox}]}
""", namespace)
    assert header(kubectl("get", "quota", "-n", namespace).stdout) == ["NAME", "REQUEST", "LIMIT", "AGE"]
    # The quota controller fills status.hard and status.used.
    wait_for(lambda: "limits.cpu: 0/2" in kubectl("get", "quota", "q", "-n", namespace).stdout, message="the quota's status")
    assert header(kubectl("get", "limits", "-n", namespace).stdout) == ["NAME", "CREATED AT"]
    assert kubectl("get", "podtemplates", "t", "-n", namespace, "--no-headers").stdout.split() == ["t", "c", "busybox", "app=t"]
    name = "pv-" + namespace
    apply("""
apiVersion: v1
kind: PersistentVolume
metadata: {name: %s}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/pv}}
""" % name)
    # The persistentvolume-binder makes an unclaimed volume Available.
    def available_row():
        row = kubectl("get", "pv", name, "--no-headers").stdout.split()
        return row if row[4:5] == ["Available"] else None
    row = wait_for(available_row, message="the volume available")
    assert row[:5] == [name, "1Gi", "RWO", "Retain", "Available"]
    kubectl("delete", "pv", name)
    statuses = kubectl("get", "componentstatuses").stdout
    assert header(statuses) == ["NAME", "STATUS", "MESSAGE", "ERROR"]
    assert {"scheduler", "controller-manager", "etcd-0"} <= {line.split()[0] for line in statuses.splitlines()[1:]}


def test_rbac_networking_policy_and_autoscaling(cluster, namespace):
    apply("""
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata: {name: reader}
  rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: read}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
  subjects: [{kind: User, name: jane}]
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {name: web}
  spec:
    rules: [{host: example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny}
  spec: {podSelector: {}}
- apiVersion: policy/v1
  kind: PodDisruptionBudget
  metadata: {name: web}
  spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
- apiVersion: autoscaling/v1
  kind: HorizontalPodAutoscaler
  metadata: {name: web}
  spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 4, targetCPUUtilizationPercentage: 50}
""", namespace)
    assert header(kubectl("get", "roles", "-n", namespace).stdout) == ["NAME", "CREATED AT"]
    assert kubectl("get", "rolebinding", "read", "-n", namespace, "--no-headers").stdout.split()[:2] == ["read", "Role/reader"]
    assert header(kubectl("get", "ing", "-n", namespace).stdout) == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    assert kubectl("get", "ing", "web", "-n", namespace, "--no-headers").stdout.split()[:4] == ["web", "<none>", "example.com", "80"]
    assert kubectl("get", "netpol", "deny", "-n", namespace, "--no-headers").stdout.split()[:2] == ["deny", "<none>"]
    assert header(kubectl("get", "pdb", "-n", namespace).stdout) == ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]
    assert header(kubectl("get", "hpa", "-n", namespace).stdout) == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]
    assert "cpu: <unknown>/50%" in kubectl("get", "hpa", "web", "-n", namespace).stdout
    v2 = json.loads(kubectl("get", "horizontalpodautoscalers.v2.autoscaling", "web", "-n", namespace, "-o", "json").stdout)
    assert v2["spec"]["metrics"][0]["resource"]["target"] == {"type": "Utilization", "averageUtilization": 50}
    refused = kubectl("apply", "-n", namespace, "-f", "-", check=False, input="""
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: empty}
rules: [{apiGroups: [""], resources: [pods]}]
""")
    assert "rules[0].verbs: Required value: verbs must contain at least one value" in refused.stderr


def test_cluster_scoped_groups(cluster, tmp_path):
    classes = kubectl("get", "priorityclasses").stdout
    assert header(classes) == ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]
    assert {"system-node-critical", "system-cluster-critical"} <= {line.split()[0] for line in classes.splitlines()[1:]}
    schemas = kubectl("get", "flowschemas").stdout
    assert header(schemas) == ["NAME", "PRIORITYLEVEL", "MATCHINGPRECEDENCE", "DISTINGUISHERMETHOD", "AGE", "MISSINGPL"]
    assert {"exempt", "catch-all"} <= {line.split()[0] for line in schemas.splitlines()[1:]}
    key = tmp_path / "key.pem"
    request = subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", str(key), "-subj", "/CN=jane"], capture_output=True, check=True).stdout
    apply("""
apiVersion: v1
kind: List
items:
- apiVersion: storage.k8s.io/v1
  kind: StorageClass
  metadata: {name: e2e-local}
  provisioner: rancher.io/local-path
- apiVersion: node.k8s.io/v1
  kind: RuntimeClass
  metadata: {name: e2e-runc}
  handler: runc
- apiVersion: certificates.k8s.io/v1
  kind: CertificateSigningRequest
  metadata: {name: e2e-jane}
  spec: {request: %s, signerName: kubernetes.io/kube-apiserver-client, usages: [client auth], expirationSeconds: 86400}
- apiVersion: admissionregistration.k8s.io/v1
  kind: ValidatingWebhookConfiguration
  metadata: {name: e2e-hook}
  webhooks: [{name: check.example.com, clientConfig: {url: "https://example.com/check"}, sideEffects: None, admissionReviewVersions: [v1]}]
- apiVersion: apiregistration.k8s.io/v1
  kind: APIService
  metadata: {name: v1.e2e.example.com}
  spec: {group: e2e.example.com, version: v1, groupPriorityMinimum: 1000, versionPriority: 15}
""" % base64.b64encode(request).decode())
    assert kubectl("get", "sc", "e2e-local", "--no-headers").stdout.split()[:5] == ["e2e-local", "rancher.io/local-path", "Delete", "Immediate", "false"]
    assert kubectl("get", "runtimeclass", "e2e-runc", "--no-headers").stdout.split()[:2] == ["e2e-runc", "runc"]
    csr = kubectl("get", "csr", "e2e-jane").stdout
    assert header(csr) == ["NAME", "AGE", "SIGNERNAME", "REQUESTOR", "REQUESTEDDURATION", "CONDITION"]
    assert csr.splitlines()[1].split()[-2:] == ["24h", "Pending"]
    selected = kubectl("get", "csr", "--field-selector=spec.signerName=kubernetes.io/kube-apiserver-client", "-o", "name").stdout
    assert "certificatesigningrequest.certificates.k8s.io/e2e-jane" in selected.split()
    assert kubectl("get", "csr", "--field-selector=spec.signerName=example.com/other", "-o", "name").stdout.strip() == ""
    assert "approved" in kubectl("certificate", "approve", "e2e-jane").stdout
    # The csrsigning controller may already have issued the certificate (test_access checks it).
    assert kubectl("get", "csr", "e2e-jane", "--no-headers").stdout.split()[-1] in ("Approved", "Approved,Issued")
    assert kubectl("get", "validatingwebhookconfigurations", "e2e-hook", "--no-headers").stdout.split()[:2] == ["e2e-hook", "1"]
    hook = json.loads(kubectl("get", "validatingwebhookconfigurations", "e2e-hook", "-o", "json").stdout)["webhooks"][0]
    assert (hook["failurePolicy"], hook["timeoutSeconds"], hook["matchPolicy"]) == ("Fail", 10, "Equivalent")
    assert kubectl("get", "apiservices", "v1.e2e.example.com", "--no-headers").stdout.split()[:2] == ["v1.e2e.example.com", "Local"]
    kubectl("delete", "sc/e2e-local", "runtimeclass/e2e-runc", "csr/e2e-jane", "validatingwebhookconfigurations/e2e-hook",
            "apiservices/v1.e2e.example.com")
