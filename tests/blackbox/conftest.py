"""Black-box fixtures: a real `ungcuu` binary (UNGCUU_BIN, the sanitizer build under `make test`)
on a temporary data folder and a free loopback port."""
import os
import re
import socket
import sqlite3
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("UNGCUU_BIN", os.path.join(ROOT, "build-asan", "ungcuu"))
DEMO_PASSWORD = "Demo@2026"
# the codes of the server's message catalogue (src/util/msg_*.def: MSG(code, "vi", "en"))
MESSAGE_CODES = {m.group(1) for f in sorted(os.listdir(os.path.join(ROOT, "src", "util")))
                 if f.startswith("msg_") and f.endswith(".def")
                 for m in re.finditer(r"^MSG\((\w+),", open(os.path.join(ROOT, "src", "util", f),
                                                         encoding="utf-8").read(), re.M)}

# The suite's clock: every binary under test, and every test, reads the same instant, which starts
# at a fixed date (tests/run.py sets it once for all layers; a lone pytest run sets its own) and
# runs at the real rate. No test depends on the machine's date. A test that needs another instant
# sets UNGCUU_FAKE_NOW itself.
SUITE_START = 1795226400  # 2026-11-21T09:00:00+07:00, a date the demo's duties were made for
if "@" not in os.environ.get("UNGCUU_FAKE_NOW", ""):
    os.environ["UNGCUU_FAKE_NOW"] = f"{SUITE_START}@{int(time.time())}"
_CLOCK_START, _CLOCK_REAL = (int(x) for x in os.environ["UNGCUU_FAKE_NOW"].split("@"))


def now():
    """The suite's clock, Unix seconds (what the server under test reads as now)."""
    return _CLOCK_START + (time.time() - _CLOCK_REAL)


def vn_now():
    """The suite's clock as an aware datetime in Asia/Ho_Chi_Minh (UTC+7)."""
    import datetime
    return datetime.datetime.fromtimestamp(now(), datetime.timezone(datetime.timedelta(hours=7)))


# options the caller gives the sanitizer (e.g. verify_asan_link_order=0 under faketime) are kept
ENV = dict(os.environ, UNGCUU_FAST_HASH="1",
           ASAN_OPTIONS=":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "detect_leaks=1"])),
           LSAN_OPTIONS="suppressions=" + os.path.join(ROOT, "tests", "lsan.supp") + ":print_suppressions=0")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args, data=None, input=None, check=True, lang=None):
    """Runs the binary (its texts in Vietnamese, or lang: UNGCUU_LANG); returns the
    CompletedProcess."""
    argv = [BIN] + list(args)
    if data is not None:
        argv += ["--data", data]
    env = ENV if lang is None else dict(ENV, UNGCUU_LANG=lang)
    proc = subprocess.run(argv, input=input, capture_output=True, text=True, env=env, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


class Server:
    def __init__(self, data, demo=True, preset="national", serve_args=()):
        self.data = data
        self.serve_args = list(serve_args)  # extra `ungcuu serve` options, e.g. --max-upload
        out = cli("init", "--preset", preset, *(["--demo"] if demo else []), data=data).stdout
        self.admin_password = re.search(r"Mật khẩu dùng một lần: (\S+)", out).group(1)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.start()

    def start(self):
        log = open(os.path.join(self.data, "server.log"), "ab")
        self.proc = subprocess.Popen([BIN, "serve", "--data", self.data, "--listen",
                                      f"127.0.0.1:{self.port}", "--ui", os.path.join(ROOT, "ui"),
                                      *getattr(self, "serve_args", [])],
                                     stdout=log, stderr=log, env=ENV)
        # generous: the sanitizer build on a loaded 2-core machine can take seconds to answer first
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/api/v1/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("server did not start: " + open(os.path.join(self.data, "server.log")).read())

    def stop(self, kill=False):
        if self.proc and self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
            self.proc.wait(timeout=20)
        rc = self.proc.returncode if self.proc else 0
        self.proc = None
        return rc

    def db(self):
        conn = sqlite3.connect(os.path.join(self.data, "ungcuu.db"), timeout=10)
        conn.row_factory = sqlite3.Row
        return conn

    def login(self, username, password=DEMO_PASSWORD):
        c = Client(self.base)
        r = c.login(username, password)
        assert r.status_code == 200, r.text
        return c

    def token(self, username):
        return cli("token", "create", "--user", username, data=self.data).stdout.strip()

    def org_id(self, code):
        with self.db() as conn:
            return conn.execute("SELECT id FROM orgs WHERE code = ?", (code,)).fetchone()[0]


class Client(requests.Session):
    """A browser-like client: session cookie plus the CSRF header on every change."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.csrf = None

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base + url
        headers = dict(kwargs.pop("headers", None) or {})  # never change the caller's dict
        if self.csrf and method.upper() not in ("GET", "HEAD") and "X-CSRF-Token" not in headers:
            headers["X-CSRF-Token"] = self.csrf
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, headers=headers, **kwargs)

    def login(self, username, password, **extra):
        r = self.post("/api/v1/auth/login", json={"username": username, "password": password, **extra})
        if r.status_code == 200:
            self.csrf = r.json()["csrf_token"]
        return r


class TokenClient(requests.Session):
    def __init__(self, base, token):
        super().__init__()
        self.base = base
        self.headers["Authorization"] = "Bearer " + token

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base + url
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture(scope="module")
def server():
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        s = Server(os.path.join(tmp, "data"))
        try:
            yield s
        finally:
            rc = s.stop()
            # the sanitizer build exits non-zero on a leak or undefined behaviour at shutdown
            assert rc == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]


@pytest.fixture()
def fresh_server():
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        s = Server(os.path.join(tmp, "data"))
        try:
            yield s
        finally:
            s.stop()


def new_incident(client, **over):
    body = {"title": "Sự cố đăng nhập bất thường", "group": "attack", "type": "intrusion",
            "severity": "high", "detected_at": "2026-11-20T08:30:00+07:00",
            "description": "Phát hiện đăng nhập trái phép vào hệ thống quản lý văn bản."}
    body.update(over)
    r = client.post("/api/v1/incidents", json=body)
    assert r.status_code == 201, r.text
    return r.json()


# ---- helpers shared by the black-box test modules ----

import itertools as _itertools

STRONG_PASSWORD = "Vung-Tau#2026x"      # passes the policy, contains no test username
ADMIN_PASSWORD = "Quan-Tri#2026x"       # what admin_client() changes the admin's password to
_seq = _itertools.count(1)


def unique(prefix="t"):
    """A name no other test of this run uses (lower case, valid as a username)."""
    return f"{prefix}{os.getpid() % 10000}x{next(_seq)}x{int(time.time() * 1000) % 100000}"


def admin_client(server):
    """A logged-in admin session; the first call changes the one-time password."""
    if not getattr(server, "admin_ready", False):
        c = Client(server.base)
        r = c.login("admin", server.admin_password)
        assert r.status_code == 200, r.text
        if r.json()["must_change_password"]:
            r = c.post("/api/v1/auth/password", json={"current_password": server.admin_password,
                                                      "new_password": ADMIN_PASSWORD})
            assert r.status_code == 204, r.text
            server.admin_password = ADMIN_PASSWORD
        server.admin_ready = True
        return c
    c = Client(server.base)
    r = c.login("admin", server.admin_password)
    assert r.status_code == 200, r.text
    return c


def make_user(server, org, roles, username=None, ready=True):
    """Adds an account with `ungcuu user add --password-stdin`. With ready, logs it in and makes
    the forced password change, so the account is usable at once. Returns (username, password,
    client or None, user id)."""
    username = username or unique("u")
    first = "Tam-Thoi#2026x"
    cli("user", "add", "--org", org, "--role", roles, "--name", "Người Thử " + username,
        "--password-stdin", username, data=server.data, input=first + "\n")
    with server.db() as conn:
        uid = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()[0]
    if not ready:
        return username, first, None, uid
    c = Client(server.base)
    r = c.login(username, first)
    assert r.status_code == 200, r.text
    r = c.post("/api/v1/auth/password", json={"current_password": first,
                                              "new_password": STRONG_PASSWORD})
    assert r.status_code == 204, r.text
    return username, STRONG_PASSWORD, c, uid


def count_rows(server, table):
    with server.db() as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def is_problem(r, status, title=None):
    """True-ish assertion helper: an RFC 9457 problem with this status (and title)."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers.get("Content-Type", "").startswith("application/problem+json"), r.headers
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"], body
    # a stable code clients key on: a message of the server's catalogue (src/util/msg_*.def),
    # with its parameters
    assert body["code"] in MESSAGE_CODES, body
    assert isinstance(body.get("params"), dict), body
    # every parameter of the message was given: none left as {name} in the text
    assert not re.search(r"\{[a-z0-9_]+\}", body["detail"]), body
    if title is not None:
        assert body["title"] == title, body
    return body
