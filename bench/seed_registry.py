#!/usr/bin/env python3
"""Fills an (already migrated) Firebreak SQLite registry with N seeded
synthetic incidents for the HTTP load test: a Zipf-like vocabulary with
incident words, error codes and host names mixed in, 300-3,000 words each,
as the search benchmark's corpus. Writes rows directly (no outbox rows), so
the caller deletes the index and Firebreak rebuilds it from the database.

usage: seed_registry.py DB_PATH N
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


def main():
    db, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(SEED)
    words, cum = vocabulary(rng)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    rows, services, tags = [], [], []
    start_id = (con.execute("SELECT coalesce(max(id), 0) FROM incidents").fetchone()[0]) + 1
    for i in range(n):
        iid = start_id + i
        at = 1_600_000_000 + rng.randrange(180_000_000)
        stamp = __import__("datetime").datetime.fromtimestamp(at, __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        title = text(rng, words, cum, rng.randint(4, 9))
        body = text(rng, words, cum, rng.randint(40, 119)) + "\n\n" + text(rng, words, cum, rng.randint(300, 2999))
        sev = f"SEV{rng.randint(1, 4)}"
        rows.append((iid, title, body, sev, stamp, stamp, stamp, stamp))
        services.append((iid, 0, f"svc-{rng.randrange(50)}"))
        tags.append((iid, 0, rng.choice(INCIDENT_WORDS)))
        if len(rows) == 2000 or i == n - 1:
            con.executemany(
                "INSERT INTO incidents (id, title, summary_md, summary_html, severity, status, started_at, declared_at, created_at, updated_at)"
                " VALUES (?, ?, ?, '', ?, 'resolved', ?, ?, ?, ?)", rows)
            con.executemany("INSERT INTO incident_services (incident_id, position, service) VALUES (?, ?, ?)", services)
            con.executemany("INSERT INTO incident_tags (incident_id, position, tag) VALUES (?, ?, ?)", tags)
            con.commit()
            rows, services, tags = [], [], []
            print(f"\r{i + 1}/{n} incidents", end="", file=sys.stderr)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
