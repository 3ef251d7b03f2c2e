"""Leader election for real: `skiff apiserver`, one simulated `skiff kubelet`, and two
`skiff controller-manager --leader-elect` and two `skiff scheduler --leader-elect` processes.
Exactly one of each pair holds its Lease and works; kill -9 the leader and the other takes over
within the lease duration and does the work; stop the API server and the leaders step down
(they exit non-zero, as upstream's components do when leadership is lost)."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import SKIFF, LineReader, free_port, run_kubectl, wait_for

LEASE = ["--leader-elect", "--leader-elect-lease-duration", "4s", "--leader-elect-renew-deadline", "3s",
         "--leader-elect-retry-period", "500ms", "--log-level", "info"]


class Process:
    def __init__(self, name, args):
        self.name = name
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = LineReader(self.process)

    def leads(self):
        return any("became leader" in line for line in self.output.snapshot())

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.output.close()


@pytest.fixture
def control_plane():
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-leader-")
    port = free_port()
    processes = []

    def start(name, *args):
        process = Process(name, [SKIFF, *args])
        processes.append(process)
        return process

    server = start("apiserver", "apiserver", "--data-dir", data_dir, "--port", str(port))
    try:
        server.output.wait_for(lambda lines: any("API server is ready" in line for line in lines), timeout=60,
                               message="the API server to be ready")
        admin = os.path.join(data_dir, "admin.kubeconfig")
        start("kubelet", "kubelet", "--kubeconfig", admin, "--node-name", "solo", "--runtime", "simulated")
        # As kubeadm runs kube-controller-manager: each controller as its own service account.
        pki = os.path.join(data_dir, "pki")
        managers = [start("controller-manager-%d" % index, "controller-manager", "--kubeconfig",
                          os.path.join(data_dir, "controller-manager.kubeconfig"), "--use-service-account-credentials",
                          "--service-account-private-key-file", os.path.join(pki, "sa.key"),
                          "--root-ca-file", os.path.join(pki, "ca.crt"), *LEASE) for index in range(2)]
        schedulers = [start("scheduler-%d" % index, "scheduler", "--kubeconfig", os.path.join(data_dir, "scheduler.kubeconfig"),
                            *LEASE) for index in range(2)]
        yield admin, server, managers, schedulers
    finally:
        for process in processes:
            process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def kubectl(admin, *args, **kwargs):
    return run_kubectl(admin, args, **kwargs)


def holder(admin, lease):
    result = kubectl(admin, "get", "lease", lease, "-n", "kube-system", "-o", "json", check=False)
    return json.loads(result.stdout)["spec"].get("holderIdentity") if result.returncode == 0 else None


def one_leader(pair):
    leaders = [process for process in pair if process.leads()]
    return leaders[0] if len(leaders) == 1 else None


def running_pods(admin, count):
    rows = [line.split() for line in kubectl(admin, "get", "pods", "--no-headers").stdout.splitlines()]
    return rows if len(rows) == count and all(row[2] == "Running" for row in rows) else None


def test_one_leader_each_and_fail_over(control_plane):
    admin, server, managers, schedulers = control_plane
    try:
        fail_over(admin, server, managers, schedulers)
    except AssertionError as failure:
        state = kubectl(admin, "get", "deploy,rs,pods,nodes,leases", "-A", check=False).stdout if server.process.poll() is None else ""
        tails = "\n".join("== %s\n%s" % (process.name, "\n".join(process.output.snapshot()[-6:])) for process in managers + schedulers)
        raise AssertionError("%s\n%s\n%s" % (failure, state, tails)) from None


def fail_over(admin, server, managers, schedulers):
    manager = wait_for(lambda: one_leader(managers), timeout=60, interval=0.2, message="one controller manager to lead")
    scheduler = wait_for(lambda: one_leader(schedulers), timeout=60, interval=0.2, message="one scheduler to lead")
    first_holders = (holder(admin, "kube-controller-manager"), holder(admin, "kube-scheduler"))
    assert all(first_holders), first_holders
    wait_for(lambda: kubectl(admin, "get", "serviceaccount", "default", check=False).returncode == 0, timeout=60,
             message="the default service account (the active manager's work)")
    kubectl(admin, "create", "deployment", "web", "--image=nginx", "--replicas=2")
    wait_for(lambda: running_pods(admin, 2), timeout=60, interval=0.5, message="two running pods (manager and scheduler at work)")

    # The leaders die; the others take over within the lease duration and do the work.
    manager.kill()
    scheduler.kill()
    killed_at = time.monotonic()
    standby_manager = next(process for process in managers if process is not manager)
    standby_scheduler = next(process for process in schedulers if process is not scheduler)
    wait_for(lambda: standby_manager.leads() and standby_scheduler.leads(), timeout=30, interval=0.2,
             message="the standby controller manager and scheduler to lead")
    took_over = time.monotonic() - killed_at
    assert took_over < 4 + 3, "took %.1f s, more than the lease duration plus retries" % took_over
    second_holders = (holder(admin, "kube-controller-manager"), holder(admin, "kube-scheduler"))
    assert second_holders[0] != first_holders[0] and second_holders[1] != first_holders[1], (first_holders, second_holders)
    kubectl(admin, "scale", "deployment", "web", "--replicas=4")
    wait_for(lambda: running_pods(admin, 4), timeout=60, interval=0.5, message="four running pods after the fail-over")

    # Without the API server the leaders cannot renew: they stop leading and exit non-zero.
    server.kill()
    for process in (standby_manager, standby_scheduler):
        try:
            code = process.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError("%s still runs 30 s after the API server went:\n%s"
                                 % (process.name, "\n".join(process.output.snapshot()[-10:]))) from None
        assert code != 0, process.name
        assert any("stopped leading" in line or "leaderelection lost" in line for line in process.output.snapshot()), \
            "\n".join(process.output.snapshot()[-10:])
