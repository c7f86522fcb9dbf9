#!/usr/bin/env bash
# Builds a project (or the project in a folder) with the compiler's analyzer report, TrueAsync's analyzers added
# and CA1849 turned on, and prints the analyzer times: each TrueAsync analyzer, their total, CA1849, and the ratio
# TrueAsync/CA1849, as medians over the builds (docs/architecture.md, "Speed").
#
#   tests/TrueAsync.Stress/build-with-report.sh [--override NAME=VERSION]... [--property NAME=VALUE]... [--baseline REV] [--save-command FILE] PATH [BUILDS]
#
# PATH is a .csproj or a folder holding one; BUILDS (default 5) full recompilations are measured after one warm-up
# build (which also restores and builds the project's references). The project itself is not changed: the analyzers
# and the CA1849 setting come in through a targets file given on the command line, warnings do not fail the build.
# CA1849 is off by default; the setting that turns it on is an EditorConfigFiles item (a GlobalAnalyzerConfigFiles
# item added this late is never read: the SDK converts those before CustomAfterMicrosoftCommonTargets is imported),
# and the script prints how many CA1849 warnings each build reported, to show that it ran.
#   --override  a package version for the project's restore when the version it pins is not served (as in
#               tools/precision; Npgsql's source generator needs the ones docs/precision.md gives)
#   --property  an MSBuild property for the project's build
#   --baseline  also measure the analyzers of git revision REV (built from `git archive`), each measured build of this
#               version followed or preceded by one of REV's in turn, and print both tables, the ratio of this version
#               to REV, and whether the two report the same TrueAsync warnings, line for line. On a shared machine two
#               separate runs scatter more than the difference they are meant to show; interleaved builds do not.
#   --save-command  write the compiler's arguments for the project (from the first measured build) to FILE, for
#               `dotnet run -c Release --project tests/TrueAsync.Stress -- project --command FILE --dir PROJECT-FOLDER`,
#               which measures the same analyzers warm, in one process (tests/TrueAsync.Stress/ProjectBenchmark.cs)
set -euo pipefail
exec </dev/null

overrides=()
build_properties=()
baseline=
save_command=
while (($# > 0)); do
    case "$1" in
        --override) overrides+=("$2"); shift 2 ;;
        --property) build_properties+=("-p:$2"); shift 2 ;;
        --baseline) baseline="$2"; shift 2 ;;
        --save-command) save_command="$2"; shift 2 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
if (($# < 1)); then
    sed -n '2,19p' "$0" >&2
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
work=$(mktemp -d "${TMPDIR:-/tmp}/trueasync-report.XXXXXX")
[[ -n ${REPORT_KEEP:-} ]] || trap 'rm -rf "$work"' EXIT

versions=(this)
echo "building TrueAsync's analyzers (Release)" >&2
dotnet build "$repo/src/TrueAsync.Analyzers/TrueAsync.Analyzers.csproj" -c Release -nologo -v:q >&2
# A copy: rebuilding the repository while the project builds must not change the analyzer under it. The file keeps its
# name (the compiler loads an analyzer by its assembly name), so each version has a folder of its own.
mkdir -p "$work/this"
cp "$repo/src/TrueAsync.Analyzers/bin/Release/netstandard2.0/TrueAsync.Analyzers.dll" "$work/this/"
if [[ -n $baseline ]]; then
    echo "building TrueAsync's analyzers of $baseline (Release)" >&2
    mkdir -p "$work/baseline-source" "$work/baseline"
    git -C "$repo" archive "$baseline" | tar -x -C "$work/baseline-source"
    dotnet build "$work/baseline-source/src/TrueAsync.Analyzers/TrueAsync.Analyzers.csproj" -c Release -nologo -v:q >&2
    cp "$work/baseline-source/src/TrueAsync.Analyzers/bin/Release/netstandard2.0/TrueAsync.Analyzers.dll" "$work/baseline/"
    versions+=(baseline)
fi

cat >"$work/trueasync.globalconfig" <<'EOF'
is_global = true
dotnet_diagnostic.CA1849.severity = warning
EOF
for version in "${versions[@]}"; do
    {
        echo '<Project>'
        echo '  <ItemGroup>'
        echo "    <Analyzer Include=\"$work/$version/TrueAsync.Analyzers.dll\" />"
        echo "    <EditorConfigFiles Include=\"$work/trueasync.globalconfig\" />"
        for o in ${overrides[@]+"${overrides[@]}"}; do
            name=${o%%=*} pinned=${o#*=}
            echo "    <PackageVersion Condition=\"'\$(ManagePackageVersionsCentrally)' == 'true'\" Update=\"$name\" Version=\"$pinned\" />"
            echo "    <PackageReference Condition=\"'\$(ManagePackageVersionsCentrally)' != 'true'\" Update=\"$name\" Version=\"$pinned\" />"
        done
        echo '  </ItemGroup>'
        echo '</Project>'
    } >"$work/$version.targets"
done
common=(-c Release -nologo
    -p:ReportAnalyzer=true -p:TreatWarningsAsErrors=false -p:CodeAnalysisTreatWarningsAsErrors=false
    -p:WarningsAsErrors= -p:RunAnalyzers=true -p:RunAnalyzersDuringBuild=true -p:EnableNETAnalyzers=true
    ${build_properties[@]+"${build_properties[@]}"})

# One warm-up build per version: it restores and builds the project's references, and under the compiler server
# (--property UseSharedCompilation=true) it loads each version's analyzers and compiles their code, so that neither
# version is measured while the other has had a head start.
for version in "${versions[@]}"; do
    echo "warm-up build of $target ($version)" >&2
    dotnet build "$target" "${common[@]}" "-p:CustomAfterMicrosoftCommonTargets=$work/$version.targets" -v:q >&2
done

for ((i = 1; i <= builds; i++)); do
    # With a baseline, the two versions take turns going first.
    order=("${versions[@]}")
    if ((${#versions[@]} == 2 && i % 2 == 0)); then
        order=(baseline this)
    fi
    for version in "${order[@]}"; do
        echo "measured build $i/$builds ($version)" >&2
        # Only the project itself is recompiled: its references were built by the warm-up.
        dotnet build "$target" "${common[@]}" "-p:CustomAfterMicrosoftCommonTargets=$work/$version.targets" \
            --no-restore --no-incremental -p:BuildProjectReferences=false -v:d >"$work/$version-build-$i.log" 2>&1 \
            || { tail -30 "$work/$version-build-$i.log" >&2; exit 1; }
    done
done

if [[ -n $save_command ]]; then
    # The Csc task logs its command line at detailed verbosity: the compiler's path, then its arguments.
    grep -m1 -E '[/\\]csc(\.dll|\.exe)? /noconfig ' "$work/this-build-1.log" | sed -E 's/^.*[/\\]csc(\.dll|\.exe)? //' >"$save_command"
    [[ -s $save_command ]] || { echo "no compiler command line in the build log" >&2; exit 1; }
    echo "compiler arguments saved to $save_command" >&2
fi

python3 - "$work" "$builds" "${versions[@]}" <<'EOF'
import collections, re, statistics, sys
from pathlib import Path

work, builds, versions = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
# Lines of the compiler's report: "   0.123    4   Namespace.TypeName (ID1, ID2)" under "Total analyzer execution time".
row = re.compile(r'^\s*(?P<time><?\s*[\d.,]+)\s+(?P<pct><?\s*\d+)\s+(?P<name>\S.*?)\s*$')
# A warning line: "[node>]path(line,col): warning ID: message [project]"; the log repeats each, so a site counts once.
warning = re.compile(r'(?:^|>)(?P<site>[^>]+\(\d+,\d+\)): warning (?P<id>[A-Za-z]+\d+): (?P<message>.*?)(?: \[[^\]]*\])?$')


def read(version):
    """Per build: analyzer name -> seconds, and the set of (id, site, message) warned."""
    runs, warned = [], []
    for i in range(1, builds + 1):
        times, in_report, warnings = {}, False, set()
        for line in (work / f"{version}-build-{i}.log").read_text(errors="replace").splitlines():
            w = warning.search(line)
            if w:
                warnings.add((w.group("id"), w.group("site").strip(), w.group("message")))
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
        warned.append(warnings)
    return runs, warned


def names_of(runs):
    names = sorted({n for r in runs for n in r})
    trueasync = [n for n in names if n.startswith("TrueAsync.Analyzers.Rules.")]
    ca1849 = [n for n in names if re.search(r"\bCA1849\b", n) and not n.startswith("TrueAsync")]
    if not trueasync:
        sys.exit("no TrueAsync analyzer in the report: was the analyzer added?")
    if not ca1849:
        sys.exit("no analyzer reporting CA1849 in the report: are the .NET analyzers enabled?")
    return trueasync, ca1849


def totals(runs, names):
    return [sum(r.get(n, 0.0) for n in names) for r in runs]


results = {}
for version in versions:
    runs, warned = read(version)
    trueasync, ca1849 = names_of(runs)
    results[version] = (runs, warned, trueasync, ca1849)
    title = "" if len(versions) == 1 else (" (this version)" if version == "this" else " (the baseline)")
    print(f"median of {builds} build(s), seconds of analyzer execution time (ReportAnalyzer){title}")
    for n in trueasync:
        print(f"  {statistics.median(r.get(n, 0.0) for r in runs):8.3f}  {n.split(' ')[0].rsplit('.', 1)[-1]}")
    print(f"  {statistics.median(totals(runs, trueasync)):8.3f}  TrueAsync, all analyzers")
    for n in ca1849:
        print(f"  {statistics.median(r.get(n, 0.0) for r in runs):8.3f}  {n}")
    ratio = statistics.median(t / max(1e-9, p) for t, p in zip(totals(runs, trueasync), totals(runs, ca1849)))
    print(f"TrueAsync/CA1849: {ratio:.2f} (median of per-build ratios)")
    last = collections.Counter(i for i, _, _ in warned[-1])
    ta_ids = sorted(i for i in last if i.startswith("TA"))
    print("warnings reported by the last build: CA1849 %d; %s" % (
        last.get("CA1849", 0), ", ".join(f"{i} {last[i]}" for i in ta_ids) or "no TrueAsync warning"))
    if not last.get("CA1849"):
        print("note: CA1849 reported nothing; if the project has async code, check that the rule is not turned off")

if len(versions) == 2:
    this, base = results["this"], results["baseline"]
    this_totals, base_totals = totals(this[0], this[2]), totals(base[0], base[2])
    # Builds i of the two versions ran one after the other: their ratio is the fairest comparison on a shared machine.
    paired = statistics.median(t / max(1e-9, b) for t, b in zip(this_totals, base_totals))
    lower = sum(1 for t, b in zip(this_totals, base_totals) if t < b)
    print(f"this version / baseline, TrueAsync's time: {paired:.2f} (median of the {builds} pairs of builds; "
          f"this version lower in {lower} of {builds})")
    ta = lambda warned: {w for w in warned if w[0].startswith("TA")}
    same = all(ta(w) == ta(this[1][0]) for w in this[1] + base[1])
    print("TrueAsync warnings: " + ("the same, line for line, in every build of both versions" if same
                                    else "DIFFERENT between the versions (or between builds): compare the logs (REPORT_KEEP=1)"))
EOF
