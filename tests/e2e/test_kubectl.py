"""The user's kubectl walkthrough, command by command, against a real `skiff up`."""
import json
import os
import subprocess

import yaml

from conftest import KUBECTL, ROOT_CA_CONFIGMAP, LineReader, kubectl, wait_for


def test_version_cluster_info_and_api_resources(cluster):
    version = kubectl("version").stdout
    assert "Server Version: v1.32" in version
    info = kubectl("cluster-info").stdout
    assert "Kubernetes control plane is running at " + cluster.server in info
    resources = kubectl("api-resources").stdout.splitlines()
    assert resources[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    rows = {}
    for line in resources[1:]:
        fields = line.split()
        rows[fields[0] + "/" + fields[-3]] = fields
    short_names = {
        "configmaps/v1": "cm", "pods/v1": "po", "services/v1": "svc", "namespaces/v1": "ns", "nodes/v1": "no",
        "events/v1": "ev", "serviceaccounts/v1": "sa", "endpoints/v1": "ep", "persistentvolumeclaims/v1": "pvc",
        "deployments/apps/v1": "deploy", "replicasets/apps/v1": "rs", "statefulsets/apps/v1": "sts",
        "daemonsets/apps/v1": "ds", "cronjobs/batch/v1": "cj", "events/events.k8s.io/v1": "ev",
        "customresourcedefinitions/apiextensions.k8s.io/v1": "crd,crds",
    }
    for resource, short in short_names.items():
        assert resource in rows, "%s missing from api-resources" % resource
        assert rows[resource][1] == short, (resource, rows[resource])
    for resource in ["secrets/v1", "jobs/batch/v1", "leases/coordination.k8s.io/v1", "endpointslices/discovery.k8s.io/v1"]:
        assert resource in rows, "%s missing from api-resources" % resource
    assert rows["configmaps/v1"][-2:] == ["true", "ConfigMap"]
    assert rows["namespaces/v1"][-2:] == ["false", "Namespace"]
    in_all = {line.split()[0] for line in kubectl("api-resources", "--categories=all", "--no-headers").stdout.splitlines()}
    assert {"pods", "services", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs"} <= in_all
    assert "configmaps" not in in_all and "secrets" not in in_all


def test_system_namespaces_and_kubernetes_service(cluster):
    table = kubectl("get", "ns").stdout.splitlines()
    assert table[0].split() == ["NAME", "STATUS", "AGE"]
    statuses = {line.split()[0]: line.split()[1] for line in table[1:]}
    for name in ["default", "kube-system", "kube-public", "kube-node-lease"]:
        assert statuses.get(name) == "Active", (name, table)
    service = json.loads(kubectl("get", "svc", "kubernetes", "-n", "default", "-o", "json").stdout)
    assert service["spec"]["clusterIP"] == "10.96.0.1"
    assert service["spec"]["ports"][0]["port"] == 443
    table = kubectl("get", "svc", "kubernetes", "-n", "default").stdout.splitlines()
    assert table[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert table[1].split()[:5] == ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"]


def test_walkthrough_create_namespace_and_configmap(cluster):
    assert kubectl("create", "namespace", "demo").stdout.strip() == "namespace/demo created"
    assert kubectl("-n", "demo", "create", "configmap", "app", "--from-literal=a=1").stdout.strip() == "configmap/app created"
    created = json.loads(kubectl("-n", "demo", "get", "cm", "app", "-o", "json").stdout)
    assert created["data"] == {"a": "1"}
    assert int(created["metadata"]["resourceVersion"]) > 0
    assert created["metadata"]["uid"] and created["metadata"]["creationTimestamp"]
    table = kubectl("-n", "demo", "get", "configmaps").stdout.splitlines()
    assert table[0].split() == ["NAME", "DATA", "AGE"]
    assert table[1].split()[:2] == ["app", "1"]
    again = kubectl("create", "namespace", "demo", check=False)
    assert again.returncode != 0
    assert 'Error from server (AlreadyExists): namespaces "demo" already exists' in again.stderr


def test_label_and_field_selectors(cluster, namespace):
    for name, labels in [("prod-web", "env=prod,tier=web"), ("prod-db", "env=prod,tier=db"), ("dev-web", "env=dev,tier=web"),
                         ("prod-none", "env=prod"), ("x", "env=prod,tier=web"), ("plain", "")]:
        kubectl("-n", namespace, "create", "configmap", name, "--from-literal=k=" + name)
        if labels:
            kubectl("-n", namespace, "label", "configmap", name, *labels.split(","))
    # The user's command, as a table.
    table = kubectl("-n", namespace, "get", "configmaps", "-l", "env=prod,tier!=db", "--field-selector", "metadata.name!=x").stdout
    lines = table.splitlines()
    assert lines[0].split() == ["NAME", "DATA", "AGE"]
    assert sorted(line.split()[0] for line in lines[1:]) == ["prod-none", "prod-web"]
    # Each half alone.
    labels_only = kubectl("-n", namespace, "get", "cm", "-l", "env=prod,tier!=db", "-o", "name").stdout.split()
    assert sorted(labels_only) == ["configmap/prod-none", "configmap/prod-web", "configmap/x"]
    fields_only = kubectl("-n", namespace, "get", "cm", "--field-selector", "metadata.name!=x", "-o", "name").stdout.split()
    assert sorted(fields_only) == ["configmap/dev-web", "configmap/" + ROOT_CA_CONFIGMAP, "configmap/plain", "configmap/prod-db",
                                   "configmap/prod-none", "configmap/prod-web"]
    by_name = kubectl("-n", namespace, "get", "cm", "--field-selector", "metadata.name=prod-db", "-o", "name").stdout.split()
    assert by_name == ["configmap/prod-db"]
    in_set = kubectl("-n", namespace, "get", "cm", "-l", "tier in (db,web),env notin (dev)", "-o", "name").stdout.split()
    assert sorted(in_set) == ["configmap/prod-db", "configmap/prod-web", "configmap/x"]
    missing = kubectl("-n", namespace, "get", "cm", "-l", "!tier", "-o", "name").stdout.split()
    assert sorted(missing) == ["configmap/" + ROOT_CA_CONFIGMAP, "configmap/plain", "configmap/prod-none"]
    exists = kubectl("-n", namespace, "get", "cm", "-l", "tier", "-o", "name").stdout.split()
    assert sorted(exists) == ["configmap/dev-web", "configmap/prod-db", "configmap/prod-web", "configmap/x"]
    nothing = kubectl("-n", namespace, "get", "cm", "-l", "env=staging")
    assert nothing.stdout == "" and "No resources found in %s namespace." % namespace in nothing.stderr
    bad = kubectl("-n", namespace, "get", "cm", "--field-selector", "spec.nodeName=n1", check=False)
    assert bad.returncode != 0
    assert "field label not supported: spec.nodeName" in bad.stderr
    all_namespaces = kubectl("get", "cm", "-A", "-l", "env=prod,tier!=db", "--field-selector", "metadata.name!=x").stdout.splitlines()
    assert all_namespaces[0].split() == ["NAMESPACE", "NAME", "DATA", "AGE"]
    assert sorted(tuple(line.split()[:2]) for line in all_namespaces[1:]) == [(namespace, "prod-none"), (namespace, "prod-web")]


def start_watch(cluster, namespace, *extra):
    """`kubectl get cm -w` on a namespace that holds a sentinel configmap; returns once the sentinel's
    line was printed, i.e. once kubectl has listed (it then watches from that list's revision, so
    every later change is delivered)."""
    kubectl("-n", namespace, "create", "configmap", "sentinel")
    reader = LineReader(cluster.popen_kubectl("-n", namespace, "get", "cm", "-w", *extra))
    reader.wait_for(lambda lines: any("sentinel" in line for line in lines), message="the watch's initial list")
    return reader


def test_watch_streams_added_modified_deleted(cluster, namespace):
    reader = start_watch(cluster, namespace, "--output-watch-events")
    try:
        kubectl("-n", namespace, "create", "configmap", "watched", "--from-literal=a=1")
        kubectl("-n", namespace, "annotate", "configmap", "watched", "note=changed")
        kubectl("-n", namespace, "label", "configmap", "watched", "env=prod")
        kubectl("-n", namespace, "delete", "configmap", "watched")
        lines = reader.wait_for(lambda lines: lines if any(line.split()[:2] == ["DELETED", "watched"] for line in lines) else None,
                                message="DELETED watched")
        assert lines[0].split() == ["EVENT", "NAME", "DATA", "AGE"]
        assert [line.split()[:3] for line in lines[1:3]] == [["ADDED", ROOT_CA_CONFIGMAP, "1"], ["ADDED", "sentinel", "0"]]
        events = [line.split()[:3] for line in lines[3:]]
        assert events == [["ADDED", "watched", "1"], ["MODIFIED", "watched", "1"], ["MODIFIED", "watched", "1"],
                          ["DELETED", "watched", "1"]], lines
    finally:
        reader.close()


def test_plain_watch_prints_object_lines(cluster, namespace, tmp_path):
    reader = start_watch(cluster, namespace)
    try:
        kubectl("-n", namespace, "create", "configmap", "app", "--from-literal=a=1")
        reader.wait_for(lambda lines: any(line.split()[:2] == ["app", "1"] for line in lines), message="app's line")
        current = json.loads(kubectl("-n", namespace, "get", "cm", "app", "-o", "json").stdout)
        current["data"]["b"] = "2"
        path = tmp_path / "app.json"
        path.write_text(json.dumps(current))
        assert kubectl("-n", namespace, "replace", "-f", str(path)).stdout.strip() == "configmap/app replaced"
        reader.wait_for(lambda lines: any(line.split()[:2] == ["app", "2"] for line in lines), message="app's line after replace")
        lines = reader.snapshot()
        assert lines[0].split() == ["NAME", "DATA", "AGE"]
        assert [line.split()[:2] for line in lines[1:]] == [[ROOT_CA_CONFIGMAP, "1"], ["sentinel", "0"], ["app", "1"], ["app", "2"]]
    finally:
        reader.close()


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


def test_delete_then_not_found(cluster, namespace):
    kubectl("-n", namespace, "create", "configmap", "app", "--from-literal=a=1")
    assert kubectl("-n", namespace, "delete", "cm", "app").stdout.strip() == 'configmap "app" deleted'
    result = kubectl("-n", namespace, "get", "cm", "app", check=False)
    assert result.returncode == 1
    assert 'Error from server (NotFound): configmaps "app" not found' in result.stderr
    again = kubectl("-n", namespace, "delete", "cm", "app", check=False)
    assert again.returncode == 1
    assert 'Error from server (NotFound): configmaps "app" not found' in again.stderr


def test_wait_for_delete(cluster, namespace, tmp_path):
    # A finalizer holds the object after the delete, so `wait --for=delete` has something to wait for.
    manifest = tmp_path / "held.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, finalizers: [example.com/hold]}\n")
    kubectl("-n", namespace, "create", "-f", str(manifest))
    kubectl("-n", namespace, "delete", "cm", "held", "--wait=false")
    early = kubectl("-n", namespace, "wait", "--for=delete", "configmap/held", "--timeout=2s", check=False)
    assert early.returncode != 0, "wait --for=delete returned while the object still exists: %s" % early.stdout
    assert "timed out waiting for the condition" in early.stderr
    # -v=6 logs each request once its response starts, so the watch line says the waiter is watching.
    waiter = cluster.popen_kubectl("-n", namespace, "wait", "--for=delete", "configmap/held", "--timeout=30s", "-v=6")
    log = LineReader(waiter, stream="stderr")
    log.wait_for(lambda lines: any("watch=true" in line for line in lines), message="the waiter's watch")
    kubectl("-n", namespace, "patch", "cm", "held", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    assert waiter.wait(timeout=40) == 0, "\n".join(log.snapshot())
    assert "configmap/held condition met" in waiter.stdout.read()
    assert kubectl("-n", namespace, "get", "cm", "held", check=False).returncode == 1


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
    # The deployment controller makes two pods; the scheduler binds them to the simulated node, whose kubelet runs them.
    wait_for(lambda: cluster.kubectl("-n", namespace, "get", "deploy", "--no-headers").stdout.split()[:4] == ["web", "2/2", "2", "2"],
             message="two available replicas")
    wide = cluster.kubectl("-n", namespace, "get", "deploy", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[-3:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    assert wide[1].split()[-3:] == ["nginx", "nginx:1.27", "app=web"]
    deleted = cluster.kubectl("-n", namespace, "delete", "-f", str(manifest)).stdout
    assert 'configmap "from-file" deleted' in deleted
    assert cluster.kubectl("-n", namespace, "get", "cm,secret,deploy", "-o", "name").stdout.split() == ["configmap/" + ROOT_CA_CONFIGMAP]


def test_generators_scale_and_get_all(cluster, namespace):
    assert kubectl("-n", namespace, "create", "deployment", "web", "--image=nginx").stdout.strip() == "deployment.apps/web created"
    table = kubectl("-n", namespace, "get", "deploy").stdout.splitlines()
    assert table[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    wait_for(lambda: kubectl("-n", namespace, "get", "deploy", "--no-headers").stdout.split()[:4] == ["web", "1/1", "1", "1"],
             message="one available replica")
    kubectl("-n", namespace, "create", "service", "clusterip", "web", "--tcp=80:8080")
    kubectl("-n", namespace, "create", "job", "once", "--image=busybox")
    kubectl("-n", namespace, "create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *")
    kubectl("-n", namespace, "create", "secret", "generic", "s", "--from-literal=k=v")
    assert kubectl("-n", namespace, "scale", "deployment", "web", "--replicas=3").stdout.strip() == "deployment.apps/web scaled"
    replicas = kubectl("-n", namespace, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.metadata.generation}").stdout
    assert replicas == "3 2"
    wait_for(lambda: kubectl("-n", namespace, "get", "deploy", "web", "--no-headers").stdout.split()[:4] == ["web", "3/3", "3", "3"],
             message="three available replicas")
    service = json.loads(kubectl("-n", namespace, "get", "svc", "web", "-o", "json").stdout)
    assert service["spec"]["clusterIP"].startswith("10.") and service["spec"]["clusterIP"] != "10.96.0.1"
    assert service["spec"]["ports"][0]["targetPort"] == 8080
    everything = kubectl("-n", namespace, "get", "all", "-o", "name").stdout.split()
    workloads = [name for name in everything if not name.startswith(("pod/", "replicaset.apps/"))]
    assert sorted(workloads) == ["cronjob.batch/tick", "deployment.apps/web", "job.batch/once", "service/web"]
    [replica_set] = [name for name in everything if name.startswith("replicaset.apps/web-")]
    assert len([name for name in everything if name.startswith("pod/" + replica_set.split("/")[1] + "-")]) == 3
    blocks = {}
    for block in kubectl("-n", namespace, "get", "all").stdout.strip().split("\n\n"):
        lines = block.splitlines()
        blocks[lines[1].split()[0].split("/")[0]] = ([lines[0].split()] + [line.split() for line in lines[1:]])
    assert sorted(blocks) == ["cronjob.batch", "deployment.apps", "job.batch", "pod", "replicaset.apps", "service"]
    assert blocks["deployment.apps"][0] == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert blocks["deployment.apps"][1][:4] == ["deployment.apps/web", "3/3", "3", "3"]
    assert blocks["service"][0] == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert blocks["service"][1][:5] == ["service/web", "ClusterIP", service["spec"]["clusterIP"], "<none>", "80/TCP"]
    assert blocks["job.batch"][0] == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert blocks["job.batch"][1][:3] == ["job.batch/once", "Running", "0/1"]
    assert blocks["cronjob.batch"][0] == ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST", "SCHEDULE", "AGE"]
    assert blocks["cronjob.batch"][1][:8] == ["cronjob.batch/tick", "*/5", "*", "*", "*", "*", "<none>", "False"]
    secret = json.loads(kubectl("-n", namespace, "get", "secret", "s", "-o", "json").stdout)
    assert secret["type"] == "Opaque" and secret["data"] == {"k": "dg=="}
    # Short names and several kinds at once.
    short = kubectl("-n", namespace, "get", "po,svc,cm,sa,deploy,rs,sts,ds,cj,ev,pvc,ep", "-o", "name").stdout.split()
    assert {"service/web", "deployment.apps/web", "cronjob.batch/tick"} <= set(short)
    assert kubectl("get", "no", "-o", "name").returncode == 0


def test_pods_table_columns(cluster, namespace):
    cluster.kubectl("-n", namespace, "run", "nginx", "--image=nginx")
    table = cluster.kubectl("-n", namespace, "get", "pods").stdout.splitlines()
    assert table[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert table[1].split()[0] == "nginx"
    # The scheduler binds it to the simulated node, whose kubelet runs it.
    wait_for(lambda: cluster.kubectl("-n", namespace, "get", "pods", "--no-headers").stdout.split()[:4] == ["nginx", "1/1", "Running", "0"],
             message="nginx running")
    wide = cluster.kubectl("-n", namespace, "get", "pods", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[5:] == ["IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
    assert wide[1].split()[5:7] == [json.loads(cluster.kubectl("-n", namespace, "get", "pod", "nginx", "-o", "json").stdout)["status"]["podIP"],
                                    "skiff-node-0"]
    pod = json.loads(cluster.kubectl("-n", namespace, "get", "pod", "nginx", "-o", "json").stdout)
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert pod["spec"]["restartPolicy"] == "Always"
    assert pod["status"]["phase"] == "Running"
    # Deleted gracefully: the kubelet stops the containers, then removes the pod.
    cluster.kubectl("-n", namespace, "delete", "pod", "nginx", "--wait=true", "--timeout=20s")


def test_dry_run_and_invalid_objects(cluster, namespace, tmp_path):
    dry = yaml.safe_load(kubectl("-n", namespace, "create", "configmap", "dry", "--from-literal=a=1", "--dry-run=server", "-o", "yaml").stdout)
    assert dry["kind"] == "ConfigMap" and dry["metadata"]["name"] == "dry" and dry["data"] == {"a": "1"}
    assert dry["metadata"]["uid"] and dry["metadata"]["creationTimestamp"], "server-side defaults are filled in"
    assert "resourceVersion" not in dry["metadata"] or dry["metadata"]["resourceVersion"] == ""
    gone = kubectl("-n", namespace, "get", "cm", "dry", check=False)
    assert gone.returncode == 1 and "NotFound" in gone.stderr, "a dry run must not persist"
    invalid_dry = kubectl("-n", namespace, "create", "configmap", "Bad_Name", "--dry-run=server", check=False)
    assert invalid_dry.returncode != 0 and "is invalid" in invalid_dry.stderr
    invalid = kubectl("-n", namespace, "create", "configmap", "Bad_Name", check=False)
    assert invalid.returncode != 0
    assert 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"' in invalid.stderr
    manifest = tmp_path / "bad.yaml"
    manifest.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n"
                        "  template:\n    metadata: {labels: {app: other}}\n    spec: {containers: [{name: c, image: nginx}]}\n")
    bad_template = kubectl("-n", namespace, "create", "-f", str(manifest), check=False)
    assert bad_template.returncode != 0
    assert 'The Deployment "web" is invalid' in bad_template.stderr
    assert "spec.template.metadata.labels" in bad_template.stderr
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
    # Duplicate fields (kubectl drops them while reading a manifest, so this is sent raw): rejected
    # when strict, reported otherwise, and JSON keeps the last value.
    url = "%s/api/v1/namespaces/%s/configmaps" % (cluster.server, namespace)
    body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1","a":"2"}}'
    strict = cluster.requests_session().post(url + "?fieldValidation=Strict", data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert strict.status_code == 400 and strict.json()["reason"] == "BadRequest"
    assert 'strict decoding error: duplicate field "data.a"' in strict.json()["message"], strict.json()
    warned = cluster.requests_session().post(url + "?fieldValidation=Warn", data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert warned.status_code == 201 and warned.headers["Warning"] == '299 - "duplicate field \\"data.a\\""', warned.headers
    assert json.loads(cluster.kubectl("-n", namespace, "get", "cm", "dup", "-o", "json").stdout)["data"] == {"a": "2"}
    # A value of the wrong type is a decoding error, with Go's message, and nothing is stored.
    mistyped = tmp_path / "mistyped.json"
    mistyped.write_text(json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "mistyped"},
                                    "spec": {"replicas": "two", "selector": {"matchLabels": {"a": "b"}},
                                             "template": {"metadata": {"labels": {"a": "b"}},
                                                          "spec": {"containers": [{"name": "c", "image": "i"}]}}}}))
    failed = cluster.kubectl("-n", namespace, "create", "-f", str(mistyped), check=False)
    assert failed.returncode != 0
    assert ('Error from server (BadRequest): error when creating "%s": Deployment in version "v1" cannot be handled as a Deployment: '
            'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32' % mistyped) in failed.stderr, failed.stderr
    assert cluster.kubectl("-n", namespace, "get", "deploy", "mistyped", check=False).returncode != 0


def test_custom_resource_definitions(cluster, tmp_path):
    manifest = tmp_path / "crd.yaml"
    manifest.write_text("""
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.e2e.example.com}
spec:
  group: e2e.example.com
  names: {kind: Gadget, plural: gadgets, singular: gadget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
""")
    created = kubectl("create", "-f", str(manifest)).stdout.strip()
    assert created == "customresourcedefinition.apiextensions.k8s.io/gadgets.e2e.example.com created"
    table = kubectl("get", "crd", "gadgets.e2e.example.com").stdout.splitlines()
    assert table[0].split() == ["NAME", "CREATED", "AT"]
    assert table[1].split()[0] == "gadgets.e2e.example.com"
    stored = json.loads(kubectl("get", "crds", "gadgets.e2e.example.com", "-o", "json").stdout)
    assert stored["spec"]["names"]["kind"] == "Gadget" and stored["spec"]["scope"] == "Namespaced"
    assert 'customresourcedefinition.apiextensions.k8s.io "gadgets.e2e.example.com" deleted' in kubectl("delete", "-f", str(manifest)).stdout
    wait_for(lambda: kubectl("get", "crd", "gadgets.e2e.example.com", check=False).returncode != 0, message="the CRD to go")


def managed(cluster, namespace, kind, name):
    """The object's managedFields entries by (manager, operation, subresource)."""
    obj = json.loads(cluster.kubectl("-n", namespace, "get", kind, name, "-o", "json", "--show-managed-fields").stdout)
    return obj, {(e["manager"], e["operation"], e.get("subresource")): e["fieldsV1"] for e in obj["metadata"]["managedFields"]}


def test_server_side_apply_conflicts_force_and_removal(cluster, namespace, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text("""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
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
    apply = ("-n", namespace, "apply", "--server-side", "-f", str(manifest))
    assert "deployment.apps/web serverside-applied" in cluster.kubectl(*apply).stdout
    obj, entries = managed(cluster, namespace, "deploy", "web")
    containers = entries[("kubectl", "Apply", None)]["f:spec"]["f:template"]["f:spec"]["f:containers"]
    assert set(containers) == {'k:{"name":"nginx"}', 'k:{"name":"side"}'}
    assert obj["spec"]["strategy"]["type"] == "RollingUpdate", "defaults are filled in"
    assert "f:strategy" not in entries[("kubectl", "Apply", None)]["f:spec"], "defaults are not owned by the applier"

    # Another manager changes a field the applier owns: applying the old value conflicts.
    cluster.kubectl("-n", namespace, "scale", "deploy", "web", "--replicas=5")
    conflict = cluster.kubectl(*apply, check=False)
    assert conflict.returncode != 0
    assert ('Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas'
            in conflict.stderr), conflict.stderr
    assert json.loads(cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o", "json").stdout)["spec"]["replicas"] == 5, \
        "nothing is written on a conflict"
    cluster.kubectl(*apply, "--force-conflicts")
    obj, entries = managed(cluster, namespace, "deploy", "web")
    assert obj["spec"]["replicas"] == 2
    assert ("kubectl", "Update", "scale") not in entries, "forcing took the only field the scaler owned"

    # A container the applier stops applying (and nobody else owns) is removed; the others stay.
    manifest.write_text(manifest.read_text().replace("      - {name: side, image: busybox}\n", "").replace("1.27", "1.28"))
    cluster.kubectl(*apply)
    images = cluster.kubectl("-n", namespace, "get", "deploy", "web", "-o",
                             "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}").stdout.split()
    assert images == ["nginx=nginx:1.28"]


def test_server_side_apply_of_an_empty_map_then_entries_keeps_them(cluster, namespace, tmp_path):
    # Found by a third-party suite: the map applied empty was removed with its new entries.
    manifest = tmp_path / "cm.yaml"
    apply = ("-n", namespace, "apply", "--server-side", "--field-manager=suite", "-f", str(manifest))
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: grows}\ndata: {}\n")
    cluster.kubectl(*apply)
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: grows}\ndata: {b: \"2\"}\n")
    cluster.kubectl(*apply)
    obj, entries = managed(cluster, namespace, "cm", "grows")
    assert obj.get("data") == {"b": "2"}
    assert entries[("suite", "Apply", None)] == {"f:data": {"f:b": {}}}


def test_managed_fields_record_updates_and_apply_needs_a_manager(cluster, namespace):
    cluster.kubectl("-n", namespace, "create", "configmap", "cfg", "--from-literal=a=1")
    cluster.kubectl("-n", namespace, "label", "configmap", "cfg", "team=x")
    _, entries = managed(cluster, namespace, "cm", "cfg")
    assert entries[("kubectl-create", "Update", None)] == {"f:data": {".": {}, "f:a": {}}}
    assert entries[("kubectl-label", "Update", None)] == {"f:metadata": {"f:labels": {".": {}, "f:team": {}}}}
    # Apply without a field manager is invalid, as upstream.
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "2"}})
    response = cluster.requests_session().patch("%s/api/v1/namespaces/%s/configmaps/cfg" % (cluster.server, namespace), data=body, timeout=30,
                              headers={"Content-Type": "application/apply-patch+yaml"})
    status = response.json()
    assert response.status_code == 422 and status["reason"] == "Invalid", status
    assert "fieldManager: Required value: is required for apply patch" in status["message"], status
    assert json.loads(cluster.kubectl("-n", namespace, "get", "cm", "cfg", "-o", "json").stdout)["data"] == {"a": "1"}


def test_edit_goes_through_strategic_merge_and_records_its_manager(cluster, namespace):
    cluster.kubectl("-n", namespace, "create", "deployment", "edited", "--image=nginx:1.27")
    editor = {"KUBE_EDITOR": "sed -i s/nginx:1.27/nginx:1.28/"}
    result = subprocess.run([KUBECTL, "-n", namespace, "edit", "deployment", "edited"], capture_output=True, text=True,
                            env=dict(os.environ, KUBECONFIG=cluster.kubeconfig, **editor), timeout=60)
    assert result.returncode == 0 and "deployment.apps/edited edited" in result.stdout, result.stderr
    obj, entries = managed(cluster, namespace, "deploy", "edited")
    assert obj["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    edit = entries[("kubectl-edit", "Update", None)]
    assert edit["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}'] == {"f:image": {}}
    create = entries[("kubectl-create", "Update", None)]
    assert "f:image" not in create["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}'], \
        "the edit took the image from its creator"


def test_yaml_bodies_for_create_and_apply(cluster, namespace):
    base = "%s/api/v1/namespaces/%s/configmaps" % (cluster.server, namespace)
    created = cluster.requests_session().post(base, data="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata:\n  port: \"80\"\n  on: 'yes'\n",
                            headers={"Content-Type": "application/yaml"}, timeout=30)
    assert created.status_code == 201, created.text
    assert created.json()["data"] == {"port": "80", "on": "yes"}
    # The creator (the user agent, python-requests) owns data.port: taking it over needs force.
    applied = cluster.requests_session().patch(base + "/yaml?fieldManager=curl&force=true",
                             data="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata:\n  port: \"8080\"\n",
                             headers={"Content-Type": "application/apply-patch+yaml"}, timeout=30)
    assert applied.status_code == 200, applied.text
    assert applied.json()["data"]["port"] == "8080"
    managers = {entry["manager"] for entry in applied.json()["metadata"]["managedFields"]}
    assert "curl" in managers
    bad = cluster.requests_session().post(base, data="metadata: [unclosed", headers={"Content-Type": "application/yaml"}, timeout=30)
    assert bad.status_code == 400 and bad.json()["reason"] == "BadRequest"
