"""Line-by-line reading shared by the JSON Lines, CSV and URL-list readers: each line is
held to MAX_RECORD_BYTES and decoded on its own, so a bad line costs that line only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from triangulate import settings
from triangulate.ingest import decode as dec


def buffered_reader(fh: BinaryIO) -> io.BufferedReader:
    if isinstance(fh, io.BufferedReader):
        return fh
    return io.BufferedReader(fh, buffer_size=1 << 16)  # type: ignore[arg-type]


def decoded_lines(fh: BinaryIO, encoding: str | None
                   ) -> Iterator[tuple[int, str | dec.Failure]]:
    """Numbered lines as text, or why a line cannot be read (too long, NUL bytes, no
    encoding fits): each line is decoded on its own, so a bad one costs that line only. A
    file's first line that is not UTF-8 sets the encoding tried first on the others."""
    fallback: str | None = None
    for lineno, line in raw_lines(fh, encoding):
        if isinstance(line, bytes):
            if b"\x00" in line:
                yield lineno, dec.Failure("binary", "the line holds NUL bytes")
                continue
            decoded = dec.decode_line(line, fallback)
            if isinstance(decoded, dec.Failure):
                yield lineno, decoded
                continue
            if fallback is None and not is_utf8(line):
                fallback = dec.detect(line)
            line = decoded
        yield lineno, line.lstrip("\ufeff") if lineno == 1 and isinstance(line, str) else line


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def raw_lines(fh: BinaryIO, encoding: str | None) -> Iterator[tuple[int, bytes | str | dec.Failure]]:
    """Numbered lines, each at most MAX_RECORD_BYTES (longer ones are reported, skipped
    and read past without holding them)."""
    limit = settings.MAX_RECORD_BYTES
    if encoding in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        # Line splitting on b"\n" would cut UTF-16 characters: decode as a stream.
        text = io.TextIOWrapper(fh, encoding=encoding, errors="replace",  # type: ignore[arg-type]
                                newline=None)
        for lineno, line in enumerate(text, 1):
            yield lineno, line
        return
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                size += len(rest)
            size += len(rest)
            yield lineno, dec.Failure("too-large", f"a {size:,}-byte line; the limit is "
                                      f"{limit:,} (settings.MAX_RECORD_BYTES)")
            continue
        yield lineno, line


def os_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return exc.strerror or str(exc)
