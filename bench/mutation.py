"""Mutation testing, module by module, within a time budget: a fixed random sample of each
module's mutants, each run against the tests of that module that call the mutated function.

    .venv/bin/pip install -e '.[mutation]'                # mutmut, pinned
    .venv/bin/python bench/mutation.py                    # every module in bench/mutation.toml
    .venv/bin/python bench/mutation.py times dedup        # some of them
    .venv/bin/python bench/mutation.py --budget 100 --jobs 2 --format json

The tool is mutmut 3 (it forks each mutant from a process that has already imported the
code and loaded the models, and knows from one traced run of the tests which tests call
which function, so a mutant costs only the tests that can see it). What this script adds:

* one module at a time, each in its own work folder (bench/out/mutation/<module>/) with the
  repository's pyproject.toml plus a [tool.mutmut] table naming that module's files and
  tests (bench/mutation.toml);
* the sample: mutmut generates every mutant of the module, and the `sample` whose
  sha256("{seed}:{mutant name}") come first are run (all of them where there are fewer);
* the score: killed / (sampled - equivalent). A timeout counts as killed (the mutant made the
  code loop or crawl, and the tests noticed). "No tests" (no test of the module calls the
  function) counts as survived. Equivalent mutants are left out only when listed in
  bench/mutation_equivalent.tsv with the line they write and a reason;
* the budget: a module is started only while time is left, and one that runs past the end
  is stopped; what it had checked is still reported, marked partial.

Each module's surviving mutants are written with their diffs to
bench/out/mutation/<module>/survivors.txt: the behaviours no test checks yet.
The process runs at nice 10 (the machine's cores are shared).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "bench" / "mutation.toml"
EQUIVALENT = ROOT / "bench" / "mutation_equivalent.tsv"
OUT = ROOT / "bench" / "out" / "mutation"
MUTMUT = "3.8.1"  # mutant names (and so the sample) depend on the version

KILLED = {"killed", "timeout", "segfault"}
GENERATE = ("from mutmut.utils.file_utils import copy_src_dir; "
            "from mutmut.__main__ import create_mutants; "
            "copy_src_dir(); create_mutants({jobs})")


@dataclass
class Result:
    module: str
    mutants: int = 0
    sampled: int = 0
    killed: int = 0
    equivalent: int = 0
    survived: int = 0
    no_tests: int = 0
    not_checked: int = 0
    minutes: float = 0.0
    partial: bool = False
    survivors: list[str] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        judged = self.sampled - self.equivalent - self.not_checked
        return self.killed / judged if judged > 0 else None


def draw(seed: int, mutant: str) -> str:
    """A mutant's place in the seeded random order. Each mutant's place depends only on its
    own name, so an edit to one function redraws only that function's mutants."""
    return hashlib.sha256(f"{seed}:{mutant}".encode()).hexdigest()


def load_config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def load_equivalent() -> dict[str, tuple[str, str]]:
    """mutant name -> (the line it writes, why it is equivalent)."""
    out = {}
    for n, line in enumerate(EQUIVALENT.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise SystemExit(f"{EQUIVALENT.name}:{n}: want mutant<TAB>mutated line<TAB>reason")
        out[parts[0].strip()] = (parts[1].strip(), parts[2].strip())
    return out


def check_mutmut() -> None:
    try:
        from importlib.metadata import version
        found = version("mutmut")
    except Exception:  # noqa: BLE001 - any failure means it is not usable
        found = None
    if found != MUTMUT:
        raise SystemExit(f"bench/mutation.py needs mutmut=={MUTMUT} (found {found}): "
                         f"{sys.executable} -m pip install -e '.[mutation]'")


def mutmut_table(paths: list[str], tests: list[str]) -> str:
    def toml_list(items):
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"
    return (
        "\n\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = {toml_list(paths)}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        # the same examples for every mutant, so that a kill does not depend on luck
        'pytest_add_cli_args = ["--hypothesis-seed=0", "-p", "no:cacheprovider"]\n'
    )


def prepare(name: str, spec: dict) -> Path:
    """A fresh work folder: links to src and tests, pyproject.toml with this module's table."""
    work = OUT / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "src").symlink_to(ROOT / "src", target_is_directory=True)
    (work / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    tests = [t for t in spec["tests"] if (ROOT / t).exists()]
    if not tests:
        raise SystemExit(f"{name}: none of its tests exist: {spec['tests']}")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(text + mutmut_table(spec["paths"], tests),
                                         encoding="utf-8")
    return work


def statuses(work: Path) -> dict[str, int | None]:
    """Every mutant of the module and its exit code (None: not run yet)."""
    out: dict[str, int | None] = {}
    for meta in sorted((work / "mutants" / "src").rglob("*.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        out.update(data["exit_code_by_key"])
    return out


_SHOW = ("import contextlib, io, json, sys\n"
         "from mutmut.__main__ import show\n"
         "out = {}\n"
         "for name in json.load(sys.stdin):\n"
         "    buf = io.StringIO()\n"
         "    with contextlib.redirect_stdout(buf):\n"
         "        show.callback(name)\n"
         "    out[name] = buf.getvalue().strip()\n"
         "print(json.dumps(out))\n")


def mutant_diffs(work: Path, mutants: list[str]) -> dict[str, str]:
    """Each mutant's diff, as `mutmut show` prints it, from one process (a process per
    mutant costs seconds each: a module's hundred survivors took minutes)."""
    if not mutants:
        return {}
    done = subprocess.run([sys.executable, "-c", _SHOW], cwd=work, input=json.dumps(mutants),
                          capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout)


def written_lines(diff: str) -> list[str]:
    return [ln[1:].strip() for ln in diff.splitlines()
            if ln.startswith("+") and not ln.startswith("+++")]


def run_module(name: str, spec: dict, sample: int, seed: int, jobs: int, deadline: float,
               equivalent: dict[str, tuple[str, str]]) -> Result:
    started = time.monotonic()
    result = Result(name)
    work = prepare(name, spec)
    subprocess.run([sys.executable, "-c", GENERATE.format(jobs=jobs)], cwd=work, check=True,
                   stdout=subprocess.DEVNULL)
    names = sorted(statuses(work))
    result.mutants = len(names)
    chosen = sorted(sorted(names, key=lambda mutant: draw(seed, mutant))[:sample])
    result.sampled = len(chosen)
    (work / "sample.txt").write_text("\n".join(chosen) + "\n", encoding="utf-8")

    log = (work / "mutmut.log").open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "mutmut", "run", "--max-children",
                             str(jobs), *chosen], cwd=work, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        result.partial = True
    log.close()
    tally(result, work, chosen, equivalent)
    result.minutes = round((time.monotonic() - started) / 60, 1)
    return result


def tally(result: Result, work: Path, chosen: list[str],
          equivalent: dict[str, tuple[str, str]]) -> None:
    """Count what the run found for the sampled mutants; write survivors.txt."""
    from mutmut.stats import status_by_exit_code

    codes = statuses(work)
    status = {m: "not checked" if codes.get(m) is None else status_by_exit_code[codes[m]]
              for m in chosen}
    diffs = mutant_diffs(work, [m for m in chosen if status[m] not in KILLED
                                and status[m] != "not checked"])
    survivors = []
    for mutant in chosen:
        if status[mutant] == "not checked":
            result.not_checked += 1
        elif status[mutant] in KILLED:
            result.killed += 1
        elif mutant in equivalent and equivalent[mutant][0] in written_lines(diffs[mutant]):
            result.equivalent += 1
        else:
            result.no_tests += status[mutant] == "no tests"
            result.survived += 1
            survivors.append(mutant)
    result.survivors = survivors
    with (work / "survivors.txt").open("w", encoding="utf-8") as out:
        for mutant in survivors:
            out.write(diffs[mutant] + "\n\n")


def recount(name: str, equivalent: dict[str, tuple[str, str]]) -> Result:
    """A module's result from its last run's work folder, without running anything (after
    listing an equivalent mutant, say)."""
    work = OUT / name
    chosen = (work / "sample.txt").read_text(encoding="utf-8").split()
    result = Result(name, mutants=len(statuses(work)), sampled=len(chosen))
    tally(result, work, chosen, equivalent)
    return result


def table(results: list[Result]) -> str:
    head = ("module", "mutants", "sampled", "killed", "equivalent", "survived", "no tests",
            "not run", "score", "minutes")
    rows = [head]
    for r in results:
        score = "-" if r.score is None else f"{r.score:.2f}" + (" (partial)" if r.partial else "")
        rows.append((r.module, r.mutants, r.sampled, r.killed, r.equivalent, r.survived,
                     r.no_tests, r.not_checked, score, r.minutes))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True))
                     for row in rows)


def main(argv: list[str] | None = None) -> int:
    config = load_config()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"default: all ({', '.join(config['modules'])})")
    parser.add_argument("--sample", type=int, default=config["sample"],
                        help="mutants per module (default %(default)s; all where fewer)")
    parser.add_argument("--seed", type=int, default=config["seed"])
    parser.add_argument("--budget", type=float, default=110.0,
                        help="minutes for the whole run (default %(default)s)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--recount", action="store_true",
                        help="re-read the last run of each module (bench/out/mutation/<module>) "
                             "instead of running: minutes are then not known")
    args = parser.parse_args(argv)
    unknown = set(args.modules) - set(config["modules"])
    if unknown:
        parser.error(f"unknown module(s) {sorted(unknown)}; known: {sorted(config['modules'])}")
    check_mutmut()
    os.nice(10)
    equivalent = load_equivalent()
    deadline = time.monotonic() + args.budget * 60
    results = []
    for name in args.modules or list(config["modules"]):
        if args.recount:
            if (OUT / name / "sample.txt").exists():
                results.append(recount(name, equivalent))
            continue
        if time.monotonic() >= deadline:
            print(f"{name}: not started, the budget is spent", file=sys.stderr)
            continue
        print(f"{name}: running", file=sys.stderr, flush=True)
        results.append(run_module(name, config["modules"][name], args.sample, args.seed,
                                  args.jobs, deadline, equivalent))
        print(table(results[-1:]), file=sys.stderr, flush=True)
    summary = [asdict(r) | {"score": r.score} for r in results]
    if not args.recount:
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "summary.json").write_text(json.dumps(summary, indent=1) + "\n",
                                          encoding="utf-8")
    print(json.dumps(summary, indent=1) if args.format == "json" else table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
