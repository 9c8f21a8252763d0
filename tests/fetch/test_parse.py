"""parse_feed: fast path, feedparser fallback, hostile and broken input."""
# the feed fixtures are XML, kept one element per line
from __future__ import annotations

import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import parse as P
from monitor.parse import ParseError, parse_feed
from monitor.types import FeedEntry, ParsedFeed
from tests.fetch.loopback import Server

URL = "https://news.example.test/feeds/world.xml"
UTC = UTC


def both(body: bytes, url: str = URL) -> tuple[ParsedFeed, ParsedFeed]:
    """The same prepared bytes through fastfeedparser and through feedparser."""
    data, _ = P._prepare(body, url, None)
    return P._parse_fast(data, url), P._from_feedparser(data, url)


def assert_same(fast: ParsedFeed, slow: ParsedFeed, where: str = "") -> None:
    assert (fast.title, fast.link, fast.ttl_minutes) == (slow.title, slow.link, slow.ttl_minutes), where
    assert len(fast.entries) == len(slow.entries), where
    for i, (a, b) in enumerate(zip(fast.entries, slow.entries, strict=True)):
        assert a == b, f"{where} entry {i}"


# --- feed shapes: both parsers give the same normalised entries ------------------

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>World &amp;amp; Politics</title><link>https://news.example.test/</link>
<description>d</description><ttl>30</ttl>
<atom:link href="https://news.example.test/feeds/world.xml" rel="self" type="application/rss+xml"/>
<item>
  <title>Leaders meet   in
     Moscow &amp; talk</title>
  <link>https://news.example.test/a/1</link>
  <guid isPermaLink="false">tag:news.example.test,2023:1</guid>
  <pubDate>Mon, 20 Mar 2023 06:00:00 +0100</pubDate>
  <author>desk@news.example.test (Maria Alvarez)</author>
  <description><![CDATA[<p>Short <b>lede</b> &amp; more.</p><script>track()</script>]]></description>
  <content:encoded><![CDATA[<p>Full body, first paragraph.</p><p>Second&nbsp;paragraph with <a href="/x">a link</a>.</p><video><source src="v.mp4" type="video/mp4"></video>]]></content:encoded>
  <category>World</category>
  <source url="https://wire.example.test/rss">Global &amp; Wire</source>
</item>
<item>
  <title><![CDATA[CDATA <i>title</i> &amp; entity]]></title>
  <guid>https://news.example.test/a/2</guid>
  <dc:date>2023-03-20T07:30:00Z</dc:date>
  <dc:creator>Li Wen</dc:creator>
  <description>Only a description with &lt;em&gt;escaped&lt;/em&gt; markup.</description>
</item>
<item>
  <title>Content only</title>
  <link>/a/3</link>
  <content:encoded><![CDATA[<div><p>Everything is here.</p><p>Twice.</p></div>]]></content:encoded>
  <pubDate>Tue, 21 Mar 2023 10:15:00 GMT</pubDate>
</item>
<item>
  <title>No link, plain guid</title>
  <guid>plain-guid-4</guid>
  <description>x</description>
  <pubDate>Tue, 21 Mar 2023 10:15:00 EST</pubDate>
</item>
<item><title>Nothing but a title</title></item>
</channel></rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title type="text">Atom &amp; Co</title><id>urn:feed</id>
<link rel="alternate" type="text/html" href="https://atom.example.test/"/>
<link rel="self" href="https://atom.example.test/feed.atom"/>
<updated>2023-03-21T06:00:00Z</updated>
<entry>
  <title type="html">Summary &amp;amp; content</title><id>urn:e1</id>
  <link rel="alternate" type="text/html" href="https://atom.example.test/e1"/>
  <link rel="enclosure" type="image/jpeg" href="https://atom.example.test/e1.jpg"/>
  <published>2023-03-20T06:00:00+02:00</published><updated>2023-03-21T06:00:00Z</updated>
  <author><name>Al Writer</name><email>al@atom.example.test</email></author>
  <summary type="html">&lt;p&gt;The summary.&lt;/p&gt;</summary>
  <content type="html">&lt;p&gt;The content, longer.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;</content>
</entry>
<entry>
  <title>Content only</title><id>urn:e2</id><link href="https://atom.example.test/e2"/>
  <updated>2023-03-20T08:00:00.250+00:00</updated>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>XHTML <b>body</b>.</p></div></content>
</entry>
<entry>
  <title>Text content</title><id>urn:e3</id>
  <content type="text">Plain text, kept as is.</content>
</entry>
<entry>
  <title>Summary only</title><id>https://atom.example.test/e4</id>
  <summary>Just a summary.</summary>
  <source><id>urn:origin</id><title>Origin Times</title><updated>2023-03-20T06:00:00Z</updated></source>
</entry>
</feed>
"""

RDF = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example.test/rss">
  <title>RDF feed</title><link>https://rdf.example.test/</link><description>d</description>
  <items><rdf:Seq><rdf:li rdf:resource="https://rdf.example.test/1"/><rdf:li rdf:resource="https://rdf.example.test/2"/></rdf:Seq></items>
</channel>
<item rdf:about="https://rdf.example.test/1">
  <title>First &amp; foremost</title><link>https://rdf.example.test/1</link>
  <description>&lt;p&gt;Para &lt;b&gt;one&lt;/b&gt;.&lt;/p&gt;</description>
  <dc:date>2023-03-20T06:00:00+03:00</dc:date><dc:creator>Kenji Sato</dc:creator>
</item>
<item rdf:about="https://rdf.example.test/2">
  <title>Second</title><link>https://rdf.example.test/2</link><description>Two</description>
</item>
</rdf:RDF>
"""


@pytest.mark.parametrize("name, body", [("rss2", RSS2), ("atom", ATOM), ("rdf", RDF)])
def test_parsers_agree_on_hand_written_shapes(name: str, body: bytes) -> None:
    fast, slow = both(body)
    assert_same(fast, slow, name)
    assert fast.parser == "fast" and slow.parser == "feedparser"


def test_parsers_agree_on_generated_feeds(feed_corpus: list[Path]) -> None:
    """feedgen.py (RSS 2.0 / Atom / RDF, CDATA and escaped HTML, media, authors)
    and make_feeds.py --all-formats on the dev set."""
    assert len(feed_corpus) >= 50
    kinds = set()
    entries = 0
    for path in feed_corpus:
        fast, slow = both(path.read_bytes(), "http://127.0.0.1:8765/" + path.name)
        assert_same(fast, slow, path.name)
        entries += len(fast.entries)
        kinds.add(path.read_bytes()[:400].split(b"<", 3)[2][:8])
    assert entries > 2000
    sourced = [e for p in feed_corpus if p.suffix == ".rss" for e in parse_feed(p.read_bytes(), URL).entries]
    assert sourced and all(e.source for e in sourced)  # make_feeds.py writes RSS <source>
    assert {b"rss vers", b"feed xml", b"rdf:RDF "} <= kinds


def test_sandboxed_fallback_round_trips_the_same_values() -> None:
    data, _ = P._prepare(RSS2, URL, None)
    inline = P._from_feedparser(data, URL)
    sandboxed = P._parse_with_feedparser_sandboxed(data, URL)
    assert sandboxed == inline


# --- normalised values ----------------------------------------------------------------


def test_rss2_values() -> None:
    feed = parse_feed(RSS2, URL)
    assert feed.parser == "fast" and feed.warning is None
    assert feed.title == "World & Politics"
    assert feed.link == "https://news.example.test/"
    assert feed.ttl_minutes == 30
    e1, e2, e3, e4, e5 = feed.entries
    assert e1 == FeedEntry(
        guid="tag:news.example.test,2023:1",
        link="https://news.example.test/a/1",
        title="Leaders meet in Moscow & talk",
        summary="Short lede & more.",
        content="Full body, first paragraph.\nSecond paragraph with a link.",
        published=datetime(2023, 3, 20, 5, 0, tzinfo=UTC),
        author="Maria Alvarez",
        source="Global & Wire",
    )
    assert e2.source == ""
    assert e2.title == "CDATA title & entity"
    assert e2.link == e2.guid == "https://news.example.test/a/2"  # a URL guid doubles as the link
    assert e2.summary == "Only a description with escaped markup."
    assert e2.content == "" and e2.author == "Li Wen"
    assert e2.published == datetime(2023, 3, 20, 7, 30, tzinfo=UTC)
    # content only: its text is the summary, content is "" (nothing beyond the summary)
    assert (e3.summary, e3.content) == ("Everything is here.\nTwice.", "")
    assert e3.link == "https://news.example.test/a/3"  # relative link resolved
    assert e3.guid == e3.link
    assert (e4.guid, e4.link) == ("plain-guid-4", None)
    assert e4.published == datetime(2023, 3, 21, 15, 15, tzinfo=UTC)
    assert (e5.guid, e5.link, e5.title, e5.summary, e5.published) == (
        None, None, "Nothing but a title", "", None)


def test_atom_values() -> None:
    e1, e2, e3, e4 = parse_feed(ATOM, URL).entries
    assert (e1.summary, e1.content) == ("The summary.", "The content, longer.\none\ntwo")
    assert e1.title == "Summary & content"
    assert e1.published == datetime(2023, 3, 20, 4, 0, tzinfo=UTC)  # published wins over updated
    assert e1.author == "Al Writer"
    assert e1.link == "https://atom.example.test/e1"  # the alternate, not the enclosure
    assert e2.summary == "XHTML body." and e2.content == ""
    assert e2.published == datetime(2023, 3, 20, 8, 0, tzinfo=UTC)  # updated; whole seconds
    assert e3.summary == "Plain text, kept as is." and e3.link is None
    assert e4.link == "https://atom.example.test/e4" and e4.source == "Origin Times"


def test_rdf_values() -> None:
    feed = parse_feed(RDF, URL)
    e1, e2 = feed.entries
    assert feed.title == "RDF feed" and feed.ttl_minutes is None
    assert (e1.guid, e1.title, e1.summary) == ("https://rdf.example.test/1", "First & foremost", "Para one.")
    assert e1.published == datetime(2023, 3, 20, 3, 0, tzinfo=UTC) and e1.author == "Kenji Sato"
    assert e2.published is None


def test_datetimes_are_aware_utc(feed_corpus: list[Path]) -> None:
    for path in feed_corpus[:10]:
        for e in parse_feed(path.read_bytes(), URL).entries:
            assert e.published is not None and e.published.tzinfo == UTC


def test_control_and_bidi_characters_are_stripped() -> None:
    body = RSS2.replace(b"Nothing but a title", "Bad\x1b[31m \u202eevil\u200b title".encode())
    assert parse_feed(body, URL).entries[-1].title == "Bad[31m evil title"


def test_entries_and_fields_are_capped() -> None:
    items = b"".join(b"<item><title>%d</title><guid>g%d</guid></item>" % (i, i) for i in range(600))
    long_title = b"<item><title>" + b"x" * 5000 + b"</title></item>"
    body = b'<rss version="2.0"><channel><title>t</title>' + long_title + items + b"</channel></rss>"
    feed = parse_feed(body, URL)
    assert len(feed.entries) == P.MAX_ENTRIES
    assert len(feed.entries[0].title) == P.MAX_TITLE_CHARS + 1  # + the ellipsis


def test_duplicate_guids_are_all_returned() -> None:
    body = RSS2.replace(b"https://news.example.test/a/2</guid>", b"tag:news.example.test,2023:1</guid>")
    guids = [e.guid for e in parse_feed(body, URL).entries]
    assert guids.count("tag:news.example.test,2023:1") == 2  # the daemon dedups


def test_changing_guids_keep_stable_links() -> None:
    a = parse_feed(RSS2, URL).entries[0]
    b = parse_feed(RSS2.replace(b"2023:1</guid>", b"2023:1-uuid-9f1c</guid>"), URL).entries[0]
    assert a.guid != b.guid and (a.link, a.title, a.summary) == (b.link, b.title, b.summary)


# --- broken input --------------------------------------------------------------------


def test_empty_body() -> None:
    for body in (b"", b"   \n\t"):
        with pytest.raises(ParseError, match=r"^empty response$"):
            parse_feed(body, URL)


def test_html_page_is_a_clear_error() -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body><p>Sign in</p></body></html>"
    with pytest.raises(ParseError) as info:
        parse_feed(page, URL, content_type="text/html; charset=utf-8")
    assert str(info.value) == "not a feed: got an HTML page (text/html)"
    assert info.value.url == URL


def test_html_page_without_doctype() -> None:
    with pytest.raises(ParseError, match=r"^not a feed: got an HTML page \(no content type\)$"):
        parse_feed(b"\n<html lang='en'><body>captive portal</body></html>", URL)


def test_other_xml_is_not_a_feed() -> None:
    sitemap = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.test/</loc></url></urlset>'
    with pytest.raises(ParseError, match="root element is <urlset>"):
        parse_feed(sitemap, URL, content_type="application/xml")
    with pytest.raises(ParseError, match=r"^not a feed: no XML element found"):
        parse_feed(b"\x00\x01 binary junk", URL)


def test_json_feed() -> None:
    body = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "home_page_url": "https://j.test/",'
            b' "items": [{"id": "1", "url": "https://j.test/1", "title": "One", "summary": "Sum",'
            b' "content_html": "<p>Body</p>", "date_published": "2023-03-20T06:00:00Z",'
            b' "authors": [{"name": "Ann"}]}]}')
    feed = parse_feed(body, URL, content_type="application/feed+json")
    assert (feed.title, feed.link, feed.parser) == ("J", "https://j.test/", "fast")
    assert feed.entries == (FeedEntry(guid="1", link="https://j.test/1", title="One", summary="Sum",
                                      content="Body", published=datetime(2023, 3, 20, 6, tzinfo=UTC),
                                      author="Ann"),)
    with pytest.raises(ParseError, match=r"^not a feed: unreadable JSON"):
        parse_feed(b'{"oops": ', URL)


def test_feed_served_as_text_html_still_parses() -> None:
    assert parse_feed(RDF, URL, content_type="text/html").entries


def test_declared_utf8_but_windows_1252() -> None:
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9</title>'
            "<item><title>Cr\xe8me br\xfbl\xe9e \u201cquoted\u201d</title><guid>g</guid></item>"
            "</channel></rss>").encode("cp1252")
    feed = parse_feed(body, URL)
    assert feed.title == "Caf\xe9"
    assert feed.entries[0].title == "Cr\xe8me br\xfbl\xe9e \u201cquoted\u201d"
    assert feed.warning is not None and "not UTF-8" in feed.warning and "windows-1252" in feed.warning


def test_declared_latin1_but_utf8() -> None:
    body = ('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\xe9</title>'
            "<item><title>Cr\xe8me \u2013 \u00fcber</title><guid>g</guid></item></channel></rss>").encode()
    feed = parse_feed(body, URL)
    assert feed.entries[0].title == "Cr\xe8me \u2013 \u00fcber"
    assert feed.warning is not None and "bytes are UTF-8" in feed.warning


def test_http_charset_used_when_xml_declares_none() -> None:
    body = ("<rss version='2.0'><channel><title>Gr\xfc\xdfe</title></channel></rss>").encode("latin-1")
    feed = parse_feed(body, URL, content_type="application/rss+xml; charset=ISO-8859-1")
    assert feed.title == "Gr\xfc\xdfe" and feed.warning is None


def test_utf16_with_bom() -> None:
    body = RSS2.decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert parse_feed(body, URL).entries[0].title == "Leaders meet in Moscow & talk"


def test_html_entities_in_xml_are_read() -> None:
    body = RSS2.replace(b"Nothing but a title", b"A&nbsp;B &mdash; C&hellip; &eacute;t&eacute;")
    feed = parse_feed(body, URL)
    assert feed.parser == "fast" and feed.entries[-1].title == "A B \u2014 C\u2026 \xe9t\xe9"


def test_truncated_feed_keeps_entries_before_the_cut(feed_corpus: list[Path]) -> None:
    body = feed_corpus[0].read_bytes()
    feed = parse_feed(body[: len(body) // 2], URL)
    assert 0 < len(feed.entries) < len(parse_feed(body, URL).entries)
    assert feed.warning is not None and "cut short" in feed.warning


def test_fallback_to_feedparser_when_fast_result_is_unusable() -> None:
    # fastfeedparser drops XHTML titles; feedparser reads them.
    body = ATOM.replace(b'<title>Content only</title>',
                        b'<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X <b>html</b> title</div></title>')
    feed = parse_feed(body, URL)
    assert feed.parser == "feedparser"
    assert feed.entries[1].title == "X html title"


# --- hostile input -------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
               for i in range(1, 10))
    + b']><rss version="2.0"><channel><title>t &lol9;</title>'
    b"<item><title>a &lol9; b</title><guid>g1</guid><description>&lol9;</description></item>"
    b"</channel></rss>"
)


def test_billion_laughs_is_not_expanded() -> None:
    t = time.monotonic()
    feed = parse_feed(BILLION_LAUGHS, URL)
    assert time.monotonic() - t < 2
    assert "lol" not in feed.title and "lol" not in feed.entries[0].title
    assert feed.entries[0].summary == ""
    assert feed.warning is not None and "removed a DOCTYPE declaring 10 entities" in feed.warning


def test_quadratic_blowup_is_not_expanded() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"x" * 100_000 + b'">]>'
            b'<rss version="2.0"><channel><title>t</title><item><title>q</title><description>'
            + b"&a;" * 20_000 + b"</description></item></channel></rss>")
    t = time.monotonic()
    feed = parse_feed(body, URL)
    assert time.monotonic() - t < 2
    assert "xxxx" not in feed.entries[0].summary


def test_external_entities_are_never_resolved(server: Server, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    before = server.hits["/xxe"]
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [\n'
            f'<!ENTITY file SYSTEM "file://{secret}">\n'
            f'<!ENTITY web SYSTEM "{server.url("/xxe")}">\n'
            f'<!ENTITY % param SYSTEM "{server.url("/xxe")}"> %param;\n'
            f']><rss version="2.0"><channel><title>t</title>'
            f"<item><title>&file;|&web;</title><guid>g</guid><description>&file; /etc/passwd: "
            f"&passwd;</description></item></channel></rss>").encode()
    for parsed in (parse_feed(body, URL), *both(body)):
        text = repr(parsed)
        assert "TOP-SECRET" not in text and "root:" not in text
    assert server.hits["/xxe"] == before  # no connection to the listener


def test_external_dtd_is_not_fetched(server: Server) -> None:
    before = server.hits["/dtd"]
    body = (f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{server.url("/dtd")}">'
            '<rss version="2.0"><channel><title>t</title></channel></rss>').encode()
    assert parse_feed(body, URL).title == "t"
    assert server.hits["/dtd"] == before


def test_huge_undefined_entity_input_is_refused_fast() -> None:
    # 13.5 MB of &a; (reliability.md F-5): feedparser's loose parser takes ~45 s and ~800 MB.
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
            b"<description>" + b"&a;" * 4_500_000 + b"</description></item></channel></rss>")
    t = time.monotonic()
    with pytest.raises(ParseError, match="undefined entity references"):
        parse_feed(body, URL)
    assert time.monotonic() - t < 3


def _entity_garbage(refs: int) -> bytes:
    return (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
            b"<description>" + b"&a;" * refs + b"</description></item></channel></rss>")


def test_fallback_sandbox_has_a_wall_clock_bound() -> None:
    t = time.monotonic()
    with pytest.raises(ParseError, match=r"^too costly: lenient parse took longer than 0.5 s$"):
        P._parse_with_feedparser_sandboxed(_entity_garbage(1_000_000), URL, timeout=0.5)
    assert time.monotonic() - t < 2


def test_fallback_sandbox_has_a_memory_bound() -> None:
    with pytest.raises(ParseError, match=r"^too costly: lenient parse needed more than 64 MB$"):
        P._parse_with_feedparser_sandboxed(_entity_garbage(1_000_000), URL, memory_bytes=64 << 20)


def test_fallback_refuses_oversized_malformed_input() -> None:
    with pytest.raises(ParseError, match="too large for the lenient parser"):
        P._parse_with_feedparser_sandboxed(b"<rss>" + b"x" * (P.FALLBACK_MAX_BYTES + 1), URL)


# --- use from pools ------------------------------------------------------------------


def test_parse_error_is_one_line_and_pickles() -> None:
    e = ParseError(URL, "not a feed: got an HTML page (text/html)")
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.url, e2.message, str(e2)) == (URL, e.message, e.message)


def test_parse_feed_runs_in_a_process_pool(feed_corpus: list[Path]) -> None:
    bodies = [p.read_bytes() for p in feed_corpus[:4]]
    with ProcessPoolExecutor(max_workers=1) as pool:
        results = list(pool.map(parse_feed, bodies, [URL] * len(bodies)))
    assert [r.entries for r in results] == [parse_feed(b, URL).entries for b in bodies]
