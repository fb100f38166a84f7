#!/usr/bin/env bash
# The README's first command: install what HomeVault needs, build it, and run `homevault demo`
# (synthetic cameras through the real pipeline into a fresh data directory, then a warrant request,
# a narrowed approval, the release and its verification). Extra arguments go to
# the demo, e.g. ./scripts/demo.sh --seconds 60 --data /tmp/hv-demo/data
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# The same native binary the README installs as the service (about a minute to build on 2 cores).
./scripts/publish.sh artifacts/native
exec artifacts/native/homevault demo "$@"
