#!/usr/bin/env bash
# The README's test command: set up, build with warnings as errors, run every test, print one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
dotnet build HomeVault.sln -c Release -warnaserror -nologo -v q
# The CLI and service as the README installs them: one native (AOT) binary. Every test that runs `homevault`
# as a process runs this one (tests/Shared/TestEnv.cs); the in-process tests cover the same code under the JIT.
./scripts/publish.sh artifacts/native
export HOMEVAULT_CLI="$PWD/artifacts/native/homevault"
results="$(mktemp -d)"
status=0
dotnet test HomeVault.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=4800000 || status=$?
python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    p += int(c.get("passed")); f += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    s += int(c.get("total")) - int(c.get("executed"))
print(f"tests: {p} passed, {f} failed, {s} skipped")
PY
exit $status
