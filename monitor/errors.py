"""The exceptions monitor raises on purpose.

Contains no business logic. Anything else that escapes is a bug. A feed's
problems are not exceptions past the fetch/parse stage: they become values
(an error line on the feed) so that one bad feed never stops a poll.
"""
from __future__ import annotations


class MonitorError(Exception):
    """Base class; ``str(e)`` is one line a user can act on."""


class ConfigError(MonitorError):
    """The config file cannot be used. Holds every problem found, not just the first."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class ConfigProblem:
    """One problem in a config file: where, what is wrong, how to fix it."""

    def __init__(self, path: str, key: str, problem: str, fix: str) -> None:
        self.path, self.key, self.problem, self.fix = path, key, problem, fix

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.problem} (fix: {self.fix})"


class StoreError(MonitorError):
    """The database could not be reached or used; this step fails, the next retries."""


class AlreadyRunning(MonitorError):
    """Another daemon holds the lock on this SQLite database."""
