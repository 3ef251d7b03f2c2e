"""Fixtures for end-to-end tests: a real `skiff up` process driven by the real kubectl and the
official Python client."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.environ.get("SKIFF_BIN", os.path.join(REPO, ".build", "release", "skiff"))
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
READY_LINE = "Local Kubernetes cluster is running"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One `skiff up` process on its own data directory and port."""

    def __init__(self, data_dir, port=None, extra_args=()):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.extra_args = list(extra_args)
        self.process = None
        self.kubeconfig = os.path.join(data_dir, "admin.kubeconfig")
        self.server = "http://127.0.0.1:%d" % self.port

    def start(self, timeout=60):
        log = open(os.path.join(self.data_dir, "skiff.log"), "ab")
        self.process = subprocess.Popen(
            [SKIFF, "up", "--data-dir", self.data_dir, "--port", str(self.port)] + self.extra_args,
            stdout=subprocess.PIPE, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode()
            if READY_LINE in line:
                return self
            if not line and self.process.poll() is not None:
                raise RuntimeError("skiff exited with %s before it was ready" % self.process.returncode)
        raise RuntimeError("skiff did not get ready within %ss" % timeout)

    def stop(self, timeout=15):
        """SIGTERM: a clean shutdown, which must finish promptly and with status 0."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self.process = None
        return code

    def kill(self):
        self.process.kill()
        self.process.wait()
        self.process = None

    def kubectl(self, *args, check=True, input=None, timeout=60):
        env = dict(os.environ, KUBECONFIG=self.kubeconfig)
        result = subprocess.run([KUBECTL] + list(args), capture_output=True, text=True, input=input, timeout=timeout, env=env)
        if check and result.returncode != 0:
            raise AssertionError("kubectl %s failed (%d):\n%s%s" % (" ".join(args), result.returncode, result.stdout, result.stderr))
        return result

    def popen_kubectl(self, *args):
        env = dict(os.environ, KUBECONFIG=self.kubeconfig)
        return subprocess.Popen([KUBECTL] + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)

    def api_client(self):
        from kubernetes import client, config
        configuration = client.Configuration()
        config.load_kube_config(config_file=self.kubeconfig, client_configuration=configuration)
        return client.ApiClient(configuration)


def wait_for(condition, timeout=20, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting for %s" % message)


@pytest.fixture(scope="session")
def cluster():
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-")
    running = Cluster(data_dir).start()
    yield running
    code = running.stop()
    assert code == 0, "skiff did not shut down cleanly on SIGTERM (exit %s)" % code
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def scratch_cluster():
    """A cluster of the test's own, for crash and restart tests."""
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-own-")
    running = Cluster(data_dir)
    yield running
    if running.process is not None:
        running.kill()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def namespace(cluster):
    name = "e2e-" + uuid.uuid4().hex[:8]
    cluster.kubectl("create", "namespace", name)
    return name
