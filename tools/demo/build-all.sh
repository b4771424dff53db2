#!/bin/sh
# Rebuild the demo model and the built-in datasets from Debian packages (Debian 12).
# Run as root from any folder: sh tools/demo/build-all.sh [--install]
# --install first apt-get installs the tools and the corpus source packages.
set -eu
cd "$(dirname "$0")"
PYTHON=/usr/bin/python3
# One BLAS/OpenMP thread: on a 2-core machine shared with other work, two threads measured slower.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

if [ "${1:-}" = "--install" ]; then
  apt-get update
  apt-get install -y --no-install-recommends python3-torch python3-onnx python3-numpy python3-regex libopenblas0-pthread
  $PYTHON build-corpora.py --install
else
  $PYTHON build-corpora.py
fi
$PYTHON train-tokenizer.py
$PYTHON train.py
$PYTHON export-onnx.py
$PYTHON evaluate.py
cd ../..
node tools/demo/check-onnx.mjs
