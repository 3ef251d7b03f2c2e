#!/usr/bin/env bash
# Runs kr8s' own test suite, as its wheel ships it (kr8s/tests in the installed package), against
# `skiff up` through the kr8s_skiff pytest plugin beside this script; the tests in
# kr8s_deselect.txt (each with the reason Skiff fails it) are deselected. The binary is
# .build/release/skiff unless SKIFF_BIN names another. Arguments go to pytest (`-k pod_logs`, `-x`).
# Needs the pinned kr8s and its test dependencies that .ci/run installs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
package=$(python3 -c 'import kr8s, os; print(os.path.dirname(kr8s.__file__))')
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
# The package's own conftest.py holds the fixtures its tests share, so it is both rootdir and
# confcutdir; the ini file replaces kr8s' pyproject.toml settings, which the wheel does not ship.
exec python3 -m pytest -c "$here/kr8s_pytest.ini" --rootdir "$package" --confcutdir "$package" \
    -p kr8s_skiff "$package/tests" "$@"
