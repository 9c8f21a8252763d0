"""render_digest with the real Jinja environment, templates and css_inline."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from monitor import digest
from monitor.digest import (
    check_templates,
    default_templates_dir,
    http_url,
    make_environment,
    render_digest,
    wrap,
)
from monitor.types import DigestData, DigestDevelopment, LeftOutItem

from .conftest import (
    ARRIVED,
    ARRIVED_2,
    INFORMAL,
    KYIV,
    LEFT_OUT_BODY,
    LONG_URL,
    PEACE_PLAN,
    PIPELINE_NO,
    PIPELINE_YES,
    PUTIN_COMMENT,
    STATEMENT,
    make_stressed_data,
)

SECTIONS = ["WHAT CHANGED IN THE BASELINE", "NEW DEVELOPMENTS", "STILL OPEN", "LEFT OUT", "SOURCES"]


def flat(text: str) -> str:
    """Whitespace-normalised text: wrapping may move line breaks, nothing else."""
    return " ".join(text.split())


def section(text: str, name: str) -> str:
    """The body of one plain-text section (up to the next heading)."""
    lines = text.splitlines()
    start = lines.index(name)
    body = []
    for i, line in enumerate(lines[start + 2 :], start + 2):
        if i + 1 < len(lines) and lines[i + 1] and set(lines[i + 1]) == {"="}:
            break
        body.append(line)
    return "\n".join(body)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.starts


# --- subject -------------------------------------------------------------------


def test_subject_names_topic_counts_and_period(digest_data: DigestData) -> None:
    assert render_digest(digest_data).subject == (
        "Xi Jinping meets Putin: 5 new developments, 2 changed facts (20–21 Mar 2023)"  # noqa: RUF001
    )


def test_subject_says_nothing_new_when_empty(empty_data: DigestData) -> None:
    assert (
        render_digest(empty_data).subject == "Xi Jinping meets Putin: nothing new (21–22 Mar 2023)"  # noqa: RUF001
    )


def test_subject_singular_and_one_line(digest_data: DigestData) -> None:
    data = replace(
        digest_data,
        topic_name="Xi\r\nBcc: x@evil",
        developments=digest_data.developments[:1],
        changed_facts=digest_data.changed_facts[:1],
    )
    subject = render_digest(data).subject
    assert subject == "Xi Bcc: x@evil: 1 new development, 1 changed fact (20–21 Mar 2023)"  # noqa: RUF001
    assert "\n" not in subject and "\r" not in subject


# --- plain text ------------------------------------------------------------------


def test_text_sections_in_order(digest_data: DigestData) -> None:
    lines = render_digest(digest_data).text.splitlines()
    positions = [lines.index(name) for name in [*SECTIONS, "FAILED DELIVERIES"]]
    assert positions == sorted(positions)
    for pos in positions:  # plain headings, underlined
        assert set(lines[pos + 1]) == {"="}


def test_text_lines_fit_78_columns(digest_data: DigestData) -> None:
    text = render_digest(digest_data).text
    long_lines = [line for line in text.splitlines() if len(line) > 78]
    assert long_lines == [LONG_URL]  # a long URL stands alone, unindented, still clickable
    assert LONG_URL in text.splitlines()


def test_text_lines_fit_78_columns_with_hostile_strings(digest_data: DigestData) -> None:
    text = render_digest(make_stressed_data(digest_data)).text
    for line in text.splitlines():
        assert len(line) <= 78 or http_url(line) == line, line


def test_text_quotes_sentences_verbatim_with_outlet_time_link(digest_data: DigestData) -> None:
    text = flat(render_digest(digest_data).text)
    for sentence in [
        ARRIVED,
        ARRIVED_2,
        INFORMAL,
        STATEMENT,
        PEACE_PLAN,
        KYIV,
        PUTIN_COMMENT,
        PIPELINE_YES,
        PIPELINE_NO,
    ]:
        assert f"“{sentence}”" in text
    assert (
        f"“{ARRIVED}” — Wire Q, 20 Mar 2023 09:12 UTC "
        "https://example-news-1.test/world/2023/03/20/story-1"
    ) in text
    assert "— near-copy: Daily Courier R, 20 Mar 2023 09:40 UTC" in text


def test_text_new_developments_most_corroborated_first(digest_data: DigestData) -> None:
    body = section(render_digest(digest_data).text, "NEW DEVELOPMENTS")
    items = re.findall(r"^(\d+)\. (.*)$", body, re.M)
    assert [n for n, _ in items] == ["1", "2", "3", "4", "5"]
    order = [flat(body).index(s) for s in (INFORMAL, ARRIVED, STATEMENT, PEACE_PLAN, KYIV)]
    assert order == sorted(order)  # 4, 3, 2, 1, 1 sources
    flat_body = flat(body)
    assert "4 sources; first reported by Morning Journal J, 20 Mar 2023 21:15 UTC" in flat_body
    assert "single source; first reported by Evening Post S, 21 Mar 2023 16:00 UTC" in flat_body
    assert "update to a development reported earlier" in flat_body
    assert "javascript:" not in body  # the junk link is not passed on
    assert "(no web link)" in body


def test_text_changed_facts_show_was_and_now(digest_data: DigestData) -> None:
    body = flat(section(render_digest(digest_data).text, "WHAT CHANGED IN THE BASELINE"))
    assert "1. Was: Putin has yet to comment on the announcement. Now: “Putin said Russia" in body
    assert (
        "2. Was: China is dependent on Russia for its energy needs. Now, in conflicting reports: "
        f"“{PIPELINE_YES}”"
    ) in body
    assert "conflicting reports: Evening Post S reports a denial or a correction" in body.split(PIPELINE_NO)[1]
    # the other changed fact has no report that says another is wrong
    assert body.count("conflicting reports") == 2


def test_text_still_open_lists_baseline_facts(digest_data: DigestData) -> None:
    body = flat(section(render_digest(digest_data).text, "STILL OPEN"))
    assert body.startswith("- The Chinese government has not disclosed what Xi hopes to achieve")


def test_text_left_out_counts_only(digest_data: DigestData) -> None:
    rendered = render_digest(digest_data)
    body = section(rendered.text, "LEFT OUT")
    counts = {label: int(n) for n, label in re.findall(r"^\s+(\d+) (.+)$", body, re.M)}
    assert counts == {
        "restatements of the baseline": 3,
        "near-copies": 2,
        "background": 1,
        "off-topic": 2,
    }
    for item in digest_data.left_out:
        if item.kind != "near-copy":  # near-copies may also be attributed under a quote
            assert item.title.split("\r")[0] not in body
    for sentence in LEFT_OUT_BODY:
        assert sentence not in flat(rendered.text)
        assert sentence not in rendered.html


def test_text_sources_list_failing_feeds(digest_data: DigestData) -> None:
    body = section(render_digest(digest_data).text, "SOURCES")
    assert "5 feeds polled: 3 OK, 2 failing." in body
    assert (
        "- https://example-news-4.test/international/rss.xml\n  last success: 19 Mar 2023 23:10 UTC"
        in body
    )
    assert "error: HTTP 503 Service Unavailable (12 failures in a row)" in body
    assert "- https://example-news-10.test/feed\n  last success: never" in body


def test_text_failed_deliveries_listed(digest_data: DigestData) -> None:
    text = render_digest(digest_data).text
    assert "- analyst@example.org: 550 5.1.1 mailbox unavailable (19 Mar digest)" in text


def test_text_empty_sections_say_so(empty_data: DigestData) -> None:
    text = render_digest(empty_data).text
    for name in ["WHAT CHANGED IN THE BASELINE", "NEW DEVELOPMENTS", "STILL OPEN", "LEFT OUT"]:
        assert section(text, name).strip() == "None this period."
    assert "FAILED DELIVERIES" not in text
    assert "1 feed polled: 1 OK, 0 failing." in text


def test_text_caps_huge_digest(digest_data: DigestData) -> None:
    one = digest_data.developments[2]
    many = tuple(replace(one, key=f"k{i}") for i in range(230))
    text = render_digest(replace(digest_data, developments=many)).text
    assert "… and 30 more developments (not shown)." in text
    assert "\n200. " in text and "\n201. " not in text


# --- HTML --------------------------------------------------------------------------


def test_html_autoescapes_feed_data(digest_data: DigestData) -> None:
    html = render_digest(digest_data).html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(" in html
    assert "<b>" not in html  # "Dinner <b>talks</b>", "Markets <b>Daily</b>"
    assert "Dinner &lt;b&gt;talks&lt;/b&gt;" in html


def test_html_links_are_http_only(digest_data: DigestData) -> None:
    html = render_digest(digest_data).html
    hrefs = [attrs.get("href") or "" for tag, attrs in tags(html) if "href" in attrs]
    assert hrefs, "expected links"
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    assert LONG_URL.replace("&", "&amp;") in html  # a real link survives, escaped
    assert "javascript:alert(document.cookie)" in html  # shown as text
    assert "data:text/html" in html
    # link text is the title or outlet, never the raw URL
    anchors = re.findall(r"<a\b[^>]*>(.*?)</a>", html, re.S)
    assert anchors and not any("://" in a for a in anchors)


def test_html_css_is_inlined_and_media_rules_kept(digest_data: DigestData) -> None:
    html = render_digest(digest_data).html
    assert html.count('style="') > 50
    assert re.search(r'<h2 style="[^"]*text-transform: uppercase', html)
    assert re.search(r'class="container"[^>]*style="[^"]*max-width: 640px', html)
    style_blocks = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(style_blocks) == 1 and "@media" in style_blocks[0]
    assert "overflow-wrap: anywhere" in html


def test_html_has_same_sections_and_quotes(digest_data: DigestData) -> None:
    html = render_digest(digest_data).html
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert [h.upper() for h in headings if h.upper() in SECTIONS] == SECTIONS
    for sentence in [ARRIVED, INFORMAL, PIPELINE_NO]:
        assert f"“{sentence}”" in htmllib.unescape(html)
    assert "Conflicting reports" in html
    assert "Single source" in html and "4 sources" in html


def test_html_left_out_headlines_collapsed(digest_data: DigestData) -> None:
    html = render_digest(digest_data).html
    details = re.search(r"<details\b([^>]*)>(.*?)</details>", html, re.S)
    assert details is not None
    assert "open" not in details.group(1)
    assert "Headlines left out (8)" in details.group(2)
    assert 'href="https://example-news-9.test/h"' in details.group(2)
    assert "A history of Sino-Soviet relations" in details.group(2)


def test_html_coverage_chart_bars(digest_data: DigestData) -> None:
    html = render_digest(digest_data).html
    widths = [
        (attrs.get("class"), attrs.get("width"))
        for tag, attrs in tags(html)
        if tag == "td" and "bar" in (attrs.get("class") or "").split()
    ]
    filled = [w for c, w in widths if c and "bar-rest" not in c]
    assert filled == ["100%", "21%", "64%", "29%"]  # 14, 3, 9, 4 of max 14
    assert "20 Mar" in html and "14 / 3" in html


def test_html_chart_absent_is_said(empty_data: DigestData) -> None:
    assert "No coverage recorded this period." in render_digest(empty_data).html


# --- environment and templates -------------------------------------------------------


def test_autoescape_on_for_every_html_template() -> None:
    env = make_environment()
    for name in env.list_templates():
        expected = name.endswith((".html.j2", ".html"))
        assert env.autoescape(name) is expected, name  # type: ignore[operator]


def test_default_templates_dir_has_the_three_templates() -> None:
    folder = default_templates_dir() / "digest"
    assert {p.name for p in folder.iterdir()} >= {"subject.txt.j2", "body.txt.j2", "body.html.j2"}


def test_strict_undefined_catches_missing_variable(tmp_path: Path, digest_data: DigestData) -> None:
    (tmp_path / "digest").mkdir()
    (tmp_path / "digest" / "body.txt.j2").write_text("{{ topic_name }} {{ no_such_variable }}\n")
    with pytest.raises(jinja2.UndefinedError, match="no_such_variable"):
        render_digest(digest_data, templates_dir=tmp_path)


def test_broken_template_syntax_raises(tmp_path: Path, digest_data: DigestData) -> None:
    (tmp_path / "digest").mkdir()
    (tmp_path / "digest" / "body.html.j2").write_text("{% for x in %}")
    with pytest.raises(jinja2.TemplateSyntaxError):
        render_digest(digest_data, templates_dir=tmp_path)


def test_check_templates_passes_for_shipped_and_fails_for_broken(tmp_path: Path) -> None:
    check_templates()
    (tmp_path / "digest").mkdir()
    (tmp_path / "digest" / "body.html.j2").write_text("{{ data.no_such_field }}")
    with pytest.raises(jinja2.UndefinedError):
        check_templates(tmp_path)


def test_user_templates_override_one_template(tmp_path: Path, digest_data: DigestData) -> None:
    (tmp_path / "digest").mkdir()
    (tmp_path / "digest" / "subject.txt.j2").write_text(
        "[monitor] {{ topic_name }} — {{ n_developments }} new\n"
    )
    rendered = render_digest(digest_data, templates_dir=tmp_path)
    assert rendered.subject == "[monitor] Xi Jinping meets Putin — 5 new"
    assert "NEW DEVELOPMENTS" in rendered.text  # the others still come from the repo


def test_user_html_template_is_autoescaped_too(tmp_path: Path, digest_data: DigestData) -> None:
    (tmp_path / "digest").mkdir()
    (tmp_path / "digest" / "body.html.j2").write_text(
        "<p>{% for i in data.left_out %}{{ i.title }}{% endfor %}</p>"
    )
    html = render_digest(digest_data, templates_dir=tmp_path).html
    assert "<script" not in html and "&lt;script&gt;" in html


# --- helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=c&d=e", True),
        ("HTTP://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("data:text/html,<h1>x</h1>", False),
        ("//example.org/protocol-relative", False),
        ("/relative/path", False),
        ("https:///no-host", False),
        ("https://exa mple.org/", False),
        ("", False),
        (None, False),
    ],
)
def test_http_url(url: str | None, ok: bool) -> None:
    assert (http_url(url) is not None) is ok


def test_wrap_keeps_words_whole_and_cuts_junk_tokens() -> None:
    text = "three-day " * 20
    lines = wrap(text, "1. ").splitlines()
    assert all(len(line) <= 78 for line in lines)
    assert flat("\n".join(lines)) == "1. " + flat(text)
    junk = wrap("x" * 200, "   ").splitlines()
    assert all(len(line) <= 78 for line in junk) and "".join(s.strip() for s in junk) == "x" * 200
    url = "https://example.org/" + "a" * 100
    assert wrap(f"see {url} now", "   ").splitlines() == ["   see", url, "   now"]


def test_clean_text_removes_controls_and_bidi_overrides() -> None:
    assert digest.clean_text("a\r\nb\x00c\u2028d\u202ee\ufeff") == "a b c d e"
    assert digest.clean_text("مرحبا\u200cبك") == "مرحبا\u200cبك"  # ZWNJ is part of the script


def test_unknown_left_out_kind_counted_as_other(digest_data: DigestData) -> None:
    data = replace(digest_data, left_out=(LeftOutItem("paywalled", "t", "https://x.test/", "o"),))
    body = section(render_digest(data).text, "LEFT OUT")
    assert re.search(r"^\s+1 other$", body, re.M)


def test_development_without_time_or_link(digest_data: DigestData) -> None:
    dev = digest_data.developments[2]
    bare = DigestDevelopment(
        key="bare",
        label="new",
        summary=dev.summary,
        first_outlet="",
        first_seen=None,
        mentions=(replace(dev.mentions[0], published=None, url=""),),
        sources=1,
    )
    rendered = render_digest(replace(digest_data, developments=(bare,)))
    assert "time unknown" in rendered.text and "(no web link)" in rendered.text
