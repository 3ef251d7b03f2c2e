#!/usr/bin/env python3
"""Runs a command with a scratch single-member etcd on loopback and SKIFF_E2E_STORAGE pointing at
it, so the shared `cluster` fixture's `skiff up` stands on etcd: scripts/test runs the API
end-to-end files once more this way. Usage: tests/e2e/on_etcd.py COMMAND [ARGS...]; exits with
the command's status (etcd is stopped and its data removed either way)."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_etcd import ETCD, Etcd  # noqa: E402


def main():
    if ETCD is None:
        print("on_etcd.py: no etcd binary on PATH (install Debian's etcd-server)", file=sys.stderr)
        return 1
    root = tempfile.mkdtemp(prefix="skiff-e2e-on-etcd-")
    etcd = Etcd(os.path.join(root, "etcd")).start()
    try:
        environment = dict(os.environ, SKIFF_E2E_STORAGE="etcd://" + etcd.endpoint)
        return subprocess.run(sys.argv[1:], env=environment).returncode
    finally:
        etcd.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
