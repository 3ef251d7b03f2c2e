"""End-to-end: `kubectl exec` through the API server to the kubelet over WebSocket
(`v5.channel.k8s.io`), into containers the process runtime (runc) runs; and the simulated
runtime's clear refusal. Uses test_runtime's registry and cluster (same requirements, same skips).
"""
import os

import pytest

from conftest import wait_for
from test_runtime import missing, ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)

needs_runtime = pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing))


def start_sleeper(cluster, registry, namespace):  # noqa: F811
    """Creates `namespace` and pod `sleeper` running `sleep` in it, once running; returns its name
    (also used by test_cri)."""
    cluster.create_namespace(namespace)
    cluster.kubectl("run", "sleeper", "-n", namespace, "--image=" + registry, "--", "sleep", "3600")
    wait_for(lambda: pod_json(cluster, namespace, "sleeper", "{.status.phase}") == "Running", timeout=90, message="the pod to run")
    return "sleeper"


@pytest.fixture(scope="module")
def sleeper(real_cluster, registry):  # noqa: F811
    return start_sleeper(real_cluster, registry, "exec")


@needs_runtime
def test_exec_returns_output_and_exit_code(real_cluster, sleeper):  # noqa: F811
    result = real_cluster.kubectl("exec", "-n", "exec", sleeper, "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=False)
    assert result.returncode == 3, result.stderr
    assert result.stdout == "out\n"
    assert "err\n" in result.stderr
    assert "command terminated with exit code 3" in result.stderr


@needs_runtime
def test_exec_succeeds_with_zero(real_cluster, sleeper):  # noqa: F811
    result = real_cluster.kubectl("exec", "-n", "exec", sleeper, "--", "sh", "-c", "echo $HOSTNAME")
    assert result.stdout == "sleeper\n"


@needs_runtime
def test_exec_passes_stdin_until_it_closes(real_cluster, sleeper):  # noqa: F811
    result = real_cluster.kubectl("exec", "-i", "-n", "exec", sleeper, "--", "cat", input="line one\nline two\n")
    assert result.stdout == "line one\nline two\n"


@needs_runtime
def test_exec_errors_are_upstreams(real_cluster, sleeper):  # noqa: F811
    missing_container = real_cluster.kubectl("exec", "-n", "exec", sleeper, "-c", "nope", "--", "true", check=False)
    assert missing_container.returncode != 0
    assert "container nope is not valid for pod sleeper" in missing_container.stderr
    missing_command = real_cluster.kubectl("exec", "-n", "exec", sleeper, "--", "does-not-exist", check=False)
    assert missing_command.returncode != 0


@needs_runtime
def test_exec_into_a_container_that_is_not_running_says_so(real_cluster, registry, sleeper):  # noqa: F811
    real_cluster.kubectl("run", "crasher", "-n", "exec", "--image=" + registry, "--", "sh", "-c", "exit 1")
    wait_for(lambda: pod_json(real_cluster, "exec", "crasher", "{.status.containerStatuses[0].state.waiting.reason}") == "CrashLoopBackOff",
             timeout=60, message="the container to crash-loop")
    result = real_cluster.kubectl("exec", "-n", "exec", "crasher", "--", "true", check=False)
    assert result.returncode != 0
    # kubectl retries a refused WebSocket with SPDY and shows the second answer: the container's absence.
    assert 'container not found ("crasher")' in result.stderr, result.stderr


def kubelet_pipes(cluster):
    """How many pipe descriptors the `skiff up` process (whose kubelet runs the execs) holds."""
    fd_dir = "/proc/%d/fd" % cluster.process.pid
    count = 0
    for fd in os.listdir(fd_dir):
        try:
            count += os.readlink(os.path.join(fd_dir, fd)).startswith("pipe:")
        except OSError:
            pass  # closed meanwhile
    return count


@needs_runtime
def test_many_failed_execs_end_and_leave_no_descriptors(real_cluster, sleeper):  # noqa: F811
    """Regression: the end of an exec's output was sometimes never seen (the exec hung) and every
    exec left its pipes' read ends open in the kubelet."""
    before = kubelet_pipes(real_cluster)
    for _ in range(30):
        result = real_cluster.kubectl("exec", "-n", "exec", sleeper, "--", "does-not-exist", check=False, timeout=20)
        assert result.returncode != 0
        assert "executable file not found" in result.stderr
    assert kubelet_pipes(real_cluster) <= before + 4


@needs_runtime
def test_python_client_execs_over_v4(real_cluster, sleeper):  # noqa: F811
    from kubernetes import client
    from kubernetes.stream import stream
    api = client.CoreV1Api(real_cluster.api_client())
    output = stream(api.connect_get_namespaced_pod_exec, sleeper, "exec", command=["sh", "-c", "echo from python"],
                    stderr=True, stdin=False, stdout=True, tty=False)
    assert output == "from python\n"


def test_exec_on_the_simulated_runtime_says_why_not(cluster):
    cluster.kubectl("run", "simulated-exec", "--image=nginx")
    wait_for(lambda: cluster.kubectl("get", "pod", "simulated-exec", "-o", "jsonpath={.status.phase}").stdout == "Running",
             timeout=30, message="the pod to run")
    result = cluster.kubectl("exec", "simulated-exec", "--", "true", check=False)
    assert result.returncode != 0
    assert "the simulated container runtime runs no processes" in result.stderr


def attach_until_the_container_exits(cluster, registry, namespace):  # noqa: F811
    """Runs pod `ticker` in `namespace`, printing ticks until /stop exists; `kubectl attach` must
    see consecutive ticks, then the rest of the output up to the end, and exit 0 (also used by
    test_cri)."""
    script = "i=0; while [ ! -e /stop ]; do echo tick $i; i=$((i+1)); sleep 0.2; done; echo done"
    cluster.kubectl("run", "ticker", "-n", namespace, "--restart=Never", "--image=" + registry, "--", "sh", "-c", script)
    wait_for(lambda: pod_json(cluster, namespace, "ticker", "{.status.phase}") == "Running", timeout=90, message="the pod to run")
    attach = cluster.popen_kubectl("attach", "-n", namespace, "ticker")
    try:
        ticks = [attach.stdout.readline() for _ in range(3)]
        numbers = [int(line.split()[1]) for line in ticks]
        assert numbers == list(range(numbers[0], numbers[0] + 3)), ticks
        cluster.kubectl("exec", "-n", namespace, "ticker", "--", "touch", "/stop")
        rest, _ = attach.communicate(timeout=60)
    finally:
        attach.kill()
    assert rest.endswith("done\n")
    assert attach.returncode == 0


@needs_runtime
def test_attach_streams_output_until_the_container_exits(real_cluster, registry, sleeper):  # noqa: F811
    attach_until_the_container_exits(real_cluster, registry, "exec")
