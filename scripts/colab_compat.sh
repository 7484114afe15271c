#!/usr/bin/env bash
# Every chapter on Colab's own package versions (colab/runtime/, a copy of what Colab publishes):
#   1. a fresh virtual environment with Colab's Python and Colab's versions of every package the
#      course touches (jax, jaxlib and the CUDA plugin, numpy, flax, optax, torch, IPython, ...);
#   2. the course installed the way a chapter's first cell installs it (colab/requirements.txt's
#      requirement, from a clean copy of this checkout); it must change no installed package;
#   3. every chapter executed by nbval: no error, every claim holding, every self-check `Correct`,
#      outputs as stored (within the stated tolerances) except the cells marked
#      nbval-version-dependent, whose reasons are listed at the end;
#   4. chapter 9 once more on one device (Colab's usual GPU runtime has one);
#   5. on success, colab/runtime/verified.json records it (each chapter page quotes it).
# Run by .ci/run after the main suite. Arguments, if any, replace `chapters` in the pytest command
# (e.g. chapters/07_mnist.ipynb -x); only a run of every chapter is recorded.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$PWD/${COURSE_COLAB_VENV:-.venv-colab}"
bash scripts/setup_env.sh >/dev/null   # .venv reads colab/runtime/ (scripts.colab_runtime)
bash scripts/unpack_mnist.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source scripts/find_python.sh
python="$(.venv/bin/python -m scripts.colab_runtime python)"
.venv/bin/python -m scripts.colab_runtime constraints > "$work/colab-constraints.txt"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
# What the course touches, at Colab's versions, and what runs the chapters (nbval, pytest).
packages="jax jaxlib jax-cuda12-plugin jax-cuda12-pjrt numpy matplotlib flax optax torch
  torchvision ipykernel ipython rich PyYAML nbval nbclient pytest pytest-xdist"
stamp="$venv/.colab-list.sha256"   # the environment is reused while these are unchanged
wanted="$( (cat colab/runtime/pip-freeze.gpu.txt; echo $packages) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  echo "== 1. Colab's packages (Python $python) in $venv"
  rm -rf "$venv"
  "$(find_python "$python")" -m venv "$venv"
  "${pip[@]}" install -c "$work/colab-constraints.txt" pip
  "${pip[@]}" install -c "$work/colab-constraints.txt" $packages
  echo "$wanted" > "$stamp"
else
  echo "== 1. Colab's packages: $venv is up to date"
  "${pip[@]}" uninstall --yes nn-from-scratch-jax-helpers 2>/dev/null || true
fi
"${pip[@]}" freeze --all > "$work/before.txt"
# Every version Colab's, and every package the course touches there as on Colab.
.venv/bin/python -m scripts.colab_runtime compare "$work/before.txt" --packages $packages

echo "== 2. The course installed as the first cell does"
.venv/bin/python -c "import shutil; from scripts.chapters import NOT_SOURCES as skip
shutil.copytree('.', '$work/course', ignore=shutil.ignore_patterns(*skip))"
grep -v '^#' colab/requirements.txt | sed "s#@ git+https://[^ ]*#@ file://$work/course#" \
  > "$work/requirements.txt"
"${pip[@]}" install -r "$work/requirements.txt"
"${pip[@]}" freeze --all | grep -v '^nn-from-scratch-jax-helpers' > "$work/after.txt" || true
if ! diff "$work/before.txt" "$work/after.txt"; then
  echo "FAILED: installing the course changed Colab's packages (above: < before, > after)" >&2
  exit 1
fi
"$venv/bin/python" - <<'PY'
import importlib.metadata as m
jaxlib = m.version("jaxlib")
for plugin in ("jax-cuda12-plugin", "jax-cuda12-pjrt"):
    assert m.version(plugin) == jaxlib, f"{plugin} {m.version(plugin)} != jaxlib {jaxlib}"
print(f"unchanged: jax {m.version('jax')}, jaxlib {jaxlib} (with its CUDA plugin), "
      f"numpy {m.version('numpy')}, flax {m.version('flax')}; helpers installed")
PY

echo "== 3. Every chapter on Colab's versions"
export COURSE_DATA_DIR="$PWD/data"   # verification/ sets the rest (CPU backend)
# The installed course, not this checkout's helpers/ (the notebooks run in chapters/).
(cd "$work" && "$venv/bin/python" -c 'import helpers; assert "site-packages" in helpers.__file__')
"$venv/bin/python" -m pytest -n "${COURSE_TEST_WORKERS:-2}" --dist loadfile "${@:-chapters}"
"$venv/bin/python" -m verification.one_device   # chapter 9 as on a single-GPU runtime
if [ $# -eq 0 ]; then   # a whole run, not a selection: record it
  "${pip[@]}" freeze --all > "$work/passed.txt"
  .venv/bin/python -m scripts.colab_runtime record "$work/passed.txt" \
    "$("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
fi
echo "Cells whose text was not compared (nbval-version-dependent), with their reasons:"
.venv/bin/python -c 'from scripts.chapters import version_dependent_cells as v; print(*v(), sep="\n")'
