#!/usr/bin/env bash
# Install the official Mixpanel Node SDK the peer tests drive (tests/peers/node), exactly as
# pinned by its package-lock.json. The tests run this themselves when node_modules is missing
# or older than the lockfile; run it by hand to prepare an offline machine.
set -euo pipefail
cd "$(dirname "$0")/../tests/peers/node"
npm ci --no-audit --no-fund --loglevel=error
