"""Notifications queued on time (docs/mail.md): duty reminders from the duty calendar and the
leaders' weekly digest, delivered through the real OpenSMTPD of test_mail.py by `ungcuu sweep`
(one round of the job thread) at chosen times (`--now`)."""
import datetime
import os
import sqlite3
import subprocess
import tempfile
import time

import pytest

from conftest import BIN, ENV, ROOT, Server, cli, make_user, new_incident, unique, now
from test_mail import FROM, Mta, needs_mta, parts

VN = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture()
def mta():
    m = Mta()
    try:
        yield m
    finally:
        m.close()


@pytest.fixture()
def mail_env(mta):
    saved = dict(ENV)
    ENV.update(UNGCUU_SMTP_URL=f"smtp://127.0.0.1:{mta.port}", UNGCUU_SMTP_FROM=FROM,
               UNGCUU_MAIL_TEMPLATES=os.path.join(ROOT, "templates", "mail"),
               UNGCUU_MAIL_LANG="vi", UNGCUU_PUBLIC_URL="https://ungcuu.binhminh.gov.vn")
    try:
        yield
    finally:
        ENV.clear()
        ENV.update(saved)


def _db(data):
    conn = sqlite3.connect(os.path.join(data, "ungcuu.db"), timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def _sweep(data, when):
    return cli("sweep", "--json", "--now", when.isoformat(), data=data)


def _demo(tmp_path):
    data = str(tmp_path / "data")
    cli("init", "--preset", "national", "--demo", data=data)
    cli("sweep", data=data)  # fills the duty calendar
    return data


@needs_mta
def test_duty_reminders_once_per_kind(tmp_path, mta, mail_env):
    data = _demo(tmp_path)
    with _db(data) as conn:
        org = conn.execute("SELECT id, email, name FROM orgs WHERE code = 'sotc'").fetchone()
        # the organisation's next duty of its own (not of a system), a month or more ahead
        duty = conn.execute("SELECT id, duty, due_at FROM duties WHERE org_id = ? AND "
                            "system_id = 0 AND status = 'pending' AND due_at > ? + 10 * 86400 ORDER BY due_at LIMIT 1", (org["id"], int(now()))).fetchone()
        # another instance of the same organisation, done: no reminder ever
        done = conn.execute("SELECT id, duty, due_at FROM duties WHERE org_id = ? AND "
                            "status = 'pending' AND id != ? AND due_at > ? ORDER BY due_at LIMIT 1",
                            (org["id"], duty["id"], duty["due_at"])).fetchone()
        conn.execute("UPDATE duties SET status = 'done', done_at = 1 WHERE id = ?", (done["id"],))
        # a webhook of the organisation gets the reminders too
        conn.execute("INSERT INTO webhooks(org_id, url, secret, created_at, updated_at) VALUES "
                     "(?, 'http://127.0.0.1:9/none', 's', 0, 0)", (org["id"],))
    due = datetime.datetime.fromtimestamp(duty["due_at"], VN)
    day = due.replace(hour=0, minute=0, second=0)
    due_text = due.strftime("%d/%m/%Y")
    # two sweeps at once, 7 days before: one reminder
    t7 = day - datetime.timedelta(days=7) + datetime.timedelta(hours=1)
    argv = [BIN, "sweep", "--data", data, "--now", t7.isoformat()]
    procs = [subprocess.Popen(argv, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    _sweep(data, t7 + datetime.timedelta(hours=2))
    # 1 day before, twice; the due day; overdue, twice
    for when in (day - datetime.timedelta(days=1) + datetime.timedelta(hours=9),
                 day - datetime.timedelta(days=1) + datetime.timedelta(hours=10),
                 day + datetime.timedelta(hours=8),
                 due + datetime.timedelta(hours=3), due + datetime.timedelta(days=1)):
        _sweep(data, when)
    with _db(data) as conn:
        kinds = [r[0] for r in conn.execute("SELECT kind FROM duty_reminders WHERE duty_id = ? "
                                            "ORDER BY id", (duty["id"],))]
        assert kinds == ["before_7d", "before_1d", "due", "overdue"]
        assert conn.execute("SELECT count(*) FROM duty_reminders WHERE duty_id = ?",
                            (done["id"],)).fetchone()[0] == 0
        rows = conn.execute("SELECT o.sent_at, o.hook_attempts FROM outbox o JOIN duty_reminders r "
                            "ON r.outbox_id = o.id WHERE r.duty_id = ?", (duty["id"],)).fetchall()
        assert len(rows) == 4 and all(r["sent_at"] > 0 for r in rows)
        assert all(r["hook_attempts"] >= 1 for r in rows)  # posted (and failed) to the webhook
    name = None
    for m in mta.messages():
        if m["To"] == org["email"] and due_text in str(m["Subject"]):
            name = str(m["Subject"]).split("Nhắc việc: ")[1].split(" - hạn")[0]
            break
    assert name, [(m["To"], m["Subject"]) for m in mta.messages()]
    mine = [m for m in mta.messages() if m["To"] == org["email"] and
            str(m["Subject"]).startswith(f"Nhắc việc: {name} - hạn {due_text}")]
    whens = sorted(str(m["Subject"]).rsplit("(", 1)[1].rstrip(")") for m in mine)
    assert whens == sorted(["còn 7 ngày", "còn 1 ngày", "đến hạn hôm nay", "đã quá hạn"]), whens
    plain, html = parts(mine[0])
    assert org["name"] in plain and due_text in plain and "Căn cứ:" in plain
    assert "https://ungcuu.binhminh.gov.vn/duties?id=%d" % duty["id"] in plain
    assert "<table>" in html and due_text in html
    assert mine[0]["Auto-Submitted"] == "auto-generated"


@needs_mta
def test_weekly_digest_once_per_week_to_leaders(tmp_path, mta, mail_env):
    data = _demo(tmp_path)
    with _db(data) as conn:
        leaders = {r["email"]: r for r in conn.execute(
            "SELECT u.id, u.email, u.full_name, o.code FROM users u JOIN orgs o ON o.id = u.org_id "
            "WHERE (u.roles & 4) != 0 AND u.active = 1 AND u.email != ''")}
    assert len(leaders) >= 3
    monday = datetime.datetime(2026, 11, 23, 8, 5, tzinfo=VN)  # ISO week 2026-W48
    # Sunday evening and Monday 07:59: not yet
    assert '"digests":0' in _sweep(data, monday - datetime.timedelta(hours=12)).stdout
    assert '"digests":0' in _sweep(data, monday - datetime.timedelta(minutes=6)).stdout
    out = _sweep(data, monday).stdout
    assert f'"digests":{len(leaders)}' in out, out
    for later in (monday + datetime.timedelta(hours=1), monday + datetime.timedelta(hours=10)):
        assert '"digests":0' in _sweep(data, later).stdout
    digests = [m for m in mta.messages() if "Bản tin tuần 2026-W48" in str(m["Subject"])]
    assert sorted(m["To"] for m in digests) == sorted(leaders), digests
    coord = next(m for m in digests if leaders[m["To"]]["code"] == "coordinator")
    plain, html = parts(coord)
    assert "toàn tỉnh" in plain and leaders[coord["To"]]["full_name"] in plain
    assert "Sự cố đang xử lý:" in plain and "Nghĩa vụ đến hạn trong 14 ngày:" in plain
    assert "2026-W48" in html
    member = next(m for m in digests if leaders[m["To"]]["code"] == "sotc")
    assert "toàn tỉnh" not in parts(member)[0]
    # the next Monday is another week
    out = _sweep(data, monday + datetime.timedelta(days=7)).stdout
    assert f'"digests":{len(leaders)}' in out, out


@needs_mta
def test_no_mail_of_ones_own_after_leaving(tmp_path, mta, mail_env):
    """A message to a person's own address (the digest, a per-user copy) waits in the outbox
    while no mail server is configured; meanwhile one leader's account is disabled and another
    leader moves to another organisation: neither gets it when the mail goes out (the row is
    given up, not retried); the other leaders get theirs."""
    data = _demo(tmp_path)
    monday = datetime.datetime(2026, 11, 23, 8, 5, tzinfo=VN)  # ISO week 2026-W48
    url = ENV.pop("UNGCUU_SMTP_URL")
    try:
        out = _sweep(data, monday).stdout  # queued; nothing can be sent yet
    finally:
        ENV["UNGCUU_SMTP_URL"] = url
    with _db(data) as conn:
        leaders = conn.execute("SELECT u.id, u.username, u.email, u.org_id FROM users u WHERE "
                               "(u.roles & 4) != 0 AND u.active = 1 AND u.email != '' "
                               "ORDER BY u.id").fetchall()
        assert len(leaders) >= 3 and f'"digests":{len(leaders)}' in out, out
        left, moved = leaders[0], leaders[1]
        other = conn.execute("SELECT id FROM orgs WHERE id != ? ORDER BY id LIMIT 1",
                             (moved["org_id"],)).fetchone()[0]
        conn.execute("UPDATE users SET org_id = ? WHERE id = ?", (other, moved["id"]))
    cli("user", "disable", left["username"], data=data)
    _sweep(data, monday + datetime.timedelta(minutes=5))
    to = [m["To"] for m in mta.messages() if "Bản tin tuần 2026-W48" in str(m["Subject"])]
    assert sorted(to) == sorted(u["email"] for u in leaders[2:]), to
    with _db(data) as conn:
        rows = conn.execute("SELECT sent_at, next_at, error FROM outbox WHERE event = 'digest' "
                            "AND user_id IN (?, ?)", (left["id"], moved["id"])).fetchall()
    assert len(rows) == 2 and all(not r["sent_at"] and r["next_at"] > 10 ** 10 for r in rows), \
        [tuple(r) for r in rows]


# ---- per-user preferences: the API, the preset's minimum, and per-user copies ----



@pytest.fixture()
def mail_server(mta, mail_env):
    ENV.update(UNGCUU_OUTBOX_BACKOFF="2")
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        s = Server(os.path.join(tmp, "data"), serve_args=["--jobs-interval", "1"])
        try:
            yield s
        finally:
            rc = s.stop()
            assert rc == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]


def test_preferences_api_and_minimum(server):
    op = server.login("dieuphoi")
    r = op.get("/api/v1/me/notifications")
    assert r.status_code == 200, r.text
    etag = r.headers["ETag"]
    ev = {e["event"]: e for e in r.json()["events"]}
    assert list(ev) == ["incident_reported", "request", "answer", "escalation", "duty_reminder",
                        "warning", "digest"]
    assert ev["incident_reported"]["required"] is True and ev["incident_reported"]["mode"] == "immediate"
    assert "TT 20/2017" in ev["incident_reported"]["source"]  # the code, for logic only
    # shown: "Điều 11 Thông tư số 20/2017/TT-BTTTT ngày 12/09/2017 của Bộ Thông tin và Truyền thông"
    assert ev["incident_reported"]["citation_vi"].startswith("Điều 11 Thông tư số 20/2017/TT-BTTTT")
    assert ev["incident_reported"]["citation_en"].startswith("Article 11 of Circular No. 20/2017/TT-BTTTT")
    assert ev["request"]["required"] is False and ev["request"]["mode"] == "digest"
    # the minimum cannot be lowered: 422 naming the event and the article
    for mode in ("off", "digest"):
        r = op.put("/api/v1/me/notifications", json={"events": {"incident_reported": mode}})
        assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
        body = r.json()
        assert body["title"] == "Notification required"
        assert "incident_reported" in body["detail"]
        assert "Điều 11 Thông tư số 20/2017/TT-BTTTT" in body["detail"]
        assert "TT 20/2017" not in body["detail"]
    r = op.put("/api/v1/me/notifications", json={"events": {"escalation": "off"}})
    assert r.status_code == 422 and "khoản 1 Điều 7 Quy chế phối hợp" in r.json()["detail"]
    assert "000 Đ7.1" not in r.json()["detail"]
    for bad in ({"events": {"nope": "off"}}, {"events": {"request": "loud"}}, {"events": {}},
                {"events": "x"}, {"other": 1}):
        assert op.put("/api/v1/me/notifications", json=bad).status_code == 422, bad
    # nothing changed so far; then a change with If-Match
    assert op.get("/api/v1/me/notifications").headers["ETag"] == etag
    r = op.put("/api/v1/me/notifications", json={"events": {"request": "immediate", "warning": "off"}},
               headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] != etag
    ev = {e["event"]: e["mode"] for e in r.json()["events"]}
    assert ev["request"] == "immediate" and ev["warning"] == "off"
    # a stale ETag is refused
    r = op.put("/api/v1/me/notifications", json={"events": {"request": "off"}},
               headers={"If-Match": etag})
    assert r.status_code == 412
    # the same event is not required for a member's officer
    tc = server.login("taichinh")
    r = tc.put("/api/v1/me/notifications", json={"events": {"incident_reported": "off"}})
    assert r.status_code == 200, r.text
    with server.db() as conn:
        uid = conn.execute("SELECT id FROM users WHERE username = 'dieuphoi'").fetchone()[0]
        n = conn.execute("SELECT count(*) FROM audit WHERE action = 'user.notifications' AND "
                         "object_id = ?", (uid,)).fetchone()[0]
    assert n == 1


@needs_mta
def test_per_user_copies_never_twice(mail_server, mta):
    s = mail_server
    with s.db() as conn:
        cid = int(conn.execute("SELECT value FROM meta WHERE key = 'coordinator_org_id'").fetchone()[0])
        contact = conn.execute("SELECT email FROM orgs WHERE id = ?", (cid,)).fetchone()[0]
        # the auditor's own address is the organisation's contact address
        conn.execute("UPDATE users SET email = ? WHERE username = 'kiemtra'", (contact.upper(),))
    lead = s.login("lanhdao")
    assert lead.put("/api/v1/me/notifications",
                    json={"events": {"incident_reported": "immediate"}}).status_code == 200
    aud = s.login("kiemtra")
    assert aud.put("/api/v1/me/notifications",
                   json={"events": {"incident_reported": "immediate"}}).status_code == 200
    yte = s.login("yte")  # another organisation's officer: not told of this incident
    assert yte.put("/api/v1/me/notifications",
                   json={"events": {"incident_reported": "immediate"}}).status_code == 200
    member = s.login("taichinh")
    inc = new_incident(member, title=unique("Bản sao riêng "))
    r = member.post(f"/api/v1/incidents/{inc['id']}/transitions", json={"action": "report"})
    assert r.status_code == 200, r.text
    want = {contact.lower(), "dieuphoi@demo.binhminh.gov.vn", "lanhdao@demo.binhminh.gov.vn"}
    deadline = time.time() + 30
    got = []
    while time.time() < deadline:
        got = [m for m in mta.messages() if inc["ref"] in str(m["Subject"]) and
               "Báo cáo sự cố mới" in str(m["Subject"])]
        if {m["To"].lower() for m in got} >= want:
            break
        time.sleep(0.3)
    time.sleep(3)  # a few more job rounds: nothing more
    got = [m for m in mta.messages() if inc["ref"] in str(m["Subject"]) and
           "Báo cáo sự cố mới" in str(m["Subject"])]
    assert sorted(m["To"].lower() for m in got) == sorted(want), [m["To"] for m in got]
    with s.db() as conn:
        rows = conn.execute("SELECT user_id, parent_id, fanned FROM outbox WHERE incident_id = ? "
                            "AND event = 'incident_reported'", (inc["id"],)).fetchall()
    assert len(rows) == 3 and all(r["fanned"] == 1 for r in rows)
    assert sum(1 for r in rows if r["parent_id"]) == 2


@needs_mta
def test_no_copy_to_whom_may_not_read_it(mail_server, mta):
    """A copy of one's own is the organisation's notification: it goes only to people who may
    read what it is about. The coordinator's admin account (no incident role: it cannot open
    incidents) that asks for every report at once gets none; a leader does."""
    s = mail_server
    name, _, adm, uid = make_user(s, "coordinator", "admin")
    private = f"{name}@ca-nhan.example.org"
    with s.db() as conn:
        conn.execute("UPDATE users SET email = ? WHERE id = ?", (private, uid))
    assert adm.get("/api/v1/incidents").json().get("items", []) == []
    assert adm.put("/api/v1/me/notifications",
                   json={"events": {"incident_reported": "immediate"}}).status_code == 200
    assert s.login("lanhdao").put("/api/v1/me/notifications",
                                  json={"events": {"incident_reported": "immediate"}}).status_code == 200
    member = s.login("taichinh")
    inc = new_incident(member, title=unique("Không gửi quản trị "))
    r = member.post(f"/api/v1/incidents/{inc['id']}/transitions", json={"action": "report"})
    assert r.status_code == 200, r.text

    def to():
        return {m["To"].lower() for m in mta.messages() if inc["ref"] in str(m["Subject"])}
    deadline = time.time() + 30
    while time.time() < deadline and "lanhdao@demo.binhminh.gov.vn" not in to():
        time.sleep(0.3)
    time.sleep(3)  # a few more job rounds
    assert "lanhdao@demo.binhminh.gov.vn" in to() and private not in to(), to()
    with s.db() as conn:
        assert conn.execute("SELECT count(*) FROM outbox WHERE user_id = ?", (uid,)).fetchone()[0] == 0


# ---- `serve --smtp-*`: flags over the UNGCUU_SMTP_* variables ----

@needs_mta
def test_serve_smtp_flags_override_environment(mta, tmp_path):
    saved = dict(ENV)
    # the environment points at a closed port with another sender; the flags win
    ENV.update(UNGCUU_SMTP_URL="smtp://127.0.0.1:9", UNGCUU_SMTP_FROM="sai@example.org",
               UNGCUU_MAIL_TEMPLATES=os.path.join(ROOT, "templates", "mail"))
    pw = tmp_path / "smtp-password"
    pw.write_text("bí-mật\n")
    try:
        bad = [["--smtp-url", "http://127.0.0.1:25"], ["--smtp-password-file", str(tmp_path / "none")],
               ["--smtp-from", "not an address"]]
        for args in bad:
            p = subprocess.run([BIN, "serve", "--data", str(tmp_path / "nodata"), *args],
                               env=ENV, capture_output=True, text=True, timeout=60)
            assert p.returncode == 2, (args, p.stderr)
        s = Server(str(tmp_path / "data"), serve_args=[
            "--jobs-interval", "1", "--smtp-url", f"smtp://127.0.0.1:{mta.port}",
            "--smtp-from", FROM, "--smtp-password-file", str(pw)])
        try:
            with s.db() as conn:
                cid = int(conn.execute("SELECT value FROM meta WHERE key = 'coordinator_org_id'")
                          .fetchone()[0])
                contact = conn.execute("SELECT email FROM orgs WHERE id = ?", (cid,)).fetchone()[0]
            member = s.login("taichinh")
            inc = new_incident(member, title=unique("Cờ SMTP "))
            r = member.post(f"/api/v1/incidents/{inc['id']}/transitions", json={"action": "report"})
            assert r.status_code == 200, r.text
            got = mta.wait_for(lambda m: inc["ref"] in str(m["Subject"]) and m["To"] == contact)
            assert got[0]["From"] == FROM
        finally:
            assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
    finally:
        ENV.clear()
        ENV.update(saved)


# ---- the preset format: `reminders:` and `notifications:` in `ungcuu preset check` ----

def test_preset_check_reminders_and_notifications(tmp_path):
    good = tmp_path / "tinh.yaml"
    good.write_text("name: tinh\nextends: national\ntitle: Tỉnh thử\n"
                    "reminders:\n  before_days: [10, 3]\n  on_due: false\n"
                    "notifications:\n  required:\n    - event: request\n      org_roles: [police]\n"
                    "      roles: [officer, leader]\n      source: 002 Đ7\n")
    p = cli("preset", "check", str(good))
    assert p.returncode == 0, p.stderr
    for bad, why in (("reminders:\n  before_days: [1, 7]\n", "descending"),
                     ("reminders:\n  before_days: [0]\n", "before_days"),
                     ("reminders:\n  soon: true\n", "unknown key 'soon'"),
                     ("notifications:\n  required:\n    - event: party\n      org_roles: [police]\n"
                      "      roles: [officer]\n      source: x\n", "not incident_reported"),
                     ("notifications:\n  required:\n    - event: request\n      org_roles: [police]\n"
                      "      roles: [chef]\n      source: x\n", "unknown role 'chef'")):
        f = tmp_path / "sai.yaml"
        f.write_text("name: sai\nextends: national\ntitle: Sai\n" + bad)
        p = cli("preset", "check", str(f), check=False)
        assert p.returncode == 5 and why in (p.stdout + p.stderr), (bad, p.stdout, p.stderr)
        assert "sai.yaml:" in p.stdout + p.stderr or "sai:" in p.stdout + p.stderr
