"""A real browser on the real server: overview -> story -> article (a layer toggled) -> map,
with every request the pages make recorded; none may leave the server. Screenshots land in
test-output/browser/."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from tests.app.cdp import Browser, find_chromium
from tests.conftest import unavailable

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"


@pytest.fixture(scope="module")
def server(app):
    """The session's app served by uvicorn on a free loopback port."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # lifespan off: the app's store belongs to the session, not to this server.
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                        lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = find_chromium()
    if executable is None:
        unavailable("no Chromium on this machine (chromium, chromium-browser or google-chrome "
                    "on PATH; Debian: apt-get install chromium): the browser test needs it")
    b = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    for domain in ("Page", "Network", "Runtime", "Log"):
        b.send(f"{domain}.enable")
    yield b
    b.close()


def requested(browser: Browser, since: int = 0) -> list[str]:
    return [e["params"]["request"]["url"] for e in browser.events[since:]
            if e.get("method") == "Network.requestWillBeSent"]


def test_a_reader_walks_from_overview_to_story_to_article_to_map(server, browser, web_store):
    started = time.monotonic()
    browser.goto(server + "/")
    assert browser.js("document.querySelector('h1').textContent") == "Overview"
    assert browser.js("document.querySelectorAll('svg.chart rect').length") > 0
    browser.screenshot(SHOTS / "1-overview.png")

    browser.click_and_wait("table.list a[href^='/stories/']")
    assert "/stories/" in browser.js("location.pathname")
    assert browser.js("document.querySelectorAll('.sources .source').length") >= 1
    assert browser.js("!!document.querySelector('#figures')")
    browser.screenshot(SHOTS / "2-story.png")

    browser.click_and_wait(".sources .source h3 a")
    assert "/articles/" in browser.js("location.pathname")
    marked = "getComputedStyle(document.querySelector('#reader .hl-actors')).backgroundColor"
    before = browser.js(marked)
    assert before not in ("rgba(0, 0, 0, 0)", "transparent")
    browser.js("document.querySelector('#layer-actors').click()")
    assert browser.js("document.querySelector('#reader').classList.contains('off-actors')")
    assert browser.js(marked) == "rgba(0, 0, 0, 0)", "the actors layer is hidden"
    places = "getComputedStyle(document.querySelector('#reader .hl-places')).backgroundColor"
    assert browser.js(places) != "rgba(0, 0, 0, 0)", "other layers stay"
    browser.screenshot(SHOTS / "3-article-actors-off.png")

    browser.goto(server + "/map")
    assert browser.js("document.querySelectorAll('svg.map path.land').length") > 100
    assert browser.js("document.querySelectorAll('svg.map circle.dot').length") > 0
    browser.screenshot(SHOTS / "4-map.png")

    # data: URLs are the browser's own inline images (the date picker's icon): no network.
    urls = [u for u in requested(browser) if not u.startswith("data:")]
    assert urls and all(u.startswith(server + "/") for u in urls), urls
    refused = [e for e in browser.events if e.get("method") == "Log.entryAdded"
               and "Content Security Policy" in e["params"]["entry"].get("text", "")]
    assert not refused, "the pages need nothing the policy forbids"
    assert time.monotonic() - started < 60


def test_an_articles_markup_never_runs_in_the_browser(server, browser, web_store):
    mark = len(browser.events)
    browser.goto(f"{server}/articles/{web_store.hostile_id}")
    assert browser.js("window.__xss === undefined")
    assert browser.js("document.querySelectorAll('#reader script, #reader img, main img, "
                      "main a[href^=\"javascript:\"]').length") == 0
    assert "<script>" in browser.js("document.querySelector('h1').textContent")
    assert "onerror" in browser.js("document.querySelector('#reader').textContent")
    dialogs = [e for e in browser.events[mark:] if e.get("method") == "Page.javascriptDialogOpening"]
    assert not dialogs
    browser.screenshot(SHOTS / "5-hostile-article.png")
    browser.goto(f"{server}/search?q=xss")
    assert browser.js("window.__xss === undefined")
    assert not [u for u in requested(browser, mark) if u.endswith("/x")], "no <img src=x> loaded"


def test_the_negotiations_matrix_leads_to_the_disputed_sentence(server, browser, web_store):
    mark = len(browser.events)
    browser.goto(server + "/negotiations")
    assert browser.js("document.querySelector('h1').textContent") == "Negotiations"
    assert browser.js("document.querySelectorAll('table.matrix td.cell a.stance').length") >= 10
    assert browser.js("document.querySelectorAll('svg.stances circle.dot').length") >= 10
    colour = ("getComputedStyle(document.querySelector('table.matrix a.stance.accept'))"
              ".backgroundColor")
    assert browser.js(colour) == "rgb(89, 161, 79)", "stances are told apart by colour"
    browser.screenshot(SHOTS / "6-negotiations.png")

    browser.goto(server + "/negotiations?party=Hamas&issue=ceasefire")
    browser.click_and_wait("table.history a.evidence[href*='ledger-2025-01-16']")
    assert browser.js("location.pathname") == "/articles/ledger-2025-01-16-gaza-deal-dispute"
    focused = browser.js("Array.from(document.querySelectorAll('#reader mark.focus'))"
                         ".map(m => m.textContent).join('')")
    assert "Hamas" in focused
    browser.screenshot(SHOTS / "7-negotiation-evidence.png")
    urls = [u for u in requested(browser, mark) if not u.startswith("data:")]
    assert urls and all(u.startswith(server + "/") for u in urls), urls


def test_the_tolls_page_charts_a_running_count_and_leads_to_its_sentence(server, browser,
                                                                         web_store):
    mark = len(browser.events)
    browser.goto(server + "/tolls?place=PSE")
    assert browser.js("document.querySelector('h1').textContent") == "Tolls"
    dots = "document.querySelectorAll('svg.chart.tolls circle.dot')"
    assert browser.js(f"{dots}.length") >= 2
    # the chart is drawn: its dots sit at different heights for different values
    assert browser.js(f"new Set(Array.from({dots}).map(c => c.getAttribute('cy'))).size") >= 2
    links = ("Array.from(document.querySelectorAll('svg.chart.tolls a'))"
             ".map(a => a.getAttribute('href'))")
    rows = ("Array.from(document.querySelectorAll('section.toll table a.evidence'))"
            ".map(a => a.getAttribute('href'))")
    assert set(browser.js(links)) <= set(browser.js(rows)), "every dot opens a row's sentence"
    browser.screenshot(SHOTS / "8-tolls.png")
    browser.click_and_wait("section.toll table a.evidence")
    assert browser.js("location.pathname").startswith("/articles/")
    focused = browser.js("Array.from(document.querySelectorAll('#reader mark.focus'))"
                         ".map(m => m.textContent).join('')")
    assert "since" in focused or "toll" in focused, focused
    urls = [u for u in requested(browser, mark) if not u.startswith("data:")]
    assert urls and all(u.startswith(server + "/") for u in urls), urls
