#!/usr/bin/env bash
# Makes sure `uv` is available, installing it from PyPI when it is not. Sourced by run.sh and test.sh.
export PATH="$HOME/.local/bin:$PATH"
export UV_COMPILE_BYTECODE=1

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

if ! command -v uv >/dev/null 2>&1; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    apt_install python3-pip
  fi
  python3 -m pip install --user --quiet uv 2>/dev/null \
    || python3 -m pip install --user --quiet --break-system-packages uv
fi
command -v uv >/dev/null 2>&1 || { echo "lurewatch: could not install uv" >&2; exit 1; }
