"""50 concurrent writers PATCHing with the version they read: on a shared
incident exactly one save wins per version (the rest get 409), on their
own incidents every save wins; no 5xx and no "database is locked"."""
import collections
import threading
import time

from proc import Server, new_registry

NAME = "50 concurrent writers"
LOCKED = "database is locked"


def run(binary, workdir, report, writers=50, rounds=6):
    data = workdir / "writers50"
    token = new_registry(binary, data)
    server = Server(binary, data, token)
    server.start()
    client = server.client
    shared = client.post("/api/v1/incidents", {"title": "Shared incident", "severity": "SEV2"}).body
    own = [client.post("/api/v1/incidents", {"title": f"Own incident {i}", "severity": "SEV3"}).body
           for i in range(writers)]
    barrier = threading.Barrier(writers)
    lock = threading.Lock()
    attempts = []  # (version sent, status) on the shared incident
    own_statuses = collections.Counter()
    bodies_locked = 0

    def writer(i):
        nonlocal bodies_locked
        for r in range(rounds):
            barrier.wait()
            read = client.get(f"/api/v1/incidents/{shared['id']}")
            version = read.body["version"]
            reply = client.patch(f"/api/v1/incidents/{shared['id']}",
                                 {"version": version, "title": f"Shared incident, writer {i} round {r}"})
            mine = client.get(f"/api/v1/incidents/{own[i]['id']}")
            own_reply = client.patch(f"/api/v1/incidents/{own[i]['id']}",
                                     {"version": mine.body["version"], "title": f"Own incident {i} round {r}"})
            with lock:
                attempts.append((version, reply.status if reply.status is not None else reply.failure))
                own_statuses[own_reply.status if own_reply.status is not None else own_reply.failure] += 1
                bodies_locked += sum(LOCKED in x.text() for x in (read, reply, mine, own_reply))

    started = time.monotonic()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    final = client.get(f"/api/v1/incidents/{shared['id']}").body
    own_final = [client.get(f"/api/v1/incidents/{o['id']}").body["version"] for o in own]
    server.terminate()
    log_locked = server.log_text().count(LOCKED)

    statuses = collections.Counter(s for _, s in attempts)
    winners = collections.Counter(v for v, s in attempts if s == 200)
    versions = {v for v, _ in attempts}
    not_one = sorted(v for v in versions if winners[v] != 1)
    wins = statuses[200]
    server_errors = sum(n for s, n in list(statuses.items()) + list(own_statuses.items())
                        if not isinstance(s, int) or s >= 500)
    report.figure(NAME, "saves on the shared incident", f"{len(attempts)} ({wins} won, {statuses[409]} got 409)")
    report.figure(NAME, "saves on own incidents", dict(own_statuses))
    report.figure(NAME, "seconds for all rounds", f"{took:.2f}")
    report.check(NAME, "exactly one winner per version", not not_one and wins > 0,
                 f"(versions without exactly one winner: {not_one[:5]})" if not_one else f"({len(versions)} versions)")
    report.check(NAME, "only 200 or 409 on the shared incident", set(statuses) <= {200, 409}, f"({dict(statuses)})")
    report.check(NAME, "no lost update: final version = first + wins",
                 final["version"] == shared["version"] + wins, f"({final['version']} vs {shared['version']} + {wins})")
    report.check(NAME, "every save on an own incident won",
                 own_statuses == {200: writers * rounds} and own_final == [1 + rounds] * writers,
                 f"({dict(own_statuses)})")
    report.check(NAME, "zero 5xx or dropped requests", server_errors == 0, f"({server_errors})")
    report.check(NAME, "zero \"database is locked\"", bodies_locked == 0 and log_locked == 0,
                 f"(in answers: {bodies_locked}, in the log: {log_locked})")
