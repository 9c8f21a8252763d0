"""extract_main_text on cluttered news pages (make_feeds.py --pages), end to end
through the loopback server: feed → parse → fetch_page → extract."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from monitor.extract import extract_main_text
from monitor.fetch import Fetcher, FetchLimits
from monitor.parse import parse_feed
from tests.fetch.loopback import SHARED, Server

ARTICLES = SHARED / "devset/articles.jsonl"
CLUTTER = ["cookies", "Accept all", "Sign up for our morning briefing", "All rights reserved",
           "Markets close higher", "Cup final preview", "Terms", "Privacy", "Search", "dataLayer",
           "pageview", "By ", "staff"]


def _body(article: dict) -> str:
    sentences = article.get("sentences") or []
    return " ".join(s["text"] for s in sentences) if sentences else article["body"]


@pytest.fixture(scope="module")
def site(server: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """make_feeds.py --pages output, served by the test server under /files/."""
    if not ARTICLES.exists():
        pytest.skip(f"dev set not found at {ARTICLES}")
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, str(SHARED / "tools/make_feeds.py"), str(ARTICLES), str(out),
                    "--pages", "--base-url", server.url("/files/")],
                   check=True, capture_output=True)
    for path in out.rglob("*"):
        if path.is_file():
            ctype = "text/html; charset=utf-8" if path.suffix == ".html" else "application/xml"
            server.files[path.relative_to(out).as_posix()] = (path.read_bytes(), ctype)
    articles = [json.loads(line) for line in ARTICLES.read_text().splitlines() if line.strip()]
    return {a["id"]: a for a in articles}


def test_every_page_gives_exactly_the_article_body(site: dict[str, dict], server: Server) -> None:
    for aid, article in site.items():
        html = server.files[f"articles/{aid}.html"][0]
        text = extract_main_text(html, server.url(f"/files/articles/{aid}.html"))
        assert text is not None, aid
        assert " ".join(text.split()) == " ".join(_body(article).split()), aid
        assert not text.startswith(article["title"])  # the headline is the entry's title already
        for junk in CLUTTER:
            assert junk not in text, (aid, junk)


def test_paragraphs_are_joined_by_newlines(site: dict[str, dict], server: Server) -> None:
    aid = next(iter(site))
    text = extract_main_text(server.files[f"articles/{aid}.html"][0], "http://x.test/")
    assert text is not None and text.count("\n") >= 1
    assert all(line == line.strip() and line for line in text.split("\n"))


def test_feed_to_page_to_text_end_to_end(site: dict[str, dict], server: Server) -> None:
    feeds = [name for name in server.files if name.endswith((".rss", ".atom", ".rdf"))]
    assert feeds

    async def go() -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        async with Fetcher(FetchLimits(allow_private_networks=True)) as f:
            for name in feeds:
                fetched = await f.fetch_feed(server.url(f"/files/{name}"))
                assert fetched.status == 200 and fetched.body is not None
                parsed = parse_feed(fetched.body, fetched.final_url,
                                    content_type=fetched.content_type)
                for entry in parsed.entries:
                    assert entry.link is not None
                    page = await f.fetch_page(entry.link)
                    assert page.status == 200 and page.body is not None, page.error
                    out.append((entry.link, extract_main_text(page.body, page.final_url)))
        return out

    results = asyncio.run(go())
    assert len(results) == len(site)
    by_link = {a["id"]: a for a in site.values()}
    for link, text in results:
        aid = link.rsplit("/", 1)[1].removesuffix(".html")
        assert text is not None and " ".join(text.split()) == " ".join(_body(by_link[aid]).split())


def test_str_input_and_other_encodings() -> None:
    paragraph = ("Der Bundestag hat am Donnerstag über den Haushalt für das kommende Jahr "
                 "abgestimmt. Die Mehrheit war knapp, die Debatte lang und hitzig.")
    second = ("Die Opposition kündigte an, gegen einzelne Posten vor das Verfassungsgericht "
              "zu ziehen.")
    page = (f'<html><head><meta charset="iso-8859-1"><title>T</title></head><body>'
            f'<nav><a href="/">Start</a></nav><article><h1>Haushalt beschlossen</h1>'
            f"<p>{paragraph}</p><p>{second}</p></article>"
            f"<footer>Impressum</footer></body></html>")
    as_bytes = extract_main_text(page.encode("iso-8859-1"), "http://x.test/a")
    as_str = extract_main_text(page, "http://x.test/a")
    assert as_bytes == as_str == f"{paragraph}\n{second}"


@pytest.mark.parametrize("html", [
    b"",
    "",
    b"\x00\xff\xfe garbage",
    b"<html><body><nav><a href='/a'>World</a><a href='/b'>Sport</a></nav>"
    b"<footer>(c) 2023</footer></body></html>",
    b"<html><body><p>Too short.</p></body></html>",
])
def test_nothing_useful_gives_none(html: bytes | str) -> None:
    assert extract_main_text(html, "http://x.test/") is None
