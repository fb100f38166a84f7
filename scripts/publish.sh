#!/usr/bin/env bash
# Publishes the `homevault` CLI and service as one native (AOT) binary into DIR (default /usr/lib/homevault),
# for this machine's architecture. Needs the .NET 10 SDK and a C toolchain (gcc or clang), as scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/usr/lib/homevault}"
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) echo "publish: no native build for $(uname -m)" >&2; exit 1 ;;
esac
dotnet publish src/HomeVault.Cli -c Release -r "$rid" -warnaserror -nologo -v q -o "$out"
