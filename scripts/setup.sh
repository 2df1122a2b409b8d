#!/usr/bin/env bash
# Installs every Debian 12 package ProductLens needs to build, test and run.
# Safe to run twice: apt-get skips what is already installed.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # Qt 6 and plotting
  qt6-base-dev qt6-base-dev-tools libqt6svg6-dev libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  # learning, vision, storage, text, search, json
  libtorch-dev libopenblas0-pthread
  # headers of the gloo collectives behind LibTorch's c10d (distributed pretraining)
  libgloo-dev
  libopencv-dev libsqlite3-dev sqlite3
  libsentencepiece-dev libhnswlib-dev nlohmann-json3-dev
  libbenchmark-dev zlib1g-dev
  # built-in demo data
  dataset-fashion-mnist
  # headless GUI tests, screenshots and fuzzing
  xvfb xauth imagemagick clang libclang-rt-14-dev
  # benchmark peers and scoring scripts (bench/)
  python3 python3-numpy python3-scipy python3-torch
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

# Debian's LibTorch falls back to the reference BLAS unless an optimised one
# is selected; the pthread OpenBLAS is ~45x faster for matrix products.
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  target=$(update-alternatives --list "$alt" 2>/dev/null | grep openblas-pthread | head -n1 || true)
  if [ -n "$target" ]; then $SUDO update-alternatives --set "$alt" "$target" >/dev/null; fi
done
echo "setup: done"
