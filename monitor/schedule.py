"""Digest schedules: cron in a topic's time zone, one slot per local time, DST-safe.

APScheduler's CronTrigger (3.11) fires twice at an ambiguous local time when
clocks go back (01:30 BST and again 01:30 GMT) and, asked again from the second
one, keeps returning it. A digest must go out once per local slot, so the cron
expression is evaluated on local wall-clock time here: an ambiguous time fires
at its first occurrence only, and a time skipped when clocks go forward fires
once, just after the gap.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

LOOKBACK = timedelta(days=8)


class LocalCronTrigger(BaseTrigger):
    """A crontab expression evaluated on the wall clock of ``timezone``."""

    def __init__(self, expression: str, timezone: str) -> None:
        self.expression = expression
        self.zone: tzinfo = ZoneInfo(timezone)
        # The inner trigger works on naive wall-clock times dressed as UTC.
        self._wall = CronTrigger.from_crontab(expression, timezone=UTC)

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        start = now if previous_fire_time is None else max(now, previous_fire_time + timedelta(seconds=1))
        wall = start.astimezone(self.zone).replace(tzinfo=UTC, fold=0)
        # Look back one hour of wall time so a slot in a repeated hour is not missed.
        candidate = self._wall.get_next_fire_time(None, wall - timedelta(hours=1))
        while candidate is not None:
            local = candidate.replace(tzinfo=self.zone, fold=0)  # first occurrence of an ambiguous time
            actual = local.astimezone(UTC)
            if actual >= start:
                return actual
            candidate = self._wall.get_next_fire_time(None, candidate + timedelta(minutes=1))
        return None

    def __str__(self) -> str:
        return f"cron[{self.expression!r} in {self.zone}]"


def slot_key(slot: datetime) -> str:
    """A schedule slot as a period key: its UTC time to the minute."""
    return slot.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def latest_slot(trigger: LocalCronTrigger, now: datetime, lookback: timedelta = LOOKBACK) -> datetime | None:
    """The most recent slot at or before ``now`` (within ``lookback``)."""
    latest = None
    fire = trigger.get_next_fire_time(None, now - lookback)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire)
    return latest
