"""A real local registry for the process-runtime tests and benchmarks: Debian's docker-registry on
a free loopback port, holding `<host:port>/busybox:latest`, an image built with umoci from Debian's
busybox-static (`/bin/busybox` and symlinks for the given applets, `sh` as its command) and pushed
with skopeo. With a user and password, the registry asks for them (htpasswd, bcrypt from
apache2-utils' `htpasswd -B`). Plain Python (no pytest), so hack/bench scripts use it too.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time

BUSYBOX = "/bin/busybox"


def _run(*args):
    return subprocess.run(list(args), check=True, capture_output=True, text=True, timeout=120)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_layout(work, applets):
    """An OCI image layout under `work` holding the busybox image as its tag `latest`; returns its path."""
    layout = os.path.join(work, "layout")
    bundle = os.path.join(work, "bundle")
    _run("umoci", "init", "--layout", layout)
    _run("umoci", "new", "--image", layout + ":latest")
    _run("umoci", "unpack", "--image", layout + ":latest", bundle)
    bin_dir = os.path.join(bundle, "rootfs", "bin")
    os.makedirs(bin_dir, exist_ok=True)
    shutil.copy(BUSYBOX, os.path.join(bin_dir, "busybox"))
    for applet in applets:
        os.symlink("busybox", os.path.join(bin_dir, applet))
    _run("umoci", "repack", "--image", layout + ":latest", bundle)
    _run("umoci", "config", "--image", layout + ":latest", "--config.cmd", "sh", "--config.env", "PATH=/bin")
    return layout


class BusyboxRegistry:
    """`start()` returns the image reference; `stop()` ends the registry and removes its files."""

    def __init__(self, applets, push_timeout=30, user=None, password=None):
        self.applets = list(applets)
        self.user = user
        self.password = password
        self.push_timeout = push_timeout
        self.work = None
        self.server = None

    def start(self):
        self.work = tempfile.mkdtemp(prefix="skiff-registry-")
        port = _free_port()
        config = os.path.join(self.work, "config.yml")
        with open(config, "w") as handle:
            handle.write("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/store\nhttp:\n  addr: 127.0.0.1:%d\n" % (self.work, port))
            if self.user is not None:
                htpasswd = os.path.join(self.work, "htpasswd")
                with open(htpasswd, "w") as users:
                    users.write(_run("htpasswd", "-Bbn", self.user, self.password).stdout)
                handle.write("auth:\n  htpasswd:\n    realm: skiff-test\n    path: %s\n" % htpasswd)
        self.server = subprocess.Popen(["docker-registry", "serve", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        layout = build_layout(self.work, self.applets)
        image = "127.0.0.1:%d/busybox" % port
        # The registry takes a moment to listen: push until it accepts.
        deadline = time.monotonic() + self.push_timeout
        push = ["skopeo", "copy", "--dest-tls-verify=false"]
        if self.user is not None:
            push += ["--dest-creds", "%s:%s" % (self.user, self.password)]
        while True:
            pushed = subprocess.run(push + ["oci:%s:latest" % layout, "docker://%s:latest" % image], capture_output=True, text=True, timeout=120)
            if pushed.returncode == 0:
                return image
            if time.monotonic() >= deadline:
                raise RuntimeError("the registry did not accept the image within %ss: %s" % (self.push_timeout, pushed.stderr))
            time.sleep(0.5)

    def stop(self):
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)
            self.server = None
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None
