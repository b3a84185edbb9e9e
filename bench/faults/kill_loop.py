"""kill -9 during writes, N times: every acknowledged write survives,
integrity_check is ok, and the index converges after each restart."""
import random
import time

from common import Writers, converge, missing_writes, seconds
from proc import Server, integrity_check, new_registry

NAME = "kill -9 loop"


def run(binary, workdir, report, cycles, writers=4):
    data = workdir / "kill-loop"
    token = new_registry(binary, data)
    server = Server(binary, data, token)
    client = server.client
    incidents, entries = {}, []
    ready, converged, per_cycle = [], [], []
    never_converged = 0
    rng = random.Random(8)
    for _cycle in range(cycles):
        ready.append(server.start())
        took = converge(client)
        if took is None:
            never_converged += 1
        else:
            converged.append(took)
        pool = Writers(client, writers, f"kill cycle {_cycle}").start()
        time.sleep(rng.uniform(0.3, 1.5))
        server.kill()
        pool.stop()
        incidents.update(pool.incidents)
        entries += pool.entries
        per_cycle.append(len(pool.incidents) + len(pool.entries))
    ready.append(server.start())
    final = converge(client)
    missing = missing_writes(client, incidents, entries)
    status, _ = server.terminate()
    problems = integrity_check(data / "firebreak.db")

    report.figure(NAME, "kills", cycles)
    report.figure(NAME, "acknowledged writes", f"{len(incidents)} incidents + {len(entries)} timeline entries")
    report.figure(NAME, "acknowledged writes per cycle (median)", sorted(per_cycle)[len(per_cycle) // 2])
    report.figure(NAME, "restart until ready (median / max)", seconds(ready))
    report.figure(NAME, "index converged after restart (median / max)", seconds(converged))
    report.check(NAME, "at least 20 kills during writes", cycles >= 20 and min(per_cycle) > 0,
                 f"({cycles} kills, fewest writes in a cycle: {min(per_cycle)})")
    report.check(NAME, "no acknowledged write lost", not missing, "; ".join(missing[:5]))
    report.check(NAME, "integrity_check ok", problems == ["ok"], "; ".join(problems[:3]))
    report.check(NAME, "the index converged after every restart",
                 never_converged == 0 and final is not None,
                 f"({never_converged} restarts did not converge within 30 s)" if never_converged else "")
    report.check(NAME, "clean exit at the end", status == 0, f"(status {status})")
