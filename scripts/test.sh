#!/usr/bin/env bash
# The whole test suite: lint and format, types, the web build, then every test file, with a
# throwaway PostgreSQL server for the storage suite and Debian's Chromium for the browser tests.
# With CI=true a missing component fails the run; otherwise its suite is skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "lint and format (biome)"
npx biome ci .

step "types (tsc)"
npx tsc -p .

step "web build (vite)"
npx vite build --logLevel warn

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  step "installing Debian's chromium for the browser tests"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

mapfile -t FILES < <(find test -name '*.test.ts' | sort)
RUN=(node --import tsx --test --test-reporter=spec "${FILES[@]}")

step "tests: ${#FILES[@]} files"
if [ -n "${DATABASE_URL:-}" ]; then
  "${RUN[@]}"
elif scripts/with-postgres.sh true 2>/dev/null; then
  scripts/with-postgres.sh "${RUN[@]}"
else
  echo "No PostgreSQL server could be started: the PostgreSQL storage suite will be skipped (it fails under CI=true)."
  "${RUN[@]}"
fi
