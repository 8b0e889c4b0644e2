#!/usr/bin/env bash
# Installs what the browser-SDK peer tests need: Debian's Chromium (headless, driven over its own
# command line) and the npm `mixpanel-browser` package pinned in tests/peers/browser/package.json.
# Idempotent; needs root for apt-get (CI and the developer machines run as root). Nothing is
# downloaded at test time.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi

if [ ! -f tests/peers/browser/node_modules/mixpanel-browser/package.json ]; then
  (cd tests/peers/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
