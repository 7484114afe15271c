#!/usr/bin/env bash
# Unpack MNIST from ../shared/data/mnist (if it is there) into data/MNIST/raw/,
# where torchvision.datasets.MNIST and helpers.load_mnist look. Never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
source="${MNIST_SOURCE:-../shared/data/mnist}"
raw="${COURSE_DATA_DIR:-data}/MNIST/raw"
mkdir -p "$raw"
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [ ! -s "$raw/$name" ] && [ -f "$source/$name.gz" ]; then
    gunzip -c "$source/$name.gz" > "$raw/$name"
  fi
done
