"""Every error answer is a problem document with a body, whatever the request: malformed paths
(percent-escapes of invalid UTF-8, %00 and other control bytes, long echoed values with multibyte
characters at the cut), unknown routes, bad paging parameters on every list that pages, upload
names holding NUL or control characters. The API's answers are never cached (Cache-Control:
no-store), and the HTTP threads share the connections. docs/api.md."""
import json
import os
import re
import socket
import tempfile
import time

import pytest
import requests

from conftest import Server, count_rows, is_problem, new_incident, unique


def raw_get(server, target: str, headers=None, cookie=None):
    """GET with the request target sent byte for byte (no client-side normalisation). Returns
    (status, {lower-case header: value}, body bytes)."""
    lines = [f"GET {target} HTTP/1.1", "Host: x", "Connection: close"]
    if cookie:
        lines.append("Cookie: " + cookie)
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    req = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as so:
        so.sendall(req)
        data = b""
        while True:
            d = so.recv(65536)
            if not d:
                break
            data += d
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return status, hdrs, body


def assert_problem(status, hdrs, body, what):
    assert 400 <= status < 600, (what, status, body[:200])
    assert hdrs.get("content-type") == ["application/problem+json"], (what, status, hdrs)
    if what.startswith("/api"):
        assert hdrs.get("cache-control") == ["no-store"], (what, hdrs)
    assert body, (what, status, "empty body")
    doc = json.loads(body.decode("utf-8"))  # strict: valid UTF-8 and valid JSON
    assert doc["status"] == status and doc["title"] and doc["detail"], (what, doc)
    return doc


def multipart(filename: bytes, content=b"hello", ctype=b"text/plain"):
    """A multipart body with one file part, its file name sent byte for byte (requests would
    percent-encode control characters in it, as browsers do). Returns (body, headers)."""
    b = "xYzZy" + unique()
    body = (b"--" + b.encode() + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + filename + b"\"\r\nContent-Type: " + ctype + b"\r\n\r\n" + content + b"\r\n--"
            + b.encode() + b"--\r\n")
    return body, {"Content-Type": f"multipart/form-data; boundary={b}"}


def session_cookie(client):
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


# ---- malformed paths ----

BAD_ESCAPES = ["%ff", "%fe%ff", "%c3%28", "%a0%a1", "%e2%28%a1", "%e1%bb", "%f0%28%8c%bc",
               "%f0%9f%98", "%ed%a0%80", "%c0%af", "%e0%80%af", "%f4%90%80%80", "%80", "%bf"]
CONTROL = ["%00", "%01", "%0a", "%0d", "%1b", "%7f", "%00.json", "x%00y"]


def malformed_paths():
    paths = []
    for e in BAD_ESCAPES:
        paths += [f"/api/v1/nosuch{e}", f"/api/v1/{e}", f"/api/v1/incidents/{e}",
                  f"/api/v1/incidents/1/{e}", f"/api/v1/documents/{e}", f"/api/{e}"]
    for e in CONTROL:
        paths += [f"/api/v1/nosuch{e}", f"/api/v1/health{e}", f"/api/v1/incidents/1{e}",
                  f"/api/v1/incidents/1{e}/journal", f"/api/v1/incidents{e}", f"/{e}",
                  f"/index.html{e}", f"/api/v1/x{e}/"]
    # long echoed values: a multibyte character of each length falls on every byte of the cut
    for ch in ("%c3%a9", "%e1%bb%87", "%f0%9f%98%80"):
        n = len(ch) // 3
        for pad in range(n + 1):
            paths.append("/api/v1/" + "a" * pad + ch * (1400 // n))
    for n in (1000, 1023, 1024, 1100, 1900):
        paths.append("/api/v1/nosuch/" + "%e1%bb%87" * (n // 3) + "%ff")
    paths += ["/api/v1/", "/api/v1", "/api", "/api/", "/api/v2/incidents", "/api/v1//incidents",
              "/api/v1/incidents//1", "/api/v1/incidents/1/", "/api/v1/%2e%2e/%2e%2e/etc/passwd",
              "/api/v1/incidents/%2F1", "/api/v1/openapi.json/x", "/api/v1/health/.."]
    return paths


@pytest.mark.parametrize("auth", [False, True])
def test_malformed_paths_answer_problems(server, auth):
    cookie = session_cookie(server.login("taichinh")) if auth else None
    for path in malformed_paths():
        st, h, body = raw_get(server, path, cookie=cookie)
        assert_problem(st, h, body, path)
    assert requests.get(server.base + "/api/v1/health", timeout=5).status_code == 200


def test_a_cut_path_is_refused_not_routed(server):
    """MHD decodes the path as a C string: "/api/v1/health%00x" must not answer as the health."""
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("đường dẫn "))
    for path in ("/api/v1/health%00x", f"/api/v1/incidents/{inc['id']}%00/journal",
                 f"/api/v1/incidents/{inc['id']}%00"):
        st, h, body = raw_get(server, path, cookie=session_cookie(c))
        doc = assert_problem(st, h, body, path)
        assert st == 400 and doc["title"] == "Bad path", doc
    # the UI's files are refused the same way
    st, h, body = raw_get(server, "/index.html%00.png")
    assert st == 400 and h["content-type"] == ["application/problem+json"]


def test_long_utf8_detail_cut_on_a_character(server):
    """The 404 echoes the path: cut inside a multibyte character it used to leave no body."""
    for ch, n in (("%e1%bb%87", 3), ("%f0%9f%98%80", 4), ("%c3%a9", 2)):
        for pad in range(n):
            path = "/api/v1/" + "b" * pad + ch * (1200 // n)
            st, h, body = raw_get(server, path)
            doc = assert_problem(st, h, body, path)
            assert st == 404
            assert doc["detail"].endswith("…"), doc["detail"][-20:]
            # the detail and the path among the parameters, each at most 1 KB
            assert len(body) < 2600
            assert doc["params"]["path"].endswith("…") and len(doc["params"]["path"].encode()) <= 1024


# ---- paging parameters ----

def list_routes(server, c):
    sid = None
    with server.db() as db:
        sid = db.execute("SELECT s.id FROM systems s JOIN orgs o ON o.id = s.owner_org_id "
                         "WHERE o.code = 'sotc' ORDER BY s.id LIMIT 1").fetchone()[0]
    # route, the largest limit it takes, whether it pages by cursor
    return [("/api/v1/incidents", 200, True), ("/api/v1/warnings", 200, True),
            ("/api/v1/audit", 200, True), ("/api/v1/duties", 1000, False),
            (f"/api/v1/systems/{sid}/scans", 500, False),
            (f"/api/v1/systems/{sid}/findings", 5000, False)]


BAD_LIMITS = ["0", "-1", "abc", "1e3", " 5", "5 ", "+5", "0x10", "5%00", "%00",
              "99999999999999999999", "1.5", "%ff"]


def test_bad_limits_name_the_parameter_and_its_range(server):
    tc, kt = server.login("taichinh"), server.login("kiemtra")
    for route, top, cursor in list_routes(server, tc):
        c = kt if "/audit" in route else tc
        assert c.get(route).status_code == 200, route
        assert c.get(route + f"?limit={top}").status_code == 200, route
        cookie = session_cookie(c)
        for bad in BAD_LIMITS + [str(top + 1)]:
            target = f"{route}?limit={bad.replace(' ', '%20')}"
            st, h, body = raw_get(server, target, cookie=cookie)
            doc = assert_problem(st, h, body, target)
            assert st == 400 and doc["field"] == "limit", (target, doc)
            assert doc["code"] == "param_not_integer", doc
            assert doc["params"] == {"param": "limit", "min": 1, "max": top}, doc
            assert f"từ 1 đến {top}" in doc["detail"], doc
        # the same refusal in the language asked
        st, h, body = raw_get(server, f"{route}?limit=0", headers={"Accept-Language": "en"},
                              cookie=cookie)
        doc = assert_problem(st, h, body, route)
        assert f"parameter 'limit' must be an integer from 1 to {top}" == doc["detail"], doc
        if cursor:
            for bad in ("abc", "-1", "1%00", "%00", "1.0", "99999999999999999999", "null"):
                target = f"{route}?cursor={bad}"
                st, h, body = raw_get(server, target, cookie=cookie)
                doc = assert_problem(st, h, body, target)
                assert st == 400 and doc["field"] == "cursor", (target, doc)
                assert doc["code"] == "param_cursor_invalid", (target, doc)


def test_audit_limit_300_names_limit(server):
    """It was answered 'Invalid reference' (the store's own cap, 200, under the API's 500)."""
    r = server.login("kiemtra").get("/api/v1/audit?limit=300")
    doc = is_problem(r, 400, "Invalid parameter")
    assert doc["field"] == "limit" and "200" in doc["detail"]


def test_other_query_values_with_nul(server):
    c = server.login("taichinh")
    for target in ("/api/v1/incidents?from=2026-01-01%00x", "/api/v1/incidents?org=1%00",
                   "/api/v1/stats/monthly.svg?months=3%009"):
        st, h, body = raw_get(server, target, cookie=session_cookie(c))
        doc = assert_problem(st, h, body, target)
        assert st == 400 and doc["field"], doc


# ---- caching ----

def test_api_answers_are_never_stored(server):
    c = server.login("taichinh")
    for path in ("/api/v1/health", "/api/v1/incidents", "/api/v1/stats/monthly.svg",
                 "/api/v1/openapi.json", "/api/v1/nothing"):
        r = c.get(path)
        assert r.raw.headers.getlist("Cache-Control") == ["no-store"], (path, r.raw.headers)


# ---- upload names ----

def test_attachment_name_with_nul_or_controls_is_refused(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("tên tệp "))
    url = f"/api/v1/incidents/{inc['id']}/attachments"
    before = count_rows(server, "attachments")
    for name in ("a.txt\x00.exe", "\x00", "a\x01b.txt", "a\x1b[31m.txt", "a\x7f.txt",
                 "b\u0085c.txt", "hoa-don\u202efdp.exe", "x\u2066y.txt"):
        r = c.post(url, params={"name": name}, data=b"hello")
        assert is_problem(r, 422)["field"] == "name", (repr(name), r.text)
    # the same names in a multipart upload's file part
    for name in ("a\x01b.txt", "a\x1b.txt", "hoa-don\u202efdp.exe", "a\tb.txt", "a\x7f.txt",
                 "\u0085.txt"):
        body, headers = multipart(name.encode())
        r = c.post(url, data=body, headers=headers)
        assert is_problem(r, 422)["field"] == "file", (repr(name), r.text)
    body, headers = multipart(b"a\xff\xfe.txt")  # not UTF-8
    assert is_problem(c.post(url, data=body, headers=headers), 422)["field"] == "file"
    # longer than the 200 characters a name may have, also past the part buffer
    for name in ("ệ" * 201 + ".txt", "ệ" * 400 + ".txt"):
        r = c.post(url, files={"file": (name, b"hello", "text/plain")})
        assert is_problem(r, 422)["field"] == "file", r.text
    # a raw NUL inside the part's file name: the name is lost, never cut short
    body, headers = multipart(b"a.txt\x00.exe")
    r = c.post(url, data=body, headers=headers)
    assert r.status_code == 422, r.text
    assert count_rows(server, "attachments") == before
    with server.db() as db:
        assert db.execute("SELECT count(*) FROM attachments WHERE name LIKE 'a.txt%'").fetchone()[0] == 0
    # Vietnamese names of 200 characters pass, whole
    name = "Báo cáo sự cố ệ" + "ệ" * 180 + ".pdf"
    assert len(name) <= 200
    r = c.post(url, files={"file": (name, b"hello", "application/pdf")})
    assert r.status_code == 201 and r.json()["name"] == name, r.text


def test_other_upload_names_with_nul_are_refused(server):
    tc = server.login("taichinh")
    with server.db() as db:
        sid = db.execute("SELECT s.id FROM systems s JOIN orgs o ON o.id = s.owner_org_id "
                         "WHERE o.code = 'sotc' ORDER BY s.id LIMIT 1").fetchone()[0]
        did = db.execute("SELECT d.id FROM duties d JOIN orgs o ON o.id = d.org_id "
                         "WHERE o.code = 'sotc' ORDER BY d.due_at LIMIT 1").fetchone()[0]
    before = count_rows(server, "scans"), count_rows(server, "duty_evidence")
    r = tc.post(f"/api/v1/duties/{did}/evidence", params={"name": "ket-qua.xml\x00.exe"},
                data=b"<report/>", headers={"Content-Type": "application/xml"})
    assert is_problem(r, 422)["field"] == "name", r.text
    r = tc.post(f"/api/v1/systems/{sid}/scans", params={"name": "scan.xml\x00.exe"},
                data=b"<nmaprun/>", headers={"Content-Type": "application/xml"})
    assert is_problem(r, 422)["field"] == "name", r.text
    body, headers = multipart(b"a\x01.xml", b"<nmaprun/>", b"text/xml")
    r = tc.post(f"/api/v1/systems/{sid}/scans", data=body, headers=headers)
    assert is_problem(r, 422)["field"] == "file", r.text
    assert (count_rows(server, "scans"), count_rows(server, "duty_evidence")) == before
    # a warning's evidence: the route checks the name before it looks at the warning's state
    dp = server.login("dieuphoi")
    w = dp.post("/api/v1/warnings", json={"title": "Bản vá", "severity": "high", "description": "x",
                                          "due_at": "2099-12-31T17:00:00+07:00",
                                          "target": {"mode": "orgs", "orgs": [server.org_id("sotc")]}})
    assert w.status_code == 201, w.text
    assert dp.post(f"/api/v1/warnings/{w.json()['id']}/issue").status_code == 200
    r = tc.post(f"/api/v1/warnings/{w.json()['id']}/systems/{sid}/evidence",
                params={"name": "ban-va.txt\x00.exe"}, data=b"patched")
    assert is_problem(r, 422)["field"] == "name", r.text


# ---- connections across the HTTP threads ----

def per_thread(pid, port):
    """Connections to port held by each HTTP thread: every libmicrohttpd polling thread has its
    own epoll instance, watching its eventfd and its connections' sockets (bench/conn-balance)."""
    conns = set()
    for f in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(f):
            for ln in open(f).read().splitlines()[1:]:
                p = ln.split()
                if p[3] == "01" and int(p[1].rsplit(":", 1)[1], 16) == port:
                    conns.add(p[9])
    fds = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            fds[fd] = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            pass
    counts = []
    for fd, target in fds.items():
        if target != "anon_inode:[eventpoll]":
            continue
        watched = [fds.get(t, "") for t in
                   re.findall(r"^tfd:\s*(\d+)", open(f"/proc/{pid}/fdinfo/{fd}").read(), re.M)]
        if "anon_inode:[eventfd]" in watched:
            counts.append(sum(1 for w in watched if w.startswith("socket:[") and w[8:-1] in conns))
    return sorted(counts)


@pytest.mark.skipif(not os.path.exists("/proc/self/fdinfo"), reason="needs Linux /proc")
def test_connections_are_shared_by_the_threads():
    """16 keep-alive connections opened at once, 4 HTTP threads: 4 each. With MHD's own thread
    pool the first thread to wake accepted up to 10 in a row."""
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        s = Server(os.path.join(tmp, "data"), demo=False, serve_args=["--threads", "4"])
        try:
            for _ in range(3):  # several steps on the same server
                socks = [socket.create_connection(("127.0.0.1", s.port), timeout=10)
                         for _ in range(16)]
                try:
                    for so in socks:
                        so.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                        data = b""
                        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
                            data += so.recv(65536)
                    assert per_thread(s.proc.pid, s.port) == [4, 4, 4, 4]
                finally:
                    for so in socks:
                        so.close()
                deadline = time.time() + 5  # the closed connections leave their threads
                while sum(per_thread(s.proc.pid, s.port)) and time.time() < deadline:
                    time.sleep(0.05)
        finally:
            assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
