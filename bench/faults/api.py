"""A small REST client on urllib: every call returns a Reply, never raises."""
import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Reply:
    status: int | None  # None: no HTTP answer at all
    body: object  # parsed JSON, or text
    failure: str | None = None  # refused, reset, closed, timeout

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300

    def text(self):
        return self.body if isinstance(self.body, str) else json.dumps(self.body)


def _parse(raw):
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _failure(error):
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        error = error.reason if isinstance(error.reason, BaseException) else error
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, ConnectionResetError):
        return "reset"
    if isinstance(error, (http.client.RemoteDisconnected, http.client.IncompleteRead, BrokenPipeError)):
        return "closed"
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "timeout"
    return f"other: {error!r}"


class Client:
    def __init__(self, base, token):
        self.base = base
        self.token = token

    def call(self, method, path, body=None, timeout=15.0):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Reply(response.status, _parse(response.read()))
        except urllib.error.HTTPError as e:
            try:
                raw = e.read()
            except Exception as inner:  # the body itself was cut off
                return Reply(e.code, "", _failure(inner))
            return Reply(e.code, _parse(raw))
        except Exception as e:  # noqa: BLE001 - every failure is a figure
            return Reply(None, "", _failure(e))

    def get(self, path, timeout=15.0):
        return self.call("GET", path, timeout=timeout)

    def post(self, path, body):
        return self.call("POST", path, body)

    def patch(self, path, body):
        return self.call("PATCH", path, body)

    def incidents_total(self):
        reply = self.get("/api/v1/incidents?limit=1")
        return reply.body["total"] if reply.ok else None

    def search_total(self):
        reply = self.get("/api/v1/search?q=&limit=1")
        return reply.body["total"] if reply.ok else None
