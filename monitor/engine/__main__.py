"""python -m monitor.engine --baseline FILE --articles FILE.jsonl [--term T ...]: one JSON line per article."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from . import Engine, diff_articles


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m monitor.engine", description=__doc__)
    ap.add_argument("--baseline", required=True, help="baseline article: first line is the title")
    ap.add_argument("--articles", required=True, help="JSON Lines, one article per line ('-' for stdin)")
    ap.add_argument("--term", action="append", default=[], help="extra relevance term (repeatable)")
    ap.add_argument("--alias", action="append", default=[], help="CANONICAL=ALIAS (repeatable)")
    ap.add_argument("--exclude", action="append", default=[], help="negative term (repeatable)")
    ap.add_argument("--published", help="ISO time the baseline was published")
    args = ap.parse_args(argv)

    with open(args.baseline, encoding="utf-8") as f:
        baseline = f.read()
    aliases: dict[str, list[str]] = {}
    for item in args.alias:
        canonical, _, alias = item.partition("=")
        aliases.setdefault(canonical.strip(), []).append(alias.strip())
    published = datetime.fromisoformat(args.published) if args.published else None
    engine = Engine(baseline, published=published, terms=args.term, aliases=aliases, exclude=args.exclude)

    stream = sys.stdin if args.articles == "-" else open(args.articles, encoding="utf-8")  # noqa: SIM115 (closed below)
    with stream:
        articles = (json.loads(line) for line in stream if line.strip())
        out = sys.stdout
        for result in diff_articles(engine, articles):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
