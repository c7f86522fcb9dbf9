#!/usr/bin/env bash
# Builds a project (or the project in a folder) with the compiler's analyzer report, TrueAsync's analyzers added
# and CA1849 turned on, and prints the analyzer times: each TrueAsync analyzer, their total, CA1849, and the ratio
# TrueAsync/CA1849, as medians over the builds (docs/architecture.md, "Speed").
#
#   tests/TrueAsync.Stress/build-with-report.sh PATH [BUILDS]
#
# PATH is a .csproj or a folder holding one; BUILDS (default 5) full recompilations are measured after one warm-up
# build (which also restores and builds the project's references). The project itself is not changed: the analyzers
# and the CA1849 setting come in through a targets file given on the command line, warnings do not fail the build.
set -euo pipefail
exec </dev/null

if (($# < 1)); then
    sed -n '2,10p' "$0" >&2
    exit 2
fi

repo=$(cd "$(dirname "$0")/../.." && pwd)
target=$(realpath "$1")
builds=${2:-5}
if [[ -d $target ]]; then
    shopt -s nullglob
    projects=("$target"/*.csproj)
    if ((${#projects[@]} != 1)); then
        echo "expected one .csproj in $target, found ${#projects[@]}" >&2
        exit 2
    fi
    target=${projects[0]}
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building TrueAsync's analyzers (Release)" >&2
dotnet build "$repo/src/TrueAsync.Analyzers/TrueAsync.Analyzers.csproj" -c Release -nologo -v:q >&2
analyzer="$repo/src/TrueAsync.Analyzers/bin/Release/netstandard2.0/TrueAsync.Analyzers.dll"

cat >"$work/trueasync.globalconfig" <<'EOF'
is_global = true
dotnet_diagnostic.CA1849.severity = warning
EOF
cat >"$work/TrueAsync.Report.targets" <<EOF
<Project>
  <ItemGroup>
    <Analyzer Include="$analyzer" />
    <GlobalAnalyzerConfigFiles Include="$work/trueasync.globalconfig" />
  </ItemGroup>
</Project>
EOF
common=(-c Release -nologo "-p:CustomAfterMicrosoftCommonTargets=$work/TrueAsync.Report.targets"
    -p:ReportAnalyzer=true -p:TreatWarningsAsErrors=false -p:RunAnalyzers=true -p:EnableNETAnalyzers=true)

echo "warm-up build of $target" >&2
dotnet build "$target" "${common[@]}" -v:q >&2

for ((i = 1; i <= builds; i++)); do
    echo "measured build $i/$builds" >&2
    # Only the project itself is recompiled: its references were built by the warm-up.
    dotnet build "$target" "${common[@]}" --no-restore --no-incremental -p:BuildProjectReferences=false -v:d >"$work/build-$i.log" 2>&1 \
        || { tail -30 "$work/build-$i.log" >&2; exit 1; }
done

python3 - "$work" "$builds" <<'EOF'
import re, statistics, sys
from pathlib import Path

work, builds = Path(sys.argv[1]), int(sys.argv[2])
# Lines of the compiler's report: "   0.123    4   Namespace.TypeName (ID1, ID2)" under "Total analyzer execution time".
row = re.compile(r'^\s*(?P<time><?\s*[\d.,]+)\s+(?P<pct><?\s*\d+)\s+(?P<name>\S.*?)\s*$')
runs = []
for i in range(1, builds + 1):
    times, in_report = {}, False
    for line in (work / f"build-{i}.log").read_text(errors="replace").splitlines():
        if "Total analyzer execution time" in line:
            in_report = True
            continue
        if in_report and "Total generator execution time" in line:
            in_report = False
            continue
        if not in_report:
            continue
        m = row.match(line)
        if not m:
            continue
        name = m.group("name")
        value = float(m.group("time").replace("<", "").replace(",", "").strip() or 0)
        times[name] = times.get(name, 0.0) + value
    runs.append(times)

def median(name):
    return statistics.median(r.get(name, 0.0) for r in runs)

names = sorted({n for r in runs for n in r})
trueasync = [n for n in names if n.startswith("TrueAsync.Analyzers.Rules.")]
ca1849 = [n for n in names if re.search(r"\bCA1849\b", n) and not n.startswith("TrueAsync")]
if not trueasync:
    sys.exit("no TrueAsync analyzer in the report: was the analyzer added?")
if not ca1849:
    sys.exit("no analyzer reporting CA1849 in the report: are the .NET analyzers enabled?")

print(f"median of {builds} build(s), seconds of analyzer execution time (ReportAnalyzer)")
for n in trueasync:
    print(f"  {median(n):8.3f}  {n.split(' ')[0].rsplit('.', 1)[-1]}")
total = statistics.median(sum(r.get(n, 0.0) for n in trueasync) for r in runs)
peer = statistics.median(sum(r.get(n, 0.0) for n in ca1849) for r in runs)
print(f"  {total:8.3f}  TrueAsync, all analyzers")
for n in ca1849:
    print(f"  {median(n):8.3f}  {n}")
ratio = statistics.median(
    sum(r.get(n, 0.0) for n in trueasync) / max(1e-9, sum(r.get(n, 0.0) for n in ca1849)) for r in runs)
print(f"TrueAsync/CA1849: {ratio:.2f} (median of per-build ratios)")
EOF
