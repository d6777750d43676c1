"""Input limits and hostile requests: every refusal is a 4xx problem, nothing is written, and the
server keeps answering."""
import json
import os
import socket
import tempfile
import time

import pytest
import requests

from conftest import Server, count_rows, is_problem, new_incident, unique

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def small_upload_server():
    """A server started with `--max-upload 2048`."""
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        s = Server(os.path.join(tmp, "data"), serve_args=["--max-upload", "2048"])
        try:
            yield s
        finally:
            rc = s.stop()
            assert rc == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]


def counts(server):
    return {t: count_rows(server, t) for t in ("incidents", "audit", "journal", "attachments")}


def raw(server, request: bytes, timeout=10):
    """Sends raw bytes, returns the raw response (status line + headers + body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as so:
        so.sendall(request)
        data = b""
        try:
            while True:
                d = so.recv(65536)
                if not d:
                    break
                data += d
        except (ConnectionResetError, socket.timeout):
            pass
    return data


def status_of(resp: bytes):
    return int(resp.split(b" ", 2)[1]) if resp.startswith(b"HTTP/1.") else None


def incident(**over):
    b = {"title": unique("giới hạn "), "group": "attack", "type": "malware", "severity": "low",
         "detected_at": "2026-11-20T08:00:00+07:00", "description": "Kiểm tra giới hạn."}
    b.update(over)
    return b


def alive(server):
    assert requests.get(server.base + "/api/v1/health", timeout=5).status_code == 200


# ---- bodies ----

def test_body_over_1mib_413(server):
    c = server.login("taichinh")
    before = counts(server)
    big = '{"title": "' + "a" * (1024 * 1024) + '"}'
    is_problem(c.post("/api/v1/incidents", data=big, headers=JSON), 413, "Body too large")

    # the same without Content-Length (chunked): cut while it streams in
    def chunks():
        for _ in range(20):
            yield b"a" * 65536 * 2
    r = c.post("/api/v1/incidents", data=chunks(), headers=JSON)
    is_problem(r, 413)
    assert counts(server) == before
    alive(server)


def test_body_just_under_limit_is_parsed(server):
    c = server.login("taichinh")
    b = incident(description="x" * 19000, impact="y" * 19000)
    r = c.post("/api/v1/incidents", json=b)
    assert r.status_code == 201, r.text


def test_nesting_100_deep_400(server):
    c = server.login("taichinh")
    before = counts(server)
    for body in ("[" * 100 + "]" * 100,
                 '{"title": ' + '{"a": ' * 100 + "1" + "}" * 100 + "}",
                 '{"form": {"report": ' + "[" * 100 + "]" * 100 + "}}"):
        pb = is_problem(c.post("/api/v1/incidents", data=body, headers=JSON), 400)
        assert pb["title"] == "Malformed JSON"
    # 16 levels are fine as JSON (then refused as a field of the wrong type)
    body = '{"title": ' + "[" * 15 + "]" * 15 + "}"
    pb = is_problem(c.post("/api/v1/incidents", data=body, headers=JSON), 422)
    assert pb["field"] == "title"
    assert counts(server) == before


def test_malformed_json_400_with_line_and_column(server):
    c = server.login("taichinh")
    before = counts(server)
    r = c.post("/api/v1/incidents", data='{\n  "title": "x",\n  "group": ,\n}', headers=JSON)
    pb = is_problem(r, 400, "Malformed JSON")
    assert pb["code"] == "json_invalid" and pb["params"]["line"] == 3, pb
    assert pb["params"]["column"] > 0 and pb["params"]["error"], pb
    assert "dòng 3, cột" in pb["detail"], pb
    r = c.post("/api/v1/incidents", data='{\n  "title": "x",\n  "group": ,\n}',
               headers={**JSON, "Accept-Language": "en"})
    pb = is_problem(r, 400, "Malformed JSON")
    assert "line 3" in pb["detail"] and "column" in pb["detail"], pb
    for bad in ("{", "", "nul", '{"a": 1} x', '{"a": 1, "a": 2}', "[1,2]", '"str"'):
        is_problem(c.post("/api/v1/incidents", data=bad, headers=JSON), 400)
    assert counts(server) == before


def test_wrong_content_type_415(server):
    c = server.login("taichinh")
    before = counts(server)
    data = json.dumps(incident())
    for ct in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        is_problem(c.post("/api/v1/incidents", data=data, headers={"Content-Type": ct}), 415)
    r = c.post("/api/v1/incidents", data=data.encode())  # no Content-Type at all
    is_problem(r, 415)
    assert counts(server) == before
    # parameters after the media type are fine
    r = c.post("/api/v1/incidents", data=data,
               headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 201, r.text


def test_invalid_utf8_and_control_characters(server):
    c = server.login("taichinh")
    before = counts(server)
    # raw invalid UTF-8 is not JSON (RFC 8259 §8.1): refused before any field is read
    for bad in (b'{"title": "\xff\xfe"}', b'{"title": "\xc3\x28"}', b'{"title": "\xed\xa0\x80"}'):
        r = c.post("/api/v1/incidents", data=bad, headers=JSON)
        assert r.status_code in (400, 422), r.text
        is_problem(r, r.status_code)
    # control characters inside a field: 422 naming it
    for field, value in (("title", "a\u0001b"), ("title", "a\u007fb"), ("title", "a\u0085b"),
                         ("title", "a\u0000b"), ("description", "x\u001by"),
                         ("title", "tab\there")):
        r = c.post("/api/v1/incidents", json=incident(**{field: value}))
        assert r.status_code in (400, 422), r.text
        if r.status_code == 422:
            assert is_problem(r, 422)["field"] == field
        else:  # jansson refuses \u0000 as a whole
            assert value == "a\u0000b"
    # newlines are fine in multi-line text
    r = c.post("/api/v1/incidents", json=incident(description="dòng 1\ndòng 2\tthụt"))
    assert r.status_code == 201, r.text
    before["incidents"] += 1
    assert counts(server)["incidents"] == before["incidents"]


def test_field_over_limit_422_names_it(server):
    c = server.login("taichinh")
    before = counts(server)
    for field, value in (("title", "t" * 301), ("description", "d" * 20001),
                         ("impact", "i" * 20001), ("actions_taken", "a" * 20001)):
        pb = is_problem(c.post("/api/v1/incidents", json=incident(**{field: value})), 422,
                        "Field too long")
        assert pb["field"] == field
    inc = new_incident(c, title=unique("dài "))
    before = counts(server)
    pb = is_problem(c.post(f"/api/v1/incidents/{inc['id']}/journal", json={"body": "c" * 10001}),
                    422)
    assert pb["field"] == "body"
    pb = is_problem(c.post("/api/v1/auth/login", json={"username": "u" * 65, "password": "x"}),
                    422)
    assert pb["field"] == "username"
    assert counts(server) == before


def test_huge_header(server):
    before = counts(server)
    try:
        r = requests.get(server.base + "/api/v1/incidents", headers={"X-Big": "a" * 100_000},
                         timeout=10)
        assert 400 <= r.status_code < 500, r.status_code
    except requests.ConnectionError:
        pass  # closing the connection is an acceptable refusal
    many = {f"X-H{i}": "v" * 100 for i in range(1000)}
    try:
        r = requests.get(server.base + "/api/v1/health", headers=many, timeout=10)
        assert 400 <= r.status_code < 500, r.status_code
    except requests.ConnectionError:
        pass
    alive(server)
    c = server.login("taichinh")
    assert c.get("/api/v1/incidents").status_code == 200
    assert counts(server)["incidents"] == before["incidents"]


def test_long_url(server):
    r = requests.get(server.base + "/api/v1/incidents/" + "1" * 5000, timeout=10)
    assert 400 <= r.status_code < 500
    r = requests.get(server.base + "/api/v1/incidents", params={"q": "a" * 300}, timeout=10)
    assert 400 <= r.status_code < 500
    alive(server)


# ---- uploads ----

def test_upload_over_limit_413(small_upload_server):
    s = small_upload_server
    c = s.login("taichinh")
    inc = new_incident(c, title=unique("tải lên "))
    url = f"/api/v1/incidents/{inc['id']}/attachments"
    before = counts(s)
    pb = is_problem(c.post(url, params={"name": "lon.bin"}, data=b"x" * 4096), 413)
    assert pb["title"] == "Upload too large"

    def chunks():  # no Content-Length: refused while streaming
        for _ in range(8):
            yield b"y" * 1024
    is_problem(c.post(url, params={"name": "lon2.bin"}, data=chunks()), 413)
    assert counts(s) == before
    # nothing is left behind in the upload folder (cleaned when the request completes, which
    # may be a moment after the answer was sent) or the file store
    c.close()
    deadline = time.time() + 3
    while os.listdir(os.path.join(s.data, "tmp")) and time.time() < deadline:
        time.sleep(0.05)
    assert os.listdir(os.path.join(s.data, "tmp")) == []
    assert os.listdir(os.path.join(s.data, "files")) == []
    # at the limit it is accepted
    r = c.post(url, params={"name": "vua.bin"}, data=b"z" * 2048)
    assert r.status_code == 201, r.text
    assert r.json()["size"] == 2048
    # JSON bodies keep their own (1 MiB) limit
    r = c.post(f"/api/v1/incidents/{inc['id']}/journal", json={"body": "b" * 5000})
    assert r.status_code == 201, r.text
    alive(s)


# ---- routing ----

def test_unknown_route_404_problem(server):
    c = server.login("taichinh")
    for path in ("/api/v1/nothing", "/api/v1/incidents/1/nothing", "/api/v2/incidents",
                 "/api/v1/incidents/", "/api"):
        r = c.get(path)
        is_problem(r, 404)
    r = requests.get(server.base + "/api/v1/nothing")  # even without a session
    assert r.status_code in (401, 404)


def test_wrong_method_405(server):
    c = server.login("taichinh")
    before = counts(server)
    for method, path in (("DELETE", "/api/v1/incidents"), ("PUT", "/api/v1/incidents/1"),
                         ("POST", "/api/v1/health"), ("DELETE", "/api/v1/audit"),
                         ("PATCH", "/api/v1/incidents/1/journal")):
        r = c.request(method, path, json={})
        is_problem(r, 405, "Method not allowed")
    assert counts(server) == before


def test_bad_ids_404(server):
    c = server.login("taichinh")
    for path in ("/api/v1/incidents/0", "/api/v1/incidents/-1", "/api/v1/incidents/abc",
                 "/api/v1/incidents/99999999999999999999", "/api/v1/incidents/999999",
                 "/api/v1/attachments/999999"):
        is_problem(c.get(path), 404)


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
    "/static/../../../../etc/passwd", "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/....//....//etc/passwd", "/..\\..\\etc\\passwd", "/%252e%252e/etc/passwd",
    "/index.html/../../../etc/passwd", "//etc/passwd",
])
def test_path_traversal_never_serves_files(server, path):
    resp = raw(server, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    st = status_of(resp)
    assert st in (400, 404), resp[:300]
    assert b"root:" not in resp
    alive(server)


def test_refusals_leave_no_trace(server):
    """A burst of hostile requests changes nothing but the audit of the logins."""
    c = server.login("taichinh")
    before = counts(server)
    c.post("/api/v1/incidents", data="[" * 1000, headers=JSON)
    c.post("/api/v1/incidents", data="x" * (2 << 20), headers=JSON)
    c.post("/api/v1/incidents", json=incident(title="t" * 5000))
    c.post("/api/v1/incidents", json=incident(group="?"))
    c.patch("/api/v1/incidents/1", data="{", headers=JSON)
    c.post("/api/v1/incidents/1/transitions", data="{}", headers={"Content-Type": "text/xml"})
    raw(server, b"GARBAGE\r\n\r\n")
    raw(server, b"GET / HTTP/1.1\r\n" + b"X: " + b"y" * 200_000 + b"\r\n\r\n")
    assert counts(server) == before
    alive(server)
