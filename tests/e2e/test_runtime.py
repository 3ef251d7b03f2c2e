"""End-to-end: the process runtime (runc) behind `skiff up --runtime process`, with images pulled
from a real local registry fed with an image built from Debian's busybox-static.

Needs root and the Debian packages runc, docker-registry, umoci, skopeo, busybox-static (the test
skips, saying which is missing; .ci/run installs them).
"""
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from busybox_registry import BUSYBOX, BusyboxRegistry
from conftest import Cluster, wait_for

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
