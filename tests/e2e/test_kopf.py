"""The Python operator framework kopf (PyPI, unmodified) runs against Skiff: `kopf run` an operator
(fixtures/kopf_operator.py) with create, update and delete handlers on a CRD with a status
subresource. Each handler runs exactly once per change, kopf's finalizer comes and goes, its
`/status` merge patches land, and its JSON patches guarded by a `test` op on `resourceVersion`
behave as upstream (a failed `test` is 422)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import pytest

from conftest import wait_for

kopf = pytest.importorskip("kopf", reason="kopf is not installed (.ci/run installs it from PyPI)")

GROUP, VERSION, PLURAL = "kopf.e2e.skiff.dev", "v1", "kopfpets"
CRD_NAME = "%s.%s" % (PLURAL, GROUP)
OPERATOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "kopf_operator.py")
FINALIZER = "kopf.e2e.skiff.dev/finalizer"
KOPF_TIMEOUT = 60

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": CRD_NAME},
    "spec": {
        "group": GROUP,
        "scope": "Namespaced",
        "names": {"plural": PLURAL, "singular": "kopfpet", "kind": "KopfPet"},
        "versions": [{
            "name": VERSION, "served": True, "storage": True,
            "subresources": {"status": {}},
            "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {
                    "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                    "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                },
            }},
        }],
    },
}


@pytest.fixture(scope="module")
def crd(cluster):
    cluster.kubectl("apply", "-f", "-", input=json.dumps(CRD))
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/" + CRD_NAME)
    yield CRD_NAME
    cluster.kubectl("delete", "crd", CRD_NAME, "--timeout=60s")


class KopfOperator:
    """`kopf run --standalone` on one namespace, with its handler-call log and its own output."""

    def __init__(self, cluster, namespace):
        self.directory = tempfile.mkdtemp(prefix="skiff-kopf-")
        self.calls_path = os.path.join(self.directory, "calls.jsonl")
        self.output_path = os.path.join(self.directory, "kopf.log")
        env = dict(os.environ, KUBECONFIG=cluster.kubeconfig, KOPF_E2E_LOG=self.calls_path)
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kopf", "run", "--standalone", "--verbose", "--namespace", namespace, OPERATOR],
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, env=env)

    def calls(self, event=None, name=None):
        try:
            with open(self.calls_path) as log:
                entries = [json.loads(line) for line in log if line.strip()]
        except FileNotFoundError:
            return []
        return [e for e in entries if (event is None or e["event"] == event) and (name is None or e["name"] == name)]

    def output(self):
        with open(self.output_path, errors="replace") as output:
            return output.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def operator(cluster, crd, namespace, request):
    running = KopfOperator(cluster, namespace)
    yield running
    running.stop()
    if os.environ.get("KOPF_E2E_KEEP_OUTPUT"):
        print(running.output())
    shutil.rmtree(running.directory, ignore_errors=True)


def get_pet(cluster, namespace, name):
    result = cluster.kubectl("get", "%s.%s" % (PLURAL, GROUP), name, "-n", namespace, "-o", "json", check=False)
    return json.loads(result.stdout) if result.returncode == 0 else None


def wait_handled(cluster, namespace, name, operator, check, message):
    """Waits until the object satisfies `check` and kopf has nothing in progress for it (no
    progress records in its status or annotations): the change is fully handled."""
    def handled():
        pet = get_pet(cluster, namespace, name)
        if pet is None or not check(pet):
            return None
        annotations = pet["metadata"].get("annotations", {})
        in_progress = [k for k in annotations if k.startswith("kopf.zalando.org/") and k != "kopf.zalando.org/last-handled-configuration"]
        progress = pet.get("status", {}).get("kopf", {}).get("progress")
        return pet if not in_progress and not progress else None
    try:
        return wait_for(handled, timeout=KOPF_TIMEOUT, interval=0.2, message=message)
    except AssertionError as failure:
        raise AssertionError("%s\nobject: %s\nkopf output:\n%s" % (failure, get_pet(cluster, namespace, name), operator.output()[-6000:])) from None


def test_kopf_handlers_run_once_per_change_and_the_finalizer_goes(cluster, namespace, operator):
    manifest = {"apiVersion": "%s/%s" % (GROUP, VERSION), "kind": "KopfPet",
                "metadata": {"name": "rex", "namespace": namespace}, "spec": {"size": 1}}
    cluster.kubectl("create", "-f", "-", input=json.dumps(manifest))

    created = wait_handled(cluster, namespace, "rex", operator,
                           lambda pet: pet.get("status", {}).get("phase") == "Created", "the create handler's status")
    assert FINALIZER in created["metadata"].get("finalizers", [])
    # The handler's return value is stored under its id in status, through the /status subresource.
    assert created["status"]["created"] == {"size": 1}
    assert "kopf.zalando.org/last-handled-configuration" in created["metadata"]["annotations"]
    assert created["metadata"]["generation"] == 1, "status and metadata writes must not bump the generation"

    cluster.kubectl("patch", "%s.%s" % (PLURAL, GROUP), "rex", "-n", namespace, "--type=merge", "-p", '{"spec":{"size":2}}')
    updated = wait_handled(cluster, namespace, "rex", operator,
                           lambda pet: pet.get("status", {}).get("phase") == "Updated", "the update handler's status")
    assert updated["status"]["size"] == 2
    assert updated["metadata"]["generation"] == 2

    cluster.kubectl("delete", "%s.%s" % (PLURAL, GROUP), "rex", "-n", namespace, "--wait=false")
    try:
        wait_for(lambda: get_pet(cluster, namespace, "rex") is None, timeout=KOPF_TIMEOUT, interval=0.2,
                 message="the finalizer removed and the object gone")
    except AssertionError as failure:
        raise AssertionError("%s\nobject: %s\nkopf output:\n%s" % (failure, get_pet(cluster, namespace, "rex"), operator.output()[-6000:])) from None

    operator.stop()
    assert [c["size"] for c in operator.calls("create", "rex")] == [1], operator.calls()
    assert [(c["old"], c["new"]) for c in operator.calls("update", "rex")] == [(1, 2)], operator.calls()
    assert len(operator.calls("delete", "rex")) == 1, operator.calls()
    assert operator.process.returncode == 0, operator.output()[-6000:]


def test_json_patch_with_a_stale_resource_version_test_is_422(cluster, crd, namespace):
    """What kopf relies on to add and remove finalizers safely: upstream answers a failed `test`
    op with 422 (reason Invalid), and the object is left as it was."""
    manifest = {"apiVersion": "%s/%s" % (GROUP, VERSION), "kind": "KopfPet",
                "metadata": {"name": "guarded", "namespace": namespace}, "spec": {"size": 1}}
    created = json.loads(cluster.kubectl("create", "-f", "-", "-o", "json", input=json.dumps(manifest)).stdout)
    url = "%s/apis/%s/%s/namespaces/%s/%s/guarded" % (cluster.server, GROUP, VERSION, namespace, PLURAL)
    headers = {"Content-Type": "application/json-patch+json"}
    http = cluster.requests_session()
    guard = {"op": "test", "path": "/metadata/resourceVersion", "value": created["metadata"]["resourceVersion"]}
    first = http.patch(url, headers=headers, data=json.dumps([guard, {"op": "add", "path": "/metadata/finalizers", "value": [FINALIZER]}]), timeout=30)
    assert first.status_code == 200, first.text
    stale = http.patch(url, headers=headers, data=json.dumps([guard, {"op": "remove", "path": "/metadata/finalizers"}]), timeout=30)
    assert stale.status_code == 422, stale.text
    status = stale.json()
    assert status["kind"] == "Status" and status["reason"] == "Invalid" and status["code"] == 422, status
    assert "testing value /metadata/resourceVersion failed: test failed" in status["message"], status
    status_url = url + "/status"
    stale_status = http.patch(status_url, headers=headers, data=json.dumps([guard, {"op": "add", "path": "/status", "value": {"phase": "x"}}]), timeout=30)
    assert stale_status.status_code == 422, stale_status.text
    current = http.get(url, timeout=30).json()
    assert current["metadata"]["finalizers"] == [FINALIZER] and "status" not in current
    cluster.kubectl("patch", "%s.%s" % (PLURAL, GROUP), "guarded", "-n", namespace, "--type=json",
                    "-p", '[{"op":"remove","path":"/metadata/finalizers"}]')
