"""Fixtures for end-to-end tests: a real `skiff up` process driven by the real kubectl and the
official Python client.

- `cluster` (session): one server on a scratch data dir and a free port, over HTTPS with the
  certificates `skiff up` made; KUBECONFIG (the generated admin kubeconfig) is exported for every
  subprocess; `cluster.requests_session()` speaks raw HTTP(S) to it as the admin; at the end it gets SIGTERM and must exit 0 within STOP_TIMEOUT seconds.
- `kubectl(*args, check=True, input=None)`: runs kubectl against that server.
- `namespace`: a fresh namespace per test.
- `scratch_cluster`: a separate, not yet started server on its own data dir (crash tests).

The binary is .build/release/skiff unless SKIFF_BIN names another. SKIFF_E2E_STORAGE, when set, is
the session cluster's `--storage` URL (e.g. etcd://127.0.0.1:2379 of an etcd started by hand), to run
the suite on another backend.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.environ.get("SKIFF_BIN", os.path.join(REPO, ".build", "release", "skiff"))
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
READY_LINE = "Local Kubernetes cluster is running"
# The ConfigMap the root-ca-cert-publisher keeps in every namespace (upstream's name).
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
START_TIMEOUT = 60
# skiff gives its services 8 s to stop gracefully (then cancels them) and must exit 0. A server
# stopped seconds after a restart is still starting its controllers and takes 4-6 s on a quiet
# machine (an open defect, docs/testing.md); a loaded one needs the margin.
STOP_TIMEOUT = 20
E2E_STORAGE = os.environ.get("SKIFF_E2E_STORAGE")
KUBECTL_TIMEOUT = 60
# Every Swift process the tests start inherits this: a crash prints its backtrace to stderr (the
# log) with symbols but without line tables. The default full symbolication of a large binary
# takes minutes on a loaded machine, while the crashed process, suspended, answers nothing and
# ignores SIGTERM: it looks like a hang and the backtrace never reaches the log.
os.environ.setdefault("SWIFT_BACKTRACE", "enable=yes,symbolicate=fast,output-to=stderr")

_running = []  # every started Cluster, for log tails in failure reports


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=20, interval=0.05, message="condition"):
    """Polls `condition` until it returns something truthy, which it returns, or fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, message))
        time.sleep(interval)


def run_kubectl(kubeconfig, args, check=True, input=None, timeout=KUBECTL_TIMEOUT):
    env = dict(os.environ, KUBECONFIG=kubeconfig)
    result = subprocess.run([KUBECTL] + [str(arg) for arg in args], capture_output=True, text=True,
                            input=input, timeout=timeout, env=env)
    if check and result.returncode != 0:
        raise AssertionError("kubectl %s failed (exit %d):\nstdout: %s\nstderr: %s"
                             % (" ".join(map(str, args)), result.returncode, result.stdout, result.stderr))
    return result


class LineReader:
    """Collects a subprocess's stdout (or stderr) lines on a thread, so a test can wait for lines
    with a deadline (a watch that never prints must fail the test, not hang it)."""

    def __init__(self, process, stream="stdout"):
        self.process = process
        self.stream = getattr(process, stream)
        self.lines = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        for line in iter(self.stream.readline, ""):
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def snapshot(self):
        with self._lock:
            return list(self.lines)

    def wait_for(self, predicate, timeout=20, message="output"):
        try:
            return wait_for(lambda: predicate(self.snapshot()), timeout=timeout, message=message)
        except AssertionError as failure:
            raise AssertionError("%s; output so far:\n%s" % (failure, "\n".join(self.snapshot()))) from None

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._thread.join(timeout=5)
        return self.process.stderr.read() if self.process.stderr else ""


class Cluster:
    """One `skiff up` process on its own data directory and port."""

    def __init__(self, data_dir, port=None, extra_args=()):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.extra_args = list(extra_args)
        self.process = None
        self.kubeconfig = os.path.join(data_dir, "admin.kubeconfig")
        insecure = "--insecure-serving" in self.extra_args
        self.server = "%s://127.0.0.1:%d" % ("http" if insecure else "https", self.port)
        self.pki_dir = os.path.join(data_dir, "pki")
        self._session = None
        self.log_path = os.path.join(data_dir, "skiff.log")
        self._reader = None

    def runtime_args(self):
        """The shared tests expect the simulated runtime (their images are never pulled); a test
        that wants real containers passes --runtime process in its extra_args."""
        return [] if "--runtime" in self.extra_args else ["--runtime", "simulated"]

    def start(self, timeout=START_TIMEOUT):
        """Starts the server and returns once it printed the ready line (or fails at the deadline)."""
        if not os.access(SKIFF, os.X_OK):
            raise RuntimeError("no skiff binary at %s: run `swift build -c release` or set SKIFF_BIN" % SKIFF)
        log = open(self.log_path, "ab")
        log.write(b"=== skiff up --port %d %s\n" % (self.port, " ".join(self.extra_args).encode()))
        log.flush()
        self.process = subprocess.Popen(
            [SKIFF, "up", "--data-dir", self.data_dir, "--port", str(self.port)] + self.runtime_args() + self.extra_args,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        log.close()
        ready = threading.Event()
        process = self.process

        def drain():
            # Copies stdout to the log for the whole life of the process, so the pipe never fills.
            with open(self.log_path, "ab") as out:
                for line in iter(process.stdout.readline, b""):
                    out.write(line)
                    out.flush()
                    if READY_LINE.encode() in line:
                        ready.set()
            process.stdout.close()

        self._reader = threading.Thread(target=drain, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.05):
            if process.poll() is not None:
                self.process = None
                raise RuntimeError("skiff exited with %s before it was ready:\n%s" % (process.returncode, self.log_tail()))
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                self.process = None
                raise RuntimeError("skiff did not print %r within %ss:\n%s" % (READY_LINE, timeout, self.log_tail()))
        if self not in _running:
            _running.append(self)
        self.wait_for_default_service_account("default")
        return self

    def wait_for_default_service_account(self, namespace):
        """Waits for the serviceaccount controller to make `namespace`'s `default` account: the
        ServiceAccount admission plugin refuses pods until then, as upstream's does."""
        if any("-serviceaccount" in arg for arg in self.extra_args):
            return
        wait_for(lambda: self.kubectl("get", "serviceaccount", "default", "-n", namespace, check=False).returncode == 0,
                 timeout=30, interval=0.1, message="the default service account of %s" % namespace)

    def wait_for_root_ca_configmap(self, namespace):
        """Waits for the root-ca-cert-publisher to put `kube-root-ca.crt` in `namespace` (as upstream's
        e2e framework does): pods' token volumes read it, and lists of ConfigMaps then hold it from
        the start."""
        wait_for(lambda: self.kubectl("get", "configmap", ROOT_CA_CONFIGMAP, "-n", namespace, check=False).returncode == 0,
                 timeout=30, interval=0.1, message="%s in %s" % (ROOT_CA_CONFIGMAP, namespace))

    def create_namespace(self, name):
        """Creates namespace `name`, ready for pods (its default service account and the
        kube-root-ca.crt ConfigMap exist)."""
        self.kubectl("create", "namespace", name)
        self.wait_for_default_service_account(name)
        self.wait_for_root_ca_configmap(name)

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM: a clean shutdown, which must finish within `timeout` seconds. Returns the exit code."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.dump_threads(process.pid)
                process.kill()
                process.wait()
                self.process = None
                raise AssertionError("skiff did not exit within %ss of SIGTERM; its threads' stacks are in %s"
                                     % (timeout, self.log_path))
        self.process = None
        self._join_reader()
        return process.returncode

    def kill(self):
        """SIGKILL, as a crash."""
        self.process.kill()
        self.process.wait()
        self.process = None
        self._join_reader()

    def _join_reader(self):
        if self._reader is not None:
            self._reader.join(timeout=5)
            self._reader = None

    def dump_threads(self, pid):
        """Appends every thread's stack (gdb, when installed) to the log: what a server that
        stopped answering was doing. Printed with the log tail of a failed test."""
        gdb = shutil.which("gdb")
        if gdb is None:
            return
        try:
            dump = subprocess.run([gdb, "-p", str(pid), "-batch", "-ex", "thread apply all bt 40"],
                                  capture_output=True, text=True, timeout=120).stdout
        except subprocess.TimeoutExpired:
            return
        frames = [line for line in dump.splitlines() if line.startswith(("Thread ", "#"))]
        with open(self.log_path, "a") as log:
            log.write("=== threads of the unresponsive skiff (pid %d)\n%s\n" % (pid, "\n".join(frames)))
        print("\n".join(frames[-400:]))

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as log:
                return b"".join(log.readlines()[-lines:]).decode(errors="replace")
        except OSError:
            return "(no log)"

    def kubectl(self, *args, check=True, input=None, timeout=KUBECTL_TIMEOUT):
        return run_kubectl(self.kubeconfig, args, check=check, input=input, timeout=timeout)

    def popen_kubectl(self, *args):
        env = dict(os.environ, KUBECONFIG=self.kubeconfig)
        return subprocess.Popen([KUBECTL] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def pki_file(self, name):
        """A file the cluster's PKI holds: `ca.crt`, `admin.crt`, `admin.key`, ..."""
        return os.path.join(self.pki_dir, name)

    def requests_session(self):
        """A `requests` session that trusts the cluster CA and presents the admin's client
        certificate: what raw HTTP tests use instead of bare `requests` calls."""
        import requests
        if self._session is None:
            session = requests.Session()
            # Not the environment's settings: REQUESTS_CA_BUNDLE would override `verify`, and a
            # proxy has no business on loopback.
            session.trust_env = False
            if self.server.startswith("https:"):
                session.verify = self.pki_file("ca.crt")
                session.cert = (self.pki_file("admin.crt"), self.pki_file("admin.key"))
            self._session = session
        return self._session

    def api_client(self):
        from kubernetes import client, config
        configuration = client.Configuration()
        config.load_kube_config(config_file=self.kubeconfig, client_configuration=configuration)
        return client.ApiClient(configuration)


def kubectl(*args, check=True, input=None, timeout=KUBECTL_TIMEOUT):
    """kubectl against the session's cluster; returns a CompletedProcess (stdout, stderr, returncode)."""
    return run_kubectl(os.environ["KUBECONFIG"], args, check=check, input=input, timeout=timeout)


@pytest.fixture(scope="session")
def cluster():
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-")
    running = Cluster(data_dir, extra_args=["--storage", E2E_STORAGE] if E2E_STORAGE else []).start()
    previous = os.environ.get("KUBECONFIG")
    os.environ["KUBECONFIG"] = running.kubeconfig
    yield running
    if previous is None:
        os.environ.pop("KUBECONFIG", None)
    else:
        os.environ["KUBECONFIG"] = previous
    started = time.monotonic()
    code = running.stop()
    _running.remove(running)
    assert code == 0, "skiff did not shut down cleanly on SIGTERM (exit %s):\n%s" % (code, running.log_tail())
    assert time.monotonic() - started < STOP_TIMEOUT
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def scratch_cluster():
    """A server of the test's own on its own data dir, not started yet (crash and restart tests)."""
    data_dir = tempfile.mkdtemp(prefix="skiff-e2e-own-")
    running = Cluster(data_dir)
    yield running
    if running.process is not None:
        running.kill()
    if running in _running:
        _running.remove(running)
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def namespace(cluster):
    name = "e2e-" + uuid.uuid4().hex[:8]
    cluster.create_namespace(name)
    return name


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for running in _running:
            report.sections.append(("skiff log (%s, last lines)" % running.server, running.log_tail()))
