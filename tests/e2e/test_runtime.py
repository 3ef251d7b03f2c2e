"""End-to-end: the process runtime (runc) behind `skiff up --runtime process`, with images pulled
from a real local registry fed with an image built from Debian's busybox-static.

Needs root and the Debian packages runc, docker-registry, umoci, skopeo, busybox-static (the test
skips, saying which is missing; .ci/run installs them).
"""
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import pytest

from busybox_registry import BUSYBOX, BusyboxRegistry, build_layout
from conftest import SKIFF, Cluster, wait_for

TOOLS = ["runc", "docker-registry", "umoci", "skopeo", "ip", "tar"]
APPLETS = ["sh", "echo", "true", "false", "sleep", "cat", "ls", "id", "env", "touch", "rm", "mkdir", "mv", "httpd", "wget", "nc",
           "tail", "sed", "date"]

missing = [tool for tool in TOOLS if shutil.which(tool) is None]
if not os.path.exists(BUSYBOX) or subprocess.run(["file", BUSYBOX], capture_output=True, text=True).stdout.find("static") < 0:
    missing.append("busybox-static")
pytestmark = [
    pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing)),
    pytest.mark.skipif(os.geteuid() != 0, reason="the process runtime needs root"),
]


def run(*args, **kwargs):
    return subprocess.run(list(args), check=True, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def registry():
    """A docker-registry on a free loopback port holding <host:port>/busybox:latest."""
    local = BusyboxRegistry(APPLETS)
    try:
        yield local.start()
    finally:
        local.stop()


@pytest.fixture(scope="module")
def real_cluster(registry):
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-runtime-")
    running = Cluster(data_dir, extra_args=["--runtime", "process"]).start()
    yield running
    code = running.stop(timeout=30)
    assert code == 0, running.log_tail()
    runc_root = os.path.join(data_dir, "kubelet", "runc")
    leftover = subprocess.run(["runc", "--root", runc_root, "list", "-q"], capture_output=True, text=True).stdout.split()
    assert leftover == [], "runc containers left behind: %s" % leftover
    assert subprocess.run(["pgrep", "-f", runc_root], capture_output=True).returncode == 1, "runc processes left behind"
    with open("/proc/mounts") as mounts:
        assert data_dir not in mounts.read(), "rootfs mounts left behind"
    shutil.rmtree(data_dir, ignore_errors=True)


def pod_json(cluster, namespace, name, path):
    return cluster.kubectl("get", "pod", name, "-n", namespace, "-o", "jsonpath=" + path).stdout


def job_pod(cluster, namespace, job):
    return cluster.kubectl("get", "pods", "-n", namespace, "-l", "job-name=" + job, "-o", "jsonpath={.items[0].metadata.name}").stdout


@pytest.fixture
def ns(real_cluster):
    name = "rt-%d" % int(time.time() * 1000 % 1e9)
    real_cluster.create_namespace(name)
    return name


def test_job_completes_and_logs_through_the_api_server(real_cluster, registry, ns):
    real_cluster.kubectl("create", "job", "once", "-n", ns, "--image=" + registry, "--", "sh", "-c", "echo hello; exit 0")
    real_cluster.kubectl("wait", "-n", ns, "--for=condition=Complete", "job/once", "--timeout=60s")
    assert real_cluster.kubectl("logs", "-n", ns, "job/once").stdout == "hello\n"
    stamped = real_cluster.kubectl("logs", "-n", ns, "job/once", "--timestamps").stdout
    assert stamped.endswith("Z hello\n") and stamped.startswith("20")
    port = real_cluster.kubectl("get", "node", "skiff-node-0", "-o", "jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}").stdout
    assert int(port) > 0


def test_failing_command_reports_exit_code_and_error(real_cluster, registry, ns):
    real_cluster.kubectl("run", "fails", "-n", ns, "--restart=Never", "--image=" + registry, "--", "sh", "-c", "echo oops >&2; exit 1")
    wait_for(lambda: pod_json(real_cluster, ns, "fails", "{.status.phase}") == "Failed", timeout=60, message="the pod to fail")
    terminated = "{.status.containerStatuses[0].state.terminated"
    assert pod_json(real_cluster, ns, "fails", terminated + ".exitCode}") == "1"
    assert pod_json(real_cluster, ns, "fails", terminated + ".reason}") == "Error"
    assert real_cluster.kubectl("logs", "-n", ns, "fails").stdout == "oops\n"


def test_missing_image_backs_off(real_cluster, registry, ns):
    real_cluster.kubectl("run", "nothing", "-n", ns, "--image=" + registry.replace("busybox", "does-not-exist"))
    reasons = set()

    def backing_off():
        reasons.add(pod_json(real_cluster, ns, "nothing", "{.status.containerStatuses[0].state.waiting.reason}"))
        return "ImagePullBackOff" in reasons
    wait_for(backing_off, timeout=60, interval=0.02, message="ImagePullBackOff")
    message = pod_json(real_cluster, ns, "nothing", "{.status.containerStatuses[0].state.waiting.message}")
    assert message == 'Back-off pulling image "%s"' % registry.replace("busybox", "does-not-exist")
    assert pod_json(real_cluster, ns, "nothing", "{.status.phase}") == "Pending"
    assert reasons <= {"", "ErrImagePull", "ImagePullBackOff"}
    # The events upstream's kubelet records for it, each naming the container.
    wanted = {("Normal", "Pulling", 'Pulling image "%s"' % registry.replace("busybox", "does-not-exist")),
              ("Warning", "Failed", "Error: ErrImagePull"), ("Normal", "BackOff", message), ("Warning", "Failed", "Error: ImagePullBackOff")}
    wait_for(lambda: wanted <= set(pod_events(real_cluster, ns, "nothing")), timeout=30, message="the image pull events")
    failed = [m for t, r, m in pod_events(real_cluster, ns, "nothing") if m.startswith("Failed to pull image")]
    assert failed and "not found" in failed[0], pod_events(real_cluster, ns, "nothing")


def test_an_image_for_another_architecture_is_not_pulled(real_cluster, registry, ns):
    work = tempfile.mkdtemp(prefix="skiff-e2e-foreign-")
    try:
        layout = build_layout(work, ["sh"])
        other = "arm64" if os.uname().machine == "x86_64" else "amd64"
        run("umoci", "config", "--image", layout + ":latest", "--architecture", other)
        foreign = registry.replace("busybox", "foreign")
        run("skopeo", "copy", "--dest-tls-verify=false", "oci:%s:latest" % layout, "docker://%s:latest" % foreign)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    real_cluster.kubectl("run", "foreign", "-n", ns, "--restart=Never", "--image=" + foreign, "--", "true")
    wait_for(lambda: any(m.endswith("no match for platform in manifest: not found") for _, r, m in pod_events(real_cluster, ns, "foreign")
                         if r == "Failed"), timeout=60, message="the pull to fail for the platform")
    assert pod_json(real_cluster, ns, "foreign", "{.status.phase}") == "Pending"


def pod_events(cluster, namespace, pod):
    """(type, reason, message) of the events about the pod's container `run`-made pods have (named as the pod)."""
    listed = json.loads(cluster.kubectl("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=" + pod, "-o", "json").stdout)
    return [(e["type"], e["reason"], e["message"]) for e in listed["items"] if e["involvedObject"].get("fieldPath") == "spec.containers{%s}" % pod]


def test_container_events_say_what_the_kubelet_did(real_cluster, registry, ns):
    real_cluster.kubectl("run", "evented", "-n", ns, "--restart=Never", "--image-pull-policy=Always", "--image=" + registry, "--", "echo", "hi")
    wait_for(lambda: pod_json(real_cluster, ns, "evented", "{.status.phase}") == "Succeeded", timeout=60, message="the pod to finish")
    wait_for(lambda: [r for _, r, _ in pod_events(real_cluster, ns, "evented")] == ["Pulling", "Pulled", "Created", "Started"], timeout=30,
             message="Pulling, Pulled, Created, Started in order")
    messages = [m for _, _, m in pod_events(real_cluster, ns, "evented")]
    assert messages[0] == 'Pulling image "%s"' % registry
    assert re.fullmatch(r'Successfully pulled image "%s" in ([0-9.]+m?s) \(\1 including waiting\)\. Image size: [1-9][0-9]* bytes\.' % re.escape(registry),
                        messages[1]), messages[1]
    assert messages[2:] == ["Created container: evented", "Started container evented"]
    described = real_cluster.kubectl("describe", "pod", "evented", "-n", ns).stdout
    assert "Started container evented" in described
    # A present image with IfNotPresent is not pulled again.
    real_cluster.kubectl("run", "cached", "-n", ns, "--restart=Never", "--image-pull-policy=IfNotPresent", "--image=" + registry, "--", "true")
    wait_for(lambda: pod_events(real_cluster, ns, "cached")[:1] == [("Normal", "Pulled", 'Container image "%s" already present on machine' % registry)],
             timeout=60, message="the already-present event")


@pytest.fixture(scope="module")
def private_registry():
    """A second registry that asks for alice's password (htpasswd), holding <host:port>/busybox:latest."""
    if shutil.which("htpasswd") is None:
        pytest.skip("the private registry needs htpasswd (apache2-utils)")
    local = BusyboxRegistry(["sh", "echo"], user="alice", password="s3cret")
    try:
        yield local.start()
    finally:
        local.stop()


def waiting_reason(cluster, namespace, name):
    return pod_json(cluster, namespace, name, "{.status.containerStatuses[0].state.waiting.reason}")


def test_image_pull_secrets_open_a_private_registry(real_cluster, private_registry, ns):
    server = private_registry.split("/")[0]
    # Without credentials, and with a secret that does not exist: the pull fails as upstream's does.
    overrides = '{"spec": {"imagePullSecrets": [{"name": "absent"}]}}'
    real_cluster.kubectl("run", "anonymous", "-n", ns, "--restart=Never", "--image=" + private_registry, "--overrides=" + overrides,
                         "--", "echo", "private")
    wait_for(lambda: waiting_reason(real_cluster, ns, "anonymous") in ("ErrImagePull", "ImagePullBackOff"), timeout=60,
             message="the anonymous pull to fail")
    wait_for(lambda: "no basic auth credentials" in pod_json(real_cluster, ns, "anonymous", "{.status.containerStatuses[0].state.waiting.message}")
             or "no basic auth credentials" in real_cluster.kubectl("get", "events", "-n", ns).stdout, timeout=30,
             message="the registry's refusal in the pod's status or events")
    wait_for(lambda: "Unable to retrieve some image pull secrets (absent); attempting to pull the image may not succeed."
             in real_cluster.kubectl("get", "events", "-n", ns, "--field-selector", "reason=FailedToRetrieveImagePullSecret",
                                     "-o", "jsonpath={.items[*].message}").stdout, timeout=30, message="the FailedToRetrieveImagePullSecret event")
    # A wrong password is refused too; the right one pulls and the pod runs.
    real_cluster.kubectl("create", "secret", "docker-registry", "wrong", "-n", ns, "--docker-server=" + server,
                         "--docker-username=alice", "--docker-password=guess")
    real_cluster.kubectl("create", "secret", "docker-registry", "regcred", "-n", ns, "--docker-server=http://" + server + "/v2/",
                         "--docker-username=alice", "--docker-password=s3cret")
    real_cluster.kubectl("run", "refused", "-n", ns, "--restart=Never", "--image=" + private_registry,
                         "--overrides=" + '{"spec": {"imagePullSecrets": [{"name": "wrong"}]}}', "--", "echo", "private")
    wait_for(lambda: waiting_reason(real_cluster, ns, "refused") in ("ErrImagePull", "ImagePullBackOff"), timeout=60,
             message="the pull with a wrong password to fail")
    real_cluster.kubectl("run", "private", "-n", ns, "--restart=Never", "--image=" + private_registry,
                         "--overrides=" + '{"spec": {"imagePullSecrets": [{"name": "wrong"}, {"name": "regcred"}]}}', "--", "echo", "private")
    wait_for(lambda: pod_json(real_cluster, ns, "private", "{.status.phase}") == "Succeeded", timeout=60, message="the private pod to finish")
    assert real_cluster.kubectl("logs", "-n", ns, "private").stdout == "private\n"
    assert waiting_reason(real_cluster, ns, "refused") in ("ErrImagePull", "ImagePullBackOff")


def test_a_service_accounts_pull_secrets_go_to_its_pods(real_cluster, private_registry, ns):
    server = private_registry.split("/")[0]
    real_cluster.kubectl("create", "secret", "docker-registry", "regcred", "-n", ns, "--docker-server=" + server,
                         "--docker-username=alice", "--docker-password=s3cret")
    real_cluster.kubectl("create", "serviceaccount", "puller", "-n", ns)
    real_cluster.kubectl("patch", "serviceaccount", "puller", "-n", ns, "-p", '{"imagePullSecrets": [{"name": "regcred"}]}')
    overrides = '{"spec": {"serviceAccountName": "puller"}}'
    real_cluster.kubectl("run", "via-account", "-n", ns, "--restart=Never", "--image-pull-policy=Always", "--image=" + private_registry,
                         "--overrides=" + overrides, "--", "echo", "via account")
    assert pod_json(real_cluster, ns, "via-account", "{.spec.imagePullSecrets[*].name}") == "regcred"
    wait_for(lambda: pod_json(real_cluster, ns, "via-account", "{.status.phase}") == "Succeeded", timeout=60,
             message="the pod to pull with its account's secret and finish")
    assert real_cluster.kubectl("logs", "-n", ns, "via-account").stdout == "via account\n"


def docker_save_archive(layout, path, tag):
    """A `docker save` archive of the layout's image: manifest.json, the config as <hex>.json, the
    layer uncompressed as <hex>/layer.tar, as docker writes them."""
    with open(os.path.join(layout, "index.json")) as index:
        manifest_digest = json.load(index)["manifests"][0]["digest"]
    blob = lambda digest: os.path.join(layout, "blobs", "sha256", digest.split(":")[1])
    with open(blob(manifest_digest)) as handle:
        manifest = json.load(handle)
    work = tempfile.mkdtemp(prefix="skiff-docker-save-")
    config_hex = manifest["config"]["digest"].split(":")[1]
    shutil.copy(blob(manifest["config"]["digest"]), os.path.join(work, config_hex + ".json"))
    layers = []
    for layer in manifest["layers"]:
        with gzip.open(blob(layer["digest"])) as compressed:
            data = compressed.read()
        name = "%s/layer.tar" % hashlib.sha256(data).hexdigest()
        os.makedirs(os.path.join(work, os.path.dirname(name)))
        with open(os.path.join(work, name), "wb") as out:
            out.write(data)
        layers.append(name)
    with open(os.path.join(work, "manifest.json"), "w") as out:
        json.dump([{"Config": config_hex + ".json", "RepoTags": [tag], "Layers": layers}], out)
    run("tar", "-cf", path, "-C", work, ".")
    shutil.rmtree(work)


def test_images_imported_from_files_run_without_a_registry(real_cluster, ns):
    work = tempfile.mkdtemp(prefix="skiff-e2e-import-")
    try:
        layout = build_layout(work, ["sh", "echo"])
        images = lambda *args: subprocess.run([SKIFF, "images", *args, "--data-dir", real_cluster.data_dir],
                                              capture_output=True, text=True, timeout=120)
        # A layout that names its image only by tag needs a repository.
        refused = images("import", layout)
        assert refused.returncode == 1
        assert 'names its image only by the tag "latest": give the repository with --name' in refused.stderr
        imported = images("import", "--name", "example.invalid/layout", layout)
        assert imported.returncode == 0, imported.stderr
        assert imported.stdout == "imported example.invalid/layout:latest\n"
        archive = os.path.join(work, "saved.tar")
        docker_save_archive(layout, archive, "example.invalid/saved:v1")
        imported = images("import", archive)
        assert imported.returncode == 0, imported.stderr
        assert imported.stdout == "imported example.invalid/saved:v1\n"
        listed = images("list").stdout.splitlines()
        assert listed[0].split() == ["IMAGE", "TAG", "IMAGE", "ID", "SIZE"]
        rows = {tuple(line.split()[:2]) for line in listed[1:]}
        assert {("example.invalid/layout", "latest"), ("example.invalid/saved", "v1")} <= rows
        # example.invalid cannot be reached: the pods start from the imported images.
        for name, image, policy in [("from-layout", "example.invalid/layout", "Never"), ("from-archive", "example.invalid/saved:v1", "IfNotPresent")]:
            real_cluster.kubectl("run", name, "-n", ns, "--restart=Never", "--image=" + image, "--image-pull-policy=" + policy,
                                 "--", "echo", name)
        for name in ["from-layout", "from-archive"]:
            wait_for(lambda: pod_json(real_cluster, ns, name, "{.status.phase}") == "Succeeded", timeout=60,
                     message="%s to run from the imported image" % name)
            assert real_cluster.kubectl("logs", "-n", ns, name).stdout == name + "\n"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_deleting_a_running_pod_stops_its_process(real_cluster, registry, ns):
    real_cluster.kubectl("run", "sleeper", "-n", ns, "--image=" + registry, "--", "sleep", "3600")
    wait_for(lambda: pod_json(real_cluster, ns, "sleeper", "{.status.phase}") == "Running", timeout=60, message="the pod to run")
    container_id = pod_json(real_cluster, ns, "sleeper", "{.status.containerStatuses[0].containerID}").split("://")[1]
    runc_root = os.path.join(real_cluster.data_dir, "kubelet", "runc")
    listed = run("runc", "--root", runc_root, "list", "-q").stdout.split()
    assert container_id in listed
    real_cluster.kubectl("delete", "pod", "sleeper", "-n", ns, "--grace-period=1")
    assert container_id not in run("runc", "--root", runc_root, "list", "-q").stdout.split()
    assert subprocess.run(["pgrep", "-f", container_id], capture_output=True).returncode == 1


def test_real_containers_resource_figures_and_kubectl_top(real_cluster, registry, ns):
    real_cluster.kubectl("run", "idle", "-n", ns, "--restart=Never", "--image=" + registry, "--", "sh", "-c", "sleep 3600")
    real_cluster.kubectl("wait", "-n", ns, "--for=condition=Ready", "pod/idle", "--timeout=60s")
    labels = '{container="idle",namespace="%s",pod="idle"}' % ns

    def sample(name):
        text = real_cluster.kubectl("get", "--raw", "/api/v1/nodes/skiff-node-0/proxy/metrics/resource").stdout
        line = next((line for line in text.splitlines() if line.startswith(name + labels + " ")), None)
        return line and float(line.split()[1])
    # The kubelet reads the container's cgroup (or its process) through runc's state.
    assert wait_for(lambda: sample("container_memory_working_set_bytes"), timeout=30, message="the container's working set") > 0
    assert sample("container_cpu_usage_seconds_total") >= 0
    # metrics-server scrapes every 15 s: a pod's metrics after one or two scrapes.
    row = wait_for(lambda: real_cluster.kubectl("top", "pod", "idle", "-n", ns, "--no-headers", check=False).stdout.split(),
                   timeout=90, message="kubectl top pod")
    assert row[0] == "idle" and row[1].endswith("m") and row[2].endswith("Mi"), row
