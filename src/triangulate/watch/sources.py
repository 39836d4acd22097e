"""The sources file of `triangulate watch`: what to follow, one source a line.

    # comments start with '#', at the start of a line or after a space
    feed https://meridianwire.example/world/rss.xml
    urls lists/front-pages.txt      # a file of URLs, one a line (as `ingest --urls`)
    folder /srv/incoming            # new files dropped into a folder (any format ingest reads)
    https://levantobserver.example/atom.xml   # no kind: a URL is a feed,
    drops/                                    # a folder a folder, a file a URL list

Relative paths are relative to the sources file. A line that cannot be used is reported
with its line number and the others are followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from triangulate.model import Skipped

KINDS = ("feed", "urls", "folder")
_URL = re.compile(r"(?i)^https?://")
# A comment after a space: '#' inside a URL (its fragment) never follows a space.
_COMMENT = re.compile(r"(^|\s)#.*$")


@dataclass(frozen=True)
class WatchSource:
    kind: str  # feed | urls | folder
    target: str  # a URL (feed) or an absolute path (urls, folder)
    line: int = 0

    @property
    def key(self) -> str:
        """The source's name in the store: its politeness state and seen items hang on it."""
        return f"{self.kind} {self.target}"


def read_sources(path: Path) -> tuple[list[WatchSource], list[Skipped]]:
    """The sources a file lists, and the lines that could not be used (with the reason)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Skipped(str(path), "unreadable", str(exc))]
    return parse_sources(text, path.parent, str(path))


def parse_sources(text: str, base: Path, name: str = "sources") -> tuple[list[WatchSource], list[Skipped]]:
    sources: list[WatchSource] = []
    problems: list[Skipped] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        where = f"{name}:{lineno}"
        found = _source(line, base, lineno)
        if isinstance(found, str):
            problems.append(Skipped(where, "bad-source", found))
        elif found.key in seen:
            problems.append(Skipped(where, "duplicate-source", f"{found.key} is listed already"))
        else:
            seen.add(found.key)
            sources.append(found)
    return sources, problems


def _source(line: str, base: Path, lineno: int) -> WatchSource | str:
    """The source a line names, or why it names none."""
    head, _, rest = line.partition(" ")
    rest = rest.strip()
    if head.lower() in KINDS:
        kind, target = head.lower(), rest
        if not target:
            return f"'{kind}' needs a target"
        if " " in target:
            return f"one target a line: {target!r}"
    elif rest:
        return f"unknown kind {head!r}: use {', '.join(KINDS)}, or give a URL or a path alone"
    else:
        kind, target = _guess(head, base), head
    if kind == "feed":
        if not _URL.match(target):
            return f"a feed is an http(s) URL, not {target!r} (a feed file on disk goes in a folder)"
        return WatchSource(kind, target, lineno)
    if _URL.match(target):
        return f"a {kind} source is a path, not a URL"
    path = _path(target, base)
    if path is None:
        return f"not a usable path: {target!r}"
    return WatchSource(kind, str(path), lineno)


def _guess(target: str, base: Path) -> str:
    if _URL.match(target):
        return "feed"
    path = _path(target, base)
    return "folder" if (path and path.is_dir()) or target.endswith(("/", "\\")) else "urls"


def _path(target: str, base: Path) -> Path | None:
    """The absolute path a target names, or None ("~nobody/x", a NUL byte)."""
    try:
        path = Path(target).expanduser()
        return (path if path.is_absolute() else base / path).resolve()
    except (RuntimeError, ValueError, OSError):
        return None
