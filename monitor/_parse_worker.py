"""Child process that runs feedparser under resource limits (see parse.py).

Reads one line of JSON ({"url", "cpu", "mem"}) and then the prepared feed
bytes on stdin; writes one JSON object on stdout: the normalised ParsedFeed, or
{"error": message}. The limits are set on this process before feedparser is
even imported, so a pathological document ends in SIGXCPU or MemoryError here,
never in the daemon.
"""
from __future__ import annotations

import json
import resource
import sys


def _limit(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard if which != resource.RLIMIT_CPU else value + 1))


def main() -> None:
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    _limit(resource.RLIMIT_CPU, int(header["cpu"]))
    _limit(resource.RLIMIT_AS, int(header["mem"]))
    data = stdin.read()

    from monitor.parse import ParseError, _feed_to_json, _from_feedparser

    try:
        result = _feed_to_json(_from_feedparser(data, header["url"]))
    except ParseError as e:
        result = {"error": e.message}
    except MemoryError:
        mb = int(header["mem"]) >> 20
        result = {"error": f"too costly: lenient parse needed more than {mb} MB"}
    except RecursionError:
        result = {"error": "too costly: lenient parse nested too deeply"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
