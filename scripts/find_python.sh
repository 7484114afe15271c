# Sourced by scripts/setup_env.sh and scripts/colab_compat.sh: `find_python X.Y` prints an
# interpreter of that version: COURSE_PYTHON, else pythonX.Y on PATH, else pyenv's (on PATH,
# pyenv's shim answers only where that version is selected). Fails with a message if none.
is_python() { "$1" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$2'.split('.')))" 2>/dev/null; }
find_python() {
  local candidate
  for candidate in ${COURSE_PYTHON:-} "python$1" "$(pyenv root 2>/dev/null)"/versions/"$1".*/bin/"python$1"; do
    if is_python "$candidate" "$1"; then echo "$candidate"; return 0; fi
  done
  echo "Python $1 not found: install it (e.g. pyenv install $1) or set COURSE_PYTHON." >&2
  return 1
}
