"""Bytes -> text: binary sniffing and encoding detection.

Order of evidence, strongest first: a byte-order mark, valid UTF-8, a charset the document
declares (HTML meta, HTTP header), then charset-normalizer's detection with a prior for
Windows-1252, the encoding of most non-UTF-8 English news files.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# File signatures (magic numbers) of formats that are never articles. Signatures made of
# plain letters ("MZ", "BZh") are left out: a text may start with them, and those formats
# are caught by their NUL bytes anyway.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an office document)"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media (WebP, WAV, AVI)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"PAR1", "Parquet file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Above this share of NUL bytes in its first bytes, a line-by-line file is binary as a whole.
LINE_FILE_NUL_SHARE = 0.1
# How much of a file the sniffers and detectors look at.
SNIFF_BYTES = 8192
DETECT_BYTES = 256 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Failure:
    """Why bytes could not become text: a Skipped reason and a message."""

    reason: str
    detail: str


def bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def sniff_binary(
    head: bytes, allow: tuple[str, ...] = (), nul_ok: bool = False, lines: bool = False,
) -> Failure | None:
    """A Failure when the first bytes show a binary file (magic number or NUL bytes).

    With ``lines`` (JSON Lines, CSV: files read line by line, where a bad line costs that
    line only) a few NUL bytes are left to the line they are on; only a head that is
    mostly NULs, as binary formats are and text never is, makes the file binary."""
    for magic, kind in _MAGIC:
        if head.startswith(magic) and kind not in allow:
            return Failure("binary", f"{kind}, not text")
    if nul_ok or b"\x00" not in head:
        return None
    if bom_encoding(head) is not None or utf16_without_bom(head) is not None:
        return None
    if lines and head.count(b"\x00") <= LINE_FILE_NUL_SHARE * len(head):
        return None
    return Failure("binary", "contains NUL bytes: a binary file, not text")


def utf16_without_bom(head: bytes) -> str | None:
    # Text in UTF-16 without a BOM has a NUL in every other byte (for Latin script):
    # check the pattern before calling it binary.
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.8 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.8 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes (<meta charset=...>)."""
    m = _META_CHARSET.search(head[:SNIFF_BYTES])
    return _codec(m.group(1).decode("ascii", "ignore")) if m else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers read a declared latin-1 as Windows-1252 (the WHATWG encoding standard):
    # pages that say iso-8859-1 use curly quotes from 0x80-0x9F all the time.
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def decode(data: bytes, declared: str | None = None) -> str | Failure:
    """Decode a whole document, or say why not ("binary" or "undecodable")."""
    head = data[:SNIFF_BYTES]
    if failure := sniff_binary(head):
        return failure
    encoding = bom_encoding(head) or utf16_without_bom(head)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            return Failure("undecodable", f"invalid {encoding} at byte {exc.start}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for candidate in (_codec(declared), declared_charset(head)):
        if candidate:
            try:
                return data.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                pass
    encoding = detect(data)
    if encoding is None:
        return Failure("undecodable", "not UTF-8, and no other text encoding fits the bytes")
    return data.decode(encoding, errors="replace")


def detect(data: bytes) -> str | None:
    """The most plausible single-byte or multi-byte encoding of non-UTF-8 bytes, or None."""
    from charset_normalizer import from_bytes

    results = from_bytes(data[:DETECT_BYTES])
    names = [r.encoding for r in results]
    if not names:
        return None
    # charset-normalizer ranks cp1250 or cp775 above cp1252 on short Western texts ("Genève"
    # read as "Genčve"); when a Western reading is among the plausible ones, Windows-1252 is
    # the better bet for English news (latin-1 where a byte is undefined in cp1252).
    if {"cp1252", "latin_1", "iso8859_15"} & set(names):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return "latin_1"
        return "cp1252"
    return names[0]


def decode_line(line: bytes, fallback: str | None = None) -> str | Failure:
    """Decode one line of a line-oriented file (JSONL, CSV): UTF-8, else the file's own
    fallback encoding, else detection on the line."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if fallback:
        try:
            return line.decode(fallback)
        except UnicodeDecodeError:
            pass
    encoding = detect(line)
    if encoding is None:
        return Failure("undecodable", "not UTF-8, and no other text encoding fits the bytes")
    return line.decode(encoding, errors="replace")
