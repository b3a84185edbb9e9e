"""Disk full on a small tmpfs: writes fail with a clear error, the process
stays up, reads keep working, writes work again once space is freed,
nothing acknowledged is lost and integrity_check is ok."""
import collections
import os
import subprocess
import time

from common import converge, missing_writes
from proc import Server, integrity_check, new_registry

NAME = "disk full"
SIZE = "64m"
LEFT_FREE = 1_500_000  # bytes left when the filler is written
BODY = "The disk fills up while we write. " * 600  # about 20 KB of summary


def _mount(point):
    point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(point)],
                          capture_output=True, text=True)
    return done.returncode == 0, done.stderr.strip()


def _fill(path):
    """Writes a file until LEFT_FREE bytes are left; returns its size."""
    stat = os.statvfs(path.parent)
    room = stat.f_bavail * stat.f_frsize - LEFT_FREE
    written = 0
    chunk = b"\0" * (1 << 20)
    with open(path, "wb") as f:
        try:
            while written < room:
                written += f.write(chunk[: min(len(chunk), room - written)])
            f.flush()
            os.fsync(f.fileno())
        except OSError:
            pass
    return written


def _clear(reply):
    """An error answer that says what happened: a status and a message."""
    if reply.status is None or reply.status < 400:
        return False
    body = reply.body if isinstance(reply.body, dict) else {}
    return reply.status != 500 and bool(body.get("error")) and bool(body.get("message"))


def run(binary, workdir, report):
    point = workdir / "tmpfs"
    mounted, why = _mount(point)
    if not mounted:
        report.skip(NAME, "mount a 64 MB tmpfs", f"SKIPPED LOUDLY: mount was refused: {why}")
        print("!!! disk-full scenario SKIPPED: mount -t tmpfs was refused", flush=True)
        return
    server = None
    try:
        server = _scenario(binary, point, report)
    finally:
        if server is not None:
            server.kill()
        subprocess.run(["umount", str(point)], capture_output=True)


def _scenario(binary, point, report):
    data = point / "data"
    token = new_registry(binary, data)
    server = Server(binary, data, token)
    server.start()
    client = server.client
    acked = {}
    for i in range(5):
        title = f"Before the disk filled {i}"
        acked[client.post("/api/v1/incidents", {"title": title, "severity": "SEV2"}).body["id"]] = title
    filler = point / "filler"
    filled = _fill(filler)

    answers, errors, streak = collections.Counter(), [], 0
    for i in range(600):
        title = f"Written while the disk fills {i}"
        reply = client.post("/api/v1/incidents", {"title": title, "severity": "SEV3", "summary": BODY})
        answers[reply.status if reply.status is not None else reply.failure] += 1
        if reply.ok:
            acked[reply.body["id"]] = title
            streak = 0
        else:
            errors.append(reply)
            streak += 1
            if streak >= 15:
                break
    alive_full = server.alive()
    reads = {
        "list": client.get("/api/v1/incidents?limit=5").status,
        "one": client.get(f"/api/v1/incidents/{next(iter(acked))}").status,
        "search": client.get("/api/v1/search?q=disk&limit=5").status,
        "timeline": client.get(f"/api/v1/incidents/{next(iter(acked))}/timeline").status,
    }
    messages = collections.Counter(
        f"{e.status} {e.body.get('error') if isinstance(e.body, dict) else ''}: "
        f"{e.body.get('message', '') if isinstance(e.body, dict) else e.text()[:80]}"
        for e in errors)

    filler.unlink()
    recovered_after = None
    started = time.monotonic()
    while time.monotonic() - started < 20:
        reply = client.post("/api/v1/incidents", {"title": "After space was freed", "severity": "SEV3"})
        if reply.ok:
            acked[reply.body["id"]] = "After space was freed"
            recovered_after = time.monotonic() - started
            break
        time.sleep(0.2)
    converged = converge(client)
    missing = missing_writes(client, acked, [])
    # A Rust panic prints "thread '…' panicked at file:line". tantivy's
    # error text for a writer thread that hit ENOSPC says "… or panicked."
    # without one, so only the real form counts.
    panicked = "' panicked at " in server.log_text()
    status, _ = server.terminate()
    problems = integrity_check(data / "firebreak.db")

    report.figure(NAME, "tmpfs size, filler", f"{SIZE}, {filled / 1e6:.1f} MB, {LEFT_FREE / 1e6:.1f} MB left")
    report.figure(NAME, "answers to writes while filling", dict(answers))
    report.figure(NAME, "error answers", "; ".join(f"{n} x {m}" for m, n in messages.items()) or "none")
    report.figure(NAME, "reads while full", reads)
    report.figure(NAME, "first successful write after freeing space",
                  f"{recovered_after:.2f} s" if recovered_after is not None else "never")
    report.check(NAME, "the disk filled (writes were refused)", bool(errors), f"({len(errors)} refused)")
    report.check(NAME, "every refusal is a clear error with a message (no bare 500, no dropped connection)",
                 bool(errors) and all(_clear(e) for e in errors), "")
    report.check(NAME, "the process stayed up, no panic", alive_full and not panicked, "")
    report.check(NAME, "reads keep working while the disk is full", set(reads.values()) == {200}, f"({reads})")
    report.check(NAME, "writes work again after freeing space", recovered_after is not None, "")
    report.check(NAME, "the index converged after freeing space", converged is not None, "")
    report.check(NAME, "no acknowledged write lost", not missing, "; ".join(missing[:5]))
    report.check(NAME, "integrity_check ok", problems == ["ok"], "; ".join(problems[:3]))
    report.check(NAME, "clean exit", status == 0, f"(status {status})")
    return server
