#!/usr/bin/env bash
# The README's first command: install what HomeVault needs, build it, and run `homevault demo`
# (synthetic cameras through the real pipeline into a fresh data directory, then a warrant request,
# a narrowed approval, the release and its verification). Extra arguments go to
# the demo, e.g. ./scripts/demo.sh --seconds 60 --data /tmp/hv-demo/data
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dotnet build src/HomeVault.Cli -c Release -nologo -v q
exec dotnet src/HomeVault.Cli/bin/Release/net10.0/homevault.dll demo "$@"
