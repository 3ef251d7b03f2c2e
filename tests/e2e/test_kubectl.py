"""The user's kubectl walkthrough, command by command, against a real `skiff up`."""
import json
import time

from conftest import wait_for


def test_version_cluster_info_and_api_resources(cluster):
    version = cluster.kubectl("version").stdout
    assert "Server Version: v1.32" in version
    info = cluster.kubectl("cluster-info").stdout
    assert "Kubernetes control plane is running at " + cluster.server in info
    resources = cluster.kubectl("api-resources").stdout.splitlines()
    assert resources[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    rows = {line.split()[0] + "/" + line.split()[-3]: line.split() for line in resources[1:]}
    assert rows["configmaps/v1"][1] == "cm"
    assert rows["deployments/apps/v1"][1] == "deploy"
    assert "cronjobs/batch/v1" in rows and rows["cronjobs/batch/v1"][1] == "cj"
    assert "leases/coordination.k8s.io/v1" in rows
    assert "customresourcedefinitions/apiextensions.k8s.io/v1" in rows


def test_system_namespaces_and_kubernetes_service(cluster):
    names = cluster.kubectl("get", "ns", "-o", "name").stdout.split()
    for name in ["default", "kube-system", "kube-public", "kube-node-lease"]:
        assert "namespace/" + name in names
    service = json.loads(cluster.kubectl("get", "svc", "kubernetes", "-n", "default", "-o", "json").stdout)
    assert service["spec"]["clusterIP"] == "10.96.0.1"
    assert service["spec"]["ports"][0]["port"] == 443
    table = cluster.kubectl("get", "svc", "kubernetes", "-n", "default").stdout.splitlines()
    assert table[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert table[1].split()[:5] == ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"]


def test_create_namespace_and_configmap(cluster):
    cluster.kubectl("create", "namespace", "demo-walkthrough")
    cluster.kubectl("-n", "demo-walkthrough", "create", "configmap", "app", "--from-literal=a=1")
    created = json.loads(cluster.kubectl("-n", "demo-walkthrough", "get", "cm", "app", "-o", "json").stdout)
    assert created["data"] == {"a": "1"}
    assert int(created["metadata"]["resourceVersion"]) > 0
    assert created["metadata"]["uid"]
    table = cluster.kubectl("-n", "demo-walkthrough", "get", "configmaps").stdout.splitlines()
    assert table[0].split() == ["NAME", "DATA", "AGE"]
    assert table[1].split()[:2] == ["app", "1"]


def test_label_and_field_selectors(cluster, namespace):
    for name, labels in [("prod-web", "env=prod,tier=web"), ("prod-db", "env=prod,tier=db"), ("dev-web", "env=dev,tier=web"),
                         ("prod-none", "env=prod"), ("x", "env=prod,tier=web")]:
        cluster.kubectl("-n", namespace, "create", "configmap", name)
        cluster.kubectl("-n", namespace, "label", "configmap", name, *labels.split(","))
    selected = cluster.kubectl("-n", namespace, "get", "configmaps", "-l", "env=prod,tier!=db",
                               "--field-selector", "metadata.name!=x", "-o", "name").stdout.split()
    assert sorted(selected) == ["configmap/prod-none", "configmap/prod-web"]
    in_set = cluster.kubectl("-n", namespace, "get", "cm", "-l", "tier in (db,web),env notin (dev)", "-o", "name").stdout.split()
    assert sorted(in_set) == ["configmap/prod-db", "configmap/prod-web", "configmap/x"]
    missing = cluster.kubectl("-n", namespace, "get", "cm", "-l", "!tier", "-o", "name").stdout.split()
    assert "configmap/prod-none" in missing and "configmap/prod-web" not in missing
    bad = cluster.kubectl("-n", namespace, "get", "cm", "--field-selector", "spec.nodeName=n1", check=False)
    assert bad.returncode != 0
    assert "field label not supported: spec.nodeName" in bad.stderr


def test_watch_streams_added_modified_deleted(cluster, namespace):
    watch = cluster.popen_kubectl("-n", namespace, "get", "cm", "-w", "--output-watch-events")
    try:
        # The watch has started once the (empty) list was printed, or the first event arrived.
        time.sleep(0.5)
        cluster.kubectl("-n", namespace, "create", "configmap", "watched", "--from-literal=a=1")
        cluster.kubectl("-n", namespace, "annotate", "configmap", "watched", "note=changed")
        cluster.kubectl("-n", namespace, "delete", "configmap", "watched")
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(line.startswith("DELETED") for line in lines):
            line = watch.stdout.readline()
            if line:
                lines.append(line.strip())
        events = [line.split()[:2] for line in lines if line.split() and line.split()[0] in ("ADDED", "MODIFIED", "DELETED")]
        assert ["ADDED", "watched"] in events
        assert ["MODIFIED", "watched"] in events
        assert events[-1] == ["DELETED", "watched"]
        kinds = [event[0] for event in events if event[1] == "watched"]
        assert kinds.index("ADDED") < kinds.index("MODIFIED") < kinds.index("DELETED")
    finally:
        watch.kill()


def test_replace_with_stale_resource_version_conflicts(cluster, namespace, tmp_path):
    cluster.kubectl("-n", namespace, "create", "configmap", "app", "--from-literal=a=1")
    stale = cluster.kubectl("-n", namespace, "get", "cm", "app", "-o", "json").stdout
    cluster.kubectl("-n", namespace, "label", "cm", "app", "fresh=yes")
    path = tmp_path / "stale.json"
    path.write_text(stale)
    result = cluster.kubectl("-n", namespace, "replace", "-f", str(path), check=False)
    assert result.returncode != 0
    assert "Error from server (Conflict)" in result.stderr
    assert "the object has been modified" in result.stderr
    current = json.loads(cluster.kubectl("-n", namespace, "get", "cm", "app", "-o", "json").stdout)
    assert current["metadata"]["labels"] == {"fresh": "yes"}, "nothing was written by the stale replace"


def test_delete_then_not_found_and_wait_for_delete(cluster, namespace):
    cluster.kubectl("-n", namespace, "create", "configmap", "app")
    waiter = cluster.popen_kubectl("-n", namespace, "wait", "--for=delete", "configmap/app", "--timeout=30s")
    time.sleep(0.3)
    assert 'configmap "app" deleted' in cluster.kubectl("-n", namespace, "delete", "cm", "app").stdout
    assert waiter.wait(timeout=30) == 0
    result = cluster.kubectl("-n", namespace, "get", "cm", "app", check=False)
    assert result.returncode != 0
    assert 'Error from server (NotFound): configmaps "app" not found' in result.stderr


def test_create_and_delete_from_yaml(cluster, namespace, tmp_path):
    manifest = tmp_path / "objects.yaml"
    manifest.write_text("""
apiVersion: v1
kind: ConfigMap
metadata: {name: from-file, labels: {app: demo}}
data: {key: value}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: s3cret}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
""")
    created = cluster.kubectl("-n", namespace, "create", "-f", str(manifest)).stdout
    assert "configmap/from-file created" in created
    assert "deployment.apps/web created" in created
    deployment = json.loads(cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o", "json").stdout)
    assert deployment["metadata"]["generation"] == 1
    assert deployment["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": "25%", "maxUnavailable": "25%"}
    assert deployment["spec"]["revisionHistoryLimit"] == 10
    table = cluster.kubectl("-n", namespace, "get", "deploy").stdout.splitlines()
    assert table[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert table[1].split()[:4] == ["web", "0/2", "0", "0"]
    wide = cluster.kubectl("-n", namespace, "get", "deploy", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[-3:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    assert wide[1].split()[-3:] == ["nginx", "nginx:1.27", "app=web"]
    deleted = cluster.kubectl("-n", namespace, "delete", "-f", str(manifest)).stdout
    assert 'configmap "from-file" deleted' in deleted
    assert cluster.kubectl("-n", namespace, "get", "cm,secret,deploy", "-o", "name").stdout.strip() == ""


def test_generators_scale_and_get_all(cluster, namespace):
    cluster.kubectl("-n", namespace, "create", "deployment", "web", "--image=nginx", "--replicas=2")
    cluster.kubectl("-n", namespace, "create", "service", "clusterip", "web", "--tcp=80:8080")
    cluster.kubectl("-n", namespace, "create", "job", "once", "--image=busybox")
    cluster.kubectl("-n", namespace, "create", "secret", "generic", "s", "--from-literal=k=v")
    cluster.kubectl("-n", namespace, "scale", "deployment", "web", "--replicas=3")
    replicas = cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.metadata.generation}").stdout
    assert replicas == "3 2"
    service = json.loads(cluster.kubectl("-n", namespace, "get", "svc", "web", "-o", "json").stdout)
    assert service["spec"]["clusterIP"].startswith("10.")
    assert service["spec"]["ports"][0]["targetPort"] == 8080
    everything = cluster.kubectl("-n", namespace, "get", "all", "-o", "name").stdout.split()
    assert "deployment.apps/web" in everything
    assert "service/web" in everything
    assert "job.batch/once" in everything
    secret = json.loads(cluster.kubectl("-n", namespace, "get", "secret", "s", "-o", "json").stdout)
    assert secret["type"] == "Opaque" and secret["data"] == {"k": "dg=="}


def test_pods_table_columns(cluster, namespace):
    cluster.kubectl("-n", namespace, "run", "nginx", "--image=nginx")
    table = cluster.kubectl("-n", namespace, "get", "pods").stdout.splitlines()
    assert table[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert table[1].split()[:4] == ["nginx", "0/1", "Pending", "0"]
    wide = cluster.kubectl("-n", namespace, "get", "pods", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[5:] == ["IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
    pod = json.loads(cluster.kubectl("-n", namespace, "get", "pod", "nginx", "-o", "json").stdout)
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert pod["spec"]["restartPolicy"] == "Always"
    assert pod["status"]["phase"] == "Pending"
    # An unscheduled pod goes at once.
    cluster.kubectl("-n", namespace, "delete", "pod", "nginx", "--wait=true", "--timeout=20s")


def test_dry_run_and_invalid_objects(cluster, namespace):
    dry = cluster.kubectl("-n", namespace, "create", "configmap", "dry", "--from-literal=a=1", "--dry-run=server", "-o", "json").stdout
    assert json.loads(dry)["metadata"]["name"] == "dry"
    assert cluster.kubectl("-n", namespace, "get", "cm", "dry", check=False).returncode != 0
    invalid = cluster.kubectl("-n", namespace, "create", "configmap", "Bad_Name", check=False)
    assert invalid.returncode != 0
    assert 'ConfigMap "Bad_Name" is invalid' in invalid.stderr
    missing = cluster.kubectl("-n", "no-such-namespace", "create", "configmap", "x", check=False)
    assert 'namespaces "no-such-namespace" not found' in missing.stderr


def test_finalizers_keep_object_until_removed(cluster, namespace, tmp_path):
    manifest = tmp_path / "held.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, finalizers: [example.com/hold]}\n")
    cluster.kubectl("-n", namespace, "create", "-f", str(manifest))
    cluster.kubectl("-n", namespace, "delete", "cm", "held", "--wait=false")
    held = json.loads(cluster.kubectl("-n", namespace, "get", "cm", "held", "-o", "json").stdout)
    assert held["metadata"]["deletionTimestamp"]
    cluster.kubectl("-n", namespace, "patch", "cm", "held", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    wait_for(lambda: cluster.kubectl("-n", namespace, "get", "cm", "held", check=False).returncode != 0, message="held configmap to go")


def test_client_side_apply_patch_diff_and_explain(cluster, namespace, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text("""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web, extra: "yes"}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.27"}
      - {name: side, image: busybox}
""")
    assert "deployment.apps/web created" in cluster.kubectl("-n", namespace, "apply", "-f", str(manifest)).stdout
    manifest.write_text(manifest.read_text().replace(', extra: "yes"', "").replace("replicas: 2", "replicas: 4"))
    diff = cluster.kubectl("-n", namespace, "diff", "-f", str(manifest), check=False)
    assert diff.returncode == 1, diff.stderr
    assert "-    extra: \"yes\"" in diff.stdout and "+  replicas: 4" in diff.stdout
    assert "deployment.apps/web configured" in cluster.kubectl("-n", namespace, "apply", "-f", str(manifest)).stdout
    applied = json.loads(cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o", "json").stdout)
    assert applied["metadata"]["labels"] == {"app": "web"}, "a field removed from the manifest is removed"
    assert applied["spec"]["replicas"] == 4
    # Strategic merge patch: the container list merges by name.
    cluster.kubectl("-n", namespace, "patch", "deploy", "web", "-p",
                    '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}')
    images = cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o",
                             "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}").stdout.split()
    assert images == ["nginx=nginx:1.28", "side=busybox"]
    cluster.kubectl("-n", namespace, "patch", "deploy", "web", "--type=json", "-p", '[{"op":"replace","path":"/spec/replicas","value":1}]')
    cluster.kubectl("-n", namespace, "patch", "deploy", "web", "--type=merge", "-p", '{"metadata":{"labels":{"merged":"true"}}}')
    patched = json.loads(cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o", "json").stdout)
    assert patched["spec"]["replicas"] == 1 and patched["metadata"]["labels"]["merged"] == "true"
    failed = cluster.kubectl("-n", namespace, "patch", "deploy", "web", "--type=json", "-p",
                             '[{"op":"test","path":"/spec/replicas","value":7}]', check=False)
    assert failed.returncode != 0
    explained = cluster.kubectl("explain", "pods.spec.containers").stdout
    assert "FIELD: containers <[]Container>" in explained and "image\t<string>" in explained
    recursive = cluster.kubectl("explain", "deployment.spec.strategy", "--recursive").stdout
    assert "rollingUpdate\t<RollingUpdateDeployment>" in recursive and "maxSurge\t<IntOrString>" in recursive


def test_field_validation(cluster, namespace, tmp_path):
    manifest = tmp_path / "typo.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo, lables: {a: b}}\ndata: {k: v}\ncolor: blue\n")
    strict = cluster.kubectl("-n", namespace, "create", "-f", str(manifest), check=False)
    assert strict.returncode != 0
    assert 'strict decoding error: unknown field "color", unknown field "metadata.lables"' in strict.stderr
    warned = cluster.kubectl("-n", namespace, "create", "-f", str(manifest), "--validate=warn")
    assert 'Warning: unknown field "color"' in warned.stderr
    stored = json.loads(cluster.kubectl("-n", namespace, "get", "cm", "typo", "-o", "json").stdout)
    assert "color" not in stored and "lables" not in stored["metadata"], "unknown fields are dropped, not stored"
