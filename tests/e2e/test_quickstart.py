"""The quick starts (docs/quickstart.md and its Chinese translation) run as written: their `bash`
blocks, in order, as one script, with the built skiff and examples on the PATH. The build block
(the one running `swift build`) is left out: the binaries come from this test run (SKIFF_BIN and
the shared Examples build). The quick start starts its own cluster on the default port 6443."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile

import pytest

from conftest import REPO, SKIFF
from examples_build import examples_bin_dir

SCRIPT_TIMEOUT = 600
DOCS = ["docs/quickstart.md", "docs/quickstart.zh.md"]


def bash_blocks(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as doc:
        return re.findall(r"^```bash\n(.*?)^```$", doc.read(), re.M | re.S)


def port_is_free(port):
    with socket.socket() as sock:
        # As the server binds: connections of an earlier run in TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@pytest.mark.parametrize("doc", DOCS)
def test_quickstart_shell_blocks_run(doc):
    blocks = bash_blocks(doc)
    runnable = [block for block in blocks if "swift build" not in block]
    assert len(blocks) - len(runnable) == 1, "exactly one build block"
    assert len(runnable) >= 10
    if not port_is_free(6443):
        pytest.skip("the quick start's cluster needs port 6443, which is taken")
    work = tempfile.mkdtemp(prefix="skiff-quickstart-")
    # The examples first: a build folder of skiff's may hold stale programs of the same names.
    path = os.pathsep.join([examples_bin_dir(), os.path.dirname(os.path.abspath(SKIFF)), os.environ["PATH"]])
    env = dict(os.environ, PATH=path, HOME=work)
    env.pop("KUBECONFIG", None)
    script = "set -eu\n" + "\n".join(runnable)
    process = subprocess.Popen(["bash", "-c", script], cwd=work, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=SCRIPT_TIMEOUT)
    except subprocess.TimeoutExpired:
        output = ""
    finally:
        # Whatever the script left running (a cluster, an example) goes with its process group.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        shutil.rmtree(work, ignore_errors=True)
    assert process.returncode == 0, "the quick start's commands failed (exit %s):\n%s" % (process.returncode, output[-6000:])
    assert "There are " in output and "Deleted deployment." in output
