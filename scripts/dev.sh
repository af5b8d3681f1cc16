#!/usr/bin/env bash
# One entry point for a fresh machine:
#   bash scripts/dev.sh serve   install into .venv, then start the service (embedded default)
#   bash scripts/dev.sh test    install into .venv, then lint, type-check and run the tests
set -euo pipefail
cd "$(dirname "$0")/.."

install() {
  local py="${PYTHON:-python3}"
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  # Reinstall only when the dependency list changed.
  local stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[dev]'
    touch "$stamp"
  fi
}

cmd="${1:-}"
shift || true
case "$cmd" in
  serve)
    install
    exec .venv/bin/wecom-bot serve "$@"
    ;;
  test)
    install
    bash scripts/services.sh
    bash scripts/chromium.sh
    bash scripts/ops-tools.sh   # promtool, docker-compose, docker.io, debootstrap (apt, if missing)
    .venv/bin/ruff check .
    .venv/bin/mypy
    .venv/bin/lint-imports --no-cache   # the dependency rules (pyproject: tool.importlinter)
    .venv/bin/wecom-bot demo   # the scripted day must still happen, step by step
    bash scripts/image-check.sh   # the Dockerfile built and run here, no registry
    exec .venv/bin/pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh serve|test" >&2
    exit 2
    ;;
esac
