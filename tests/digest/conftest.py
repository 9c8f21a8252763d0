"""A hand-built DigestData shaped like a day of Xi-Putin coverage.

Outlet names and URLs are fictional (as in ../shared/devset); the sentences
follow the March 2023 state visit. Some values are hostile on purpose: a
<script> headline, a javascript: link, a CRLF in a title.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from monitor.types import (
    DayCount,
    DigestData,
    DigestDevelopment,
    FeedHealth,
    LeftOutItem,
    Mention,
)

UTC = UTC
LONG_URL = (
    "https://example-news-7.test/world/asia-pacific/2023/03/21/"
    "xi-and-putin-sign-joint-statement-on-deepening-comprehensive-partnership-"
    "and-strategic-cooperation-for-a-new-era?utm_source=rss&utm_medium=feed&utm_campaign=world"
)

ARRIVED = (
    "Chinese President Xi Jinping arrived at Vnukovo airport in Moscow on Monday "
    "for a three-day state visit, his first trip to Russia since the invasion of Ukraine."
)
ARRIVED_2 = "Xi's plane touched down in Moscow shortly after noon local time on Monday."
INFORMAL = (
    "Putin and Xi held four and a half hours of informal talks over dinner in the Kremlin "
    "on Monday evening, the Kremlin said."
)
STATEMENT = (
    "The two leaders signed a joint statement on deepening their comprehensive partnership "
    "and strategic cooperation for a new era."
)
PEACE_PLAN = (
    "Putin said many provisions of China's 12-point peace plan could serve as a basis "
    "for a settlement whenever the West and Kyiv are ready for it."
)
PIPELINE_YES = (
    "Putin said the Power of Siberia 2 gas pipeline deal had effectively been agreed with Beijing."
)
PIPELINE_NO = (
    "China's foreign ministry denied reports that a Power of Siberia 2 contract had been agreed, "
    "and Beijing gave no timeline for the project."
)
PUTIN_COMMENT = (
    "Putin said Russia did not recognise the jurisdiction of the International Criminal "
    "Court and called the warrant legally void."
)
KYIV = "Ukraine's president Volodymyr Zelensky said he had invited Xi to visit Kyiv."

# Body sentences of left-out articles: these must never be quoted in the digest.
LEFT_OUT_BODY = (
    "The meeting gives Putin and Xi a chance to show they have powerful partners.",
    "China has tried to portray itself as neutral in the conflict.",
)


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, 3, day, hour, minute, tzinfo=UTC)


def mention(
    text: str,
    outlet: str,
    n: int,
    when: datetime,
    *,
    label: str = "new",
    duplicate: bool = False,
    url: str | None = None,
    title: str = "",
) -> Mention:
    return Mention(
        text=text,
        outlet=outlet,
        url=url or f"https://example-news-{n}.test/world/2023/03/{when.day}/story-{n}",
        title=title or f"{outlet} report",
        published=when,
        label=label,
        duplicate=duplicate,
    )


def make_digest_data() -> DigestData:
    arrived = DigestDevelopment(
        key="dev-arrived",
        label="new",
        summary=ARRIVED,
        first_outlet="Wire Q",
        first_seen=t(20, 9, 12),
        mentions=(
            mention(ARRIVED, "Wire Q", 1, t(20, 9, 12), title="Xi lands in Moscow"),
            mention(ARRIVED, "Daily Courier R", 2, t(20, 9, 40), duplicate=True),
            mention(ARRIVED_2, "Morning Journal J", 3, t(20, 10, 5)),
            mention(ARRIVED_2, "Evening Post S", 4, t(20, 11, 0)),
        ),
        sources=3,
    )
    statement = DigestDevelopment(
        key="dev-statement",
        label="new",
        summary=STATEMENT,
        first_outlet="Wire Q",
        first_seen=t(21, 14, 30),
        mentions=(
            mention(
                STATEMENT,
                "Wire Q",
                1,
                t(21, 14, 30),
                url=LONG_URL,
                title="Xi and Putin sign joint statement",
            ),
            mention(STATEMENT, "Evening Post S", 4, t(21, 15, 2)),
        ),
        sources=2,
    )
    peace = DigestDevelopment(
        key="dev-peace",
        label="new",
        summary=PEACE_PLAN,
        first_outlet="Evening Post S",
        first_seen=t(21, 16, 0),
        mentions=(mention(PEACE_PLAN, "Evening Post S", 4, t(21, 16, 0)),),
        sources=1,
    )
    informal = DigestDevelopment(
        key="dev-informal",
        label="new",
        summary=INFORMAL,
        first_outlet="Morning Journal J",
        first_seen=t(20, 21, 15),
        mentions=(
            mention(
                INFORMAL,
                "Morning Journal J",
                3,
                t(20, 21, 15),
                url="javascript:alert('mention')",
                title="Dinner <b>talks</b>",
            ),
            mention(INFORMAL, "Wire Q", 1, t(20, 21, 40)),
            mention(INFORMAL, "Daily Courier R", 2, t(20, 22, 0)),
            mention(INFORMAL, "Evening Post S", 4, t(20, 22, 30)),
        ),
        sources=4,
    )
    kyiv = DigestDevelopment(
        key="dev-kyiv",
        label="new",
        summary=KYIV,
        first_outlet="Daily Courier R",
        first_seen=t(21, 8, 0),
        mentions=(mention(KYIV, "Daily Courier R", 2, t(21, 8, 0)),),
        sources=1,
        previously_reported=True,
    )
    commented = DigestDevelopment(
        key="upd-comment",
        label="update",
        summary=PUTIN_COMMENT,
        first_outlet="Wire Q",
        first_seen=t(20, 18, 0),
        mentions=(
            mention(PUTIN_COMMENT, "Wire Q", 1, t(20, 18, 0), label="update"),
            mention(PUTIN_COMMENT, "Morning Journal J", 3, t(20, 19, 0), label="update"),
        ),
        sources=2,
        baseline_fact="Putin has yet to comment on the announcement.",
    )
    denial = mention(PIPELINE_NO, "Evening Post S", 4, t(21, 19, 30), label="update")
    pipeline = DigestDevelopment(
        key="upd-pipeline",
        label="update",
        summary=PIPELINE_YES,
        first_outlet="Wire Q",
        first_seen=t(21, 17, 0),
        mentions=(
            mention(PIPELINE_YES, "Wire Q", 1, t(21, 17, 0), label="update"),
            denial,
        ),
        sources=2,
        baseline_fact="China is dependent on Russia for its energy needs.",
        conflict=denial,
    )
    left_out = (
        LeftOutItem(
            "restatement", "Xi to meet Putin in Moscow", "https://example-news-5.test/a", "Wire Q"
        ),
        LeftOutItem(
            "restatement",
            "What to expect from Xi's visit",
            "https://example-news-6.test/b",
            "Morning Journal J",
        ),
        LeftOutItem(
            "restatement",
            "Xi, Putin to talk Ukraine",
            "https://example-news-6.test/c",
            "Evening Post S",
        ),
        LeftOutItem(
            "near-copy", "Xi lands in Moscow", "https://example-news-2.test/copy", "Daily Courier R"
        ),
        LeftOutItem(
            "near-copy",
            "Xi arrives for state visit",
            "https://example-news-8.test/copy",
            "Portal Z",
        ),
        LeftOutItem(
            "background",
            "A history of Sino-Soviet relations",
            "https://example-news-9.test/h",
            "Review K",
        ),
        LeftOutItem(
            "off-topic",
            "<script>alert('x')</script>Stocks rally",
            "javascript:alert(document.cookie)",
            "Markets <b>Daily</b>",
        ),
        LeftOutItem(
            "off-topic",
            "Weather: spring\r\nBcc: x@evil",
            "data:text/html,<h1>hi</h1>",
            "Weather Desk",
        ),
    )
    feeds = (
        FeedHealth("https://example-news-1.test/world/rss.xml", True, t(21, 6, 45), None),
        FeedHealth("https://example-news-2.test/feeds/world.atom", True, t(21, 6, 50), None),
        FeedHealth("https://example-news-3.test/rss", True, t(21, 6, 55), None),
        FeedHealth(
            "https://example-news-4.test/international/rss.xml",
            False,
            t(19, 23, 10),
            "HTTP 503 Service Unavailable (12 failures in a row)",
        ),
        FeedHealth(
            "https://example-news-10.test/feed",
            False,
            None,
            "certificate verify failed: hostname mismatch",
        ),
    )
    per_day = (
        DayCount("2023-03-20", 14, 3),
        DayCount("2023-03-21", 9, 4),
    )
    return DigestData(
        topic_id="xi-putin",
        topic_name="Xi Jinping meets Putin",
        period_start=t(20, 0),
        period_end=t(22, 0),
        developments=(arrived, statement, peace, informal, kyiv),
        changed_facts=(commented, pipeline),
        still_open=(
            "The Chinese government has not disclosed what Xi hopes to achieve "
            "through this meeting.",
            "Countries that recognize the court's jurisdiction would be obligated to arrest Putin "
            "if he visits their territories.",
        ),
        left_out=left_out,
        feeds=feeds,
        per_day=per_day,
        failed_deliveries=("analyst@example.org: 550 5.1.1 mailbox unavailable (19 Mar digest)",),
    )


def make_stressed_data(data: DigestData) -> DigestData:
    """Worst-case strings: an unbroken 300-char headline, a very long feed URL."""
    junk = "Breaking" + "X" * 300
    long_feed = (
        "https://example-news-11.test/" + "very-long-path-segment/" * 12 + "rss.xml?x=" + "1" * 80
    )
    return replace(
        data,
        left_out=(
            *data.left_out,
            LeftOutItem("off-topic", junk, "https://x.test/" + "a" * 300, junk),
        ),
        feeds=(*data.feeds, FeedHealth(long_feed, False, None, "E" * 250)),
        still_open=(*data.still_open, "Y" * 200),
    )


def make_empty_data() -> DigestData:
    return DigestData(
        topic_id="xi-putin",
        topic_name="Xi Jinping meets Putin",
        period_start=t(21, 7),
        period_end=t(22, 7),
        developments=(),
        changed_facts=(),
        still_open=(),
        left_out=(),
        feeds=(FeedHealth("https://example-news-1.test/world/rss.xml", True, t(22, 6), None),),
    )


@pytest.fixture
def digest_data() -> DigestData:
    return make_digest_data()


@pytest.fixture
def empty_data() -> DigestData:
    return make_empty_data()
