"""Hostile inputs for every reader and for the analysis, and the checks applied to them.

Shared by the fuzz tests (tests/ingest/test_fuzz.py, tests/analyze/test_fuzz.py: a small
corpus and hypothesis cases, in CI) and by ``bench/fuzz.py`` (the same generators at scale).

A generated corpus mixes **good records** (English article text carrying a unique marker
word, ``zqNNNNNNx``) with **junk** (binary bytes, NUL bytes, bad encodings, deep nesting,
lone surrogates, huge numbers, truncated records, storms of quote marks or number words,
element floods) in every format the ingest reads. Each good record knows where it sits
(``path``, ``path:line``, ``path#uri`` ...), so after an ingest it can be told apart as
kept (its marker is in a stored article), reported (a skipped input names its place) or
silently dropped (neither).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import json
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.ingest.corpus import article_text
from triangulate.ingest.normalize import path_text

FORMATS = ("text", "html", "jsonl", "json", "csv", "warc", "feed", "dir", "urls")


@dataclass
class Good:
    marker: str
    where: str  # the source a reader gives the record (file, file:line, file#uri, URL)


@dataclass
class Corpus:
    """Generated inputs: files and folders (given to ingest as they are), URL lists and the
    pages a local server answers for them, and the good records among the junk."""

    root: Path
    inputs: list[str] = field(default_factory=list)  # paths and folders to ingest
    url_files: list[str] = field(default_factory=list)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path -> (type, body)
    good: list[Good] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # input -> format


class Maker:
    """Deterministic generators of good and hostile content."""

    def __init__(self, seed: int, scale: float = 1.0):
        self.rng = random.Random(seed)
        self.scale = scale  # multiplies the size of pathological runs
        self.count = 0
        self.seed = seed

    # ---- good content

    def marker(self) -> str:
        self.count += 1
        return f"zq{self.seed % 1000:03d}{self.count:06d}x"

    def good_text(self, marker: str) -> str:
        """An English article whose first sentence names the marker."""
        body = article_text(self.rng, sentences=(4, 8))
        decoration = self.rng.choice(["", "", "\ufeff", "\u200b", "\u202e", "\u00a0", "\t"])
        return (f"Officials in the district of {marker} said on Monday that fighting had "
                f"stopped.{decoration} {body}")

    # ---- hostile content

    def n(self, low: int, high: int) -> int:
        return int(self.rng.randint(low, high) * self.scale)

    def hostile_text(self) -> str:
        """A string meant to hurt a text analyser: storms, endless runs, odd characters."""
        n = self.n(20, 3000)
        kinds: list[Callable[[], str]] = [
            lambda: '"' * n,
            lambda: "\u201c" * n,
            lambda: ("\u201ca\u201d said he " * (n // 12 + 1)),
            lambda: "' " * (n // 2),
            lambda: "\u00ab \u00bb " * (n // 4),
            lambda: "Officials said " + "thousand " * (n // 9),
            lambda: "Officials said " + " ".join(self.rng.choice(
                ["one", "two", "hundred", "thousand", "million", "and", "-", "dozen", "a"])
                for _ in range(n // 5)),
            lambda: "said " * (n // 5),
            lambda: "according to officials " * (n // 23),
            lambda: "9" * n,
            lambda: "1,000," * (n // 6),
            lambda: "$%-.!?" * (n // 6),
            lambda: "." * n,
            lambda: "-" * n,
            lambda: "a\u0301" * (n // 2),
            lambda: "\u200b\u200d\u2060" * (n // 3),
            lambda: "\n" * n,
            lambda: " \t\r" * (n // 3),
            lambda: "x\n\n" * (n // 3),
            lambda: "\u0627\u0644\u0633\u0644\u0627\u0645 " * (n // 6),
            lambda: "\u6218\u4e89\u548c\u5e73" * (n // 4),
            lambda: "\U0001f4a5" * (n // 2),
            lambda: "a" * n,
            lambda: "on Monday " * (n // 10),
            lambda: "in 3000000 years, on 9999-12-31 and January 32, " * (n // 48 + 1),
            lambda: "<p>" * (n // 3),
            lambda: "http://" + "a/" * (n // 2),
            lambda: "He said: " + "(" * (n // 2) + ")" * (n // 2),
            lambda: "Hamas said Israel killed " + "ten, " * (n // 5) + "people.",
            lambda: "".join(self.rng.choice(" \n\"'\u201c\u201d,.;:-0123456789aeiouAEIOUsaid")
                            for _ in range(n)),
            lambda: "".join(chr(self.rng.randint(32, 0x2FFF)) for _ in range(n)),
        ]
        return self.rng.choice(kinds)()

    def junk_bytes(self) -> bytes:
        n = self.n(1, 4000)
        kinds: list[Callable[[], bytes]] = [
            lambda: bytes(self.rng.randrange(256) for _ in range(n)),
            lambda: b"\x00" * n,
            lambda: b"\xff\xfe\xfd" * (n // 3 + 1),
            lambda: b"%PDF-1.4\n" + bytes(self.rng.randrange(256) for _ in range(n)),
            lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * n,
            lambda: b"PK\x03\x04" + b"\x00" * n,
            lambda: b"\x1f\x8b\x08\x00garbage",
            lambda: b"",
            lambda: b"   \n\n\t  ",
            lambda: self.hostile_text().encode("utf-8", "surrogatepass"),
            lambda: self.hostile_text().encode("utf-16"),
            lambda: ("caf\u00e9 " * (n // 5 + 1)).encode("latin-1"),
        ]
        return self.rng.choice(kinds)()

    def deep_json(self) -> str:
        n = self.n(1000, 100000)
        return self.rng.choice(["[" * n, '{"a":' * n, "[" * n + "]" * n])

    def junk_json_line(self) -> str:
        """One JSON Lines line that is no usable record."""
        kinds: list[Callable[[], str]] = [
            lambda: '{"id": "cut", "text": "never ends',
            lambda: "[]",
            lambda: "[1, 2, 3]",
            lambda: "null",
            lambda: '"just a string"',
            lambda: "42",
            lambda: self.deep_json(),
            lambda: '{"id": 1' + "0" * 5000 + ', "text": "big id"}',
            lambda: json.dumps({"id": "no-text", "body": "wrong field"}),
            lambda: json.dumps({"text": 12345}),
            lambda: json.dumps({"text": ["a", "list"]}),
            lambda: json.dumps({"text": ""}),
            lambda: json.dumps({"text": None, "html": None}),
            lambda: '{"text": "bad \\ud800 escape and \\udfff too, officials said today."}',
            lambda: json.dumps({"text": self.hostile_text()}),
            lambda: json.dumps({"html": "<svg><foreignObject><p>" + "x" * 50 +
                                "</p></foreignObject></svg>"}),
            lambda: "{" + "\x00" * 10 + "}",
            lambda: "\ufeff{not json at all",
            lambda: json.dumps({"text": "x", "id": {"nested": True}, "published": [1]}),
        ]
        return self.rng.choice(kinds)()

    def good_record(self, marker: str) -> dict:
        record: dict = {"text": self.good_text(marker)}
        options = {
            "id": lambda: self.rng.choice([marker, f"id-{marker}", None, 7]),
            "published": lambda: self.rng.choice(["2024-03-01", "9999-12-31", "0001-01-01",
                                                  "not a date", None, 20240301]),
            "outlet": lambda: self.rng.choice(["Harbour Post", "", None, "\u202eevil", "x" * 300]),
            "title": lambda: self.rng.choice(["A title", None, "\ud800 title"]),
            "url": lambda: self.rng.choice(["http://example.org/a", "not a url", "http://[::1",
                                            None]),
        }
        for key, make in options.items():
            if self.rng.random() < 0.5:
                value = make()
                if value is not None:
                    record[key] = value
        if record.get("id") is not None:
            record["id"] = f"{record['id']}-{marker}"  # ids unique per record
        if self.rng.random() < 0.25:
            record["html"] = f"<p>{record.pop('text')}</p>"
        return record


# --------------------------------------------------------------------------- formats


def _json_line(record: dict) -> str:
    # ensure_ascii keeps a lone surrogate as its escape, which is what a hostile file holds
    return json.dumps(record, ensure_ascii=True)


def make_text(m: Maker, path: Path, corpus: Corpus) -> None:
    """A .txt file: one good article (with hostile decoration) or junk."""
    if m.rng.random() < 0.5:
        marker = m.marker()
        text = m.good_text(marker)
        encoding = m.rng.choice(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
        newline = m.rng.choice(["\n", "\r\n", "\r"])
        data = text.replace("\n", newline).encode(encoding, "replace")
        path.write_bytes(data)
        corpus.good.append(Good(marker, _where(path)))
    else:
        path.write_bytes(m.rng.choice([m.junk_bytes, lambda: m.hostile_text().encode()])())


def _where(path: Path) -> str:
    """A file's source as the readers give it (a name that is not UTF-8, escaped)."""
    return path_text(str(path))


def _html_page(m: Maker, body: str) -> str:
    extras = [
        "", "<svg><foreignObject><div><p>Inline figure text</p></div></foreignObject></svg>",
        "<div>" * m.n(10, 2000) + "</div>" * 10, "<script>" + "var a=1;" * m.n(10, 2000)
        + "</script>", "<!--" + "comment " * m.n(10, 500) + "-->", "&amp;" * m.n(10, 3000),
        '<meta charset="no-such-charset">', "<p>" * m.n(10, 500), "<![CDATA[ x ]]>",
        "<table>" + "<tr><td>cell</td></tr>" * m.n(10, 500) + "</table>",
    ]
    return (f"<!DOCTYPE html><html><head><title>Report</title>{m.rng.choice(extras)}</head>"
            f"<body>{m.rng.choice(extras)}<article><h1>Report</h1>{body}</article>"
            f"{m.rng.choice(extras)}</body></html>")


def make_html(m: Maker, path: Path, corpus: Corpus) -> None:
    if m.rng.random() < 0.5:
        marker = m.marker()
        body = "".join(f"<p>{p}</p>" for p in m.good_text(marker).split("\n\n"))
        path.write_text(_html_page(m, body), encoding="utf-8")
        corpus.good.append(Good(marker, _where(path)))
        return
    kinds: list[Callable[[], bytes]] = [
        m.junk_bytes,
        lambda: ("<html><body>" + "<p>x</p>" * m.n(10, 20000) + "</body></html>").encode(),
        lambda: ("<div>" * m.n(100, 50000)).encode(),
        lambda: (b"<svg xmlns='http://www.w3.org/2000/svg'><foreignObject><html><body><p>"
                 b"Officials said the strike hit the town at dawn on Monday.</p></body></html>"
                 b"</foreignObject></svg>"),
        lambda: _html_page(m, f"<p>{m.hostile_text()}</p>").encode(),
        lambda: b"<html><body><nav>Home</nav></body></html>",
        lambda: ("<html>" + "<" * m.n(10, 5000)).encode(),
    ]
    path.write_bytes(m.rng.choice(kinds)())


def make_jsonl(m: Maker, path: Path, corpus: Corpus) -> None:
    lines: list[str] = []
    goods: list[tuple[int, str]] = []
    first = m.rng.choice([None, "[]", "{}", "[1]", m.deep_json(), "\ufeff", ""])
    if first is not None:
        lines.append(first)
    for _ in range(m.rng.randint(1, 12)):
        if m.rng.random() < 0.5:
            marker = m.marker()
            lines.append(_json_line(m.good_record(marker)))
            goods.append((len(lines), marker))
        else:
            lines.append(m.junk_json_line())
        if m.rng.random() < 0.1:
            lines.append("")
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if m.rng.random() < 0.2:  # one line with NUL bytes, or in another encoding
        data += b"\n" + m.rng.choice([b'{"text": "a\x00b"}', b'{"text": "caf\xe9 cr\xe8me"}',
                                      b"\x00\x00\x00"])
    path.write_bytes(data + b"\n")
    corpus.good += [Good(marker, f"{_where(path)}:{line}") for line, marker in goods]


def make_json(m: Maker, path: Path, corpus: Corpus) -> None:
    """A JSON document: a pretty-printed array with junk values among the records, at
    times cut short or followed by more values."""
    lines = ["["]
    goods: list[tuple[str, str]] = []
    count = m.rng.randint(1, 8)
    for k in range(1, count + 1):
        at = f"{_where(path)}:{sum(x.count(chr(10)) + 1 for x in lines) + 1}#{k}"
        if m.rng.random() < 0.6:
            marker = m.marker()
            value: object = m.good_record(marker)
            goods.append((at, marker))
        else:
            value = m.rng.choice([1, "text", None, [], {"body": "no text"}, [[[]]]])
        dumped = json.dumps(value, indent=2).replace("\n", "\n  ")
        lines.append("  " + dumped + ("," if k < count else ""))
    lines.append("]")
    text = "\n".join(lines)
    if m.rng.random() < 0.3:
        marker = m.marker()
        text += "\n" + _json_line(m.good_record(marker))
        goods.append((f"{_where(path)}:{text.count(chr(10)) + 1}", marker))
    path.write_text(text, encoding="utf-8")
    corpus.good += [Good(marker, at) for at, marker in goods]


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def make_csv(m: Maker, path: Path, corpus: Corpus) -> None:
    lines = ["id,outlet,text"]
    goods: list[tuple[int, str]] = []
    for _ in range(m.rng.randint(1, 12)):
        if m.rng.random() < 0.5:
            marker = m.marker()
            text = m.good_text(marker).replace("\n\n", " ")
            lines.append(f"{marker},Harbour Post,{_csv_cell(text)}")
            goods.append((len(lines), marker))
        else:
            lines.append(m.rng.choice([
                '7,x,"never closed', 'a,"b"c,d', ",,,,,,", "only-one-column", "",
                "x,y," + _csv_cell(m.hostile_text()), "x," * m.n(10, 3000),
                "bad,\x00,line", '"' * m.n(1, 100),
            ]))
    data = "\n".join(lines).encode("utf-8", "replace")
    if m.rng.random() < 0.2:
        data += b"\n\xff\xfe\x00 a line of bad bytes"
    path.write_bytes(data + b"\n")
    corpus.good += [Good(marker, f"{_where(path)}:{line}") for line, marker in goods]


def _warc_record(uri: str, body: bytes, content_type: str = "text/html",
                 status: str = "200 OK") -> bytes:
    http = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{uri[-12:]}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def make_warc(m: Maker, path: Path, corpus: Corpus) -> None:
    gz = path.suffix == ".gz"
    parts: list[tuple[bytes, bool]] = []  # (record, good)
    goods: list[tuple[str, str]] = []
    for k in range(m.rng.randint(1, 8)):
        uri = f"http://news.example/{path.stem}/{k}"
        if m.rng.random() < 0.5:
            marker = m.marker()
            body = "".join(f"<p>{p}</p>" for p in m.good_text(marker).split("\n\n"))
            parts.append((_warc_record(uri, _html_page(m, body).encode()), True))
            goods.append((uri, marker))
        else:
            parts.append((m.rng.choice([
                lambda: b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10",
                lambda: b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort",
                lambda: b"garbage between records\r\n" + m.junk_bytes(),
                lambda u=uri: _warc_record(u, m.junk_bytes(), "image/png"),
                lambda u=uri: _warc_record(u, b"<html>gone</html>", status="404 Not Found"),
                lambda u=uri: _warc_record(u, m.junk_bytes()),
                lambda: b"WARC/1.0\r\n" + b"X-Header: " + b"a" * m.n(10, 20000) + b"\r\n\r\n",
            ])(), False))
    if gz:  # a junk record may also be a gzip member cut short, or not compressed at all
        data = b"".join(gzip.compress(p) if good or m.rng.random() < 0.8 else
                        m.rng.choice([gzip.compress(p)[: len(p) // 3], p]) for p, good in parts)
    else:
        data = b"".join(p for p, _ in parts)
    path.write_bytes(data)
    corpus.good += [Good(marker, f"{_where(path)}#{uri}") for uri, marker in goods]


def make_feed(m: Maker, path: Path, corpus: Corpus) -> None:
    items: list[str] = []
    goods: list[tuple[int, str]] = []
    for k in range(m.rng.randint(1, 8)):
        if m.rng.random() < 0.5:
            marker = m.marker()
            content = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in m.good_text(marker).split("\n\n"))
            # Full text as full-content feeds carry it (a <description> beside a link is a
            # teaser: such items are link-only by design).
            items.append(f"<item><title>Item {k}</title><link>http://news.example/{marker}</link>"
                         f"<content:encoded>{content}</content:encoded></item>")
            goods.append((k + 1, marker))
        else:
            items.append(m.rng.choice([
                "<item><title>Only a title</title></item>",
                "<item><title>" + "<b>" * m.n(10, 3000) + "</title></item>",
                "<item><description>&undefined;</description></item>",
                "<item>" + m.hostile_text().replace("<", " ").replace("&", " ") + "</item>",
            ]))
    head = m.rng.choice(['<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-8"?>',
                         '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                         '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'])
    feed = (f'{head}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f'<channel><title>Wire</title>{"".join(items)}</channel></rss>')
    if m.rng.random() < 0.15:
        feed = feed[: len(feed) // 2]  # cut off: the items before the cut are still items
        goods = []
    path.write_text(feed, encoding="utf-8")
    corpus.good += [Good(marker, f"{_where(path)}#{n}") for n, marker in goods]


def make_dir(m: Maker, path: Path, corpus: Corpus) -> None:
    """A folder of mixed files: nested folders, names that are not UTF-8, hidden files,
    documentation files, the same file name in two places."""
    path.mkdir()
    (path / "sub" / "deeper").mkdir(parents=True)
    (path / ".hidden").mkdir()
    (path / ".hidden" / "x.txt").write_text("hidden")
    (path / "README.md").write_text("# notes")
    (path / "empty").mkdir()
    for folder in (path, path / "sub", path / "sub" / "deeper"):
        for k in range(m.rng.randint(1, 3)):
            name = m.rng.choice([f"report_{k}.txt", f"page_{k}.html", f"wire_{k}.jsonl",
                                 f"odd_{k}\udcff.txt", f"r\u00e9sum\u00e9_{k}.txt",
                                 f"no_extension_{k}", f"x_{k}.unknown", f"space {k}.txt"])
            target = folder / name
            try:
                if name.endswith(".html"):
                    make_html(m, target, corpus)
                elif name.endswith(".jsonl"):
                    make_jsonl(m, target, corpus)
                elif name.endswith(".txt"):
                    make_text(m, target, corpus)
                else:
                    target.write_bytes(m.junk_bytes())
            except (OSError, UnicodeEncodeError):
                continue  # a file system that refuses the name
    if m.rng.random() < 0.5:
        with contextlib.suppress(OSError):
            (path / "loop").symlink_to(path, target_is_directory=True)


def make_urls(m: Maker, path: Path, corpus: Corpus, base: str) -> None:
    """A URL list: good pages and junk lines, fetched from a local server at ``base``."""
    lines: list[str] = ["# a comment"]
    goods: list[str] = []
    for _ in range(m.rng.randint(1, 8)):
        if m.rng.random() < 0.5:
            marker = m.marker()
            url = f"{base}/page/{marker}"
            body = "".join(f"<p>{p}</p>" for p in m.good_text(marker).split("\n\n"))
            corpus.pages[f"/page/{marker}"] = ("text/html; charset=utf-8",
                                               _html_page(m, body).encode())
            lines.append(url)
            goods.append(url)
        else:
            junk = f"/junk/{m.marker()}"
            corpus.pages[junk] = m.rng.choice([
                ("application/pdf", b"%PDF-1.4"), ("text/html", m.junk_bytes()),
                ("text/plain", m.hostile_text().encode()), ("text/html", b""),
            ])
            lines.append(m.rng.choice([
                f"{base}{junk}", f"{base}/missing", "not a url", "ftp://example.invalid/x",
                "http://[::1", "javascript:alert(1)", "http://127.0.0.1:1/refused",
                "\x00\x01", f"{base}/" + "a" * m.n(10, 3000),
            ]))
    path.write_bytes("\n".join(lines).encode("utf-8", "replace") + b"\n")
    corpus.good += [Good(url.split("/")[-1], url) for url in goods]


MAKERS: dict[str, Callable[..., None]] = {
    "text": make_text, "html": make_html, "jsonl": make_jsonl, "json": make_json,
    "csv": make_csv, "warc": make_warc, "feed": make_feed, "dir": make_dir,
}
SUFFIXES = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "json": ".json", "csv": ".csv",
            "feed": ".rss", "dir": ""}


def make_corpus(root: Path, n: int, seed: int = 0, formats: tuple[str, ...] = FORMATS,
                base_url: str | None = None, scale: float = 1.0) -> Corpus:
    """``n`` generated inputs spread over ``formats`` under ``root`` (URL lists only when
    a local server's ``base_url`` is given)."""
    m = Maker(seed, scale)
    corpus = Corpus(root)
    root.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        fmt = formats[k % len(formats)]
        if fmt == "urls":
            if base_url is None:
                continue
            path = root / f"in_{k:05d}.urls"
            make_urls(m, path, corpus, base_url)
            corpus.url_files.append(str(path))
            corpus.formats[str(path)] = fmt
            continue
        suffix = SUFFIXES[fmt] if fmt in SUFFIXES else m.rng.choice([".warc", ".warc.gz"])
        path = root / f"in_{k:05d}{suffix}"
        MAKERS[fmt](m, path, corpus)
        corpus.inputs.append(str(path))
        corpus.formats[str(path)] = fmt
    return corpus


# --------------------------------------------------------------------------- checks


@dataclass
class Accounting:
    """What became of the good records of a corpus after an ingest."""

    kept: list[Good] = field(default_factory=list)
    reported: list[tuple[Good, str]] = field(default_factory=list)  # good, reason
    silent: list[Good] = field(default_factory=list)


def account(corpus: Corpus, texts: Iterator[str], skipped: list[tuple[str, str]]) -> Accounting:
    """Kept: the marker is in a stored text; reported: a skipped input is the record's
    place (or the file it is in); silent: neither."""
    found: set[str] = set()
    markers = {g.marker for g in corpus.good}
    for text in texts:
        for word in text.split():
            word = word.strip(".,;:\"'()")
            if word in markers:
                found.add(word)
    result = Accounting()
    for good in corpus.good:
        if good.marker in found:
            result.kept.append(good)
            continue
        reason = next((r for source, r in skipped if source == good.where or (
            good.where.startswith(source) and good.where[len(source):][:1] in (":", "#", "@"))),
            None)
        if reason is not None:
            result.reported.append((good, reason))
        else:
            result.silent.append(good)
    return result


def spans(analysis) -> Iterator[tuple[str, int, int, str]]:
    """Every (layer path, start, end, cited text) of an Analysis: each record with start,
    end and text fields, at any depth."""

    def walk(obj, path: str) -> Iterator[tuple[str, int, int, str]]:
        if dataclasses.is_dataclass(obj):
            names = {f.name for f in dataclasses.fields(obj)}
            if {"start", "end", "text"} <= names and isinstance(obj.start, int) \
                    and isinstance(obj.end, int) and isinstance(obj.text, str):
                yield path, obj.start, obj.end, obj.text
            for f in dataclasses.fields(obj):
                if path == "" and f.name == "text":
                    continue
                yield from walk(getattr(obj, f.name), f"{path}.{f.name}")
        elif isinstance(obj, list):
            for item in obj:
                yield from walk(item, path)

    yield from walk(analysis, "")


def offset_mismatches(analysis) -> list[str]:
    """Every cited span whose text is not ``text[start:end]``."""
    text = analysis.text
    return [f"{path}: [{start}:{end}] {cited!r} != {text[start:end]!r}"
            for path, start, end, cited in spans(analysis)
            if not (0 <= start <= end <= len(text)) or text[start:end] != cited]


def read_all(inputs: list[str], url_files: list[str] = (), allow_private: bool = False):
    """Every reader item of ``inputs`` through prepare: (Articles, Skipped) lists."""
    from triangulate.ingest.prepare import prepare
    from triangulate.ingest.sources import ReadOptions, read_inputs
    from triangulate.model import Skipped

    kept, skipped = [], []
    options = ReadOptions(url_files=url_files, allow_private=allow_private)
    for item in read_inputs(inputs, options):
        item = item if isinstance(item, Skipped) else prepare(item)
        (skipped if isinstance(item, Skipped) else kept).append(item)
    return kept, skipped


def serve_pages(pages: dict[str, tuple[str, bytes]]):
    """A local HTTP server answering ``pages`` (path -> (content type, body)) on
    127.0.0.1; returns (server, base URL). Stop it with server.shutdown()."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            found = pages.get(self.path)
            status, (kind, body) = (200, found) if found else (404, ("text/plain", b"no"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"



# --------------------------------------------------------------------------- issue 16


def issue_inputs(root: Path, corpus: Corpus, big: bool = True) -> None:
    """The hostile inputs issue 16 found, each beside good records that must be kept.

    With ``big`` the sizes of the issue (a 100,000-deep JSON array); without, smaller ones
    that take the same paths, for tests."""
    m = Maker(16)
    root.mkdir(parents=True, exist_ok=True)

    def good(path: Path, line: int | None = None) -> str:
        marker = m.marker()
        where = _where(path) if line is None else f"{_where(path)}:{line}"
        corpus.good.append(Good(marker, where))
        return marker

    def add(path: Path, fmt: str) -> None:
        corpus.inputs.append(str(path))
        corpus.formats[str(path)] = fmt

    bad_name = root / os.fsdecode(b"bad\xff.txt")
    bad_name.write_text(m.good_text(good(bad_name)))
    add(bad_name, "text")
    deep = root / "deep.json"
    deep.write_text("[" * (100_000 if big else 5_000))
    add(deep, "json")
    surrogate = root / "surrogate.jsonl"
    surrogate.write_text('{"text": "Officials said \\ud800 the strike hit the town at dawn."}\n'
                         + _json_line({"text": m.good_text(good(surrogate, 2))}) + "\n")
    add(surrogate, "jsonl")
    svg = root / "svg.html"
    svg.write_text("<svg><foreignObject><html><body><article><p>"
                   + m.good_text(good(svg)) + "</p></article></body></html></foreignObject></svg>")
    add(svg, "html")
    warc = root / "truncated.warc"
    marker = m.marker()
    warc.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10" + b"\r\n"
                     + _warc_record("http://news.example/after", _html_page(
                         m, f"<p>{m.good_text(marker)}</p>").encode()))
    corpus.good.append(Good(marker, f"{_where(warc)}#http://news.example/after"))
    add(warc, "warc")
    first_array = root / "first-array.jsonl"
    first_array.write_text("[]\n" + "".join(
        _json_line({"text": m.good_text(good(first_array, k))}) + "\n" for k in (2, 3)))
    add(first_array, "jsonl")
    nul_jsonl = root / "nul.jsonl"
    nul_jsonl.write_bytes(_json_line({"text": m.good_text(good(nul_jsonl, 1))}).encode()
                          + b'\n{"text": "a\x00b"}\n'
                          + _json_line({"text": m.good_text(good(nul_jsonl, 3))}).encode() + b"\n")
    add(nul_jsonl, "jsonl")
    nul_csv = root / "nul.csv"
    nul_csv.write_bytes(b"id,text\n" + f"a,{_csv_cell(m.good_text(good(nul_csv, 2)))}".encode()
                        + b"\nb,bad\x00line\n"
                        + f"c,{_csv_cell(m.good_text(good(nul_csv, 4)))}".encode() + b"\n")
    add(nul_csv, "csv")
    for folder in ("one", "two"):
        path = root / folder / "good_1.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(m.good_text(good(path)))
        add(path.parent, "dir")


def issue_texts(big: bool = True) -> list[tuple[str, str, str | None]]:
    """(name, text, published) of the analyses issue 16 found slow or failing."""
    scale = 1 if big else 16
    return [
        ("thousand-run", "Officials said " + " ".join(["thousand"] * (1600 // scale)), None),
        ("quote-storm", '"' * (35_000 // scale), None),
        ("p-flood", "\n\n".join(["x"] * (100_000 // scale // 4)), None),
        ("year-9999", "On Monday officials said troops entered the town; talks resume next "
                      "week, a year after the last round.", "9999-12-31"),
        ("over-long", _long_text(1_048_576 if big else 20_000), "2024-03-01"),
        ("two-tokens", "Gaza war", None),
    ]


def _long_text(size: int) -> str:
    rng = random.Random(1)
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(article_text(rng, sentences=(20, 20)))
        total += len(parts[-1]) + 2
    return "\n\n".join(parts)[:size]


def analysis_texts(m: Maker, count: int) -> Iterator[tuple[str, str, str | None]]:
    """(name, text, published) of ``count`` hostile analysis inputs: storms and runs alone,
    hostile strings inside a real article, and random character soups."""
    published = ["2024-03-01", None, "9999-12-31", "0001-01-01", "1970-01-01"]
    for k in range(count):
        kind = k % 3
        if kind == 0:
            text = m.hostile_text()
        elif kind == 1:
            body = m.good_text(m.marker()).split("\n\n")
            body.insert(m.rng.randrange(len(body) + 1), m.hostile_text())
            text = "\n\n".join(body)
        else:
            alphabet = m.rng.choice([" \n\"'\u201c\u201d,.;:-0123456789", "aeiou ,.\"'",
                                     "said according to officials killed thousand \"'. "])
            text = "".join(m.rng.choice(alphabet) for _ in range(m.n(1, 4000)))
        yield f"hostile-{k}", text, m.rng.choice(published)
