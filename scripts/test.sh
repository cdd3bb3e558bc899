#!/usr/bin/env bash
# Fresh machine → tests: install with test tools (and Chromium for the browser test), lint, format check, pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
source scripts/setup.sh test
ruff check .
ruff format --check .
python -m pytest -q "$@"
