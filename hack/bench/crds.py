#!/usr/bin/env python3
"""Custom resources beside ConfigMaps (issue 11's figures), in one run of `skiff apiserver` on
SQLite: creates and gets with wrk (1 KiB objects, 1 and 64 clients), a consistent list of
5,000 objects, the time from creating a CRD to its `Established` condition and to its
discovery document, and the server CPU a CEL rule adds to each create. Prints a Markdown report
with the server's CPU time per request of each wrk run (steadier than rates on a loaded machine).
Usage: python3 hack/bench/crds.py (SKIFF_BIN, BENCH_DURATION as for bench.py)."""
import os
import shutil
import statistics
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import cpu_seconds, create_many, start_apiserver, wrk  # noqa: E402

GROUP = "bench.example.com"
CLIENTS = (1, 64)
LISTED = 5000


def crd(plural, kind, rules):
    """A namespaced CRD of `GROUP`/v1 whose spec has a size, a color and a payload; `rules` adds
    two CEL validation rules (the kind operators write: a bound and a membership test)."""
    spec = {"type": "object", "properties": {"size": {"type": "integer"}, "color": {"type": "string"},
                                             "payload": {"type": "string"}}}
    if rules:
        spec["x-kubernetes-validations"] = [{"rule": "self.size <= 100", "message": "size must be at most 100"},
                                            {"rule": "self.color in ['red', 'green', 'blue']"}]
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "%s.%s" % (plural, GROUP)},
            "spec": {"group": GROUP, "scope": "Namespaced",
                     "names": {"plural": plural, "singular": kind.lower(), "kind": kind, "listKind": kind + "List"},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": spec}}}}]}}


def install(session, server, plural, kind, rules):
    """Creates the CRD; returns seconds until `Established` and until the group version's
    discovery document lists the resource, both polled every 5 ms from the create."""
    began = time.monotonic()
    response = session.post(server + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json=crd(plural, kind, rules))
    assert response.status_code == 201, response.text
    established = discovered = None
    while established is None or discovered is None:
        if established is None:
            conditions = session.get(server + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/%s.%s"
                                     % (plural, GROUP)).json().get("status", {}).get("conditions", [])
            if any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
                established = time.monotonic() - began
        if discovered is None:
            document = session.get(server + "/apis/%s/v1" % GROUP)
            if document.ok and any(r["name"] == plural for r in document.json().get("resources", [])):
                discovered = time.monotonic() - began
        assert time.monotonic() - began < 30, "CRD %s not served after 30 s" % plural
        time.sleep(0.005)
    return established, discovered


def list_ms(session, url):
    samples = []
    for _ in range(5):
        began = time.monotonic()
        count = len(session.get(url).json()["items"])
        samples.append((time.monotonic() - began) * 1000)
        assert count == LISTED, count
    return statistics.median(samples)


def create_cpu_ms(session, server, pid, path, body, rounds=300):
    """Server CPU per create, sent one at a time."""
    began = cpu_seconds(pid)
    for index in range(rounds):
        response = session.post(server + path, json=body("cpu-%d" % index))
        assert response.status_code == 201, response.text
    return (cpu_seconds(pid) - began) / rounds * 1000


def custom_object(kind, name):
    return {"apiVersion": GROUP + "/v1", "kind": kind, "metadata": {"name": name},
            "spec": {"size": 7, "color": "blue", "payload": "x" * 1000}}


def main():
    scratch = tempfile.mkdtemp(prefix="skiff-bench-crds-")
    server_process = None
    try:
        server_process, server = start_apiserver(os.path.join(scratch, "skiff"))
        session = requests.Session()
        for namespace in ["bench", "list"]:
            session.post(server + "/api/v1/namespaces", json={"metadata": {"name": namespace}})
        timings = {plural: install(session, server, plural, kind, rules)
                   for plural, kind, rules in [("widgets", "Widget", False), ("ruledwidgets", "RuledWidget", True)]}

        seeds = ["seed-%d" % i for i in range(1000)]
        create_many(requests.Session, server + "/api/v1/namespaces/bench/configmaps", seeds,
                    lambda name: {"metadata": {"name": name}, "data": {"k": "x" * 1000}})
        create_many(requests.Session, server + "/apis/%s/v1/namespaces/bench/widgets" % GROUP, seeds,
                    lambda name: custom_object("Widget", name))
        rows = []
        pids = (server_process.pid,)
        for clients in CLIENTS:
            rows.append(("create", clients, wrk(server, "hack/bench/skiff_create.lua", clients, "cm%d" % clients, pids=pids),
                         wrk(server, "hack/bench/skiff_create_cr.lua", clients, "cr%d" % clients, "widgets", "Widget", pids=pids)))
        for clients in CLIENTS:
            rows.append(("get", clients, wrk(server, "hack/bench/skiff_get.lua", clients, "cm", pids=pids),
                         wrk(server, "hack/bench/skiff_get_cr.lua", clients, "cr", "widgets", pids=pids)))

        listed = ["obj-%d" % i for i in range(LISTED)]
        create_many(requests.Session, server + "/api/v1/namespaces/list/configmaps", listed,
                    lambda name: {"metadata": {"name": name}, "data": {"k": "x" * 1000}})
        create_many(requests.Session, server + "/apis/%s/v1/namespaces/list/widgets" % GROUP, listed,
                    lambda name: custom_object("Widget", name))
        lists = (list_ms(session, server + "/api/v1/namespaces/list/configmaps"),
                 list_ms(session, server + "/apis/%s/v1/namespaces/list/widgets" % GROUP))

        path = "/apis/%s/v1/namespaces/bench/" % GROUP
        plain = create_cpu_ms(session, server, server_process.pid, path + "widgets", lambda n: custom_object("Widget", "p" + n))
        ruled = create_cpu_ms(session, server, server_process.pid, path + "ruledwidgets", lambda n: custom_object("RuledWidget", "r" + n))
    finally:
        if server_process is not None and server_process.poll() is None:
            server_process.terminate()
            server_process.wait()
        shutil.rmtree(scratch, ignore_errors=True)

    print("| operation | clients | ConfigMaps req/s, p99 ms | custom objects req/s, p99 ms | custom / ConfigMaps "
          "| server CPU µs/request: ConfigMaps, custom |")
    print("|---|---|---|---|---|---|")
    for verb, clients, configmaps, custom in rows:
        print("| %s | %d | %.0f, %.1f | %.0f, %.1f | %.2f | %.0f, %.0f |" % (
            verb, clients, configmaps["rate"], configmaps["p99"], custom["rate"], custom["p99"], custom["rate"] / configmaps["rate"],
            configmaps["cpu"][0] * 1000, custom["cpu"][0] * 1000))
    print("| list %d (consistent, from the watch cache), median of 5 | 1 | %.0f ms | %.0f ms | %.2f | |"
          % (LISTED, lists[0], lists[1], lists[0] / lists[1]))
    print()
    print("| measurement | value |")
    print("|---|---|")
    for plural, (established, discovered) in timings.items():
        print("| CRD `%s` created → Established / → in discovery | %.0f ms / %.0f ms |" % (plural, established * 1000, discovered * 1000))
    print("| server CPU per create: without CEL rules / with two rules | %.3f ms / %.3f ms |" % (plain, ruled))
    print("| CEL cost per object (difference) | %.3f ms |" % (ruled - plain))


if __name__ == "__main__":
    main()
