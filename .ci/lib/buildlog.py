#!/usr/bin/env python3
"""Small parsers for the CI scripts, so that the bash stays readable.

  buildlog.py warnings LOG ROOT      unique compiler warnings of an MSBuild log, one per line:
                                     "<ID> <path relative to ROOT>(<line>,<col>): <message>"
  buildlog.py test-summary LOG       adds up the VSTest summary lines of a `dotnet test` log and prints
                                     "<passed> <failed> <skipped> <total>"
  buildlog.py trx-outcomes TRX       one "<outcome> <test name>" line per test of a .trx file, sorted
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


def main() -> int:
    command, *args = sys.argv[1:] or ["help"]
    if command == "warnings" and len(args) == 2:
        warnings(*args)
    elif command == "test-summary" and len(args) == 1:
        test_summary(*args)
    elif command == "trx-outcomes" and len(args) == 1:
        trx_outcomes(*args)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
