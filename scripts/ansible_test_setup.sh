#!/usr/bin/env bash
# Prepare ansible-test to run offline from this repository (see docs/development.md):
#  - its venv bootstrap fetches get-pip from an unreachable host unless a script is cached;
#  - it only sees this repository's collection root, so amazon.aws is linked into it.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
site=$("$python" -c 'import ansible_collections, os; print(os.path.dirname(ansible_collections.__file__))' 2>/dev/null ||
  "$python" -c 'import ansible, os; print(os.path.join(os.path.dirname(os.path.dirname(ansible.__file__)), "ansible_collections"))')
pip_version=$("$python" - <<'PY'
import re, pathlib, ansible_test
source = pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
print(re.search(r"pip='([0-9.]+)'", source.read_text()).group(1))
PY
)
cache=$HOME/.ansible/test/cache
script=$cache/get_pip_${pip_version//./_}.py
mkdir -p "$cache/pip-wheels"
if ! ls "$cache/pip-wheels/pip-$pip_version-"*.whl >/dev/null 2>&1; then
  "$python" -m pip download --quiet --no-deps --dest "$cache/pip-wheels" "pip==$pip_version"
fi
cp "$repo/scripts/get_pip_offline.py" "$script"

for collection in amazon/aws community/aws; do
  link=$repo/collections/ansible_collections/$collection
  mkdir -p "$(dirname "$link")"
  [ -e "$link" ] || ln -s "$site/$collection" "$link"
done
echo "ansible-test ready (pip $pip_version bootstrap cached, amazon.aws linked)"
