#!/usr/bin/env python3
"""What TLS, authentication, RBAC and admission cost (issue 13's figure): the same creates and
gets of 1 KiB ConfigMaps (bench.py's wrk scripts) against `skiff up --nodes 0` twice:

- secure: HTTPS (wrk over TLS 1.3, HTTP/1.1 keep-alive), a bearer token from `--token-auth-file`
  for a user whom RBAC allows exactly this through a Role (`Node,RBAC`), every default admission
  plugin on;
- TLS only: the same HTTPS and token with `--authorization-mode AlwaysAllow` and every admission
  plugin disabled, which splits the cost of the transport from that of the checks;
- off: `--insecure-serving --authorization-mode AlwaysAllow --disable-admission-plugins <all>`.

The three servers run side by side and are measured in turns: each round runs every operation
against the three one after another (the order rotating from round to round), so that what else
the machine does falls on all three alike. Prints a Markdown table with the median rates, the
median of the rounds' secure/off ratios with their range (the aim: within 15 %), and the server's
CPU time per request of each (less sensitive than rates to other work on the machine).
Usage: python3 hack/bench/security.py (SKIFF_BIN, BENCH_DURATION as for bench.py, BENCH_ROUNDS
(default 5); needs wrk)."""
import os
import re
import statistics
import shutil
import subprocess
import sys
import tempfile

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import DURATION, SKIFF, create_many, free_port, start_skiff, wrk  # noqa: E402

CLIENTS = (1, 64)
OPERATIONS = [("create", "skiff_create.lua"), ("get", "skiff_get.lua")]
TOKEN = "bench-token"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SETUPS = ("secure", "tls-only", "off")


def admission_plugins():
    """The plugins on by default, as `skiff apiserver --help` lists them."""
    usage = subprocess.run([SKIFF, "apiserver", "--help"], capture_output=True, text=True, check=True).stdout
    listed = re.search(r"default on:\s*([^)]*)\)", " ".join(usage.split())).group(1)
    return [name.strip() for name in listed.split(",") if name.strip()]


def secure_session(data_dir):
    session = requests.Session()
    session.trust_env = False
    session.verify = os.path.join(data_dir, "pki", "ca.crt")
    session.cert = (os.path.join(data_dir, "pki", "admin.crt"), os.path.join(data_dir, "pki", "admin.key"))
    return session


def prepare(server, session_factory):
    """The namespace, the user's Role and binding (ignored without RBAC) and 1,000 seeds to get."""
    session = session_factory()
    for path, body in [
        ("/api/v1/namespaces", {"metadata": {"name": "bench"}}),
        ("/apis/rbac.authorization.k8s.io/v1/namespaces/bench/roles",
         {"metadata": {"name": "bench"}, "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["create", "get"]}]}),
        ("/apis/rbac.authorization.k8s.io/v1/namespaces/bench/rolebindings",
         {"metadata": {"name": "bench"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "bench"},
          "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bench"}]}),
    ]:
        session.post(server + path, json=body, timeout=30).raise_for_status()
    create_many(session_factory, server + "/api/v1/namespaces/bench/configmaps", ["seed-%d" % i for i in range(1000)],
                lambda name: {"metadata": {"name": name}, "data": {"k": "x" * 1000}})


def measured(server, script, clients, tag, token):
    """wrk's figures and the server's CPU time per request (µs): on a loaded machine the rate
    follows the load, the CPU a request costs much less."""
    os.environ["BENCH_TOKEN"] = token
    try:
        result = wrk(server.url, "hack/bench/" + script, clients, tag, pids=[server.process.pid])
    finally:
        del os.environ["BENCH_TOKEN"]
    assert result["errors"] == 0, (server.url, tag, result)
    result["cpu_us"] = result["cpu"][0] * 1000
    return result


class Server:
    """One `skiff up --nodes 0` with the bench namespace, its Role and 1,000 seeds."""

    def __init__(self, scratch, name, args, session_factory, token):
        data_dir = os.path.join(scratch, name)
        os.makedirs(data_dir)
        port = free_port()
        insecure = "--insecure-serving" in args
        if not insecure:
            tokens = os.path.join(data_dir, "tokens.csv")
            with open(tokens, "w") as out:
                out.write("%s,bench,2001\n" % TOKEN)
            args = args + ["--token-auth-file", tokens]
        self.token = token
        self.process, _ = start_skiff(data_dir, port, ["--nodes", "0"] + args)
        self.url = "%s://127.0.0.1:%d" % ("http" if insecure else "https", port)
        prepare(self.url, lambda: session_factory(data_dir))
        if token:
            # A token the server refused would make every request a 401: one checked request first.
            check = requests.get(self.url + "/api/v1/namespaces/bench/configmaps/seed-0", headers={"Authorization": "Bearer " + token},
                                 verify=os.path.join(data_dir, "pki", "ca.crt"), timeout=30)
            assert check.status_code == 200, check.text

    def stop(self):
        self.process.terminate()
        self.process.wait()


def plain_session(_):
    session = requests.Session()
    session.trust_env = False
    return session


def main():
    scratch = tempfile.mkdtemp(prefix="skiff-bench-security-")
    checks_off = ["--authorization-mode", "AlwaysAllow", "--disable-admission-plugins", ",".join(admission_plugins())]
    servers = {}
    samples = {}
    try:
        servers["secure"] = Server(scratch, "secure", [], secure_session, TOKEN)
        servers["tls-only"] = Server(scratch, "tls-only", checks_off, secure_session, TOKEN)
        servers["off"] = Server(scratch, "off", ["--insecure-serving"] + checks_off, plain_session, "")
        for round_number in range(ROUNDS):
            order = SETUPS[round_number % 3:] + SETUPS[:round_number % 3]
            for verb, script in OPERATIONS:
                for clients in CLIENTS:
                    for setup in order:
                        server = servers[setup]
                        result = measured(server, script, clients, "%s%dr%d" % (verb, clients, round_number), server.token)
                        samples.setdefault((verb, clients, setup), []).append(result)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    median = lambda runs, key: statistics.median(run[key] for run in runs)
    print("%d rounds of %s each; medians, and the range of the rounds' ratios\n" % (ROUNDS, DURATION))
    print("| operation | clients | TLS + token + RBAC + admission: req/s, p50 / p99 ms | TLS + token only | all off | secure / off (range) "
          "| TLS only / off (range) | server CPU µs/request: secure, TLS only, off |")
    print("|---|---|---|---|---|---|---|---|")
    for verb, _ in OPERATIONS:
        for clients in CLIENTS:
            runs = [samples[(verb, clients, setup)] for setup in SETUPS]
            ratios = [[a["rate"] / b["rate"] for a, b in zip(runs[i], runs[2])] for i in (0, 1)]
            print("| %s | %d | %s | %s | %s |" % (
                verb, clients, " | ".join("%.0f, %.1f / %.1f" % (median(r, "rate"), median(r, "p50"), median(r, "p99")) for r in runs),
                " | ".join("%.2f (%.2f–%.2f)" % (statistics.median(r), min(r), max(r)) for r in ratios),
                ", ".join("%.0f" % median(r, "cpu_us") for r in runs)))


if __name__ == "__main__":
    main()
