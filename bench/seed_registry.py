#!/usr/bin/env python3
"""Fills an (already migrated) Firebreak SQLite registry with N seeded
synthetic incidents for the HTTP load test: a Zipf-like vocabulary with
incident words, error codes and host names mixed in, 300-3,000 words each,
as the search benchmark's corpus. Writes rows directly (no outbox rows), so
the caller deletes the index and Firebreak rebuilds it from the database.

Each incident also gets milestone timestamps (log-normal durations), a
status (a few open, duplicate or declined), contributing factors, and
sometimes action items with their status history, for the insights bench.
With --short the bodies are 20-60 words (insights do not read text).

usage: seed_registry.py DB_PATH N [--short]
"""
import itertools
import random
import sqlite3
import sys

SEED = 0x5EEDF12E
INCIDENT_WORDS = ("timeout dns latency outage deploy rollback database replica cache certificate kafka "
                  "queue memory disk network partition leader election throttling retry storm cascade "
                  "failover config").split()
SYLLABLES = "ka lo mi ner pa ros ti vu zen qua dor el fi gan hu".split()


def vocabulary(rng, size=20_000):
    words, seen = list(INCIDENT_WORDS), set(INCIDENT_WORDS)
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    weights = list(itertools.accumulate(1.0 / (k ** 1.07) for k in range(1, size + 1)))
    return words, weights


def text(rng, words, cum, n):
    out = rng.choices(words, cum_weights=cum, k=n)
    for i in range(0, n, 100):
        j = rng.randrange(n)
        out[j] = f"ERR-{rng.randint(100, 998)}" if rng.random() < 0.5 else f"web-{rng.randrange(40):02}.eu-west-{rng.randint(1, 3)}"
    return " ".join(out)


def iso(at):
    import datetime
    return datetime.datetime.fromtimestamp(at, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def lifecycle(rng, iid, at):
    """Status, milestones and references of one incident."""
    d = at + int(rng.lognormvariate(5.5, 1.2))
    a = d + int(rng.lognormvariate(4.5, 1.0))
    m = a + int(rng.lognormvariate(7.5, 1.1))
    r = m + int(rng.lognormvariate(8.5, 1.3))
    roll = rng.random()
    if roll < 0.03:
        return ("investigating", d, a, None, None, None, None, None)
    if roll < 0.05 and iid > 1:
        return ("duplicate", d, a, m, r, rng.randrange(1, iid), None, None)
    if roll < 0.06:
        return ("declined", d, None, None, r, None, "a test alert", None)
    repeat = rng.randrange(1, iid) if roll > 0.97 and iid > 1 else None
    return ("resolved", d, a, m, r, None, None, repeat)


def main():
    db, n = sys.argv[1], int(sys.argv[2])
    short = "--short" in sys.argv[3:]
    rng = random.Random(SEED)
    words, cum = vocabulary(rng)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    rows, services, tags, factors, actions, events = [], [], [], [], [], []
    start_id = (con.execute("SELECT coalesce(max(id), 0) FROM incidents").fetchone()[0]) + 1
    action_id = (con.execute("SELECT coalesce(max(id), 0) FROM action_items").fetchone()[0]) + 1
    for i in range(n):
        iid = start_id + i
        at = 1_600_000_000 + rng.randrange(180_000_000)
        stamp = __import__("datetime").datetime.fromtimestamp(at, __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        title = text(rng, words, cum, rng.randint(4, 9))
        if short:
            body = text(rng, words, cum, rng.randint(20, 60))
        else:
            body = text(rng, words, cum, rng.randint(40, 119)) + "\n\n" + text(rng, words, cum, rng.randint(300, 2999))
        # What Firebreak's markdown renderer makes of plain paragraphs, so pages show the text.
        html = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
        sev = f"SEV{rng.randint(1, 4)}"
        status, d, a, m, r, dup, reason, repeat = lifecycle(rng, iid, at)
        opt = lambda t: iso(t) if t else None
        rows.append((iid, title, body, html, sev, status, stamp, opt(d), opt(a), opt(m), opt(r), dup, reason, repeat, stamp, stamp, stamp))
        for f in rng.sample(range(1, 14), rng.randint(1, 3)):
            factors.append((iid, f, stamp))
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                due = iso(at + 86400 * rng.choice((15, 30, 60)))[:10]
                done = rng.random() < 0.7
                actions.append((action_id, iid, f"Fix {title[:40]}", due, "done" if done else "open", stamp, stamp))
                events.append((action_id, "open", stamp))
                if done:
                    events.append((action_id, "done", iso(at + 86400 * rng.randint(1, 90))))
                action_id += 1
        services.append((iid, 0, f"svc-{rng.randrange(50)}"))
        tags.append((iid, 0, rng.choice(INCIDENT_WORDS)))
        if len(rows) == 2000 or i == n - 1:
            con.executemany(
                "INSERT INTO incidents (id, title, summary_md, summary_html, severity, status, started_at, detected_at,"
                " acknowledged_at, mitigated_at, resolved_at, duplicate_of, decline_reason, repeat_of, declared_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            con.executemany("INSERT INTO incident_factors (incident_id, factor_id, created_at) VALUES (?, ?, ?)", factors)
            con.executemany("INSERT INTO action_items (id, incident_id, title, due_on, priority, kind, status, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, 'medium', 'prevent', ?, ?, ?)", actions)
            con.executemany("INSERT INTO action_item_events (action_id, status, at) VALUES (?, ?, ?)", events)
            con.executemany("INSERT INTO incident_services (incident_id, position, service) VALUES (?, ?, ?)", services)
            con.executemany("INSERT INTO incident_tags (incident_id, position, tag) VALUES (?, ?, ?)", tags)
            con.commit()
            rows, services, tags, factors, actions, events = [], [], [], [], [], []
            print(f"\r{i + 1}/{n} incidents", end="", file=sys.stderr)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
