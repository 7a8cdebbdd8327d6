#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine, from the registries only:
# browsers and driver from apt, the pinned Python packages into .venv, the locked npm packages into node_modules.
# Safe to re-run: it installs only what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in chromium chromium-driver firefox-esr; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]} from apt"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

command -v node >/dev/null || { echo "setup: node (>= 18) is required" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
# The project's import roots, on the environment's path once (no sys.path lines in tests or scripts): tests/
# (emulator, rig, e2e, bench, ...), build/ (grccp_build) and py_src/ (grccp, for the core's unit tests).
site_packages=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "$PWD/tests" "$PWD/build" "$PWD/py_src" > "$site_packages/grccp-import-roots.pth"

npm ci --no-audit --no-fund --loglevel=error
