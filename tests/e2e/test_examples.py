"""The Examples/ package (client-go's examples, the namespace-controller walkthrough, the API
option snippets) run against a `skiff up` of this module's own, whose namespace controller is off
so the walkthrough controller is the one finalizing namespaces; the server logs requests (-v 3)."""
import base64
import os
import re
import signal
import subprocess
import tempfile
import shutil
import uuid

import pytest

from conftest import Cluster, LineReader, wait_for
from examples_build import example

RUN_TIMEOUT = 120


@pytest.fixture(scope="module")
def examples_cluster():
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-examples-")
    running = Cluster(data_dir, extra_args=["--controllers", "*,-namespace-controller", "-v", "3"]).start()
    yield running
    code = running.stop()
    assert code == 0, "skiff did not shut down cleanly:\n%s" % running.log_tail()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def ns(examples_cluster):
    name = "ex-" + uuid.uuid4().hex[:8]
    examples_cluster.create_namespace(name)
    return name


def run(cluster, name, *args, env=None, subcommand=None):
    """Runs an example (one of its subcommands) to its end with the cluster's kubeconfig; returns (stdout, stderr)."""
    command = [example(name)] + ([subcommand] if subcommand else []) + ["--kubeconfig", cluster.kubeconfig]
    result = subprocess.run(command + list(args), capture_output=True,
                            text=True, timeout=RUN_TIMEOUT, env=dict(os.environ, **(env or {})))
    assert result.returncode == 0, "%s failed (exit %d):\nstdout: %s\nstderr: %s" % (
        name, result.returncode, result.stdout, result.stderr)
    return result.stdout, result.stderr


def start(cluster, name, *args):
    """Starts a long-running example; returns its process and a reader of its output lines."""
    process = subprocess.Popen([example(name), "--kubeconfig", cluster.kubeconfig] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, LineReader(process)


def stop(process, reader):
    """SIGTERM, as Ctrl-C: the example must stop cleanly."""
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=30)
    stderr = reader.close()
    assert code == 0, "exit %s; stderr: %s" % (code, stderr)


def pod_yaml(name):
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec: {containers: [{name: c, image: nginx}]}\n" % name


def test_out_of_cluster_client(examples_cluster, ns):
    examples_cluster.kubectl("apply", "-n", ns, "-f", "-", input=pod_yaml("a"))
    stdout, _ = run(examples_cluster, "out-of-cluster-client", "--namespace", ns, "--pod", "a")
    count = len(examples_cluster.kubectl("get", "pods", "-A", "-o", "name").stdout.split())
    lines = stdout.splitlines()
    assert re.fullmatch(r"There are (\d+) pods in the cluster", lines[0]) and int(lines[0].split()[2]) <= count
    assert lines[1] == "Found pod a in namespace %s" % ns
    stdout, _ = run(examples_cluster, "out-of-cluster-client")
    assert stdout.splitlines()[1] == "Pod example-xxxxx in namespace default not found"


def test_client_request_log_like_kubectl(examples_cluster):
    _, stderr = run(examples_cluster, "out-of-cluster-client", "-v", "6")
    assert re.search(r"\] GET http\S+/api/v1/pods 200 OK in \d+ milliseconds$", stderr, re.M), stderr
    assert re.search(r"\] GET http\S+/api/v1/namespaces/default/pods/example-xxxxx 404 Not Found in \d+ milliseconds$",
                     stderr, re.M), stderr
    _, stderr = run(examples_cluster, "out-of-cluster-client", env={"SKIFF_CLIENT_VERBOSITY": "8"})
    for line in ["] Request Headers:", "]     User-Agent: ", "] Response Status: 200 OK in ", "] Response Headers:",
                 "] Response Body: {"]:
        assert line in stderr, stderr
    assert '] Response Body: {"kind":"PodList","apiVersion":"v1","metadata":{' in stderr, stderr  # Go's field order
    # The server's own request log at -v 3.
    with open(examples_cluster.log_path, errors="replace") as log:
        assert re.search(r'"HTTP" verb="LIST" URI="/api/v1/pods" latency="[^"]+" userAgent="[^"]*" resp=200', log.read())


def test_in_cluster_client_with_a_token_file(examples_cluster, ns):
    kubeconfig = open(examples_cluster.kubeconfig).read()
    server = re.search(r"server:\s*\"?(\S+?)\"?\s*$", kubeconfig, re.M).group(1)
    ca = re.search(r"certificate-authority-data:\s*(\S+)", kubeconfig)
    if not server.startswith("https://") or not ca:
        pytest.skip("the in-cluster configuration needs HTTPS and a CA; the server is %s" % server)
    # As upstream's example asks: the pod's service account may read pods across the cluster (view).
    wait_for(lambda: examples_cluster.kubectl("get", "serviceaccount", "default", "-n", ns, check=False).returncode == 0,
             timeout=30, message="the namespace's default service account")
    examples_cluster.kubectl("create", "clusterrolebinding", "%s-default-view" % ns, "--clusterrole=view",
                             "--serviceaccount=%s:default" % ns)
    wait_for(lambda: examples_cluster.kubectl("auth", "can-i", "list", "pods", "--all-namespaces",
                                              "--as=system:serviceaccount:%s:default" % ns, check=False).stdout.strip() == "yes",
             message="the binding to be seen")
    token = examples_cluster.kubectl("create", "token", "default", "-n", ns)
    directory = tempfile.mkdtemp(prefix="skiff-sa-")
    try:
        for name, content in [("token", token.stdout.strip()), ("ca.crt", base64.b64decode(ca.group(1)).decode()),
                              ("namespace", ns)]:
            with open(os.path.join(directory, name), "w") as out:
                out.write(content)
        host, port = re.match(r"https://\[?([^\]]+?)\]?:(\d+)", server).groups()
        result = subprocess.run([example("in-cluster-client"), "--service-account-dir", directory], capture_output=True,
                                text=True, timeout=RUN_TIMEOUT,
                                env=dict(os.environ, KUBERNETES_SERVICE_HOST=host, KUBERNETES_SERVICE_PORT=port))
        assert result.returncode == 0, result.stderr
        assert "pods in namespace %s" % ns in result.stdout
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        examples_cluster.kubectl("delete", "clusterrolebinding", "%s-default-view" % ns, check=False)


def test_create_update_delete_deployment_retries_one_conflict(examples_cluster, ns):
    stdout, _ = run(examples_cluster, "create-update-delete-deployment", "--namespace", ns)
    lines = stdout.splitlines()
    assert lines[:2] == ["Creating deployment...", 'Created deployment "demo-deployment".']
    # The example's own stale write conflicts once, so the update takes at least two attempts;
    # the deployment controller, writing the same object meanwhile (its revision annotation, its
    # status), may cause more conflicts, each reported and retried.
    conflicts = [line for line in lines if line.startswith("Update failed with 409 Conflict")]
    updated = [re.fullmatch(r"Updated deployment \(resourceVersion \d+, (\d+) attempts\)\.", line) for line in lines]
    attempts = [int(match.group(1)) for match in updated if match]
    assert len(attempts) == 1 and attempts[0] >= 2 and attempts[0] >= len(conflicts) + 1, stdout
    assert " * demo-deployment (1 replicas)" in lines
    assert lines[-2:] == ["Deleting deployment...", "Deleted deployment."]
    wait_for(lambda: not examples_cluster.kubectl("get", "deployments", "-n", ns, "-o", "name").stdout.strip(),
             timeout=60, message="the deployment gone (foreground deletion)")


def test_dynamic_create_update_delete_deployment(examples_cluster, ns):
    stdout, _ = run(examples_cluster, "dynamic-create-update-delete-deployment", "--namespace", ns)
    assert stdout.splitlines() == [
        "Creating deployment...", 'Created deployment "demo-deployment".', "Updating deployment...",
        "Updated deployment...", 'Listing deployments in namespace "%s":' % ns, " * demo-deployment (1 replicas)",
        "Deleting deployment...", "Deleted deployment."]


def test_leader_election_fails_over_when_the_leader_stops(examples_cluster, ns):
    lease = "example-" + uuid.uuid4().hex[:6]
    contenders = {}
    for identity in ["one", "two"]:
        contenders[identity] = start(examples_cluster, "leader-election", "--id", identity, "--lease-lock-name", lease,
                                     "--lease-lock-namespace", ns)
    try:
        def leader():
            for identity, (_, reader) in contenders.items():
                if "%s: Controller loop..." % identity in reader.snapshot():
                    return identity
            return None
        first = wait_for(leader, timeout=60, message="a leader")
        second = "two" if first == "one" else "one"
        process, reader = contenders.pop(first)
        stop(process, reader)
        assert "leader lost: %s" % first in reader.snapshot()
        _, other = contenders[second]
        other.wait_for(lambda lines: "%s: Controller loop..." % second in lines, timeout=30,
                       message="the other contender leading")
    finally:
        for process, reader in contenders.values():
            stop(process, reader)


def test_workqueue_prints_pod_changes(examples_cluster, ns):
    process, reader = start(examples_cluster, "workqueue", "--namespace", ns)
    try:
        reader.wait_for(lambda lines: "Starting Pod controller" in lines, timeout=60, message="the controller started")
        examples_cluster.kubectl("apply", "-n", ns, "-f", "-", input=pod_yaml("watched"))
        reader.wait_for(lambda lines: "Sync/Add/Update for Pod watched" in lines, message="the pod synced")
        examples_cluster.kubectl("delete", "pod", "watched", "-n", ns, "--grace-period=0", "--force")
        reader.wait_for(lambda lines: "Pod %s/watched does not exist anymore" % ns in lines, message="the deletion")
    finally:
        stop(process, reader)


def test_namespace_controller_walkthrough_finalizes_a_namespace(examples_cluster):
    name = "ex-doomed-" + uuid.uuid4().hex[:6]
    examples_cluster.create_namespace(name)
    examples_cluster.kubectl("create", "configmap", "settings", "-n", name, "--from-literal=a=b")
    examples_cluster.kubectl("create", "secret", "generic", "password", "-n", name, "--from-literal=p=q")
    process, reader = start(examples_cluster, "namespace-controller")
    try:
        reader.wait_for(lambda lines: "Starting namespace controller" in lines, timeout=60, message="the controller started")
        examples_cluster.kubectl("delete", "namespace", name, "--wait=false")
        reader.wait_for(lambda lines: "Namespace %s: content deleted, finalizer removed" % name in lines, timeout=60,
                        message="the namespace finalized")
        assert "Namespace %s: deleting configmaps" % name in reader.snapshot()
        wait_for(lambda: examples_cluster.kubectl("get", "namespace", name, check=False).returncode != 0,
                 message="the namespace gone")
    finally:
        stop(process, reader)


def test_api_option_snippets(examples_cluster, ns):
    def snippet(name):
        return run(examples_cluster, "api-options", "--namespace", ns, subcommand=name)[0].splitlines()

    lines = snippet("resource-version")
    assert any(re.fullmatch(r"resourceVersion=\d+ resourceVersionMatch=Exact: snippet-rv-a", line) for line in lines), lines
    assert "resourceVersion unset (latest): snippet-rv-a, snippet-rv-b" in lines

    lines = snippet("pagination")
    assert [line.split(":")[1].split(" (")[0].strip() for line in lines] == [
        "snippet-page-1, snippet-page-2", "snippet-page-3, snippet-page-4", "snippet-page-5"]

    lines = snippet("selectors")
    assert lines == [
        "labelSelector tier=front: snippet-sel-front",
        "labelSelector tier!=front: snippet-sel-back, snippet-sel-cache",
        "labelSelector tier in (front,back): snippet-sel-back, snippet-sel-front",
        "labelSelector tier notin (front): snippet-sel-back, snippet-sel-cache",
        "labelSelector legacy: snippet-sel-cache",
        "labelSelector !legacy: snippet-sel-back, snippet-sel-front",
        "fieldSelector metadata.name=snippet-sel-back: snippet-sel-back"]

    lines = snippet("watch")
    events = [line.split()[0] + " " + line.split()[2] for line in lines if line.split()[0] in ("ADDED", "MODIFIED", "DELETED")]
    assert events == ["ADDED value=1", "MODIFIED value=2", "DELETED value=2"], lines

    lines = snippet("conflict")
    assert lines[0].startswith("stale update: 409 Conflict: ")
    assert lines[1].startswith("retried update: value=mine")

    lines = snippet("patch")
    assert lines[0] == "json patch: json=added,value=1"
    assert lines[1] == "merge patch: merge=merged,value=1"
    assert lines[2] == "strategic merge patch: labels patched=strategic,snippet=patch"
    assert lines[3].startswith("apply: applied=yes,merge=merged,value=1; managers ")

    lines = snippet("delete")
    assert lines[0] == "precondition uid=not-the-uid: 409 Conflict"
    assert "Orphan: owner deleted, dependent kept" in lines
    assert "Background: owner deleted, dependent deleted" in lines
    assert "Foreground: owner deleted, dependent deleted" in lines


def test_trainingjob_operator_runs_scales_and_cleans_up(examples_cluster, ns):
    """The seed's operator (Examples/Sources/trainingjob-operator, on the SkiffOperator SDK): its
    generated CRD is applied with kubectl, a TrainingJob gets its worker pods and headless Service,
    trains to Succeeded with conditions, scales through the scale subresource, and is cleaned up
    behind its finalizer."""
    import json
    cluster = examples_cluster
    crd, _ = run(cluster, "trainingjob-operator", "--print-crd")
    assert "openAPIV3Schema" in crd and "x-kubernetes-preserve-unknown-fields" not in crd.split("openAPIV3Schema")[0]
    cluster.kubectl("apply", "-f", "-", input=crd)
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/trainingjobs.ml.example.com")
    process, reader = start(cluster, "trainingjob-operator", "--namespace", ns)
    try:
        reader.wait_for(lambda lines: "trainingjob-operator running" in lines, message="the operator started")

        def job(name):
            result = cluster.kubectl("get", "trainingjob", name, "-n", ns, "-o", "json", check=False)
            return json.loads(result.stdout) if result.returncode == 0 else None

        def workers(name):
            pods = json.loads(cluster.kubectl("get", "pods", "-n", ns, "-l", "ml.example.com/trainingjob=" + name, "-o", "json").stdout)
            return sorted(p["metadata"]["name"] for p in pods["items"] if not p["metadata"].get("deletionTimestamp"))

        manifest = ("apiVersion: ml.example.com/v1\nkind: TrainingJob\nmetadata:\n  name: %s\n"
                    "spec:\n  image: trainer:1\n  workers: %d\n  epochs: %d\n  epochSeconds: 1\n")
        cluster.kubectl("apply", "-n", ns, "-f", "-", input=manifest % ("mnist", 2, 2))
        wait_for(lambda: (job("mnist") or {}).get("status", {}).get("phase") == "Succeeded", timeout=RUN_TIMEOUT,
                 message="mnist trained")
        done = job("mnist")
        assert done["status"]["epochsCompleted"] == 2 and done["status"]["workers"] == 2 and done["status"]["readyWorkers"] == 2
        conditions = {c["type"]: c for c in done["status"]["conditions"]}
        assert conditions["Complete"]["status"] == "True" and conditions["Complete"]["reason"] == "TrainingSucceeded"
        assert conditions["Complete"]["observedGeneration"] == 1 and conditions["WorkersReady"]["status"] == "True"
        assert done["metadata"]["finalizers"] == ["ml.example.com/cleanup"]
        assert workers("mnist") == ["mnist-worker-0", "mnist-worker-1"]
        pod = json.loads(cluster.kubectl("get", "pod", "mnist-worker-1", "-n", ns, "-o", "json").stdout)
        env = {e["name"]: e.get("value") for e in pod["spec"]["containers"][0]["env"]}
        assert env["RANK"] == "1" and env["WORLD_SIZE"] == "2" and env["MASTER_ADDR"] == "mnist-worker-0.mnist"
        assert pod["metadata"]["ownerReferences"][0]["kind"] == "TrainingJob" and pod["metadata"]["ownerReferences"][0]["controller"]
        service = json.loads(cluster.kubectl("get", "service", "mnist", "-n", ns, "-o", "json").stdout)
        assert service["spec"]["clusterIP"] == "None"
        table = cluster.kubectl("get", "tj", "mnist", "-n", ns).stdout
        assert table.split("\n")[0].split() == ["NAME", "WORKERS", "READY", "EPOCH", "PHASE", "AGE"], table
        assert table.split("\n")[1].split()[:5] == ["mnist", "2", "2", "2", "Succeeded"], table

        # A long run scales up and down through the scale subresource.
        cluster.kubectl("apply", "-n", ns, "-f", "-", input=manifest % ("big", 1, 1000))
        wait_for(lambda: (job("big") or {}).get("status", {}).get("phase") == "Running", timeout=RUN_TIMEOUT, message="big running")
        cluster.kubectl("scale", "trainingjob", "big", "-n", ns, "--replicas=3")
        wait_for(lambda: workers("big") == ["big-worker-0", "big-worker-1", "big-worker-2"]
                 and (job("big") or {}).get("status", {}).get("readyWorkers") == 3, timeout=RUN_TIMEOUT, message="scaled to 3")
        scale = json.loads(cluster.kubectl("get", "--raw", "/apis/ml.example.com/v1/namespaces/%s/trainingjobs/big/scale" % ns).stdout)
        assert scale["spec"]["replicas"] == 3 and scale["status"]["selector"] == "ml.example.com/trainingjob=big"
        cluster.kubectl("scale", "trainingjob", "big", "-n", ns, "--replicas=1")
        wait_for(lambda: workers("big") == ["big-worker-0"], timeout=RUN_TIMEOUT, message="scaled to 1")

        wait_for(lambda: (lambda events: "CreatedWorker" in events and "Completed" in events)(
            cluster.kubectl("get", "events", "-n", ns).stdout), message="the operator's events")

        # Deleting waits for the operator's cleanup (its finalizer), which removes workers and Service.
        cluster.kubectl("delete", "trainingjob", "mnist", "big", "-n", ns, "--timeout=60s")
        assert job("mnist") is None and job("big") is None
        wait_for(lambda: workers("mnist") == [] and workers("big") == [], timeout=RUN_TIMEOUT, message="workers removed")
        assert cluster.kubectl("get", "service", "mnist", "-n", ns, check=False).returncode != 0
    finally:
        stop(process, reader)
        cluster.kubectl("delete", "crd", "trainingjobs.ml.example.com", "--timeout=60s", check=False)


def test_scaffolded_operator_builds_and_reconciles(examples_cluster, ns):
    """`skiff operator init` and `create api` make a package that builds against this checkout and
    reconciles against `skiff up` out of the box. The package lives under .build-operator-scaffold/
    (git-ignored); it is built in the Examples' build directory, whose Skiff libraries and
    dependencies are the same, so only the operator's own files compile."""
    import json
    from conftest import REPO, SKIFF
    from examples_build import BUILD_TIMEOUT, examples_bin_dir
    cluster = examples_cluster
    package = os.path.join(REPO, ".build-operator-scaffold", "greeter")
    shutil.rmtree(package, ignore_errors=True)
    for command in (["operator", "init", "greeter", "--directory", package, "--skiff-path", REPO],
                    ["operator", "create", "api", "--directory", package, "--group", "scaffold.example.com", "--version", "v1", "--kind", "Greeting"]):
        subprocess.run([SKIFF] + command, check=True, capture_output=True, text=True, timeout=60)
    scratch = os.path.dirname(os.path.dirname(examples_bin_dir()))  # Examples/.build/<triple>/debug → Examples/.build
    subprocess.run(["swift", "build", "--package-path", package, "--scratch-path", scratch], check=True, timeout=BUILD_TIMEOUT)
    binary = os.path.join(scratch, "debug", "greeter")
    crd = subprocess.run([binary, "--print-crd"], check=True, capture_output=True, text=True, timeout=60).stdout
    cluster.kubectl("apply", "-f", "-", input=crd)
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/greetings.scaffold.example.com")
    process = subprocess.Popen([binary, "--kubeconfig", cluster.kubeconfig, "--namespace", ns],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reader = LineReader(process)
    try:
        reader.wait_for(lambda lines: "greeter running" in lines, message="the scaffolded operator started")
        cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps({
            "apiVersion": "scaffold.example.com/v1", "kind": "Greeting", "metadata": {"name": "hello"}, "spec": {"message": "hi"}}))

        def reconciled():
            greeting = json.loads(cluster.kubectl("get", "greeting", "hello", "-n", ns, "-o", "json").stdout)
            status = greeting.get("status", {})
            ready = [c for c in status.get("conditions", []) if c["type"] == "Ready" and c["status"] == "True"]
            return status.get("observedMessage") == "hi" and ready and ready[0]["observedGeneration"] == 1
        wait_for(reconciled, timeout=RUN_TIMEOUT, message="the Greeting reconciled")
    finally:
        stop(process, reader)
        cluster.kubectl("delete", "crd", "greetings.scaffold.example.com", "--timeout=60s", check=False)
