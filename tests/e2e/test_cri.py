"""End-to-end: Skiff's kubelet on containerd through CRI v1 gRPC (`skiff up
--container-runtime-endpoint unix://...`). The test starts its own containerd (temporary root,
state and socket; the CRI plugin's CNI config a bridge with host-local addresses in a temporary
directory; the local registry of test_runtime as a plain-HTTP mirror through `config_path`; a
pause-like sandbox image built from the busybox image, running `sleep`). Exec, attach and
port-forward go through containerd's streaming server (CRI `Exec`/`Attach`/`PortForward`), and
resources become containerd's cgroup limits and `oom_score_adj` below the pod's cgroup; a finished Job's
sidecars are stopped in order through `StopContainer`.

Needs root, the Debian package containerd and test_runtime's packages (it skips, saying which is
missing; .ci/run installs them). It installs nothing.
"""
import json
import os
import re
import socket
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import Cluster, LineReader, wait_for
from test_exec import attach_until_the_container_exits, start_sleeper
from test_pod_patterns import finish_a_job_with_trapping_sidecars
from test_probes import read_to_end
from test_runtime import missing, pod_json, registry  # noqa: F401 (fixtures)
from test_tty import terminal_of_the_clients_size

CRI_TOOLS = ["containerd", "ctr", "containerd-shim-runc-v2"]
BRIDGE = "skiffcri0"
SUBNET = "10.251.0.0/24"

cri_missing = missing + [tool for tool in CRI_TOOLS if shutil.which(tool) is None]
if not os.path.exists("/usr/lib/cni/bridge") or not os.path.exists("/usr/lib/cni/host-local"):
    cri_missing.append("containernetworking-plugins")
pytestmark = [
    pytest.mark.skipif(bool(cri_missing), reason="the CRI runtime test needs: %s" % ", ".join(cri_missing)),
    pytest.mark.skipif(os.geteuid() != 0, reason="containerd needs root"),
]


def run(*args, **kwargs):
    return subprocess.run(list(args), check=True, capture_output=True, text=True, timeout=120, **kwargs)


def pause_image(registry, work):  # noqa: F811
    """<host:port>/pause:latest: the busybox image whose command is a long `sleep`."""
    layout = os.path.join(work, "pause-layout")
    run("skopeo", "copy", "--src-tls-verify=false", "docker://%s:latest" % registry, "oci:%s:latest" % layout)
    run("umoci", "config", "--image", layout + ":latest", "--tag", "pause", "--config.cmd", "sleep", "--config.cmd", "2147483647")
    image = registry.replace("/busybox", "/pause") + ":latest"
    run("skopeo", "copy", "--dest-tls-verify=false", "oci:%s:pause" % layout, "docker://" + image)
    return image


def containerd_config(work, registry):  # noqa: F811
    """config.toml (version 2, containerd 1.6) with everything under `work`."""
    host = registry.split("/")[0]
    hosts = os.path.join(work, "certs.d", host)
    os.makedirs(hosts)
    with open(os.path.join(hosts, "hosts.toml"), "w") as handle:
        handle.write('server = "http://%s"\n\n[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' % (host, host))
    net = os.path.join(work, "net.d")
    os.makedirs(net)
    network = {
        "cniVersion": "0.4.0", "name": "skiff-cri",
        "plugins": [{"type": "bridge", "bridge": BRIDGE, "isGateway": True, "ipMasq": False,
                     "ipam": {"type": "host-local", "ranges": [[{"subnet": SUBNET}]], "dataDir": os.path.join(work, "ipam")}},
                    {"type": "portmap", "capabilities": {"portMappings": True}}],
    }
    with open(os.path.join(net, "10-skiff-cri.conflist"), "w") as handle:
        json.dump(network, handle)
    config = os.path.join(work, "config.toml")
    with open(config, "w") as handle:
        handle.write("""version = 2
root = "{work}/root"
state = "{work}/state"
[grpc]
  address = "{work}/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "{work}/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{pause}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # The sandbox asks for oom_score_adj -998, which needs CAP_SYS_RESOURCE (not in every bounding set).
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "{net}"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "{work}/certs.d"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      Root = "{work}/runc"
""".format(work=work, net=net, pause=pause_image(registry, work)))
    return config


def remove_containers(socket):
    """Kills and deletes whatever a failed test left in containerd, so no shim outlives it."""
    ctr = ["ctr", "--address", socket, "--namespace", "k8s.io"]
    for task in subprocess.run(ctr + ["tasks", "list", "--quiet"], capture_output=True, text=True).stdout.split():
        subprocess.run(ctr + ["tasks", "delete", "--force", task], capture_output=True, timeout=60)
    for container in subprocess.run(ctr + ["containers", "list", "--quiet"], capture_output=True, text=True).stdout.split():
        subprocess.run(ctr + ["containers", "delete", container], capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def containerd(registry):  # noqa: F811
    """A containerd of the test's own; yields its socket path."""
    work = tempfile.mkdtemp(prefix="skiff-e2e-containerd-")
    socket = os.path.join(work, "containerd.sock")
    log = open(os.path.join(work, "containerd.log"), "wb")
    server = subprocess.Popen(["containerd", "--config", containerd_config(work, registry)], stdout=log, stderr=log)
    try:
        wait_for(lambda: subprocess.run(["ctr", "--address", socket, "version"], capture_output=True).returncode == 0,
                 timeout=30, interval=0.2, message="containerd to serve its socket")
        yield socket
        left = run("ctr", "--address", socket, "--namespace", "k8s.io", "containers", "list", "--quiet").stdout.split()
        assert left == [], "containers left behind in containerd: %s" % left
    finally:
        remove_containers(socket)
        server.terminate()
        server.wait(timeout=30)
        log.close()
        subprocess.run(["ip", "link", "delete", BRIDGE], capture_output=True)
        subprocess.run(["umount", "--recursive", "--lazy", os.path.join(work, "state")], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def cri_cluster(containerd):
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-cri-")
    running = Cluster(data_dir, extra_args=["--runtime", "simulated", "--container-runtime-endpoint", "unix://" + containerd]).start()
    yield running
    code = running.stop(timeout=60)
    assert code == 0, running.log_tail()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def ns(cri_cluster):
    name = "cri-%d" % int(time.time() * 1000 % 1e9)
    cri_cluster.create_namespace(name)
    return name


def test_startup_line_names_containerd(cri_cluster, containerd):
    with open(cri_cluster.log_path) as log:
        assert "container runtime: containerd://" in log.read()
    version = cri_cluster.kubectl("get", "node", "skiff-node-0", "-o", "jsonpath={.status.nodeInfo.containerRuntimeVersion}").stdout
    assert version.startswith("containerd://")


def test_job_completes_and_logs(cri_cluster, registry, ns):  # noqa: F811
    cri_cluster.kubectl("create", "job", "once", "-n", ns, "--image=" + registry, "--", "sh", "-c", "echo hello from containerd")
    cri_cluster.kubectl("wait", "-n", ns, "--for=condition=Complete", "job/once", "--timeout=90s")
    assert cri_cluster.kubectl("logs", "-n", ns, "job/once").stdout == "hello from containerd\n"
    pod = cri_cluster.kubectl("get", "pods", "-n", ns, "-l", "job-name=once", "-o", "jsonpath={.items[0].metadata.name}").stdout
    assert pod_json(cri_cluster, ns, pod, "{.status.containerStatuses[0].containerID}").startswith("containerd://")
    assert pod_json(cri_cluster, ns, pod, "{.status.containerStatuses[0].state.terminated.reason}") == "Completed"


def test_a_finished_jobs_sidecars_stop_gracefully_through_stop_container(cri_cluster, registry, ns):  # noqa: F811
    # The kubelet's one termination order, with containerd's StopContainer doing SIGTERM and SIGKILL.
    finish_a_job_with_trapping_sidecars(cri_cluster, registry, ns)


def test_pod_gets_containerds_address_and_exec_works(cri_cluster, registry, ns):  # noqa: F811
    cri_cluster.kubectl("run", "sleeper", "-n", ns, "--image=" + registry, "--", "sleep", "3600")
    wait_for(lambda: pod_json(cri_cluster, ns, "sleeper", "{.status.phase}") == "Running", timeout=90, message="the pod to run")
    address = pod_json(cri_cluster, ns, "sleeper", "{.status.podIP}")
    assert address.startswith("10.251.0."), address
    result = cri_cluster.kubectl("exec", "-n", ns, "sleeper", "--", "sh", "-c", "echo out; hostname; exit 3", check=False)
    assert result.returncode == 3, result.stderr
    assert result.stdout == "out\nsleeper\n"
    cri_cluster.kubectl("delete", "pod", "sleeper", "-n", ns, "--grace-period=1")


def test_exec_probe_runs_through_exec_sync(cri_cluster, registry, ns):  # noqa: F811
    manifest = """
apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: app
    image: %s
    command: [sh, -c, "sleep 2; touch /ready; sleep 3600"]
    readinessProbe:
      exec: {command: [cat, /ready]}
      periodSeconds: 1
      timeoutSeconds: 10
""" % registry
    cri_cluster.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    ready = "{.status.conditions[?(@.type=='Ready')].status}"
    try:
        wait_for(lambda: pod_json(cri_cluster, ns, "probed", ready) == "True", timeout=90, interval=0.5, message="the probe to pass")
    except AssertionError:
        print(cri_cluster.kubectl("describe", "pod", "probed", "-n", ns).stdout)
        raise
    cri_cluster.kubectl("delete", "pod", "probed", "-n", ns, "--grace-period=1")


@pytest.fixture(scope="module")
def sleeper(cri_cluster, registry):  # noqa: F811
    """Pod `sleeper` running `sleep` in namespace `cri-exec`."""
    return start_sleeper(cri_cluster, registry, "cri-exec")


def test_exec_streams_stdout_stderr_and_the_exit_code(cri_cluster, sleeper):
    result = cri_cluster.kubectl("exec", "-n", "cri-exec", sleeper, "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=False)
    assert result.returncode == 3, result.stderr
    assert result.stdout == "out\n"
    assert "err\n" in result.stderr
    assert "command terminated with exit code 3" in result.stderr


def test_exec_passes_stdin_until_it_closes(cri_cluster, sleeper):
    result = cri_cluster.kubectl("exec", "-i", "-n", "cri-exec", sleeper, "--", "cat", input="line one\nline two\n")
    assert result.stdout == "line one\nline two\n"


def test_exec_of_a_missing_command_fails(cri_cluster, sleeper):
    result = cri_cluster.kubectl("exec", "-n", "cri-exec", sleeper, "--", "does-not-exist", check=False)
    assert result.returncode != 0
    assert "does-not-exist" in result.stderr, result.stderr


def test_exec_with_a_tty_gets_a_terminal_of_the_clients_size(cri_cluster, sleeper):
    terminal_of_the_clients_size(cri_cluster, "cri-exec", sleeper, "/dev/pts/")


def test_attach_streams_output_until_the_container_exits(cri_cluster, registry, sleeper):  # noqa: F811
    attach_until_the_container_exits(cri_cluster, registry, "cri-exec")


@pytest.mark.parametrize("websockets", [True, False], ids=["websocket-tunnel", "spdy-upgrade"])
def test_port_forward_reaches_a_port_open_only_inside_the_pod(cri_cluster, registry, ns, websockets, monkeypatch):  # noqa: F811
    # httpd listens on the pod's loopback only: the pod's IP has nothing on 8080, so the answer
    # can only come through containerd, which dials inside the pod's network namespace.
    serve = "mkdir -p /www && echo hello from $HOSTNAME > /www/index.html && httpd -f -p 127.0.0.1:8080 -h /www"
    cri_cluster.kubectl("run", "web", "-n", ns, "--image=" + registry, "--", "sh", "-c", serve)
    wait_for(lambda: pod_json(cri_cluster, ns, "web", "{.status.phase}") == "Running", timeout=90, message="the pod to run")
    if not websockets:
        monkeypatch.setenv("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false")
    forward = cri_cluster.popen_kubectl("port-forward", "-n", ns, "pod/web", "0:8080")
    lines = LineReader(forward)
    try:
        lines.wait_for(lambda seen: any(line.startswith("Forwarding from 127.0.0.1:") for line in seen), message="the forward")
        local = int(re.search(r"127\.0\.0\.1:(\d+)", next(line for line in lines.snapshot() if line.startswith("Forwarding from 127.0.0.1:"))).group(1))

        def fetch():
            connection = socket.create_connection(("127.0.0.1", local), timeout=30)
            connection.sendall(b"GET / HTTP/1.0\r\n\r\n")
            return connection

        first, second = fetch(), fetch()
        for connection in (second, first):
            received = read_to_end(connection)
            assert received.startswith(b"HTTP/1.") and received.endswith(b"hello from web\n"), received
    finally:
        stderr = lines.close()
    assert "error" not in stderr.lower(), stderr
    cri_cluster.kubectl("delete", "pod", "web", "-n", ns, "--grace-period=1")


def quantity_bytes(text):
    """Bytes of a memory quantity as a node reports it (`8123456Ki`, `256Gi`, `1000`)."""
    units = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40}
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return int(text[:-len(suffix)]) * factor
    return int(text)


def read_file(path):
    with open(path) as handle:
        return handle.read().strip()


def test_resources_become_the_containers_cgroup_limits_and_oom_score_adj(cri_cluster, registry, ns):  # noqa: F811
    resources = {"requests": {"cpu": "100m", "memory": "16Mi"}, "limits": {"cpu": "250m", "memory": "32Mi"}}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "limited"},
           "spec": {"terminationGracePeriodSeconds": 1,
                    "containers": [{"name": "main", "image": registry, "command": ["sleep", "3600"], "resources": resources}]}}
    cri_cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(pod))
    wait_for(lambda: pod_json(cri_cluster, ns, "limited", "{.status.phase}") == "Running", timeout=90, message="the pod to run")
    assert pod_json(cri_cluster, ns, "limited", "{.status.qosClass}") == "Burstable"

    def inside(path):
        return cri_cluster.kubectl("exec", "-n", ns, "limited", "--", "cat", path).stdout.strip()

    # runc binds the container's own cgroup (v1) at /sys/fs/cgroup/<controller>.
    assert inside("/sys/fs/cgroup/memory/memory.limit_in_bytes") == str(32 << 20)
    assert inside("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") == "25000"
    assert inside("/sys/fs/cgroup/cpu/cpu.cfs_period_us") == "100000"
    assert inside("/sys/fs/cgroup/cpu/cpu.shares") == "102"
    # Burstable: 1000 less the memory request in thousandths of the node's memory, within 3..999.
    capacity = quantity_bytes(cri_cluster.kubectl("get", "node", "skiff-node-0", "-o", "jsonpath={.status.capacity.memory}").stdout)
    expected = min(max(1000 - 1000 * (16 << 20) // capacity, 3), 999)
    assert inside("/proc/1/oom_score_adj") == str(expected)

    # The pod's cgroup is the kubelet's, as on the process runtime (test_cgroups.py): made with the
    # pod's limits and passed as the sandbox's cgroup_parent, containerd puts the container's below it.
    uid = pod_json(cri_cluster, ns, "limited", "{.metadata.uid}")
    container = pod_json(cri_cluster, ns, "limited", "{.status.containerStatuses[0].containerID}").split("://")[-1]
    pod_cgroup = "/skiff/kubepods/burstable/pod" + uid
    # No cgroup namespace on v1: the container sees its cgroups' host paths.
    paths = {controller: path for _, controllers, path in (line.split(":", 2) for line in inside("/proc/1/cgroup").splitlines())
             for controller in controllers.split(",")}
    assert paths["memory"] == paths["cpu"] == paths["pids"] == pod_cgroup + "/" + container
    memory = "/sys/fs/cgroup/memory" + pod_cgroup
    assert read_file(memory + "/memory.limit_in_bytes") == str(32 << 20)
    assert read_file("/sys/fs/cgroup/cpu" + pod_cgroup + "/cpu.cfs_quota_us") == "25000"
    assert read_file("/sys/fs/cgroup/cpu" + pod_cgroup + "/cpu.shares") == "102"
    cri_cluster.kubectl("delete", "pod", "limited", "-n", ns, "--grace-period=1")
    # The pod's cgroup goes with the pod.
    wait_for(lambda: not os.path.exists(memory), timeout=60, interval=0.5, message="the pod's cgroup to be removed")


def test_a_container_over_its_memory_limit_is_oomkilled(cri_cluster, registry, ns):  # noqa: F811
    greedy = "echo start; x=greedy; while true; do x=$x$x; done"
    limits = {"limits": {"memory": "32Mi"}, "requests": {"memory": "32Mi"}}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "greedy"},
           "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": registry, "command": ["sh", "-c", greedy],
                                                              "resources": limits}]}}
    cri_cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(pod))
    wait_for(lambda: pod_json(cri_cluster, ns, "greedy", "{.status.phase}") == "Failed", timeout=90, message="the greedy pod to fail")
    terminated = "{.status.containerStatuses[0].state.terminated"
    assert pod_json(cri_cluster, ns, "greedy", terminated + ".reason}") == "OOMKilled"
    assert pod_json(cri_cluster, ns, "greedy", terminated + ".exitCode}") == "137"
