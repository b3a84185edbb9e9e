"""What the scenarios share: the report of figures and checks, writer
threads that record every acknowledged write, and the checks that every
acknowledged write is there and that the index converges."""
import collections
import statistics
import threading
import time


class Report:
    def __init__(self):
        self.figures = []  # (scenario, name, value)
        self.checks = []  # (scenario, name, status, detail); status PASS, FAIL, NOTE or SKIP

    def figure(self, scenario, name, value):
        self.figures.append((scenario, name, value))
        print(f"  {scenario}: {name} = {value}", flush=True)

    def check(self, scenario, name, passed, detail=""):
        status = "PASS" if passed else "FAIL"
        self.checks.append((scenario, name, status, detail))
        print(f"  [{status}] {scenario}: {name} {detail}", flush=True)
        return passed

    def note(self, scenario, name, detail):
        """A figure worth a line among the checks that does not fail the run."""
        self.checks.append((scenario, name, "NOTE", detail))
        print(f"  [NOTE] {scenario}: {name} {detail}", flush=True)

    def skip(self, scenario, name, detail):
        self.checks.append((scenario, name, "SKIP", detail))
        print(f"  [SKIP] {scenario}: {name} {detail}", flush=True)

    def failed(self):
        return [c for c in self.checks if c[2] == "FAIL"]


def seconds(values):
    """'median / max' of a list of seconds."""
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} s / {max(values):.2f} s"


class Writers:
    """Threads that declare incidents and add a timeline entry to each,
    recording every write that got a 2xx, until stopped or the server is gone."""

    def __init__(self, client, threads, label):
        self.client = client
        self.label = label
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.incidents = {}  # id -> title, acknowledged
        self.entries = []  # (incident id, entry id), acknowledged
        self.outcomes = collections.Counter()  # status or failure kind
        self.after_signal = collections.Counter()
        self.signal_at = None
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def mark_signal(self):
        self.signal_at = time.monotonic()

    def _record(self, reply):
        key = reply.status if reply.status is not None else reply.failure
        with self.lock:
            self.outcomes[key] += 1
            if self.signal_at is not None:
                self.after_signal[key] += 1

    def _run(self, n):
        i = 0
        while not self.stop_flag.is_set():
            i += 1
            title = f"{self.label} writer {n} number {i}"
            reply = self.client.post("/api/v1/incidents", {"title": title, "severity": "SEV3"})
            self._record(reply)
            if reply.status is None:
                return  # the server is gone
            if not reply.ok:
                continue
            incident = reply.body["id"]
            with self.lock:
                self.incidents[incident] = title
            entry = self.client.post(f"/api/v1/incidents/{incident}/timeline",
                                     {"kind": "note", "body": f"entry for {title}"})
            self._record(entry)
            if entry.status is None:
                return
            if entry.ok:
                with self.lock:
                    self.entries.append((incident, entry.body["id"]))

    def stop(self, timeout=30.0):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout)

    def server_errors(self):
        return sum(v for k, v in self.outcomes.items() if isinstance(k, int) and k >= 500)


def missing_writes(client, incidents, entries):
    """Acknowledged writes that are not there (or differ); [] when all are."""
    missing = []
    for incident, title in incidents.items():
        reply = client.get(f"/api/v1/incidents/{incident}")
        if not reply.ok or reply.body.get("title") != title:
            missing.append(f"incident {incident} ({reply.status})")
    by_incident = collections.defaultdict(set)
    for incident, entry in entries:
        by_incident[incident].add(entry)
    for incident, wanted in by_incident.items():
        reply = client.get(f"/api/v1/incidents/{incident}/timeline")
        found = {e["id"] for e in reply.body["items"]} if reply.ok else set()
        missing += [f"entry {e} of incident {incident}" for e in wanted - found]
    return missing


def converge(client, within=30.0):
    """Seconds until search counts every incident, or None."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        incidents, indexed = client.incidents_total(), client.search_total()
        if incidents is not None and incidents == indexed:
            return time.monotonic() - started
        time.sleep(0.05)
    return None
