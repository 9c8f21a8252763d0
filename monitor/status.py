"""`monitor status`: what each topic and feed is doing, for an operator."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from monitor.config import Config
from monitor.store import Database
from monitor.store.tables import ArticleRow, DevelopmentRow, DigestRow, FeedRow


def collect_status(database: Database, config: Config, now: datetime) -> dict[str, Any]:
    from monitor.daemon import digest_trigger

    topics = []
    with database.session() as session:
        for topic in config.topic:
            def count(model: Any, *where: Any) -> int:
                return session.exec(select(func.count()).select_from(model).where(*where)).one()

            last = session.exec(select(DigestRow).where(DigestRow.topic_id == topic.id,
                                                        DigestRow.status == "sent")
                                .order_by(DigestRow.sent_at.desc())).first()  # type: ignore[union-attr]
            feeds = list(session.exec(select(FeedRow).where(FeedRow.topic_id == topic.id)
                                      .order_by(FeedRow.id)))
            failed = list(session.exec(select(DigestRow).where(DigestRow.topic_id == topic.id,
                                                               DigestRow.status == "failed")
                                       .order_by(DigestRow.id.desc()).limit(5)))  # type: ignore[union-attr]
            topics.append({
                "id": topic.id, "name": topic.name,
                "feeds": len([f for f in feeds if f.in_config]),
                "articles": count(ArticleRow, ArticleRow.topic_id == topic.id),
                "relevant_articles": count(ArticleRow, ArticleRow.topic_id == topic.id,
                                           ArticleRow.relevant == True),  # noqa: E712
                "developments": count(DevelopmentRow, DevelopmentRow.topic_id == topic.id),
                "unreported_developments": count(DevelopmentRow, DevelopmentRow.topic_id == topic.id,
                                                 DevelopmentRow.digest_id == None),  # noqa: E711
                "digests_pending": count(DigestRow, DigestRow.topic_id == topic.id, DigestRow.status == "pending"),
                "digests_failed": count(DigestRow, DigestRow.topic_id == topic.id, DigestRow.status == "failed"),
                "failed_digests": [{"message_id": d.message_id, "subject": d.subject, "created": d.created_at,
                                    "attempts": d.attempts, "error": d.last_error} for d in failed],
                "last_digest": last.sent_at if last else None,
                "next_digest": digest_trigger(topic).get_next_fire_time(None, now),
                "feed_status": [{
                    "url": f.current_url, "configured_url": f.url,
                    "moved": f.current_url != f.url, "disabled": f.disabled_reason,
                    "in_config": f.in_config, "last_status": f.last_status,
                    "last_success": f.last_success_at, "last_polled": f.last_polled_at,
                    "entries": f.entries_seen, "error_streak": f.error_streak,
                    "last_error": f.last_error, "next_poll": f.next_poll_at,
                } for f in feeds],
            })
    return {"now": now, "database": database.display_url, "topics": topics}


def _when(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "never"
    delta = (value - now).total_seconds()
    span = abs(delta)
    text = (f"{span:.0f}s" if span < 120 else f"{span / 60:.0f}m" if span < 7200
            else f"{span / 3600:.0f}h" if span < 172800 else f"{span / 86400:.0f}d")
    return f"in {text}" if delta > 0 else f"{text} ago"


def format_status(data: dict[str, Any]) -> str:
    now = data["now"] if isinstance(data["now"], datetime) else datetime.now(UTC)
    lines = [f"database: {data['database']}"]
    for t in data["topics"]:
        lines += ["", f"topic {t['id']} — {t['name']}",
                  f"  feeds {t['feeds']}  articles {t['articles']} (relevant {t['relevant_articles']})  "
                  f"developments {t['developments']} (unreported {t['unreported_developments']})",
                  f"  last digest {_when(t['last_digest'], now)}  next digest {_when(t['next_digest'], now)}"
                  f"  pending {t['digests_pending']}  failed {t['digests_failed']}",
                  *(f"  failed digest {d['message_id']}: {d['error']}" for d in t.get("failed_digests", [])),
                  "", f"  {'status':<9} {'last ok':<10} {'next':<10} {'entries':>7} {'errs':>4}  feed"]
        for f in t["feed_status"]:
            state = ("disabled" if f["disabled"] else "removed" if not f["in_config"]
                     else "error" if f["last_error"] else str(f["last_status"] or "new"))
            line = (f"  {state:<9} {_when(f['last_success'], now):<10} {_when(f['next_poll'], now):<10} "
                    f"{f['entries']:>7} {f['error_streak']:>4}  {f['url']}")
            if f["moved"]:
                line += f"  (moved from {f['configured_url']})"
            lines.append(line)
            if f["last_error"]:
                lines.append(f"            └ {f['last_error']}")
    return "\n".join(lines)
