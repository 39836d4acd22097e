"""Export fixtures: a small store of hand-made analyses (tests/link/factory.py), ingested,
stored and linked by the real store and linker, with every case an export must handle: a
toll two parties dispute and one of them revises, a toll its one source revises, an event
ACLED does not code, a protest, and a story with no coordinates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.link.factory import PLACES, Article
from triangulate.model import Article as StoredArticle
from triangulate.model import Place


def killed(value, who="civilians"):
    return (value, "killed", who, None, None, None)


def corpus() -> list[Article]:
    first = Article("hp-kharkiv-market", "Harbor Post", "2024-03-03")
    first.add_event("Russian forces shelled a market in Kharkiv on Saturday, killing seven "
                    "civilians, the regional governor said.", actor="russia-military",
                    target="civilians", place="kharkiv", date="2024-03-02",
                    mode="heavy-weapons", speaker="ukraine-government", figures=[killed(7)])
    second = Article("nd-kharkiv-market", "Northline Daily", "2024-03-03")
    second.add_event("Russia's government said the strike on the Kharkiv market killed only "
                     "two civilians.", actor="russia-military", target="civilians",
                     place="kharkiv", date="2024-03-02", mode="heavy-weapons",
                     speaker="russia-government", figures=[killed(2)])
    third = Article("hp-kharkiv-toll", "Harbor Post", "2024-03-04")
    third.add_event("Eleven civilians have now died after Saturday's shelling at the Kharkiv "
                    "market, the regional governor said.",
                    actor="russia-military", target="civilians", place="kharkiv",
                    date="2024-03-02", mode="heavy-weapons", speaker="ukraine-government",
                    figures=[killed(11)])
    drone = Article("hp-izium-drone", "Harbor Post", "2024-03-06")
    drone.add_event("A Russian drone strike on Izium killed three people on Tuesday, "
                    "Ukraine's military said.", actor="russia-military", target="civilians",
                    place="izium", date="2024-03-05", mode="aerial",
                    speaker="ukraine-military", figures=[killed(3, "people")])
    drone_toll = Article("et-izium-toll", "Eastgate Times", "2024-03-07")
    drone_toll.add_event("Five people have now died after Tuesday's drone strike on Izium, "
                         "Ukraine's military said.", actor="russia-military",
                         target="civilians", place="izium", date="2024-03-05", mode="aerial",
                         speaker="ukraine-military", figures=[killed(5, "people")])
    talks = Article("et-kyiv-request", "Eastgate Times", "2024-03-05")
    talks.add_event("Ukraine's government asked its allies in Kyiv on Tuesday for more "
                    "air-defence systems.", type="REQUEST", actor="ukraine-government",
                    target="un", place="kyiv", date="2024-03-05")
    protest = Article("nd-lviv-protest", "Northline Daily", "2024-03-04")
    protest.add_event("Hundreds of people protested in Lviv on Sunday against the strike.",
                      type="PROTEST", mode="demo", place="lviv", date="2024-03-03")
    nowhere = Article("nd-unplaced-clash", "Northline Daily", "2024-02-20")
    nowhere.add_event("Ukrainian troops fought Russian forces on Monday.",
                      actor="ukraine-military", target="russia-military", date="2024-02-19",
                      mode="firearms")
    return [first, second, third, drone, drone_toll, talks, protest, nowhere]


def build_store(db: Path) -> Path:
    from triangulate.jobs import link_all
    from triangulate.store import Store

    articles = corpus()
    with Store(db) as store:
        store.add_articles([
            StoredArticle(id=a.id, text=a.text, source=f"fixture:{a.id}",
                          content_hash=hashlib.sha256(a.text.encode()).hexdigest(),
                          url=f"https://{a.outlet.lower().replace(' ', '')}.example/{a.id}",
                          outlet=a.outlet, title=f"Report {a.id}", published=a.published)
            for a in articles
        ])
        store.save_analyses([a.analysis() for a in articles])
        link_all(store, model="none")
    return db


@pytest.fixture(scope="session")
def export_db(tmp_path_factory) -> Path:
    # Izium and Kharkiv are real towns; Lviv, Kyiv too (tests/link/factory.py's table).
    assert isinstance(PLACES["izium"], Place)
    return build_store(tmp_path_factory.mktemp("export") / "export.duckdb")


@pytest.fixture
def store(export_db):
    from triangulate.store import Store

    with Store(export_db, read_only=True) as s:
        yield s
