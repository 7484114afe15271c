#!/usr/bin/env bash
# Create (or update) the course's virtual environment from requirements.txt.
# Re-installs only when requirements.txt changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${COURSE_VENV:-.venv}"
# The pinned environment runs on Python 3.12 (the newest JAX needs >= 3.12).
source scripts/find_python.sh
python="$(find_python 3.12)"
if [ -x "$venv/bin/python" ] && ! is_python "$venv/bin/python" 3.12; then
  echo "Replacing $venv: it was made with another Python than 3.12."
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the virtual environment in $venv with $python ..."
  "$python" -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  echo "Installing the pinned environment (a few minutes the first time) ..."
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r requirements.txt
  # The course's own package, editable, so notebooks and tests import this checkout.
  "$venv/bin/python" -m pip install --quiet --no-deps -e .
  echo "$wanted" > "$stamp"
fi

# --- Wheelhouse for tests/tools/test_colab_install.py (offline install-path test) -----------
# Colab's own jax/jaxlib pair (colab/runtime/pip-freeze.gpu.txt): the test installs it into a
# fresh virtual environment, then installs `helpers` from this checkout with --no-index and
# checks that jax stays at this version. Downloaded once, never installed into .venv.
wheelhouse="$venv/wheelhouse"   # scripts/wheelhouse.py says the same
colab_jax="$("$venv/bin/python" -c 'from scripts.colab_runtime import read_freeze; print(read_freeze()["jax"])')"
if ! ls "$wheelhouse"/jax-"$colab_jax"-*.whl "$wheelhouse"/jaxlib-"$colab_jax"-*.whl >/dev/null 2>&1; then
  echo "Downloading jax/jaxlib $colab_jax into $wheelhouse for the install-path test ..."
  "$venv/bin/python" -m pip download --quiet --no-deps --only-binary=:all: \
    -d "$wheelhouse" "jax==$colab_jax" "jaxlib==$colab_jax"
fi

# --- MathJax and axe-core for tests/book/test_browser.py (offline browser test) ---------
# The book loads MathJax 3 from its CDN; the browser test has no network, so it answers those
# requests from this copy of the same npm package. axe-core is the accessibility checker that
# the test (and scripts/page_report/) inject into every page. npm pack needs only the npm
# registry; without either package the browser test is skipped (fails with
# COURSE_REQUIRE_BROWSER=1).
for package in $("$venv/bin/python" -m scripts.wheelhouse); do
  tgz="$wheelhouse/${package%@*}-${package#*@}.tgz"
  if [ ! -s "$tgz" ]; then
    if command -v npm >/dev/null 2>&1; then
      echo "Downloading $package into $wheelhouse for the browser test ..."
      mkdir -p "$wheelhouse"
      (cd "$wheelhouse" && npm pack --silent "$package" >/dev/null)
    else
      echo "npm not found: the browser test cannot get $package (apt-get install -y npm)."
    fi
  fi
done
