#!/bin/bash
# Install the Debian packages Vireo needs to build and test, if any are missing.
# Idempotent and quiet when everything is present. Debian packages only.
set -euo pipefail
PKGS=(cmake ninja-build ccache clang-19 llvm-19-dev libcapstone-dev nasm binutils
      libgtest-dev libgmock-dev libbenchmark-dev pkg-config seabios gdb
      acpica-tools cpio xz-utils nlohmann-json3-dev python3)
case "${1:-}" in
    bench) PKGS+=(qemu-system-x86 bc linux-perf) ;;
esac
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
