#!/usr/bin/env bash
# Shared set-up: a virtual environment with rassegna installed and the shared encoder built.
# Usage: source scripts/setup.sh [extra]   (extra = "test" to add the test tools)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
[ -d .venv ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
# the CPU build of torch, pinned: an unpinned torch pulls a multi-GB CUDA build
python -m pip install --quiet "torch==2.13.0"
if [ "${1:-}" = "test" ]; then
  python -m pip install --quiet -e ".[test]"
else
  python -m pip install --quiet -e .
fi
rassegna build-encoder
