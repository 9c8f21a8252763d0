"""Main text of an article page: the only module that imports trafilatura.

Precision over recall: a digest quoting a cookie banner or a "related stories"
list is worse than one that falls back to the feed summary, so navigation,
comments and tables are left out and a page with too little text gives None.
No network: trafilatura only ever sees the bytes we fetched.
"""
from __future__ import annotations

import html as html_lib
import logging
import re

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 80  # below this the page had no article body worth keeping

_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def extract_main_text(html: bytes | str, url: str) -> str | None:
    """Plain-text paragraphs of the article, joined by "\\n"; None if nothing useful.

    The page's headline (its <h1>) is dropped from the start: the feed entry
    carries the title already.
    """
    if not html:
        return None
    import trafilatura  # heavy import, only needed once pages are fetched

    try:
        text = trafilatura.extract(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            output_format="txt",
            with_metadata=False,
            deduplicate=False,
        )
    except Exception as e:  # trafilatura/lxml on hostile markup: no text, not a crash
        log.debug("extraction failed for %s: %s: %s", url, type(e).__name__, e)
        return None
    if not text:
        return None
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0] in _headlines(html):
        lines = lines[1:]
    result = "\n".join(lines)
    return result if len(result) >= MIN_TEXT_CHARS else None


def _headlines(html: bytes | str) -> set[str]:
    head = html[:500_000]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "replace")
    return {" ".join(_TAG.sub(" ", html_lib.unescape(m)).split()) for m in _H1.findall(head)}
