"""An open-loop (fixed-rate) HTTP load generator on the standard library: threads + ``http.client``.

* ``users`` simulated users each log in through the login form (their own session cookie), then wait a
  think time of 2-3 s after every response before they are ready again.
* Requests are *scheduled* at a fixed rate (``rate`` per second, evenly spaced); each scheduled request goes
  to a ready user (the one ready longest). If no user is ready the request is still sent (by the user that
  will be ready soonest) and counted as ``no_ready_user``: the arrival rate never drops because the server is
  slow, so slowness shows up as latency instead of being hidden (no "coordinated omission").
* Latency is measured from the scheduled moment to the last byte of the response, so queueing in the
  generator counts against the server, not in its favour. Service time (from the actual send) is kept too.

The generator is deliberately light: one scheduler thread and a small pool of sender threads, so it does not
starve the server when both share two cores.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    page: str
    scheduled: float
    sent: float
    done: float
    status: int
    error: str = ""
    size: int = 0

    @property
    def latency(self) -> float:
        return self.done - self.scheduled

    @property
    def service(self) -> float:
        return self.done - self.sent


@dataclass
class User:
    username: str
    cookies: dict = field(default_factory=dict)
    ready_at: float = 0.0
    busy: bool = False

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def take_cookies(self, response: http.client.HTTPResponse):
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]


def request(host: str, port: int, method: str, path: str, user: User, body: bytes | None = None,
            headers: dict | None = None, timeout: float = 60.0) -> tuple[int, bytes, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        all_headers = {"Host": f"{host}:{port}", "User-Agent": "harmonie-load/1", "Accept": "text/html"}
        if user.cookies:
            all_headers["Cookie"] = user.cookie_header()
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        user.take_cookies(response)
        return response.status, data, response
    finally:
        conn.close()


def login(host: str, port: int, user: User, password: str, login_path: str = "/inloggen/") -> None:
    status, page, _ = request(host, port, "GET", login_path, user)
    match = CSRF_INPUT.search(page.decode("utf-8", "replace"))
    if status != 200 or not match:
        raise RuntimeError(f"inlogpagina gaf {status} (geen CSRF-token)")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), "username": user.username,
                                   "password": password}).encode()
    status, page, response = request(host, port, "POST", login_path, user, body,
                                     {"Content-Type": "application/x-www-form-urlencoded",
                                      "Referer": f"http://{host}:{port}{login_path}"})
    if status != 302 or "sessionid" not in user.cookies:
        raise RuntimeError(f"inloggen van {user.username} mislukt (HTTP {status})")


class OpenLoop:
    def __init__(self, host: str, port: int, users: list[User], pages: list[tuple[str, str, float]], *,
                 rate: float, think: tuple[float, float] = (2.0, 3.0), senders: int = 24, seed: int = 1):
        self.host, self.port, self.users, self.rate, self.think = host, port, users, rate, think
        self.names = [p[0] for p in pages]
        self.paths = [p[1] for p in pages]
        self.weights = [p[2] for p in pages]
        self.rnd = random.Random(seed)
        self.samples: list[Sample] = []
        self.no_ready_user = 0
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=senders, thread_name_prefix="load")

    def _pick_user(self, now: float) -> User:
        with self.lock:
            idle = [u for u in self.users if not u.busy]
            ready = [u for u in idle if u.ready_at <= now]
            if ready:
                user = min(ready, key=lambda u: u.ready_at)
            else:
                self.no_ready_user += 1
                user = min(idle or self.users, key=lambda u: u.ready_at)
            user.busy = True
            return user

    def _send(self, user: User, index: int, scheduled: float, record: bool):
        sent = time.monotonic()
        status, error, size = 0, "", 0
        try:
            status, data, _ = request(self.host, self.port, "GET", self.paths[index], user)
            size = len(data)
            if status != 200:
                error = f"HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - every failure is an error sample
            error = f"{type(exc).__name__}: {exc}"
        done = time.monotonic()
        with self.lock:
            user.busy = False
            user.ready_at = done + self.rnd.uniform(*self.think)
            if record:
                self.samples.append(Sample(self.names[index], scheduled, sent, done, status, error, size))

    def run(self, seconds: float, warmup: float = 0.0) -> float:
        """Send for ``warmup + seconds``; samples of the warm-up are not kept. Returns the measured wall time."""
        start = time.monotonic()
        interval = 1.0 / self.rate
        total = int((warmup + seconds) * self.rate)
        measure_from = start + warmup
        for i in range(total):
            scheduled = start + i * interval
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            index = self.rnd.choices(range(len(self.paths)), weights=self.weights)[0]
            user = self._pick_user(scheduled)
            self.pool.submit(self._send, user, index, scheduled, scheduled >= measure_from)
        self.pool.shutdown(wait=True)
        return time.monotonic() - measure_from


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]
