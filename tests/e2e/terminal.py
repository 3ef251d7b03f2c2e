"""A terminal for kubectl in end-to-end tests: kubectl runs on a pseudo-terminal (its controlling
terminal, as in an interactive shell), so `-it` gives the container a TTY; the test types, reads
what kubectl shows, and resizes the terminal (kubectl gets SIGWINCH and sends the new size)."""
import fcntl
import os
import select
import struct
import subprocess
import termios
import time

from conftest import KUBECTL


class Terminal:
    def __init__(self, kubeconfig, args, rows=24, columns=80):
        self.primary, secondary = os.openpty()
        self.resize(rows, columns)
        env = dict(os.environ, KUBECONFIG=kubeconfig)

        def take_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen([KUBECTL] + list(args), stdin=secondary, stdout=secondary, stderr=secondary, env=env,
                                        start_new_session=True, preexec_fn=take_terminal)
        os.close(secondary)
        self.output = b""

    def resize(self, rows, columns):
        fcntl.ioctl(self.primary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def type(self, text):
        os.write(self.primary, text.encode())

    def _read(self, timeout):
        ready, _, _ = select.select([self.primary], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.primary, 65536)
        except OSError:  # EIO: kubectl has exited and closed the terminal
            return None
        if not chunk:
            return None
        self.output += chunk
        return True

    def wait_for(self, text, timeout=30):
        """Reads until `text` has been shown; returns everything shown so far."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            left = deadline - time.monotonic()
            if left <= 0 or self._read(left) is None and text.encode() not in self.output:
                raise AssertionError("the terminal did not show %r; it showed %r" % (text, self.output.decode(errors="replace")))
        return self.output.decode(errors="replace")

    def finish(self, timeout=60):
        """Reads until kubectl exits; returns its exit code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(0.2) is not None:
            if self.process.poll() is not None and not self._read(0.2):
                break
        code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        os.close(self.primary)
        return code

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
