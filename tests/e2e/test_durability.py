"""Acknowledged writes survive `kill -9` of the server, and resourceVersions keep increasing."""
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests


def create(cluster, namespace, name):
    response = requests.post("%s/api/v1/namespaces/%s/configmaps" % (cluster.server, namespace),
                             data=json.dumps({"metadata": {"name": name}, "data": {"v": name}}), timeout=30)
    assert response.status_code == 201, response.text
    return int(response.json()["metadata"]["resourceVersion"])


def test_acknowledged_writes_survive_kill(scratch_cluster):
    cluster = scratch_cluster.start()
    cluster.kubectl("create", "namespace", "durable")
    versions = {("cm-%d" % index): create(cluster, "durable", "cm-%d" % index) for index in range(30)}
    cluster.kill()
    cluster.start()
    listed = json.loads(cluster.kubectl("-n", "durable", "get", "cm", "-o", "json").stdout)["items"]
    stored = {item["metadata"]["name"]: int(item["metadata"]["resourceVersion"]) for item in listed}
    for name, version in versions.items():
        assert stored.get(name) == version, name
    assert create(cluster, "durable", "after-restart") > max(versions.values())
    assert cluster.stop() == 0


def test_concurrent_writers_killed_mid_stream(scratch_cluster):
    cluster = scratch_cluster.start()
    cluster.kubectl("create", "namespace", "busy")
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        index = 0
        while not stop.is_set():
            name = "w%d-%d" % (worker, index)
            try:
                create(cluster, "busy", name)
            except Exception:
                return
            with lock:
                acknowledged.append(name)
            index += 1

    with ThreadPoolExecutor(max_workers=16) as pool:
        for worker in range(16):
            pool.submit(writer, worker)
        deadline = 200
        while True:
            with lock:
                if len(acknowledged) >= deadline:
                    break
            stop.wait(0.01)
        cluster.kill()
        stop.set()
    cluster.start()
    listed = json.loads(cluster.kubectl("-n", "busy", "get", "cm", "-o", "json").stdout)["items"]
    names = {item["metadata"]["name"] for item in listed}
    with lock:
        lost = [name for name in acknowledged if name not in names]
    assert not lost, "acknowledged creates lost after kill -9: %s" % lost[:10]
    assert cluster.stop() == 0


def test_reads_of_compacted_history_expire(scratch_cluster):
    scratch_cluster.extra_args = ["--compaction-interval", "1"]
    cluster = scratch_cluster.start()
    cluster.kubectl("create", "namespace", "old")
    first = create(cluster, "old", "first")
    url = "%s/api/v1/namespaces/old/configmaps?resourceVersion=%d&resourceVersionMatch=Exact" % (cluster.server, first)
    assert requests.get(url, timeout=10).status_code == 200
    create(cluster, "old", "second")
    # The compactor runs every second and compacts to the revision it saw a second earlier.
    deadline = time.monotonic() + 15
    response = requests.get(url, timeout=10)
    while response.status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.2)
        response = requests.get(url, timeout=10)
    assert response.status_code == 410, response.text
    assert response.json()["reason"] == "Expired"
    assert cluster.stop() == 0
