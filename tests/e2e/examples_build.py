"""The Examples/ package, built once per test session and shared by every test that runs an
example (a second package build is costly in CI). SKIFF_EXAMPLES_BIN names a directory of already
built examples instead."""
import os
import subprocess

from conftest import REPO

BUILD_TIMEOUT = 3600
_bin_dir = None


def examples_bin_dir():
    """The directory of the built examples: SKIFF_EXAMPLES_BIN, or a debug build of Examples/."""
    global _bin_dir
    if _bin_dir is None:
        given = os.environ.get("SKIFF_EXAMPLES_BIN")
        if given:
            _bin_dir = given
        else:
            package = os.path.join(REPO, "Examples")
            subprocess.run(["swift", "build", "--package-path", package], check=True, timeout=BUILD_TIMEOUT)
            _bin_dir = subprocess.run(["swift", "build", "--package-path", package, "--show-bin-path"],
                                      check=True, capture_output=True, text=True).stdout.strip()
    return _bin_dir


def example(name):
    """The path of the example executable `name`."""
    path = os.path.join(examples_bin_dir(), name)
    if not os.access(path, os.X_OK):
        raise RuntimeError("no example executable at %s" % path)
    return path
