#!/usr/bin/env bash
# Installs the Debian packages ($1) and Python packages ($2) that are missing; idempotent and quiet
# when everything is present. Works as root (CI, fresh Debian 12) or through sudo.
set -euo pipefail
apt_wanted=($1)
pip_wanted=(${2:-})

if ! command -v swift >/dev/null 2>&1 && [ ! -x /opt/swift/usr/bin/swift ]; then
    echo "install-deps: no Swift toolchain found (PATH or /opt/swift). Install Swift 6.1 or newer first." >&2
    exit 1
fi

missing=()
for pkg in "${apt_wanted[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ${#pip_wanted[@]} -gt 0 ]; then
    need_pip=()
    for spec in "${pip_wanted[@]}"; do
        name="${spec%%[=<>]*}"
        python3 -m pip show -q "$name" >/dev/null 2>&1 || need_pip+=("$spec")
    done
    if [ ${#need_pip[@]} -gt 0 ]; then
        echo "install-deps: pip installing ${need_pip[*]}"
        python3 -m pip install -q "${need_pip[@]}"
    fi
fi
