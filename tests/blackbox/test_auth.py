"""Authentication and sessions (DOMAIN.md, rules the platform keeps; docs/api.md): login, lockout,
first-login password change, password policy, cookies and CSRF, idle timeout, logout, disabling,
admin reset, TOTP, API tokens."""
import base64
import hashlib
import hmac
import json
import os
import struct
import tempfile
import threading
import time
import unicodedata

import pytest
import requests

import conftest

from conftest import (now, DEMO_PASSWORD, Client, Server, TokenClient, admin_client, cli,
                      is_problem, make_user, new_incident, unique)


def totp(secret_b32, t=None, step=30, digits=6):
    """RFC 6238 TOTP (HMAC-SHA1) computed here, independently of the server."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((now() if t is None else t) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{code:0{digits}d}"


def user_row(server, username):
    with server.db() as conn:
        return dict(conn.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone())


def fail_login(server, username, times):
    out = []
    for _ in range(times):
        out.append(Client(server.base).login(username, "Wrong#Password1"))
    return out


# ---- login ----

def test_login_ok_returns_user_csrf_and_cookie(server):
    c = Client(server.base)
    r = c.login("taichinh", DEMO_PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["username"] == "taichinh"
    assert body["must_change_password"] is False
    assert len(body["csrf_token"]) >= 20
    me = c.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["username"] == "taichinh"
    assert me.json()["idle_timeout"] == 600


def test_login_username_is_case_insensitive(server):
    r = Client(server.base).login("TaiChinh", DEMO_PASSWORD)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["username"] == "taichinh"


def test_wrong_password_401_problem(server):
    name, pw, _, _ = make_user(server, "sotc", "officer", ready=False)
    r = Client(server.base).login(name, "Not-The#Password1")
    body = is_problem(r, 401, "Invalid credentials")
    assert body["code"] == "auth_login_failed" and "mật khẩu" in body["detail"], body
    assert "Set-Cookie" not in r.headers
    r = Client(server.base).post("/api/v1/auth/login",
                                 json={"username": name, "password": "Not-The#Password1"},
                                 headers={"Accept-Language": "en"})
    assert is_problem(r, 401)["detail"] == "wrong username or password"


def test_unknown_user_same_401_as_wrong_password(server):
    name, _, _, _ = make_user(server, "sotc", "officer", ready=False)
    wrong = Client(server.base).login(name, "Not-The#Password1")
    unknown = Client(server.base).login(unique("nobody"), "Not-The#Password1")
    b1 = is_problem(wrong, 401)
    b2 = is_problem(unknown, 401)
    assert (b1["title"], b1["code"], b1["detail"]) == (b2["title"], b2["code"], b2["detail"])


def test_login_requires_fields(server):
    r = requests.post(server.base + "/api/v1/auth/login", json={"username": "taichinh"})
    body = is_problem(r, 422)
    assert body["field"] == "password"


# ---- lockout ----

def test_five_failures_lock_even_the_right_password(server):
    name, pw, _, _ = make_user(server, "sotc", "officer", ready=False)
    rs = fail_login(server, name, 5)
    for r in rs[:4]:
        is_problem(r, 401, "Invalid credentials")
    is_problem(rs[4], 423, "Account locked")
    r = Client(server.base).login(name, pw)
    body = is_problem(r, 423, "Account locked")
    assert body["code"] == "auth_account_locked" and body["params"]["failures"] == 5, body
    assert "5" in body["detail"] and body["params"]["until"] in body["detail"], body
    assert user_row(server, name)["locked_until"] > now()


def test_timed_unlock(server):
    name, pw, _, _ = make_user(server, "sotc", "officer", ready=False)
    fail_login(server, name, 5)
    is_problem(Client(server.base).login(name, pw), 423)
    with server.db() as conn:
        conn.execute("UPDATE users SET locked_until = ? WHERE username = ?",
                     (int(now()) - 1, name))
    r = Client(server.base).login(name, pw)
    assert r.status_code == 200, r.text
    row = user_row(server, name)
    assert row["failed_logins"] == 0 and row["locked_until"] == 0


def test_expired_lock_gives_fresh_attempts(server):
    """After the 15 minutes are over, the account is locked again only after 5 new failures,
    not at the first wrong password."""
    name, pw, _, _ = make_user(server, "sotc", "officer", ready=False)
    fail_login(server, name, 5)
    with server.db() as conn:
        conn.execute("UPDATE users SET locked_until = ? WHERE username = ?",
                     (int(now()) - 1, name))
    r = fail_login(server, name, 1)[0]
    is_problem(r, 401, "Invalid credentials")
    r = Client(server.base).login(name, pw)
    assert r.status_code == 200, r.text


def test_admin_unlock(server):
    admin = admin_client(server)
    name, pw, _, uid = make_user(server, "sotc", "officer", ready=False)
    fail_login(server, name, 5)
    is_problem(Client(server.base).login(name, pw), 423)
    r = admin.post(f"/api/v1/users/{uid}/unlock")
    assert r.status_code == 200, r.text
    assert r.json()["failed_logins"] == 0 and r.json()["locked_until"] is None
    row = user_row(server, name)
    assert row["failed_logins"] == 0 and row["locked_until"] == 0
    r = Client(server.base).login(name, pw)
    assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def race_server():
    """A server with 8 threads (--threads), so that 24 logins sent at once are checked side by side
    as on a busy production machine, not two at a time."""
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        s = Server(os.path.join(tmp, "data"), serve_args=["--threads", "8"])
        try:
            yield s
        finally:
            assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]


def slow_user(server):
    """An account whose password hash has the production cost (not the suite's UNGCUU_FAST_HASH;
    the cost is stored in the hash): each check takes real time, so concurrent logins overlap as
    an attacker's would. Returns (username, password, user id)."""
    fast = conftest.ENV.pop("UNGCUU_FAST_HASH", None)
    try:
        name, pw, _, uid = make_user(server, "sotc", "officer", ready=False)
    finally:
        if fast is not None:
            conftest.ENV["UNGCUU_FAST_HASH"] = fast
    return name, pw, uid


def burst(server, name, passwords):
    """Sends one login per password at once (a thread each, released together, as an attacker with
    many connections would); returns the answers in the order of `passwords`."""
    gate = threading.Barrier(len(passwords))
    out = [None] * len(passwords)

    def one(i, pw):
        c = Client(server.base)
        gate.wait()
        out[i] = c.login(name, pw)

    threads = [threading.Thread(target=one, args=(i, pw)) for i, pw in enumerate(passwords)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def login_audit(server, uid):
    """The login audit entries of an account, oldest first: [(id, action)]."""
    with server.db() as conn:
        return [(r[0], r[1]) for r in conn.execute(
            "SELECT id, action FROM audit WHERE user_id = ? AND action IN ('login', "
            "'login_failed', 'lockout', 'login_locked', 'login_disabled') ORDER BY id", (uid,))]


def test_concurrent_wrong_logins_check_at_most_five(race_server):
    """001 Đ8: locked after 5 failed logins, whatever the concurrency. 24 wrong passwords at
    once: 5 are checked (4 answered 401, the 5th locks: 423), the other 19 are refused as locked
    without a password check; then the right password is refused too."""
    server = race_server
    name, pw, uid = slow_user(server)
    rs = burst(server, name, ["Wrong#Password1"] * 24)
    statuses = sorted(r.status_code for r in rs)
    assert statuses == [401] * 4 + [423] * 20, statuses
    for r in rs:
        is_problem(r, r.status_code, "Invalid credentials" if r.status_code == 401 else "Account locked")
    actions = [a for _, a in login_audit(server, uid)]
    assert actions.count("login_failed") == 5, actions
    assert actions.count("lockout") == 1, actions
    assert actions.count("login_locked") == 19, actions
    row = user_row(server, name)
    assert row["failed_logins"] == 5 and row["locked_until"] > now()
    is_problem(Client(server.base).login(name, pw), 423, "Account locked")
    assert [a for _, a in login_audit(server, uid)][-1] == "login_locked"


def test_right_password_in_a_burst_never_succeeds_after_the_fifth_failure(race_server):
    """After 4 failures one more password may be checked before the lock. The right password sent
    at once with 7 wrong ones succeeds only if it is that one, with no 5th failure before it;
    otherwise it is refused as locked, and so is the next try. Four rounds, fresh accounts."""
    server = race_server
    for _ in range(4):
        name, pw, uid = slow_user(server)
        for r in fail_login(server, name, 4):
            is_problem(r, 401, "Invalid credentials")
        passwords = ["Wrong#Password1"] * 7
        passwords.insert(3, pw)
        rs = burst(server, name, passwords)
        entries = login_audit(server, uid)
        failed = [i for i, a in entries if a == "login_failed"]
        ok = [i for i, a in entries if a == "login"]
        assert sum(1 for r in rs if r.status_code == 200) == len(ok) <= 1, entries
        if ok:
            assert rs[3].status_code == 200, rs[3].text
            assert sum(1 for i in failed if i < ok[0]) == 4, entries
        else:
            is_problem(rs[3], 423, "Account locked")
            assert len(failed) == 5, entries
            is_problem(Client(server.base).login(name, pw), 423, "Account locked")


def test_unlock_is_admin_only(server):
    name, _, _, uid = make_user(server, "sotc", "officer", ready=False)
    c = server.login("taichinh.ld")
    is_problem(c.post(f"/api/v1/users/{uid}/unlock"), 403)


# ---- first login, password policy ----

def test_admin_first_login_must_change_password(fresh_server):
    s = fresh_server
    c = Client(s.base)
    r = c.login("admin", s.admin_password)
    assert r.status_code == 200, r.text
    assert r.json()["must_change_password"] is True
    # every non-auth, non-public route answers 403 until the change
    spec = requests.get(s.base + "/api/v1/openapi.json").json()
    checked = 0
    for path, item in spec["paths"].items():
        if path.startswith("/api/v1/auth/"):
            continue
        for method, op in item.items():
            if op.get("security") == []:
                continue
            url = path.replace("{id}", "1")
            kw = {"json": {}} if method in ("post", "patch") else {}
            r = c.request(method.upper(), url, **kw)
            if path.startswith("/taxii2/"):  # TAXII answers its own error messages (docs/stix.md)
                assert r.status_code == 403, (path, r.status_code)
                assert r.headers["Content-Type"] == "application/taxii+json;version=2.1"
                assert r.json()["title"] == "Password change required"
            else:
                is_problem(r, 403, "Password change required")
            checked += 1
    assert checked >= 30
    assert c.get("/api/v1/auth/me").status_code == 200
    r = c.post("/api/v1/auth/password", json={"current_password": s.admin_password,
                                              "new_password": "Quan-Tri#2026x"})
    assert r.status_code == 204, r.text
    r = c.get("/api/v1/users")
    assert r.status_code == 200, r.text
    assert c.get("/api/v1/auth/me").json()["must_change_password"] is False
    # the one-time password is gone
    assert Client(s.base).login("admin", s.admin_password).status_code == 401
    assert Client(s.base).login("admin", "Quan-Tri#2026x").status_code == 200


def test_password_policy(server):
    name, pw, c, _ = make_user(server, "sotc", "officer")
    cases = {
        "short": "Ab1!x",
        "no upper": "abcdefgh1!",
        "no lower": "ABCDEFGH1!",
        "no digit or symbol": "Abcdefghijk",
        "contains username": "Xy#1" + name.upper() + "z",
    }
    for why, bad in cases.items():
        r = c.post("/api/v1/auth/password", json={"current_password": pw, "new_password": bad})
        body = is_problem(r, 422)
        assert body["field"] == "new_password", (why, body)
    # nothing changed: the old password still works
    assert Client(server.base).login(name, pw).status_code == 200
    r = c.post("/api/v1/auth/password", json={"current_password": "Wrong#Pass1",
                                              "new_password": "Another#Good1"})
    is_problem(r, 403)
    r = c.post("/api/v1/auth/password", json={"current_password": pw,
                                              "new_password": "Another#Good1"})
    assert r.status_code == 204, r.text
    assert Client(server.base).login(name, pw).status_code == 401
    assert Client(server.base).login(name, "Another#Good1").status_code == 200


def test_password_policy_vietnamese_letters_are_letters(server):
    """Letters with diacritics are letters of their case (Unicode categories Ll, Lu), not digits
    or symbols: "Bảomậtcao" has no digit or symbol; in NFD form its combining marks are no symbols
    either; "đẠIHỌC2026" has a lower-case letter (đ)."""
    name, pw, c, _ = make_user(server, "sotc", "officer")
    refused = ["Bảomậtcao", "ĐạiHọcBáchKhoa", unicodedata.normalize("NFD", "Bảomậtcao"),
               "bảomật-cao1", "BẢOMẬT-CAO1", "ƯƠNGĐẠIÂN"]
    for bad in refused:
        r = c.post("/api/v1/auth/password", json={"current_password": pw, "new_password": bad})
        body = is_problem(r, 422, "Weak password")
        assert body["field"] == "new_password", (bad, body)
    assert Client(server.base).login(name, pw).status_code == 200
    for good in ("Bảomật-cao1", "đẠIHỌC2026", "ƠiBạn-ơi"):
        r = c.post("/api/v1/auth/password", json={"current_password": pw, "new_password": good})
        assert r.status_code == 204, (good, r.text)
        pw = good
    assert Client(server.base).login(name, "ƠiBạn-ơi").status_code == 200


# ---- cookie, CSRF, idle timeout, logout ----

def test_cookie_attributes(server):
    r = Client(server.base).login("yte", DEMO_PASSWORD)
    assert r.status_code == 200
    sc = r.headers["Set-Cookie"]
    assert sc.startswith("ungcuu_session=")
    assert "HttpOnly" in sc
    assert "SameSite=Strict" in sc


def test_csrf_required_for_changes(server):
    c = server.login("taichinh")
    before = c.get("/api/v1/incidents", params={"limit": 200}).json()["items"]
    body = {"title": unique("csrf "), "group": "attack", "type": "phishing",
            "severity": "low", "detected_at": "2026-11-20T08:00:00+07:00", "description": "x"}
    # cookie but no header
    r = requests.post(server.base + "/api/v1/incidents", json=body, cookies=c.cookies)
    b = is_problem(r, 403, "CSRF check failed")
    assert b["field"] == "X-CSRF-Token"
    # cookie and a wrong header
    r = requests.post(server.base + "/api/v1/incidents", json=body, cookies=c.cookies,
                      headers={"X-CSRF-Token": "x" * 43})
    is_problem(r, 403, "CSRF check failed")
    after = c.get("/api/v1/incidents", params={"limit": 200}).json()["items"]
    assert len(after) == len(before)
    # reads need no token, and the right token works
    assert requests.get(server.base + "/api/v1/auth/me", cookies=c.cookies).status_code == 200
    assert c.post("/api/v1/incidents", json=body).status_code == 201


def test_idle_timeout(server):
    name, pw, c, uid = make_user(server, "sotc", "officer")
    assert c.get("/api/v1/auth/me").status_code == 200
    with server.db() as conn:
        n = conn.execute("UPDATE sessions SET last_seen = last_seen - 601 WHERE user_id = ?",
                         (uid,)).rowcount
    assert n == 1
    body = is_problem(c.get("/api/v1/auth/me"), 401, "Session expired")
    assert body["params"] == {"minutes": 10} and "10 phút" in body["detail"], body
    # the session is gone for good
    is_problem(c.get("/api/v1/auth/me"), 401)
    with server.db() as conn:
        assert conn.execute("SELECT count(*) FROM sessions WHERE user_id = ?", (uid,)).fetchone()[0] == 0


def test_activity_keeps_session_alive(server):
    name, pw, c, uid = make_user(server, "sotc", "officer")
    with server.db() as conn:
        conn.execute("UPDATE sessions SET last_seen = last_seen - 590 WHERE user_id = ?", (uid,))
    assert c.get("/api/v1/auth/me").status_code == 200
    with server.db() as conn:
        last = conn.execute("SELECT last_seen FROM sessions WHERE user_id = ?", (uid,)).fetchone()[0]
    assert last >= now() - 5
    assert c.get("/api/v1/auth/me").status_code == 200


def test_logout_ends_session(server):
    c = server.login("giaoduc")
    cookie = c.cookies.get("ungcuu_session")
    r = c.post("/api/v1/auth/logout")
    assert r.status_code == 204, r.text
    assert "Max-Age=0" in r.headers.get("Set-Cookie", "")
    r = requests.get(server.base + "/api/v1/auth/me", cookies={"ungcuu_session": cookie})
    is_problem(r, 401)


def test_no_credentials_401(server):
    r = requests.get(server.base + "/api/v1/incidents")
    is_problem(r, 401, "Not logged in")
    assert "WWW-Authenticate" in r.headers


# ---- disabling, reset ----

def test_disable_ends_sessions_and_tokens_records_stay(server):
    admin = admin_client(server)
    name, pw, c, uid = make_user(server, "sotc", "officer")
    inc = new_incident(c, title=unique("disable-me "))
    token = server.token(name)
    t = TokenClient(server.base, token)
    assert t.get("/api/v1/auth/me").status_code == 200
    assert c.get("/api/v1/auth/me").status_code == 200
    r = admin.post(f"/api/v1/users/{uid}/disable")
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False
    is_problem(c.get("/api/v1/auth/me"), 401)
    is_problem(t.get("/api/v1/auth/me"), 401)
    is_problem(t.get(f"/api/v1/incidents/{inc['id']}"), 401)
    r = Client(server.base).login(name, pw)
    assert r.status_code in (401, 403), r.text
    assert "Set-Cookie" not in r.headers
    # the records stay, readable by the organisation
    colleague = server.login("taichinh")
    r = colleague.get(f"/api/v1/incidents/{inc['id']}")
    assert r.status_code == 200 and r.json()["title"] == inc["title"]
    j = colleague.get(f"/api/v1/incidents/{inc['id']}/journal").json()["items"]
    assert j[0]["kind"] == "created" and j[0]["author_id"] == uid
    # enabling again does not bring the revoked token back
    assert admin.post(f"/api/v1/users/{uid}/enable").status_code == 200
    is_problem(t.get("/api/v1/auth/me"), 401)
    assert Client(server.base).login(name, pw).status_code == 200


def test_admin_reset_one_time_password(server):
    admin = admin_client(server)
    name, pw, c, uid = make_user(server, "sotc", "officer")
    r = admin.post(f"/api/v1/users/{uid}/reset")
    assert r.status_code == 200, r.text
    otp = r.json()["one_time_password"]
    assert otp and otp != pw
    is_problem(c.get("/api/v1/auth/me"), 401)  # sessions ended
    assert Client(server.base).login(name, pw).status_code == 401
    c2 = Client(server.base)
    r = c2.login(name, otp)
    assert r.status_code == 200, r.text
    assert r.json()["must_change_password"] is True
    is_problem(c2.get("/api/v1/incidents"), 403, "Password change required")
    r = c2.post("/api/v1/auth/password", json={"current_password": otp,
                                               "new_password": "Sau-Reset#2026"})
    assert r.status_code == 204, r.text
    assert c2.get("/api/v1/incidents").status_code == 200


def test_reset_is_admin_only(server):
    _, _, _, uid = make_user(server, "sotc", "officer", ready=False)
    c = server.login("taichinh.ld")
    is_problem(c.post(f"/api/v1/users/{uid}/reset"), 403)


# ---- TOTP ----

def test_totp_enrol_and_login(server):
    name, pw, c, uid = make_user(server, "sotc", "officer")
    r = c.post("/api/v1/auth/totp/enroll")
    assert r.status_code == 200, r.text
    secret = r.json()["secret"]
    assert r.json()["uri"].startswith("otpauth://totp/")
    assert "secret=" + secret in r.json()["uri"]
    # a wrong code does not confirm
    bad = f"{(int(totp(secret)) + 500000) % 1000000:06d}"
    is_problem(c.post("/api/v1/auth/totp/confirm", json={"code": bad}), 422)
    r = c.post("/api/v1/auth/totp/confirm", json={"code": totp(secret)})
    assert r.status_code == 204, r.text
    # the second factor is now needed
    r = Client(server.base).login(name, pw)
    is_problem(r, 401, "Second factor required")
    assert "Set-Cookie" not in r.headers
    # the right password without a code is no failure: repeated, it never locks the account
    for _ in range(6):
        is_problem(Client(server.base).login(name, pw), 401, "Second factor required")
    assert user_row(server, name)["failed_logins"] == 0
    # the confirm spent the current time step (a code is accepted once): the next one works
    r = Client(server.base).login(name, pw, totp=totp(secret, now() + 30))
    assert r.status_code == 200, r.text
    # a wrong code counts as a failed login
    t = now()
    valid = {totp(secret, t + d) for d in (-60, -30, 0, 30, 60)}
    wrong = next(f"{n:06d}" for n in range(123456, 999999, 7919) if f"{n:06d}" not in valid)
    r = Client(server.base).login(name, pw, totp=wrong)
    is_problem(r, 401, "Invalid credentials")
    assert user_row(server, name)["failed_logins"] == 1
    for _ in range(4):
        r = Client(server.base).login(name, pw, totp=wrong)
    is_problem(r, 423, "Account locked")
    is_problem(Client(server.base).login(name, pw, totp=totp(secret)), 423)


# ---- API tokens ----

def token_id(server, username):
    out = cli("token", "list", "--json", data=server.data).stdout
    return max(t["id"] for t in json.loads(out) if t["username"] == username)


def test_bearer_token_and_revoke(server):
    name, _, _, _ = make_user(server, "sotc", "officer")
    token = server.token(name)
    t = TokenClient(server.base, token)
    r = t.get("/api/v1/auth/me")
    assert r.status_code == 200 and r.json()["username"] == name
    # no CSRF for tokens
    inc = new_incident(t, title=unique("token "))
    assert inc["created_by"] == r.json()["id"]
    # its use is recorded (at most once a minute) for the admin page's "last used"
    mine = [x for x in json.loads(cli("token", "list", "--json", data=server.data).stdout)
            if x["username"] == name]
    assert len(mine) == 1 and mine[0]["last_used"], mine
    cli("token", "revoke", str(token_id(server, name)), data=server.data)
    is_problem(t.get("/api/v1/auth/me"), 401, "Invalid token")
    is_problem(TokenClient(server.base, "x" * 43).get("/api/v1/auth/me"), 401, "Invalid token")


def test_totp_code_is_one_time(server):
    """RFC 6238 §5.2: the verifier MUST NOT accept the second attempt of an OTP after a
    successful validation of it."""
    name, pw, c, uid = make_user(server, "sotc", "officer")
    secret = c.post("/api/v1/auth/totp/enroll").json()["secret"]
    # confirm with the previous step's code (inside the window), so the login below uses a
    # code not seen before
    first = totp(secret, now() - 30)
    r = c.post("/api/v1/auth/totp/confirm", json={"code": first})
    if r.status_code != 204:  # the step changed meanwhile: confirm with the current code
        first = totp(secret)
        assert c.post("/api/v1/auth/totp/confirm", json={"code": first}).status_code == 204
    code = totp(secret)
    if code == first:
        time.sleep(30 - now() % 30 + 0.2)
        code = totp(secret)
    r = Client(server.base).login(name, pw, totp=code)
    assert r.status_code == 200, r.text
    replay = Client(server.base).login(name, pw, totp=code)
    assert replay.status_code == 401, (replay.status_code, replay.text)
    assert "Set-Cookie" not in replay.headers
