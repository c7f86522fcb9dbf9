#!/usr/bin/env python3
"""Reads the SARIF 2.1 log that the C# compiler writes with -p:ErrorLog=FILE,version=2.1.

  sarif.py compiler SARIF        the compiler that wrote the log: "<name> <version>" (the log's tool.driver)
  sarif.py check SARIF ROOT      checks every TrueAsync result the way a code-scanning viewer shows it: a rule
                                 ID, a help link (helpUri of the rule the result points at), a location and a
                                 message that names what to use instead; fails on any CS8032 (analyzer cannot
                                 be loaded) or AD0001 (analyzer crashed). Prints one line per TrueAsync
                                 result, "<ID> <path relative to ROOT>(<line>,<col>): <message>", sorted.
  sarif.py levels SARIF          "<ID> <level>" for each rule ID and SARIF level among the results, sorted
"""

import json
import os
import re
import sys
from urllib.parse import unquote, urlparse

TRUEASYNC_ID = re.compile(r"TA\d{4}")
# What each rule's message names instead of the blocking call: a quoted async API ("use 'CountAsync'",
# "await 'ToListAsync'", "await foreach over AsAsyncEnumerable()") or, for a wait on a task, await itself.
COUNTERPART = re.compile(r"\b(?:use|await) '[^']+'|\bawait it\b")
LOAD_FAILURES = ("CS8032", "AD0001")


def run_of(path: str) -> dict:
    with open(path, encoding="utf-8-sig") as log:
        document = json.load(log)
    if document.get("version") != "2.1.0":
        raise SystemExit(f"{path}: SARIF version {document.get('version')!r}, expected 2.1.0 (ErrorLog=FILE,version=2.1)")
    runs = document.get("runs") or []
    if len(runs) != 1:
        raise SystemExit(f"{path}: {len(runs)} runs, expected the one run of one compilation")
    return runs[0]


def compiler(path: str) -> None:
    driver = run_of(path)["tool"]["driver"]
    print(f"{driver.get('name', '?')} {driver.get('version') or driver.get('semanticVersion', '?')}")


def location_of(result: dict, root: str) -> str | None:
    for location in result.get("locations") or []:
        physical = location.get("physicalLocation") or {}
        uri = (physical.get("artifactLocation") or {}).get("uri")
        region = physical.get("region") or {}
        if uri and "startLine" in region:
            file = unquote(urlparse(uri).path) if uri.startswith("file:") else uri
            file = os.path.relpath(file, root) if os.path.isabs(file) else file
            return f"{file}({region['startLine']},{region.get('startColumn', 1)})"
    return None


def check(path: str, root: str) -> int:
    run = run_of(path)
    rules = run["tool"]["driver"].get("rules") or []
    rules_by_id = {rule.get("id"): rule for rule in rules}
    problems = []
    lines = []
    for result in run.get("results") or []:
        rule_id = result.get("ruleId") or ""
        text = (result.get("message") or {}).get("text") or ""
        if rule_id in LOAD_FAILURES:
            problems.append(f"{rule_id}: {text}")
            continue
        if not TRUEASYNC_ID.fullmatch(rule_id):
            continue
        index = result.get("ruleIndex")
        rule = rules[index] if isinstance(index, int) and 0 <= index < len(rules) else rules_by_id.get(rule_id)
        where = location_of(result, root)
        if where is None:
            problems.append(f"{rule_id} result without a source location: {text}")
            continue
        if rule is None or rule.get("id") != rule_id:
            problems.append(f"{rule_id} at {where}: the log has no rule entry for it")
        elif not str(rule.get("helpUri", "")).endswith(f"/{rule_id}.md"):
            problems.append(f"{rule_id} at {where}: help link {rule.get('helpUri')!r} is not the rule's page")
        if not COUNTERPART.search(text):
            problems.append(f"{rule_id} at {where}: the message does not name what to use instead: {text!r}")
        lines.append(f"{rule_id} {where}: {text}")
    for line in sorted(lines):
        print(line)
    for problem in problems:
        print(f"sarif: FAIL: {path}: {problem}", file=sys.stderr)
    return 1 if problems else 0


def levels(path: str) -> None:
    pairs = {(r.get("ruleId"), r.get("level", "warning")) for r in run_of(path).get("results") or []
             if TRUEASYNC_ID.fullmatch(r.get("ruleId") or "")}
    for rule_id, level in sorted(pairs):
        print(rule_id, level)


def main() -> int:
    command, *args = sys.argv[1:] or ["help"]
    if command == "compiler" and len(args) == 1:
        compiler(*args)
        return 0
    if command == "check" and len(args) == 2:
        return check(*args)
    if command == "levels" and len(args) == 1:
        levels(*args)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
