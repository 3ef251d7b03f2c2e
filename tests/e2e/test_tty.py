"""End-to-end: exec and attach with a TTY into containers the process runtime (runc) runs:
`kubectl exec -it` and `kubectl run -it --rm` on a real terminal (a pty the test drives), the
container's `/dev/pts/0`, terminal sizes and their changes. Uses test_runtime's registry and
cluster (same requirements, same skips)."""
import pytest

from conftest import wait_for
from terminal import Terminal
from test_exec import sleeper  # noqa: F401 (fixture: a pod sleeping in namespace exec)
from test_runtime import missing, real_cluster, registry  # noqa: F401 (fixtures)

needs_runtime = pytest.mark.skipif(bool(missing), reason="the process runtime test needs: %s" % ", ".join(missing))


def shows(terminal, command, text):
    """Types `command` and tells whether `text` is shown within 2 seconds."""
    terminal.type(command)
    try:
        return terminal.wait_for(text, timeout=2)
    except AssertionError:
        return False


def terminal_of_the_clients_size(cluster, namespace, pod, tty):
    """`kubectl exec -it ... sh` into `pod` on a 33x101 terminal: the shell's terminal is `tty`,
    its size the client's, then the client's new size; `exit 3` is the exit code (also used by
    test_cri)."""
    terminal = Terminal(cluster.kubeconfig, ["exec", "-it", "-n", namespace, pod, "--", "sh"], rows=33, columns=101)
    try:
        terminal.type("tty\n")
        terminal.wait_for(tty)
        # kubectl sends the terminal's size as the session starts and again on SIGWINCH; what the
        # test types may reach the shell before a size does, so it asks until the size is there.
        wait_for(lambda: shows(terminal, "stty size\n", "33 101"), timeout=30, interval=0.1, message="the first terminal size")
        terminal.resize(40, 120)
        wait_for(lambda: shows(terminal, "stty size\n", "40 120"), timeout=30, interval=0.1, message="the new terminal size")
        terminal.type("exit 3\n")
        assert terminal.finish() == 3
    finally:
        terminal.kill()


@needs_runtime
def test_exec_with_a_tty_gets_a_terminal_of_the_clients_size(real_cluster, sleeper):  # noqa: F811
    terminal_of_the_clients_size(real_cluster, "exec", sleeper, "/dev/pts/0")


@needs_runtime
def test_run_it_rm_prints_the_output_and_removes_the_pod(real_cluster, registry):  # noqa: F811
    terminal = Terminal(real_cluster.kubeconfig, ["run", "-it", "--rm", "--restart=Never", "-n", "exec", "--image=" + registry,
                                                  "once", "--", "sh", "-c", "echo hi"])
    try:
        assert terminal.finish() == 0, terminal.output
        lines = [line.strip() for line in terminal.output.decode(errors="replace").splitlines()]
        assert "hi" in lines, lines
    finally:
        terminal.kill()
    assert real_cluster.kubectl("get", "pod", "once", "-n", "exec", check=False).returncode != 0


@needs_runtime
def test_run_it_attaches_the_terminal_to_the_containers_shell(real_cluster, registry):  # noqa: F811
    terminal = Terminal(real_cluster.kubeconfig, ["run", "-it", "--rm", "--restart=Never", "-n", "exec", "--image=" + registry,
                                                  "shell", "--", "sh"])
    try:
        terminal.wait_for("If you don't see a command prompt, try pressing enter.", timeout=90)
        terminal.type("echo $((6 * 7)); tty\n")
        terminal.wait_for("42")
        terminal.wait_for("/dev/pts/0")
        terminal.type("exit\n")
        assert terminal.finish() == 0, terminal.output
    finally:
        terminal.kill()
    wait_for(lambda: real_cluster.kubectl("get", "pod", "shell", "-n", "exec", check=False).returncode != 0,
             timeout=60, message="the pod to be removed")
