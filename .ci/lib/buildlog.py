#!/usr/bin/env python3
"""Small parsers for the CI scripts, so that the bash stays readable.

  buildlog.py warnings LOG ROOT      unique compiler warnings of an MSBuild log, one per line:
                                     "<ID> <path relative to ROOT>(<line>,<col>): <message>"
  buildlog.py test-summary LOG       adds up the VSTest summary lines of a `dotnet test` log and prints
                                     "<passed> <failed> <skipped> <total>"
  buildlog.py trx-outcomes TRX       one "<outcome> <test name>" line per test of a .trx file, sorted
  buildlog.py rule-counts BEFORE AFTER
                                     per rule, the warnings of two `warnings` lists and the share gone;
                                     last line "total <before> <after> <percent gone, rounded down>"
  buildlog.py unfixed-kinds README WARNINGS
                                     matches each warning of a `warnings` list to a row of the README's table
                                     of kinds reported without a fix (the table after the line that holds
                                     UNFIXED_MARKER); prints "<kind>: <warning>" per warning, or
                                     "NOT LISTED: <warning>", and exits 1 if any is not listed
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

# path(line,col): warning ID: message [project]
WARNING = re.compile(r"^\s*(?P<path>[^\s(][^(]*)\((?P<line>\d+),(?P<col>\d+)(?:,\d+,\d+)?\): warning (?P<id>[A-Za-z]+\d+): (?P<message>.*?)(?: \[[^\]]+\])?\s*$")
SUMMARY = re.compile(r"(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+),\s+Total:\s+(\d+)")


def warnings(log: str, root: str) -> None:
    seen = set()
    with open(log, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            match = WARNING.match(line)
            if match is None:
                continue
            path = os.path.relpath(match["path"], root) if os.path.isabs(match["path"]) else match["path"]
            # The help link is noise in a report and differs from the dotnet format output.
            message = re.sub(r" \(https?://[^)]*\)$", "", match["message"])
            entry = f"{match['id']} {path}({match['line']},{match['col']}): {message}"
            if entry not in seen:
                seen.add(entry)
                print(entry)


def test_summary(log: str) -> None:
    totals = [0, 0, 0, 0]
    with open(log, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            match = SUMMARY.search(line)
            if match:
                failed, passed, skipped, total = (int(g) for g in match.groups())
                totals = [totals[0] + passed, totals[1] + failed, totals[2] + skipped, totals[3] + total]
    print(*totals)


def trx_outcomes(trx: str) -> None:
    rows = []
    for element in ET.parse(trx).iter():
        if element.tag.rsplit("}", 1)[-1] == "UnitTestResult":
            rows.append(f"{element.get('outcome')} {element.get('testName')}")
    print("\n".join(sorted(rows)))


def read_warnings(path: str) -> list:
    """(rule ID, message) of each line of a `warnings` list."""
    with open(path, encoding="utf-8") as lines:
        return [(line.split(" ", 1)[0], line.rstrip("\n")) for line in lines if line.strip()]


def rule_counts(before: str, after: str) -> None:
    counts = {}
    for column, path in enumerate((before, after)):
        for rule, _ in read_warnings(path):
            counts.setdefault(rule, [0, 0])[column] += 1
    for rule in sorted(counts):
        print(f"{rule} {counts[rule][0]} {counts[rule][1]}")
    total_before = sum(c[0] for c in counts.values())
    total_after = sum(c[1] for c in counts.values())
    gone = 100 * (total_before - total_after) // total_before if total_before else 100
    print(f"total {total_before} {total_after} {gone}")


# The README's table of what TrueAsync reports without a fix; .ci/fix-roundtrip allows only these after dotnet format.
UNFIXED_MARKER = "<!-- reported-without-a-fix:"


def unfixed_table(readme: str) -> list:
    """(kind, rules, message text) of each row of the table that follows the marker."""
    rows, in_table, seen_marker = [], False, False
    with open(readme, encoding="utf-8") as lines:
        for line in lines:
            if not seen_marker:
                seen_marker = UNFIXED_MARKER in line
                continue
            if not line.startswith("|"):
                if in_table:
                    break
                continue
            in_table = True
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) != 4 or set(cells[0]) <= set("-: ") or cells[0] == "kind":
                continue
            kind, rules, text, reason = cells
            match = re.fullmatch(r"`([^`]+)`", text)
            if match is None or not reason:
                raise SystemExit(f"{readme}: a row of the table of kinds reported without a fix needs `message text` and a reason: {line.strip()}")
            rows.append((kind, {r.strip() for r in rules.split(",")}, match[1]))
    if not rows:
        raise SystemExit(f"{readme}: no table of kinds reported without a fix after '{UNFIXED_MARKER}'")
    return rows


def unfixed_kinds(readme: str, warnings_list: str) -> int:
    rows = unfixed_table(readme)
    unlisted = 0
    for rule, line in read_warnings(warnings_list):
        kind = next((k for k, rules, text in rows if rule in rules and text in line), None)
        if kind is None:
            unlisted += 1
        print(f"{kind or 'NOT LISTED'}: {line}")
    return 1 if unlisted else 0


def main() -> int:
    command, *args = sys.argv[1:] or ["help"]
    if command == "warnings" and len(args) == 2:
        warnings(*args)
    elif command == "test-summary" and len(args) == 1:
        test_summary(*args)
    elif command == "trx-outcomes" and len(args) == 1:
        trx_outcomes(*args)
    elif command == "rule-counts" and len(args) == 2:
        rule_counts(*args)
    elif command == "unfixed-kinds" and len(args) == 2:
        return unfixed_kinds(*args)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
