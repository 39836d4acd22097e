"""Line and branch coverage of the whole test suite (pytest-cov), overall and for each module
that mutation testing covers (bench/mutation.toml).

    .venv/bin/python bench/coverage.py                # the whole suite, as scripts/test runs it
    .venv/bin/python bench/coverage.py --from-json bench/out/coverage.json   # re-read a run

Kept out of scripts/test: measuring slows the suite by about a third. The JSON report is
written to bench/out/coverage.json.

tests/analyze/test_budget.py is left out of the measured run: under pytest-cov its guarded
spin loops were never stopped (the run hung there for minutes, where the plain suite takes
under a second), so the budget guard's async exception does not get through coverage's
tracer; the plain suite (scripts/test) runs those tests.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "out" / "coverage.json"
MODULES = ROOT / "bench" / "mutation.toml"


def run_suite(extra: list[str]) -> int:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "--cov=triangulate",
                            "--cov-branch", f"--cov-report=json:{REPORT}",
                            "--ignore=tests/analyze/test_budget.py", *extra], cwd=ROOT)


def ratio(covered: int, total: int) -> str:
    return f"{covered / total:.1%}" if total else "-"


def summary(report: dict) -> list[tuple[str, str, str, int, int]]:
    """(what, line coverage, branch coverage, statements, branches) rows."""
    totals = report["totals"]
    rows = [("all of triangulate", ratio(totals["covered_lines"], totals["num_statements"]),
             ratio(totals["covered_branches"], totals["num_branches"]),
             totals["num_statements"], totals["num_branches"])]
    files = {(ROOT / name).resolve().relative_to(ROOT).as_posix(): data["summary"]
             for name, data in report["files"].items()}
    for name, spec in tomllib.loads(MODULES.read_text(encoding="utf-8"))["modules"].items():
        lines = branches = covered_lines = covered_branches = 0
        for path, s in files.items():
            if any(fnmatch.fnmatch(path, pattern) for pattern in spec["paths"]):
                lines += s["num_statements"]
                covered_lines += s["covered_lines"]
                branches += s["num_branches"]
                covered_branches += s["covered_branches"]
        rows.append((name, ratio(covered_lines, lines), ratio(covered_branches, branches),
                     lines, branches))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from-json", type=Path, help="read this report instead of running")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args(argv)
    code = 0
    if args.from_json is None:
        code = run_suite(args.pytest_args)
    report = json.loads((args.from_json or REPORT).read_text(encoding="utf-8"))
    rows = [("module", "lines", "branches", "statements", "branch points"), *summary(report)]
    widths = [max(len(str(r[i])) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
