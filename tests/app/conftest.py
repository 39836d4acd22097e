"""Web fixtures: the sample corpus (plus one hostile article) through the real pipeline into
a real DuckDB store, once per session, and the app over it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DIR

# An article written to attack the pages: markup in the title, the outlet and the text.
# Every character of it must reach the reader as text.
HOSTILE = {
    "id": "hostile-markup",
    "outlet": "Evil <b>Outlet</b>",
    "title": 'Shelling near Kharkiv <script>window.__xss = "title"</script> '
             '<img src=x onerror="window.__xss = 1">',
    "published": "2024-05-12",
    "text": (
        "Russian forces shelled Kharkiv on Saturday, killing three civilians, the regional "
        'governor said. <script>window.__xss = "body"</script> The governor said '
        '<img src=x onerror="window.__xss = 2"> that four people were wounded. '
        "<a href=\"javascript:window.__xss = 3\">Residents</a> said the strike hit a market."
    ),
}


@dataclass
class Built:
    db: Path
    hostile_id: str


def build_store(folder: Path, inputs: list[str]) -> None:
    from triangulate.ingest.runner import ingest
    from triangulate.jobs import analyse_pending, link_all
    from triangulate.store import Store

    with Store(folder / "web.duckdb") as store:
        ingest(store, inputs)
        analyse_pending(store)
        link_all(store)


@pytest.fixture(scope="session")
def web_store(tmp_path_factory) -> Built:
    """The sample corpus and the hostile article, ingested, analysed and linked."""
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    build_store(folder, [str(SAMPLE_DIR), str(hostile)])
    return Built(folder / "web.duckdb", HOSTILE["id"])


@pytest.fixture(scope="session")
def app(web_store):
    from triangulate.app import create_app

    application = create_app(web_store.db)
    yield application
    application.state.store.close()


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c
