"""Generated corpora for the ingest tests.

Articles are random sentences over a small English vocabulary: distinct enough that no two
share many word 3-shingles (so none is a near-copy of another), English enough for the
language detector, and cheap to make by the thousand.
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = (
    "the army", "the ministry", "local officials", "the rebels", "witnesses", "the mayor",
    "aid workers", "the police", "the government", "a spokesman", "the militia",
    "residents", "the envoy", "the coalition", "medics", "the council",
)
VERBS = (
    "said", "reported", "denied", "confirmed", "claimed", "announced", "warned",
    "estimated", "disputed", "described", "rejected", "welcomed", "questioned",
)
OBJECTS = (
    "an attack on the northern checkpoint", "the shelling of a market",
    "a convoy carrying flour and medicine", "talks about a ceasefire",
    "the evacuation of a hospital", "strikes near the river crossing",
    "the arrest of two journalists", "a drone over the airport",
    "the closure of the border road", "damage to the water plant",
    "a curfew in the old town", "the release of prisoners",
    "fighting around the bridge", "a fire at the fuel depot",
)
TAILS = (
    "on Monday", "late on Tuesday", "after midnight", "in a statement", "to reporters",
    "during a briefing", "according to a local radio station", "without giving details",
    "for the second time this week", "as crowds gathered outside",
)
WORDS = (
    "north", "south", "village", "road", "families", "school", "shelter", "bread",
    "power", "night", "trucks", "doctors", "children", "winter", "harvest", "phones",
    "bridge", "valley", "port", "camp", "clinic", "market", "station", "river",
)


def sentence(rng: random.Random) -> str:
    extra = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
    return (
        f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(TAILS)}, and the {extra} were {rng.randint(2, 900)} in number."
    )


def article_text(rng: random.Random, sentences: tuple[int, int] = (8, 16)) -> str:
    paragraphs = []
    for _ in range(rng.randint(*sentences) // 2):
        paragraphs.append(" ".join(sentence(rng) for _ in range(2)))
    return "\n\n".join(paragraphs)


def html_page(text: str, title: str, outlet: str, published: str, author: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{published}T08:00:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/opinion">Opinion</a>
<a href="/sport">Sport</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>
{body}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Markets close higher</a></li>
<li><a href="/b">Weather: rain expected</a></li></ul></aside></main>
<footer><p>Copyright {outlet}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""


def write_html_dir(path: Path, n: int, seed: int = 2) -> Path:
    rng = random.Random(seed)
    path.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        page = html_page(
            article_text(rng), f"Report number {i}", f"Outlet {i % 5}",
            f"2024-0{1 + i % 9}-1{i % 10}", "Sam Writer",
        )
        (path / f"page-{i:05d}.html").write_text(page, encoding="utf-8")
    return path
