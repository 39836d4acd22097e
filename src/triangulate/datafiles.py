"""One way to read the data files under src/triangulate/data/.

Every lexicon, pattern table and word list the stages use is a text file in one of a few
formats, and each format has one reader here:

* ``lines``: the content lines of any text file — blank lines and comment lines (first
  non-blank character ``#``) skipped, so each file can open with a header comment saying what
  it holds and where the facts come from;
* ``rows``: tab-separated tables, built on ``lines``;
* ``words``: one-entry-a-line word lists, built on ``lines``;
* ``load_json`` and ``jsonl``: JSON documents and one-record-a-line JSON.

The readers read the file on every call and return fresh objects. Callers build their own
structures from them once per process (a ``functools.cache`` on the function that builds
the lexicon), so a caller may change what it gets without affecting anyone else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def path(*parts: str) -> Path:
    """The path of a file under the data folder: ``path("events", "triggers.tsv")``."""
    return DATA.joinpath(*parts)


def lines(*parts: str) -> list[str]:
    """The file's lines without blank lines and ``#`` comments (no line ends, otherwise as
    written: a trailing space can be part of an entry)."""
    return [
        line for line in path(*parts).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def rows(*parts: str, header: bool = False, strip: bool = False) -> list[list[str]]:
    """The cells of a tab-separated file, one list per data line.

    ``header``: the first line after the comments names the columns and is skipped.
    ``strip``: spaces around each cell are dropped (the default keeps them, since a regular
    expression or a phrase prefix may need a trailing space).
    """
    found = lines(*parts)
    if header:
        found = found[1:]
    if strip:
        return [[cell.strip() for cell in line.split("\t")] for line in found]
    return [line.split("\t") for line in found]


def words(*parts: str) -> frozenset[str]:
    """A word list: one entry a line, spaces around it dropped."""
    return frozenset(line.strip() for line in lines(*parts))


def load_json(*parts: str) -> Any:
    """A JSON document (JSON has no comments: a key such as ``_comment`` or the folder's
    README says what the file holds)."""
    return json.loads(path(*parts).read_text(encoding="utf-8"))


def jsonl(*parts: str) -> list[Any]:
    """One JSON value a line; blank lines and ``#`` comment lines skipped."""
    return [json.loads(line) for line in lines(*parts)]
