#!/usr/bin/env python3
"""What TLS, authentication, RBAC and admission cost (issue 13's figure): the same creates and
gets of 1 KiB ConfigMaps (bench.py's wrk scripts) against `skiff up --nodes 0` twice:

- secure: HTTPS (wrk over TLS 1.3, HTTP/1.1 keep-alive), a bearer token from `--token-auth-file`
  for a user whom RBAC allows exactly this through a Role (`Node,RBAC`), every default admission
  plugin on;
- TLS only: the same HTTPS and token with `--authorization-mode AlwaysAllow` and every admission
  plugin disabled, which splits the cost of the transport from that of the checks;
- off: `--insecure-serving --authorization-mode AlwaysAllow --disable-admission-plugins <all>`.

Prints a Markdown table with the secure/off ratios (the aim: within 15 %) and the server's CPU
time per request of each (less sensitive than rates to other work on the machine).
Usage: python3 hack/bench/security.py (SKIFF_BIN, BENCH_DURATION as for bench.py; needs wrk)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import DURATION, SKIFF, cpu_seconds, create_many, free_port, start_skiff, wrk  # noqa: E402

CLIENTS = (1, 64)
TOKEN = "bench-token"


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


def measured(pid, server, script, clients, tag):
    """wrk's figures and the server's CPU time per request (µs): on a loaded machine the rate
    follows the load, the CPU a request costs much less."""
    began = cpu_seconds(pid)
    result = wrk(server, script, clients, tag)
    seconds = float(DURATION.rstrip("s"))
    result["cpu_us"] = (cpu_seconds(pid) - began) / (result["rate"] * seconds) * 1e6
    return result


def drive(pid, server, token):
    os.environ["BENCH_TOKEN"] = token
    try:
        results = {(verb, clients): measured(pid, server, "hack/bench/" + script, clients, "%s%d" % (verb, clients))
                   for verb, script in [("create", "skiff_create.lua"), ("get", "skiff_get.lua")] for clients in CLIENTS}
    finally:
        del os.environ["BENCH_TOKEN"]
    for key, result in results.items():
        assert result["errors"] == 0, (key, result)
    return results


def run(scratch, name, args, session_factory, token):
    data_dir = os.path.join(scratch, name)
    os.makedirs(data_dir)
    port = free_port()
    insecure = "--insecure-serving" in args
    if not insecure:
        tokens = os.path.join(data_dir, "tokens.csv")
        with open(tokens, "w") as out:
            out.write("%s,bench,2001\n" % TOKEN)
        args = args + ["--token-auth-file", tokens]
    process, _ = start_skiff(data_dir, port, ["--nodes", "0"] + args)
    try:
        server = "%s://127.0.0.1:%d" % ("http" if insecure else "https", port)
        prepare(server, lambda: session_factory(data_dir))
        if token:
            # A token the server refused would make every request a 401: one checked request first.
            check = requests.get(server + "/api/v1/namespaces/bench/configmaps/seed-0", headers={"Authorization": "Bearer " + token},
                                 verify=os.path.join(data_dir, "pki", "ca.crt"), timeout=30)
            assert check.status_code == 200, check.text
        return drive(process.pid, server, token)
    finally:
        process.terminate()
        process.wait()


def plain_session(_):
    session = requests.Session()
    session.trust_env = False
    return session


def main():
    scratch = tempfile.mkdtemp(prefix="skiff-bench-security-")
    checks_off = ["--authorization-mode", "AlwaysAllow", "--disable-admission-plugins", ",".join(admission_plugins())]
    try:
        secure = run(scratch, "secure", [], secure_session, TOKEN)
        tls_only = run(scratch, "tls-only", checks_off, secure_session, TOKEN)
        off = run(scratch, "off", ["--insecure-serving"] + checks_off, plain_session, "")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("| operation | clients | TLS + token + RBAC + admission: req/s, p50 / p99 ms | TLS + token only | all off | secure / off | TLS only / off "
          "| server CPU µs/request: secure, TLS only, off |")
    print("|---|---|---|---|---|---|---|---|")
    for verb in ("create", "get"):
        for clients in CLIENTS:
            cells = [secure[(verb, clients)], tls_only[(verb, clients)], off[(verb, clients)]]
            print("| %s | %d | %s | %.2f | %.2f | %s |" % (
                verb, clients, " | ".join("%.0f, %.1f / %.1f" % (cell["rate"], cell["p50"], cell["p99"]) for cell in cells),
                cells[0]["rate"] / cells[2]["rate"], cells[1]["rate"] / cells[2]["rate"],
                ", ".join("%.0f" % cell["cpu_us"] for cell in cells)))


if __name__ == "__main__":
    main()
