"""pytest plugin that runs kr8s' own test suite (shipped in the kr8s wheel, `kr8s/tests`) against
`skiff up` instead of the kind cluster its repository's root conftest.py makes.

It provides the two fixtures that conftest.py holds upstream (and which the wheel does not ship):
- `k8s_cluster` (session, autouse): one `skiff up` on a scratch data dir and a free port, started
  and stopped by the end-to-end harness (tests/e2e/conftest.py, so `SKIFF_BIN` chooses the binary
  there too); KUBECONFIG names its admin kubeconfig for the whole session, as upstream's fixture
  sets it. The object answers what kr8s' tests ask of pytest-kind's `KindCluster`: `name`,
  `kubeconfig_path`, `kubectl_path` and `kubectl(*args)` (stdout, raising when kubectl fails).
- `ensure_gc`: a garbage collection before and after the test.

It also deselects the tests listed in the file `SKIFF_KR8S_DESELECT` names (default
`kr8s_deselect.txt` beside this file): one `file.py::test_name[params]` a line, each with the reason
after `#`. An entry without `[params]` deselects every parametrisation. An entry that matches no
collected test of a collected file fails the run, so the list cannot go stale silently.

Run it through tests/thirdparty/run_kr8s.sh, which points pytest at the installed kr8s tests.
"""
import gc
import importlib.util
import os
import pathlib
import shutil
import tempfile
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
DESELECT_FILE = pathlib.Path(os.environ.get("SKIFF_KR8S_DESELECT", HERE / "kr8s_deselect.txt"))


def _load_harness():
    """The end-to-end harness module (tests/e2e/conftest.py), under a name of its own so that it
    does not collide with the `conftest` modules pytest imports."""
    spec = importlib.util.spec_from_file_location("skiff_e2e_harness", HERE.parent / "e2e" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = _load_harness()
_cluster_key = pytest.StashKey()


class SkiffCluster:
    """A running `skiff up` with the interface kr8s' tests use of pytest-kind's `KindCluster`."""

    name = "skiff"

    def __init__(self, cluster):
        self.cluster = cluster
        self.kubeconfig_path = pathlib.Path(cluster.kubeconfig)
        self.kubectl_path = pathlib.Path(harness.KUBECTL)

    def kubectl(self, *args):
        return self.cluster.kubectl(*args).stdout


@pytest.fixture(scope="session", autouse=True)
def k8s_cluster(request):
    data_dir = tempfile.mkdtemp(prefix="skiff-kr8s-")
    # kr8s' suite is written against kind, which bundles no metrics server: test_api_resources
    # expects one resource named "pods", and metrics.k8s.io serves a second.
    cluster = harness.Cluster(data_dir, extra_args=["--metric-resolution=0"])
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    previous = os.environ.get("KUBECONFIG")
    os.environ["KUBECONFIG"] = cluster.kubeconfig
    request.config.stash[_cluster_key] = cluster
    try:
        yield SkiffCluster(cluster)
    finally:
        if previous is None:
            os.environ.pop("KUBECONFIG", None)
        else:
            os.environ["KUBECONFIG"] = previous
        started = time.monotonic()
        code = cluster.stop()
        elapsed = time.monotonic() - started
        clean = code == 0 and elapsed < harness.STOP_TIMEOUT
        if clean and request.session.testsfailed == 0:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print("\nskiff's data dir and log are kept in %s" % data_dir)
        assert clean, "skiff did not shut down cleanly on SIGTERM (exit %s after %.1fs):\n%s" % (
            code, elapsed, cluster.log_tail())


@pytest.fixture
def ensure_gc():
    gc.collect()
    yield
    gc.collect()


def read_deselect_list(path):
    """The entries of a deselect file: {test id: reason}. Every entry needs a reason."""
    entries = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        test_id, _, reason = line.partition("#")
        if not reason.strip():
            raise pytest.UsageError("%s:%d: %s has no reason after '#'" % (path, number, test_id.strip()))
        entries[test_id.strip()] = reason.strip()
    return entries


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: the list is checked against every collected test
def pytest_collection_modifyitems(config, items):
    entries = read_deselect_list(DESELECT_FILE)
    collected_files = {item.path.name for item in items}
    used = set()
    kept, deselected = [], []
    for item in items:
        test_id = "%s::%s" % (item.path.name, item.name)
        entry = test_id if test_id in entries else test_id.split("[", 1)[0]
        if entry in entries:
            used.add(entry)
            deselected.append(item)
        else:
            kept.append(item)
    stale = sorted(entry for entry in set(entries) - used if entry.split("::", 1)[0] in collected_files)
    if stale:
        raise pytest.UsageError("%s lists tests that were not collected: %s" % (DESELECT_FILE, ", ".join(stale)))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    cluster = item.config.stash.get(_cluster_key, None)
    if report.failed and cluster is not None:
        report.sections.append(("skiff log (last lines)", cluster.log_tail()))
