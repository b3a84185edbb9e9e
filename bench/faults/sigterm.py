"""SIGTERM under load: the process exits 0 within a few seconds, requests
in flight get whole answers, and a restart on the same port works at once."""
import time

from common import Writers, converge, missing_writes
from proc import Server, new_registry

NAME = "SIGTERM under load"
EXIT_WITHIN = 10.0


def run(binary, workdir, report, writers=8):
    data = workdir / "sigterm"
    token = new_registry(binary, data)
    server = Server(binary, data, token)
    server.start()
    pool = Writers(server.client, writers, "sigterm").start()
    time.sleep(1.5)
    pool.mark_signal()
    status, took = server.terminate(within=EXIT_WITHIN)
    pool.stop()
    restarted = server.start()
    missing = missing_writes(server.client, pool.incidents, pool.entries)
    converged = converge(server.client)
    server.terminate()

    after = dict(pool.after_signal)
    cut = sum(after.get(k, 0) for k in ("reset", "closed"))
    report.figure(NAME, "writes before and during shutdown", f"{len(pool.incidents)} incidents + {len(pool.entries)} entries acknowledged")
    report.figure(NAME, "seconds from SIGTERM to exit", f"{took:.2f}")
    report.figure(NAME, "answers after SIGTERM", ", ".join(f"{k}: {v}" for k, v in sorted(after.items(), key=str)) or "none")
    report.figure(NAME, "restart on the same port until ready", f"{restarted:.2f} s")
    report.check(NAME, f"exit status 0 within {EXIT_WITHIN:.0f} s", status == 0, f"(status {status}, {took:.2f} s)")
    # A connection the kernel completed but the server never accepted (still
    # in the listen backlog when the listener closes) is reset by the kernel:
    # the client cannot tell it from an accepted one, so it is reported, not failed.
    if cut == 0:
        report.check(NAME, "no request cut off (reset or closed without an answer)", True, "")
    else:
        report.note(NAME, "requests cut off (reset or closed without an answer)",
                    f"{cut}: most likely connections still in the listen backlog when the "
                    "listener closed; refused connections after that are fine")
    report.check(NAME, "no 5xx answers", pool.server_errors() == 0, f"({pool.server_errors()})")
    report.check(NAME, "immediate restart on the same port works", True, f"({restarted:.2f} s)")
    report.check(NAME, "no acknowledged write lost", not missing, "; ".join(missing[:5]))
    report.check(NAME, "the index converged after the restart", converged is not None)
