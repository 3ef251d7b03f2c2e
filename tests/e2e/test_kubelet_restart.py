"""End-to-end: a `skiff up --runtime process` killed with SIGKILL and started again over the same
data directory finds the containers its previous run started: the pod stays Running with the same
container (no second one, no restart), its log goes on (with what the container wrote meanwhile),
exec still works, and deleting an adopted pod removes its container. Its own cluster (it is killed), so the test file must
not run next to another real-runtime cluster. Same requirements and skips as test_runtime."""
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import Cluster, wait_for
from test_runtime import missing, pod_json, registry  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing)),
    pytest.mark.skipif(os.geteuid() != 0, reason="the process runtime needs root"),
]

TICKER = "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"


def runc_containers(data_dir):
    root = os.path.join(data_dir, "kubelet", "runc")
    return subprocess.run(["runc", "--root", root, "list", "-q"], capture_output=True, text=True).stdout.split()


def ticks(cluster, name):
    return [line for line in cluster.kubectl("logs", "-n", "restart", name).stdout.splitlines() if line.startswith("tick ")]


@pytest.fixture
def data_dir():
    path = tempfile.mkdtemp(prefix="skiff-e2e-restart-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_restarted_kubelet_adopts_its_running_containers(registry, data_dir):  # noqa: F811
    cluster = Cluster(data_dir, extra_args=["--runtime", "process"]).start()
    try:
        cluster.create_namespace("restart")
        cluster.kubectl("run", "ticker", "-n", "restart", "--image=" + registry, "--", "sh", "-c", TICKER)
        cluster.kubectl("run", "doomed", "-n", "restart", "--image=" + registry, "--", "sleep", "3600")
        for name in ["ticker", "doomed"]:
            wait_for(lambda: pod_json(cluster, "restart", name, "{.status.phase}") == "Running", timeout=60, message="%s to run" % name)
        container = pod_json(cluster, "restart", "ticker", "{.status.containerStatuses[0].containerID}")
        started = pod_json(cluster, "restart", "ticker", "{.status.containerStatuses[0].state.running.startedAt}")
        wait_for(lambda: len(ticks(cluster, "ticker")) >= 3, timeout=30, message="the ticker's first lines")
        assert len(runc_containers(data_dir)) == 2

        cluster.kill()
        # The containers outlive the cluster process.
        assert len(runc_containers(data_dir)) == 2
        cluster.start()
        before = len(ticks(cluster, "ticker"))
        cluster.kubectl("delete", "pod", "doomed", "-n", "restart", "--grace-period=1", "--wait=false")

        wait_for(lambda: len(runc_containers(data_dir)) == 1, timeout=60, message="the deleted pod's container to be removed")
        assert pod_json(cluster, "restart", "ticker", "{.status.phase}") == "Running"
        assert pod_json(cluster, "restart", "ticker", "{.status.containerStatuses[0].containerID}") == container
        assert pod_json(cluster, "restart", "ticker", "{.status.containerStatuses[0].restartCount}") == "0"
        assert pod_json(cluster, "restart", "ticker", "{.status.containerStatuses[0].state.running.startedAt}") == started
        assert runc_containers(data_dir) == [container.split("://")[1]]
        assert cluster.kubectl("exec", "-n", "restart", "ticker", "--", "echo", "still here").stdout == "still here\n"
        wait_for(lambda: len(ticks(cluster, "ticker")) > before + 3, timeout=30, message="the ticker's log to go on")
        numbers = [int(line.split()[1]) for line in ticks(cluster, "ticker")]
        assert numbers == sorted(numbers), "the log repeats or reorders lines: %s" % numbers
    finally:
        code = cluster.stop(timeout=30)
    assert code == 0, cluster.log_tail()
    assert runc_containers(data_dir) == [], "runc containers left behind"
