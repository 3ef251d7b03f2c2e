"""End-to-end: a `skiff up --container-runtime-endpoint` killed with SIGKILL and started again over
the same data directory adopts the pod sandbox containerd still runs, and a container it then
creates in that sandbox lands below the pod's cgroup as before the restart (the kubelet hands the
adopted sandbox its config again, as upstream's kubelet sends it with every CreateContainer).
Its own containerd and cluster (it is killed, and a kubelet starting removes the sandboxes of pods
its API server does not know, so it must not share test_cri.py's). Same requirements and skips as
test_cri.py.
"""
import shutil
import subprocess
import tempfile

import pytest

from conftest import Cluster, wait_for
from test_cri import containerd, pytestmark  # noqa: F401 (fixture, skips)
from test_runtime import pod_json, registry  # noqa: F401 (fixtures)


@pytest.fixture
def data_dir():
    path = tempfile.mkdtemp(prefix="skiff-e2e-cri-restart-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_container_created_in_an_adopted_sandbox_goes_below_the_pods_cgroup(containerd, registry, data_dir):  # noqa: F811
    cluster = Cluster(data_dir, extra_args=["--runtime", "simulated", "--container-runtime-endpoint", "unix://" + containerd]).start()
    try:
        cluster.create_namespace("restart")
        # Each run prints its memory cgroup, then sleeps.
        cluster.kubectl("run", "printer", "-n", "restart", "--image=" + registry, "--", "sh", "-c", "grep :memory: /proc/self/cgroup; exec sleep 3600")
        wait_for(lambda: pod_json(cluster, "restart", "printer", "{.status.phase}") == "Running", timeout=90, message="the pod to run")
        uid = pod_json(cluster, "restart", "printer", "{.metadata.uid}")
        first = pod_json(cluster, "restart", "printer", "{.status.containerStatuses[0].containerID}").split("://")[-1]
        pod_cgroup = "/skiff/kubepods/besteffort/pod" + uid
        wait_for(lambda: cluster.kubectl("logs", "-n", "restart", "printer").stdout != "", timeout=30, message="the first run's line")
        assert cluster.kubectl("logs", "-n", "restart", "printer").stdout.strip().split(":", 2)[2] == pod_cgroup + "/" + first

        cluster.kill()
        # While no kubelet runs, the container ends: the next kubelet restarts it in the sandbox it adopts.
        subprocess.run(["ctr", "--address", containerd, "--namespace", "k8s.io", "tasks", "kill", "--signal", "SIGKILL", first],
                       check=True, capture_output=True, timeout=60)
        cluster.start()
        wait_for(lambda: pod_json(cluster, "restart", "printer", "{.status.containerStatuses[0].restartCount}") == "1"
                 and pod_json(cluster, "restart", "printer", "{.status.containerStatuses[0].state.running}") != "",
                 timeout=90, message="the container's restart by the new kubelet")
        second = pod_json(cluster, "restart", "printer", "{.status.containerStatuses[0].containerID}").split("://")[-1]
        assert second != first
        wait_for(lambda: cluster.kubectl("logs", "-n", "restart", "printer").stdout != "", timeout=30, message="the second run's line")
        assert cluster.kubectl("logs", "-n", "restart", "printer").stdout.strip().split(":", 2)[2] == pod_cgroup + "/" + second
    finally:
        code = cluster.stop(timeout=60)
    assert code == 0, cluster.log_tail()
