#!/usr/bin/env bash
# Installs, from Debian's packages, whatever actx needs to build, test and
# benchmark that this machine does not have yet. Safe to run again: it only
# installs what is missing.  Usage: scripts/setup.sh [--bench]
set -euo pipefail

packages=(g++ clang cmake make ninja-build time python3
          libboost-dev libboost-test-dev libbenchmark-dev libxsimd-dev
          g++-aarch64-linux-gnu qemu-user)  # the NEON build (cmake/aarch64-linux-gnu.cmake)
if [[ "${1:-}" == "--bench" ]]; then
    # Peers for the side-by-side benchmarks and the SIMD register layer.
    packages+=(libeigen3-dev libdnnl-dev libsleef-dev libtorch-dev python3-matplotlib)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "actx setup: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
