"""Times in a digest are shown in the topic's time zone, with its abbreviation."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from monitor.digest import format_time, render_digest

from .conftest import make_digest_data


def test_times_follow_the_topics_zone_across_dst() -> None:
    winter = datetime(2023, 3, 20, 9, 12, tzinfo=UTC)
    summer = datetime(2023, 3, 27, 9, 12, tzinfo=UTC)
    assert format_time(winter, "Europe/London") == "20 Mar 2023 09:12 GMT"
    assert format_time(summer, "Europe/London") == "27 Mar 2023 10:12 BST"
    assert format_time(winter, "Asia/Shanghai") == "20 Mar 2023 17:12 CST"
    assert format_time(winter) == "20 Mar 2023 09:12 UTC"


def test_rendered_digest_says_which_zone() -> None:
    data = replace(make_digest_data(), timezone="Europe/Berlin")
    rendered = render_digest(data)
    assert "All times are Europe/Berlin." in " ".join(rendered.text.split())
    assert " CET" in rendered.text and " UTC\n" not in rendered.text
