#!/usr/bin/env python3
"""Reads the SARIF 2.1 log that the C# compiler writes with -p:ErrorLog=FILE,version=2.1.

  sarif.py compiler SARIF        the compiler that wrote the log: "<name> <version>" (the log's tool.driver)
  sarif.py check SARIF ROOT      checks every TrueAsync result the way a code-scanning viewer shows it: a rule
                                 ID, a help link (helpUri of the rule the result points at), a location and a
                                 message that names what to use instead; fails on any CS8032 (analyzer cannot
                                 be loaded) or AD0001 (analyzer crashed). Prints one line per TrueAsync
                                 result, "<ID> <path relative to ROOT>(<line>,<col>): <message>", sorted.
  sarif.py levels SARIF          "<ID> <level>" for each rule ID and SARIF level among the results, sorted
  sarif.py overlap SARIF ROOT RULE...
                                 the results of the given peer rules beside TrueAsync's. A site is reported by
                                 both when a peer result's span overlaps, in the same file, the span of a
                                 TrueAsync result or of one of its related locations. Prints, sorted,
                                 "both <peer ID> <TA ID> <where>: <peer message>" for such a site,
                                 "peer <ID> <where>: <message>" for a peer result alone and
                                 "trueasync <ID> <where>: <message>" for a TrueAsync result no peer overlaps
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


def span_of(result: dict, root: str) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """(file relative to ROOT, start, end) of a result's first source location, as (line, column) pairs."""
    for location in result.get("locations") or []:
        physical = location.get("physicalLocation") or {}
        uri = (physical.get("artifactLocation") or {}).get("uri")
        region = physical.get("region") or {}
        if uri and "startLine" in region:
            file = unquote(urlparse(uri).path) if uri.startswith("file:") else uri
            file = os.path.relpath(file, root) if os.path.isabs(file) else file
            start = (region["startLine"], region.get("startColumn", 1))
            end = (region.get("endLine", start[0]), region.get("endColumn", start[1]))
            return file, start, end
    return None


def location_of(result: dict, root: str) -> str | None:
    span = span_of(result, root)
    return None if span is None else f"{span[0]}({span[1][0]},{span[1][1]})"


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


def spans_of(result: dict, root: str) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """The result's location and its related locations (TrueAsync relates the whole Task.Run call, the
    wrapped call, the method that returns a finished task): together, the site it reports."""
    spans = []
    for location in (result.get("locations") or []) + (result.get("relatedLocations") or []):
        span = span_of({"locations": [location]}, root)
        if span is not None:
            spans.append(span)
    return spans


def overlap(path: str, root: str, peer_rules: list[str]) -> None:
    results = run_of(path).get("results") or []
    ours = [(r, spans_of(r, root)) for r in results if TRUEASYNC_ID.fullmatch(r.get("ruleId") or "")]
    lines = set()
    matched = set()
    for peer in results:
        span = span_of(peer, root)
        if peer.get("ruleId") not in peer_rules or span is None:
            continue
        file, start, end = span
        where = f"{file}({start[0]},{start[1]})"
        text = " ".join((peer.get("message") or {}).get("text", "").split())
        hits = [i for i, (_, sites) in enumerate(ours)
                if any(f == file and s <= end and start <= e for f, s, e in sites)]
        for i in hits:
            matched.add(i)
            lines.add(f"both {peer['ruleId']} {ours[i][0]['ruleId']} {where}: {text}")
        if not hits:
            lines.add(f"peer {peer['ruleId']} {where}: {text}")
    for i, (ta, _) in enumerate(ours):
        if i not in matched:
            lines.add(f"trueasync {ta['ruleId']} {location_of(ta, root)}: {(ta.get('message') or {}).get('text', '')}")
    for line in sorted(lines):
        print(line)


def main() -> int:
    command, *args = sys.argv[1:] or ["help"]
    if command == "compiler" and len(args) == 1:
        compiler(*args)
        return 0
    if command == "check" and len(args) == 2:
        return check(*args)
    if command == "overlap" and len(args) >= 3:
        overlap(args[0], args[1], args[2:])
        return 0
    if command == "levels" and len(args) == 1:
        levels(*args)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
