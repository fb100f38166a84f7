#!/usr/bin/env bash
# The README's test command: set up, build with warnings as errors, run every test, print one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dotnet build HomeVault.sln -c Release -warnaserror -nologo -v q
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
