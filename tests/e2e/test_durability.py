"""Acknowledged writes survive `kill -9` of the server, resourceVersions keep increasing, and
reads of history the server no longer keeps get 410 Expired. Each test runs its own server."""
import json
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from kubernetes import client, watch
from kubernetes.client.rest import ApiException

from conftest import ROOT_CA_CONFIGMAP, STOP_TIMEOUT, wait_for

JSON = {"Content-Type": "application/json"}


def create(cluster, namespace, name, timeout=30):
    """Creates a configmap; returns its resourceVersion once the server acknowledged it with 201."""
    response = cluster.requests_session().post("%s/api/v1/namespaces/%s/configmaps" % (cluster.server, namespace), headers=JSON,
                             data=json.dumps({"metadata": {"name": name}, "data": {"v": name}}), timeout=timeout)
    assert response.status_code == 201, response.text
    return int(response.json()["metadata"]["resourceVersion"])


def stored_versions(cluster, namespace):
    """The test's ConfigMaps in `namespace` by name, with their resourceVersions (not the
    root-ca-cert-publisher's kube-root-ca.crt, which every namespace holds)."""
    listed = json.loads(cluster.kubectl("-n", namespace, "get", "cm", "-o", "json").stdout)["items"]
    return {item["metadata"]["name"]: int(item["metadata"]["resourceVersion"]) for item in listed
            if item["metadata"]["name"] != ROOT_CA_CONFIGMAP}


def test_acknowledged_writes_survive_kill(scratch_cluster):
    cluster = scratch_cluster.start()
    cluster.create_namespace("durable")
    versions = {}
    for index in range(30):
        versions["cm-%d" % index] = create(cluster, "durable", "cm-%d" % index)
    assert sorted(versions.values()) == [versions["cm-%d" % index] for index in range(30)], "increasing in write order"
    # An update and a delete are acknowledged writes too.
    update = cluster.requests_session().patch("%s/api/v1/namespaces/durable/configmaps/cm-0" % cluster.server, timeout=30,
                            headers={"Content-Type": "application/merge-patch+json"}, data=json.dumps({"data": {"v": "updated"}}))
    assert update.status_code == 200, update.text
    versions["cm-0"] = int(update.json()["metadata"]["resourceVersion"])
    assert cluster.requests_session().delete("%s/api/v1/namespaces/durable/configmaps/cm-1" % cluster.server, timeout=30).status_code == 200
    del versions["cm-1"]
    cluster.kill()
    cluster.start()
    assert stored_versions(cluster, "durable") == versions
    updated = json.loads(cluster.kubectl("-n", "durable", "get", "cm", "cm-0", "-o", "json").stdout)
    assert updated["data"] == {"v": "updated"}
    assert create(cluster, "durable", "after-restart") > max(versions.values())
    # The bootstrap objects are still there once, and the restart did not duplicate them.
    assert cluster.kubectl("get", "svc", "kubernetes", "-n", "default", "-o", "name").stdout.strip() == "service/kubernetes"
    assert cluster.stop() == 0


def test_concurrent_writers_killed_mid_stream(scratch_cluster):
    cluster = scratch_cluster.start()
    cluster.create_namespace("busy")
    acknowledged = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        index = 0
        while not stop.is_set() and index < 1000:
            name = "w%d-%d" % (worker, index)
            try:
                version = create(cluster, "busy", name, timeout=10)
            except Exception:
                return  # the server is gone: this create was not acknowledged
            with lock:
                acknowledged[name] = version
            index += 1

    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(writer, worker) for worker in range(16)]
        wait_for(lambda: len(acknowledged) >= 300, timeout=60, message="300 acknowledged creates")
        cluster.kill()  # while 16 writers are still sending
        stop.set()
        for future in futures:
            future.result(timeout=30)
    with lock:
        written = dict(acknowledged)
    assert len(set(written.values())) == len(written), "every acknowledged write has its own resourceVersion"
    cluster.start()
    stored = stored_versions(cluster, "busy")
    lost = sorted(name for name in written if name not in stored)
    assert not lost, "%d of %d acknowledged creates lost after kill -9: %s" % (len(lost), len(written), lost[:10])
    changed = sorted(name for name in written if stored[name] != written[name])
    assert not changed, "resourceVersions changed across the restart: %s" % changed[:10]
    assert create(cluster, "busy", "after-restart") > max(max(written.values()), max(stored.values()))
    assert cluster.stop() == 0


def test_sigint_shuts_down_cleanly_and_restart_keeps_data(scratch_cluster):
    cluster = scratch_cluster.start()
    cluster.create_namespace("calm")
    version = create(cluster, "calm", "kept")
    process = cluster.process
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=STOP_TIMEOUT) == 0
    assert time.monotonic() - started < STOP_TIMEOUT
    cluster.process = None
    cluster.start()
    assert stored_versions(cluster, "calm") == {"kept": version}
    assert cluster.stop() == 0


def test_watch_from_before_a_restart_is_expired(scratch_cluster):
    """After a restart the server's watch history starts at its current revision, as upstream's
    watch cache does: a watch from an older revision gets a 410 Expired ERROR event."""
    cluster = scratch_cluster.start()
    cluster.create_namespace("history")
    old = create(cluster, "history", "first")
    create(cluster, "history", "second")
    assert cluster.stop() == 0
    cluster.start()
    response = cluster.requests_session().get("%s/api/v1/namespaces/history/configmaps?watch=1&resourceVersion=%d&timeoutSeconds=5"
                            % (cluster.server, old), timeout=20)
    assert response.status_code == 200, response.text
    events = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    assert len(events) == 1, events
    assert events[0]["type"] == "ERROR"
    status = events[0]["object"]
    assert status["kind"] == "Status" and status["code"] == 410 and status["reason"] == "Expired", status
    # The Python client turns it into an ApiException (after its one retry).
    core = client.CoreV1Api(cluster.api_client())
    with pytest.raises(ApiException) as failure:
        for _ in watch.Watch().stream(core.list_namespaced_config_map, "history", resource_version=str(old), timeout_seconds=5):
            pass
    assert failure.value.status == 410
    # A watch from the current revision works.
    current = core.list_namespaced_config_map("history").metadata.resource_version
    fresh = cluster.requests_session().get("%s/api/v1/namespaces/history/configmaps?watch=1&resourceVersion=%s&timeoutSeconds=1"
                         % (cluster.server, current), timeout=20)
    assert fresh.status_code == 200 and fresh.text.strip() == ""
    assert cluster.stop() == 0


def test_reads_of_compacted_history_expire(scratch_cluster):
    scratch_cluster.extra_args = ["--compaction-interval", "1"]
    cluster = scratch_cluster.start()
    cluster.create_namespace("old")
    first = create(cluster, "old", "first")
    for name in ["second", "third", "fourth"]:
        create(cluster, "old", name)
    base = "%s/api/v1/namespaces/old/configmaps" % cluster.server
    exact = "%s?resourceVersion=%d&resourceVersionMatch=Exact" % (base, first)
    response = cluster.requests_session().get(exact, timeout=10)
    assert response.status_code == 200
    assert [item["metadata"]["name"] for item in response.json()["items"]] == ["first", ROOT_CA_CONFIGMAP]
    page = cluster.requests_session().get(base + "?limit=2", timeout=10).json()
    token = page["metadata"]["continue"]
    assert token and page["metadata"]["remainingItemCount"] == 3
    create(cluster, "old", "fifth")
    # The compactor runs every second and compacts to the revision it saw a second earlier, so
    # the list's revision (after the first's) may be compacted a tick later: wait for both.
    continue_url = base + "?limit=2&continue=" + token
    wait_for(lambda: all(cluster.requests_session().get(url, timeout=10).status_code != 200 for url in (exact, continue_url)),
             timeout=15, interval=0.2, message="revision %d and the list's to be compacted" % first)
    expired = cluster.requests_session().get(exact, timeout=10)
    assert expired.status_code == 410, expired.text
    assert expired.json()["reason"] == "Expired"
    continued = cluster.requests_session().get(continue_url, timeout=10)
    assert continued.status_code == 410, continued.text
    assert continued.json()["reason"] == "Expired"
    assert "continue" in continued.json()["message"]
    # Reads of the present still work.
    assert len(cluster.requests_session().get(base, timeout=10).json()["items"]) == 6  # and kube-root-ca.crt
    assert cluster.stop() == 0
