"""E-mail out through a real MTA: OpenSMTPD (Debian opensmtpd) listening on a loopback port and
delivering every recipient into a Maildir of the test. ungcuu serve sends its outbox to it; the
test reads what was delivered (docs/mail.md).

OpenSMTPD keeps one spool (/var/spool/smtpd) and one control socket per machine, so instances
are serialised with a lock file; it must run as root (it drops to its own users) and delivers
as the unprivileged user `nobody`, so the Maildir lives in a world-traversable folder."""
import email
import email.policy
import fcntl
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import ENV, ROOT, Server, count_rows, free_port, new_incident, unique

SMTPD = "/usr/sbin/smtpd"
FROM = "ungcuu@binhminh.gov.vn"


def _can_run_mta():
    return os.path.exists(SMTPD) and os.geteuid() == 0


needs_mta = pytest.mark.skipif(not _can_run_mta(),
                                reason="needs opensmtpd (scripts/deps --test) and root")


class Mta:
    def __init__(self):
        self.lock = open(os.path.join(tempfile.gettempdir(), "ungcuu-opensmtpd.lock"), "w")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        self.dir = tempfile.mkdtemp(prefix="ungcuu-mta-")
        os.chmod(self.dir, 0o755)
        self.maildir = os.path.join(self.dir, "Maildir")
        os.mkdir(self.maildir)
        nobody = pwd.getpwnam("nobody")
        os.chown(self.maildir, nobody.pw_uid, nobody.pw_gid)
        self.port = free_port()
        conf = os.path.join(self.dir, "smtpd.conf")
        with open(conf, "w") as f:
            f.write(f'listen on 127.0.0.1 port {self.port}\n'
                    f'action "md" maildir "{self.maildir}" user nobody virtual {{ "@" = nobody }}\n'
                    'match from any for any action "md"\n')
        self.log = open(os.path.join(self.dir, "smtpd.log"), "wb")
        self.proc = subprocess.Popen([SMTPD, "-d", "-f", conf], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.close()
        raise RuntimeError("opensmtpd did not start: " + self.logtext())

    def logtext(self):
        with open(os.path.join(self.dir, "smtpd.log"), errors="replace") as f:
            return f.read()[-3000:]

    def messages(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.maildir, "new", "*")) +
                           glob.glob(os.path.join(self.maildir, "cur", "*"))):
            with open(path, "rb") as f:
                out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
        return out

    def wait_for(self, pred, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for m in self.messages() if pred(m)]
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError("no such message delivered; have: " +
                             repr([(m["To"], m["Subject"]) for m in self.messages()]) +
                             "\nsmtpd log:\n" + self.logtext())

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        fcntl.flock(self.lock, fcntl.LOCK_UN)
        self.lock.close()


@pytest.fixture()
def mta():
    m = Mta()
    try:
        yield m
    finally:
        m.close()


@pytest.fixture()
def mail_server(mta):
    saved = dict(ENV)
    ENV.update(UNGCUU_SMTP_URL=f"smtp://127.0.0.1:{mta.port}", UNGCUU_SMTP_FROM=FROM,
               UNGCUU_MAIL_TEMPLATES=os.path.join(ROOT, "templates", "mail"),
               UNGCUU_MAIL_LANG="vi", UNGCUU_OUTBOX_BACKOFF="2")
    try:
        with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
            s = Server(os.path.join(tmp, "data"), serve_args=["--jobs-interval", "1"])
            try:
                yield s
            finally:
                rc = s.stop()
                assert rc == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
    finally:
        ENV.clear()
        ENV.update(saved)


def coordinator_email(server):
    with server.db() as conn:
        cid = int(conn.execute("SELECT value FROM meta WHERE key = 'coordinator_org_id'").fetchone()[0])
        addr = conn.execute("SELECT email FROM orgs WHERE id = ?", (cid,)).fetchone()[0]
        if not addr:
            addr = "dieuphoi@binhminh.gov.vn"
            conn.execute("UPDATE orgs SET email = ? WHERE id = ?", (addr, cid))
    return addr


def parts(msg):
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert plain is not None and html is not None, msg
    return plain.get_content(), html.get_content()


@needs_mta
def test_events_mailed_once_across_kill(mail_server, mta):
    s = mail_server
    coord_addr = coordinator_email(s)
    member = s.login("taichinh")
    coord = s.login("dieuphoi")
    title = unique("Sự cố thư điện tử ")
    inc = new_incident(member, title=title)
    ref, iid = inc["ref"], inc["id"]
    url = f"/api/v1/incidents/{iid}"
    r = member.post(url + "/transitions", json={"action": "report", "note": "Mẫu 01"})
    assert r.status_code == 200, r.text

    # 1. new incident -> the coordinator, in Vietnamese, both parts, RFC 2047 subject
    # (the coordinator's operators get a copy of their own too: docs/mail.md, preferences)
    got = mta.wait_for(lambda m: ref in str(m["Subject"]) and "Báo cáo sự cố mới" in str(m["Subject"])
                       and m["To"] == coord_addr)
    m = got[0]
    assert m["To"] == coord_addr and m["From"] == FROM
    assert str(m["Subject"]) == f"[{ref}] Báo cáo sự cố mới: {title}"
    assert m.get_content_type() == "multipart/alternative"
    assert m["Date"] and m["Message-ID"].startswith("<ungcuu-outbox-")
    plain, html = parts(m)
    assert ref in plain and title in plain and "Kính gửi" in plain
    assert "Mức độ:         Cao" in plain  # the preset's Vietnamese name, not the code
    assert "08:30 20/11/2026" in plain     # detected_at in Vietnam time
    # e-mail leaves the system: an AMBER/RED description stays inside it
    assert inc["tlp"] not in ("clear", "green")
    assert "Phát hiện đăng nhập trái phép" not in plain and "TLP:" + inc["tlp"] in plain
    assert ref in html and "<table>" in html

    # the server is killed hard; nothing queued may be lost or sent twice after the restart
    s.stop(kill=True)
    s.start()
    assert coord.login("dieuphoi", "Demo@2026").status_code == 200
    assert member.login("taichinh", "Demo@2026").status_code == 200
    assert coord.post(url + "/transitions", json={"action": "accept"}).status_code == 200
    police_org = s.org_id("congan")
    r = coord.post(url + "/requests", json={"org_id": police_org, "kind": "investigate",
                                            "body": "Đề nghị điều tra dấu vết xâm nhập <ngay>."})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]

    # 2. the request -> the police's contact address
    got = mta.wait_for(lambda m: m["To"] == "pa05@congan.binhminh.gov.vn" and ref in str(m["Subject"]))
    plain, html = parts(got[0])
    assert "Đề nghị điều tra dấu vết xâm nhập <ngay>." in plain
    assert "&lt;ngay&gt;" in html  # values are escaped in the HTML part

    # 3. the answer -> the asking organisation (the coordinator)
    police = s.login("congan")
    r = police.post(f"/api/v1/requests/{rid}/answer",
                    json={"status": "accepted", "answer": "Đã cử cán bộ PA05 phối hợp."})
    assert r.status_code == 200, r.text
    got = mta.wait_for(lambda m: m["To"] == coord_addr and "Trả lời đề nghị" in str(m["Subject"]))
    assert "Đã cử cán bộ PA05 phối hợp." in parts(got[0])[0]

    # let a few more job rounds pass: nothing is sent again
    time.sleep(4)
    with s.db() as conn:
        rows = conn.execute("SELECT id, event, sent_at, attempts, error FROM outbox "
                            "WHERE incident_id = ?", (iid,)).fetchall()
    sent = {r["id"] for r in rows if r["sent_at"]}
    assert {r["event"] for r in rows} >= {"incident_reported", "request", "answer"}, [dict(r) for r in rows]
    ids = [m["Message-ID"] for m in mta.messages() if ref in str(m["Subject"])]
    assert len(ids) == len(set(ids)), ids  # every message exactly once
    delivered = {int(i.split("ungcuu-outbox-")[1].split(".")[0]) for i in ids}
    assert delivered == sent, (delivered, [dict(r) for r in rows])


@needs_mta
def test_unreachable_mta_retries_with_backoff(mta):
    """With the MTA refusing connections the row is retried later, attempts counted, the error
    kept, and it goes out once the MTA is back (here: pointed at the right port on restart)."""
    saved = dict(ENV)
    ENV.update(UNGCUU_SMTP_URL=f"smtp://127.0.0.1:{free_port()}", UNGCUU_SMTP_FROM=FROM,
               UNGCUU_MAIL_TEMPLATES=os.path.join(ROOT, "templates", "mail"),
               UNGCUU_OUTBOX_BACKOFF="1")
    try:
        with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
            s = Server(os.path.join(tmp, "data"), serve_args=["--jobs-interval", "1"])
            try:
                coordinator_email(s)
                member = s.login("taichinh")
                inc = new_incident(member, title=unique("Thử lại "))
                r = member.post(f"/api/v1/incidents/{inc['id']}/transitions",
                                json={"action": "report"})
                assert r.status_code == 200, r.text
                deadline = time.time() + 20
                row = None
                while time.time() < deadline:
                    with s.db() as conn:
                        row = conn.execute("SELECT * FROM outbox WHERE incident_id = ?",
                                           (inc["id"],)).fetchone()
                    if row and row["attempts"] >= 2:
                        break
                    time.sleep(0.3)
                assert row and row["attempts"] >= 2 and not row["sent_at"], dict(row)
                assert row["error"], dict(row)
                s.stop()
                ENV["UNGCUU_SMTP_URL"] = f"smtp://127.0.0.1:{mta.port}"
                s.start()
                got = mta.wait_for(lambda m: inc["ref"] in str(m["Subject"]))
                assert len(got) == 1
            finally:
                assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
    finally:
        ENV.clear()
        ENV.update(saved)


# ---- webhooks (no MTA needed) ----

import hashlib
import hmac
import http.server
import json
import threading


class _Hooks(http.server.BaseHTTPRequestHandler):
    got = []
    fail_first = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).got.append((dict(self.headers), body))
        if type(self).fail_first > 0 and self.headers["X-Ungcuu-Event"] == "request":
            type(self).fail_first -= 1
            self.send_response(503)
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


@pytest.fixture()
def hook_receiver():
    _Hooks.got = []
    _Hooks.fail_first = 1
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hooks)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()


def test_webhook_signed_retried_logged(hook_receiver):
    saved = dict(ENV)
    ENV.pop("UNGCUU_SMTP_URL", None)
    ENV.update(UNGCUU_OUTBOX_BACKOFF="1")
    secret = "bí-mật-webhook-2026"
    try:
        with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
            s = Server(os.path.join(tmp, "data"), serve_args=["--jobs-interval", "1"])
            try:
                police = s.org_id("congan")
                url = f"http://127.0.0.1:{hook_receiver.server_address[1]}/ungcuu"
                with s.db() as conn:
                    conn.execute("INSERT INTO webhooks(org_id, url, secret, created_at, updated_at) "
                                 "VALUES (?, ?, ?, 0, 0)", (police, url, secret))
                member, coord = s.login("taichinh"), s.login("dieuphoi")
                inc = new_incident(member, title=unique("Webhook "))
                iu = f"/api/v1/incidents/{inc['id']}"
                assert member.post(iu + "/transitions", json={"action": "report"}).status_code == 200
                assert coord.post(iu + "/transitions", json={"action": "accept"}).status_code == 200
                r = coord.post(iu + "/requests", json={"org_id": police, "kind": "investigate",
                                                       "body": "Đề nghị hỗ trợ."})
                assert r.status_code == 201, r.text
                # only the request's deliveries: duty reminders (docs/mail.md) may go to the
                # police's webhook too, depending on the day the test runs
                def got():
                    return [(h, b) for h, b in _Hooks.got if h["X-Ungcuu-Event"] == "request"
                            and json.loads(b)["incident"]["ref"] == inc["ref"]]
                deadline = time.time() + 20
                while time.time() < deadline and len(got()) < 2:
                    time.sleep(0.2)
                time.sleep(2.5)
                assert len(got()) == 2, _Hooks.got  # one 503, then one 204, nothing more
                for headers, body in got():
                    sig = headers["X-Ungcuu-Signature"]
                    t, v1 = sig.split(",")
                    ts = t.split("=")[1]
                    want = hmac.new(secret.encode(), ts.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
                    assert v1 == "v1=" + want
                    assert headers["X-Ungcuu-Event"] == "request"
                    doc = json.loads(body)
                    assert doc["event"] == "request" and doc["incident"]["ref"] == inc["ref"]
                    assert doc["request"]["body"] == "Đề nghị hỗ trợ."
                with s.db() as conn:
                    log = conn.execute("SELECT l.status FROM webhook_log l JOIN outbox o ON "
                                       "o.id = l.outbox_id WHERE o.event = 'request' AND "
                                       "o.incident_id = ? ORDER BY l.id", (inc["id"],)).fetchall()
                    row = conn.execute("SELECT hook_sent_at, hook_attempts FROM outbox WHERE "
                                       "event = 'request' AND org_id = ? AND incident_id = ?",
                                       (police, inc["id"])).fetchone()
                assert [x[0] for x in log] == [503, 204]
                assert row[0] > 0 and row[1] == 2
            finally:
                assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
    finally:
        ENV.clear()
        ENV.update(saved)


# ---- e-mail intake: `ungcuu mailgate` ----

import base64

import re

from conftest import BIN, cli


def _eml(subject, sender="pa05@congan.binhminh.gov.vn", body="Đã tiếp nhận, đang xử lý.",
         extra="", top=""):
    """A reply as a mail program writes it; top: trace fields the receiving MTA put above it
    (Authentication-Results, Received)."""
    enc = base64.b64encode(subject.encode()).decode()
    return (f"{top}From: \"Người gửi\" <{sender}>\r\nTo: ungcuu@binhminh.gov.vn\r\n"
            f"Subject: =?UTF-8?B?{enc}?=\r\nMessage-ID: <{unique('m')}@example.org>\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
            "--b\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{body}\r\n--b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>{body}</p>\r\n--b--\r\n")


# The receiving MTA's authserv-id (RFC 8601): only its Authentication-Results count
# (UNGCUU_MAIL_AUTHSERV_ID; docs/mail.md "Who may write in").
AUTHSERV = "mx.binhminh.gov.vn"
DEMO_DOMAIN = "demo.binhminh.gov.vn"  # the demo accounts' addresses: <username>@demo.binhminh.gov.vn


def _authres(domain, dmarc="pass", authserv=AUTHSERV, header_from=None):
    """Authentication-Results as the MTA's DKIM and DMARC filters write it (CRLF lines)."""
    return (f"Authentication-Results: {authserv};\r\n\tdkim=pass (2048-bit key) header.d={domain} "
            f"header.s=mail;\r\n\tdmarc={dmarc} (p=reject dis=none) "
            f"header.from={header_from or domain}\r\n")


RECEIVED = ("Received: from mail.example.org (mail.example.org [192.0.2.25])\r\n\tby "
            "mx.binhminh.gov.vn with ESMTPS id 4f1c2a; Sat, 21 Nov 2026 09:00:00 +0700\r\n")


def _gate(data, raw, *args, authserv=AUTHSERV, check=True):
    """`ungcuu mailgate` as the MTA runs it, with the authserv-id configured (None: unset)."""
    env = dict(ENV)
    env.pop("UNGCUU_MAIL_AUTHSERV_ID", None)
    if authserv:
        env["UNGCUU_MAIL_AUTHSERV_ID"] = authserv
    proc = subprocess.run([BIN, "mailgate", *args, "--data", data], input=raw,
                          capture_output=True, text=True, env=env, timeout=60)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def _message_id(raw):
    return re.search(r"^Message-ID: <([^>]+)>", raw, re.M | re.I).group(1)


def _quarantined(data, raw):
    """The quarantine row of a message (by its Message-ID), or None."""
    import sqlite3
    conn = sqlite3.connect(os.path.join(data, "ungcuu.db"))
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM mail_quarantine WHERE message_id = ?",
                           (_message_id(raw),)).fetchone()
        return dict(row) if row else None
    finally:
        conn.close()


def _journal(data, iid):
    import sqlite3
    conn = sqlite3.connect(os.path.join(data, "ungcuu.db"))
    try:
        return conn.execute("SELECT kind, author_id, org_id, body, data FROM journal "
                            "WHERE incident_id = ? AND kind = 'email' ORDER BY id", (iid,)).fetchall()
    finally:
        conn.close()


def test_mailgate_intake_and_exit_codes(tmp_path):
    data = str(tmp_path / "data")
    cli("init", "--preset", "national", "--demo", data=data)
    import sqlite3
    conn = sqlite3.connect(os.path.join(data, "ungcuu.db"))
    iid, ref = conn.execute("SELECT id, ref FROM incidents ORDER BY id LIMIT 1").fetchone()
    tc = conn.execute("SELECT id FROM users WHERE username = 'taichinh'").fetchone()[0]
    conn.close()
    who = "taichinh@" + DEMO_DOMAIN  # an officer of the reporting organisation (Sở Tài chính)

    # authenticated by the MTA and allowed to comment: stored as that user
    p = _gate(data, _eml(f"Re: [{ref}] Trả lời đề nghị phối hợp", sender=who,
                         top=_authres(DEMO_DOMAIN)))
    rows = _journal(data, iid)
    assert len(rows) == 1 and rows[0][3].strip() == "Đã tiếp nhận, đang xử lý.", p.stderr
    assert rows[0][1] == tc
    meta = json.loads(rows[0][4])
    assert meta["verified"] is True and meta["sender"] == "user"
    assert meta["subject"] == f"Re: [{ref}] Trả lời đề nghị phối hợp"

    # the same message delivered twice by the MTA is stored once
    again = _eml(f"Re: [{ref}] lặp", sender=who, top=_authres(DEMO_DOMAIN))
    again = again.replace("Message-ID: <", "Message-ID: <dup-", 1)
    assert _gate(data, again).returncode == 0
    assert _gate(data, again).returncode == 0
    assert len(_journal(data, iid)) == 2

    # anyone else: not in the journal (the quarantine, below)
    p = _gate(data, _eml(f"[{ref}] thông tin", sender="la@example.com", top=_authres("example.com")))
    assert "mailgate: Chưa lưu: thư nằm trong khu cách ly" in p.stderr and len(_journal(data, iid)) == 2

    # auto-replies and bulk mail are ignored (exit 0, nothing stored): no mail loops
    for extra in ("Auto-Submitted: auto-replied\r\n", "Precedence: bulk\r\n"):
        raw = _eml(f"[{ref}] Vắng mặt", sender=who, top=_authres(DEMO_DOMAIN), extra=extra)
        p = _gate(data, raw)
        assert "mailgate: Thư tự động" in p.stderr and _quarantined(data, raw) is None
    assert len(_journal(data, iid)) == 2

    # documented failures, nothing stored
    assert _gate(data, _eml("không có số hiệu"), check=False).returncode == 3
    assert _gate(data, _eml("[UC-1999-999999] x"), check=False).returncode == 3
    assert _gate(data, "", check=False).returncode == 5
    big = _eml(f"[{ref}] lớn", body="x" * 5000)
    assert _gate(data, big, "--max-size", "2048", check=False).returncode == 6
    assert len(_journal(data, iid)) == 2


@needs_mta
def test_starttls_required_never_sends_in_clear(mta):
    """UNGCUU_SMTP_STARTTLS=1 against a server without STARTTLS: the message is not sent in
    clear; the row keeps the error and waits for a retry. (A TLS-enabled OpenSMTPD is not used:
    Debian's opensmtpd 6.8 fails every TLS handshake with OpenSSL 3, "EVP lib".)"""
    saved = dict(ENV)
    ENV.update(UNGCUU_SMTP_URL=f"smtp://127.0.0.1:{mta.port}", UNGCUU_SMTP_FROM=FROM,
               UNGCUU_SMTP_STARTTLS="1",
               UNGCUU_MAIL_TEMPLATES=os.path.join(ROOT, "templates", "mail"))
    try:
        with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
            s = Server(os.path.join(tmp, "data"), serve_args=["--jobs-interval", "1"])
            try:
                coordinator_email(s)
                member = s.login("taichinh")
                inc = new_incident(member, title=unique("TLS "))
                r = member.post(f"/api/v1/incidents/{inc['id']}/transitions",
                                json={"action": "report"})
                assert r.status_code == 200, r.text
                deadline = time.time() + 15
                row = None
                while time.time() < deadline:
                    with s.db() as conn:
                        row = conn.execute("SELECT * FROM outbox WHERE incident_id = ?",
                                           (inc["id"],)).fetchone()
                    if row and row["attempts"] >= 1 and row["error"]:
                        break
                    time.sleep(0.3)
                assert row and not row["sent_at"] and row["error"], dict(row) if row else None
                assert not [m for m in mta.messages() if inc["ref"] in str(m["Subject"])]
            finally:
                assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
    finally:
        ENV.clear()
        ENV.update(saved)


# ---- e-mail intake: a new report by e-mail ("[TBSC]", TT 20/2017 Mẫu 03) ----

import email.header
import email.mime.application
import email.mime.multipart
import email.mime.text
import email.utils

REPORT_VI = """Kính gửi Sở Khoa học và Công nghệ,

1. Tên đơn vị: Sở Tài chính tỉnh Bình Minh
Địa chỉ: 12 Lê Lợi, TP Bình Minh
Điện thoại: 0234 3822 111
Thư điện tử: stc@binhminh.gov.vn
2. Người liên hệ: Trần Thị Bình
Chức vụ: Phó trưởng phòng CNTT
Điện thoại: 0912 345 678
Thư điện tử: ttb@binhminh.gov.vn
Đơn vị vận hành: Trung tâm CNTT Sở Tài chính
Cấp độ: 3
Mức độ: Cao
Loại sự cố: Thay đổi giao diện
Mô tả sự cố: Trang chủ cổng thông tin bị thay đổi giao diện.
Kẻ tấn công để lại thông điệp lạ <script>.
Ngày phát hiện: 20/11/2026 08:30
Tình trạng hiện tại: Đã tạm ngắt cổng thông tin

--
Trần Thị Bình
"""

REPORT_ASCII = """Ten don vi: So Y te tinh Binh Minh
Nguoi lien he: Le Van Cuong
Dien thoai: 0905 111 222
Mo ta su co: May chu benh vien bi ma hoa du lieu.
Ngay phat hien: 08:30 21/11/2026
"""


def _report(subject, body, sender, html=None, files=(), text=True, top=None):
    """A [TBSC] report; top: the MTA's Authentication-Results for the sender's domain (the
    default), or "" for none."""
    msg = email.mime.multipart.MIMEMultipart("mixed")
    msg["From"] = email.utils.formataddr(("Người gửi", sender))
    msg["To"] = "tiepnhan@binhminh.gov.vn"
    msg["Subject"] = email.header.Header(subject, "utf-8").encode()
    msg["Message-ID"] = email.utils.make_msgid(domain="example.org")
    msg["Date"] = email.utils.formatdate()
    alt = email.mime.multipart.MIMEMultipart("alternative")
    if text:
        alt.attach(email.mime.text.MIMEText(body, "plain", "utf-8"))
    alt.attach(email.mime.text.MIMEText(html or "<p>" + body.replace("\n", "<br>\n") + "</p>",
                                        "html", "utf-8"))
    msg.attach(alt)
    for name, data, sub in files:
        part = email.mime.application.MIMEApplication(data, sub)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    if top is None:
        top = _authres(sender.split("@")[1])
    return top.replace("\r\n", "\n") + msg.as_string()


LOG = b"203.0.113.7 - - [20/Nov/2026:08:29:11 +0700] \"GET /admin.php HTTP/1.1\" 200\n" * 200
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 80


def _mailgate(server, raw, *args, check=True):
    return _gate(server.data, raw, *args, check=check)


def test_mailgate_report_known_sender(server):
    subject = "[TBSC] Tấn công thay đổi giao diện cổng thông tin Sở Tài chính"
    raw = _report(subject, REPORT_VI, "taichinh@demo.binhminh.gov.vn",
                  files=[("nhật-ký truy cập.log", LOG, "octet-stream"), ("ảnh chụp.pdf", PDF, "pdf")])
    assert "=?utf-8?" in raw.split("Subject:")[1].split("\n")[0].lower()  # RFC 2047 on the wire
    p = _mailgate(server, raw)
    ref = p.stdout.strip()
    assert ref.startswith("UC-2026-"), p.stderr
    with server.db() as conn:
        inc = conn.execute("SELECT * FROM incidents WHERE ref = ?", (ref,)).fetchone()
        org = conn.execute("SELECT id FROM orgs WHERE code = 'sotc'").fetchone()[0]
        user = conn.execute("SELECT id FROM users WHERE username = 'taichinh'").fetchone()[0]
        assert inc["org_id"] == org and inc["created_by"] == user
        assert inc["status"] == "reported" and inc["reported_at"] > 0 and inc["flags"] == ""
        assert inc["title"] == "Tấn công thay đổi giao diện cổng thông tin Sở Tài chính"
        assert inc["type"] == "defacement" and inc["severity"] == "high"
        assert inc["detected_at"] == 1795138200  # 2026-11-20 08:30 +07:00
        form = json.loads(inc["form"])["report"]
        assert form["org_name"] == "Sở Tài chính tỉnh Bình Minh"
        assert form["org_phone"] == "0234 3822 111" and form["contact_phone"] == "0912 345 678"
        assert form["org_email"] == "stc@binhminh.gov.vn" and form["contact_email"] == "ttb@binhminh.gov.vn"
        assert form["contact_name"] == "Trần Thị Bình" and form["security_level"] == "3"
        assert form["detected_at"] == "2026-11-20T08:30:00+07:00"
        assert form["description"].endswith("thông điệp lạ <script>.")
        assert inc["description"] == form["description"]
        atts = conn.execute("SELECT name, sha256, size, mime FROM attachments WHERE incident_id = ? "
                            "ORDER BY id", (inc["id"],)).fetchall()
        assert [a["name"] for a in atts] == ["nhật-ký truy cập.log", "ảnh chụp.pdf"]
        for a, data in zip(atts, (LOG, PDF)):
            assert a["sha256"] == hashlib.sha256(data).hexdigest() and a["size"] == len(data)
            with open(os.path.join(server.data, "files", a["sha256"]), "rb") as f:
                assert f.read() == data
        j = conn.execute("SELECT body, data, author_id FROM journal WHERE incident_id = ? AND "
                         "kind = 'email'", (inc["id"],)).fetchone()
        meta = json.loads(j["data"])
        assert meta["verified"] is True and meta["sender"] == "user" and meta["report"] is True
        assert j["author_id"] == user and "Tên đơn vị" in j["body"]
        # the step it took stores the system's words as facts, worded by the reader
        step = conn.execute("SELECT body, data FROM journal WHERE incident_id = ? AND "
                            "kind = 'status'", (inc["id"],)).fetchone()
        assert step["body"] == "" and json.loads(step["data"])["msg"] == "journal_reported_by_email"
        assert conn.execute("SELECT count(*) FROM audit WHERE action = 'incident.mail_report' AND "
                            "object_id = ?", (inc["id"],)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM outbox WHERE incident_id = ? AND event = "
                            "'incident_reported'", (inc["id"],)).fetchone()[0] == 1
    # the coordinator and the reporting organisation read it; another member does not
    assert server.login("dieuphoi").get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    steps = [j for j in server.login("dieuphoi").get(
        f"/api/v1/incidents/{inc['id']}/journal", headers={"Accept-Language": "en"}).json()["items"]
        if j["kind"] == "status"]
    assert [j["body"] for j in steps] == ["Reported by e-mail."]
    assert server.login("taichinh").get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    assert server.login("yte").get(f"/api/v1/incidents/{inc['id']}").status_code == 404
    # the MTA delivering it again stores nothing new
    n = count_rows(server, "incidents")
    assert _mailgate(server, raw).returncode == 0 and count_rows(server, "incidents") == n


def test_mailgate_report_unknown_sender_and_html_only(server):
    subject = "Fwd: [TBSC] Máy chủ bệnh viện bị mã hóa dữ liệu"
    raw = _report(subject, REPORT_ASCII, "someone@example.com", text=False,
                  files=[("log.txt", LOG, "octet-stream"), ("report.pdf", PDF, "pdf")])
    n = count_rows(server, "incidents")
    p = _mailgate(server, raw)
    # nobody's account: no incident yet, the message waits for the coordinator
    assert p.stdout.strip() == "" and count_rows(server, "incidents") == n, p.stdout
    q = _quarantined(server.data, raw)
    assert q["kind"] == "report" and q["reason"] == "no_account" and q["status"] == "pending"
    assert q["authenticated"] == 1 and q["incident_id"] is None and q["user_id"] is None
    # accepted: the report as an unknown sender's was always stored, to triage
    r = server.login("dieuphoi").post(f"/api/v1/mail/quarantine/{q['id']}/accept", json={})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted" and r.json()["result_ref"].startswith("UC-2026-")
    ref = r.json()["result_ref"]
    with server.db() as conn:
        inc = conn.execute("SELECT * FROM incidents WHERE ref = ?", (ref,)).fetchone()
        cid = int(conn.execute("SELECT value FROM meta WHERE key = 'coordinator_org_id'").fetchone()[0])
        # triage: the coordinator's, marked unverified, TLP:RED (the coordinator only)
        assert inc["org_id"] == cid and inc["status"] == "new" and inc["flags"] == "unverified"
        assert inc["tlp"] == 4 and inc["title"] == "Máy chủ bệnh viện bị mã hóa dữ liệu"
        form = json.loads(inc["form"])["report"]
        # the HTML part, tags stripped, without diacritics: still the form's fields
        assert form["org_name"] == "So Y te tinh Binh Minh"
        assert form["contact_name"] == "Le Van Cuong" and form["contact_phone"] == "0905 111 222"
        assert form["detected_at"] == "2026-11-21T08:30:00+07:00"
        assert inc["description"] == "May chu benh vien bi ma hoa du lieu."
        meta = json.loads(conn.execute("SELECT data FROM journal WHERE incident_id = ? AND kind = "
                                       "'email'", (inc["id"],)).fetchone()[0])
        assert meta["verified"] is False and meta["from_html"] is True
        author = conn.execute("SELECT username, active FROM users WHERE id = ?",
                              (inc["created_by"],)).fetchone()
        assert author["username"] == "mailgate.intake" and author["active"] == 0
        assert conn.execute("SELECT count(*) FROM attachments WHERE incident_id = ?",
                            (inc["id"],)).fetchone()[0] == 2
    assert server.login("dieuphoi").get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    assert server.login("taichinh").get(f"/api/v1/incidents/{inc['id']}").status_code == 404
    assert server.login("congan").get(f"/api/v1/incidents/{inc['id']}").status_code == 404


def test_mailgate_report_limits(server):
    n, files = count_rows(server, "incidents"), count_rows(server, "attachments")
    raw = _report("[TBSC] Tệp quá lớn", REPORT_VI, "taichinh@demo.binhminh.gov.vn",
                  files=[("a.log", LOG, "octet-stream"), ("b.pdf", PDF, "pdf")])
    p = _mailgate(server, raw, "--max-attachment", "10000", check=False)
    assert p.returncode == 6, p.stderr
    # no prefix and no reference: bounced as before
    raw = _report("Báo cáo sự cố", REPORT_VI, "taichinh@demo.binhminh.gov.vn")
    assert _mailgate(server, raw, check=False).returncode == 3
    # an auto-reply with the prefix is still ignored
    raw = _report("[TBSC] Vắng mặt", REPORT_VI, "taichinh@demo.binhminh.gov.vn")
    raw = raw.replace("MIME-Version", "Auto-Submitted: auto-replied\nMIME-Version", 1)
    p = _mailgate(server, raw)
    assert "mailgate: Thư tự động" in p.stderr and "bỏ qua" in p.stderr
    assert count_rows(server, "incidents") == n and count_rows(server, "attachments") == files


def test_mailgate_links_observables_and_finds_the_warning(server):
    """Observables in a report's body (defanged ones too) become the incident's indicators, and
    matching links the incident to a warning that names the same domain."""
    dp = server.login("dieuphoi")
    r = dp.post("/api/v1/warnings", json={
        "title": "Chiến dịch lừa đảo giả mạo Kho bạc", "severity": "high",
        "indicators": [{"kind": "domain", "value": "kbnn-dangnhap.example"}],
        "target": {"mode": "all"}})
    assert r.status_code == 201, r.text
    warning = r.json()["id"]
    assert dp.post(f"/api/v1/warnings/{warning}/issue").status_code == 200
    body = REPORT_VI + ("\nMáy chủ 10.20.30.40 kết nối tới hxxps://login.kbnn-dangnhap[.]example/xac-thuc "
                        "và tệp bao-cao.docx có SHA-256 "
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.\n")
    ref = _mailgate(server, _report("[TBSC] Thư giả mạo Kho bạc", body,
                                    "taichinh@demo.binhminh.gov.vn")).stdout.strip()
    with server.db() as conn:
        iid = conn.execute("SELECT id FROM incidents WHERE ref = ?", (ref,)).fetchone()[0]
        meta = json.loads(conn.execute("SELECT data FROM journal WHERE incident_id = ? AND "
                                       "kind = 'email'", (iid,)).fetchone()[0])
    tc = server.login("taichinh")
    obs = {(o["kind"], o["value"]) for o in
           tc.get(f"/api/v1/incidents/{iid}/observables").json()["items"]}
    assert {("ipv4", "10.20.30.40"), ("url", "https://login.kbnn-dangnhap.example/xac-thuc"),
            ("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")} <= obs
    assert not any("docx" in v for _, v in obs)  # a file name is not a domain
    assert {"kind": "ipv4", "value": "10.20.30.40"} in meta["observables"]
    related = dp.get(f"/api/v1/incidents/{iid}/related").json()["items"]
    assert any(x.get("kind") == "warning" and x.get("id") == warning for x in related), related


# ---- who may write in by e-mail: the sender's identity (Authentication-Results of our MTA),
# the same access rule as the API's, and the quarantine the coordinator decides ----

import concurrent.futures

from conftest import TokenClient, admin_client, is_problem, make_user


def _sotc_incident(data):
    """Sở Tài chính's AMBER phishing incident of the demo (reported: the coordinator is named)."""
    import sqlite3
    conn = sqlite3.connect(os.path.join(data, "ungcuu.db"))
    try:
        return conn.execute("SELECT i.id, i.ref FROM incidents i JOIN orgs o ON o.id = i.org_id "
                            "WHERE o.code = 'sotc' AND i.tlp = 2 ORDER BY i.id LIMIT 1").fetchone()
    finally:
        conn.close()


def _uid(server, username):
    with server.db() as conn:
        return conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()[0]


def test_mailgate_reply_needs_the_right_to_comment(server):
    """A reply lands in an incident only when its authenticated sender is an account that may
    comment on it by the API's rule; otherwise nothing is written to the incident."""
    iid, ref = _sotc_incident(server.data)
    n = len(_journal(server.data, iid))
    # the police officer's organisation cannot read Sở Tài chính's incident (not named on it)
    raw = _eml(f"Re: [{ref}] Bổ sung thông tin", sender="congan@" + DEMO_DOMAIN,
               top=_authres(DEMO_DOMAIN))
    p = _gate(server.data, raw)
    assert len(_journal(server.data, iid)) == n, "stored in an incident the sender cannot read"
    q = _quarantined(server.data, raw)
    assert q and q["reason"] == "not_allowed" and q["kind"] == "reply", (q, p.stderr)
    assert q["incident_id"] == iid and q["ref"] == ref and q["status"] == "pending"
    assert q["authenticated"] == 1 and q["user_id"] == _uid(server, "congan")
    assert q["reason_text"].startswith("Người gửi không có quyền")
    assert server.login("congan").get(f"/api/v1/incidents/{iid}").status_code == 404
    # an organisation's contact address is nobody's account
    raw = _eml(f"Re: [{ref}] Ý kiến", sender="stc@binhminh.gov.vn", top=_authres("binhminh.gov.vn"))
    _gate(server.data, raw)
    assert len(_journal(server.data, iid)) == n
    assert _quarantined(server.data, raw)["reason"] == "no_account"
    # an auditor of the coordinator reads it but may not comment (docs/access.md)
    raw = _eml(f"Re: [{ref}] Kiểm tra", sender="kiemtra@" + DEMO_DOMAIN, top=_authres(DEMO_DOMAIN))
    _gate(server.data, raw)
    assert len(_journal(server.data, iid)) == n
    assert _quarantined(server.data, raw)["reason"] == "not_allowed"
    # the reporting organisation's officer, authenticated: stored as that user
    raw = _eml(f"Re: [{ref}] Đã xử lý", sender="taichinh@" + DEMO_DOMAIN, top=_authres(DEMO_DOMAIN))
    _gate(server.data, raw)
    rows = _journal(server.data, iid)
    assert len(rows) == n + 1 and rows[-1][1] == _uid(server, "taichinh")
    assert json.loads(rows[-1][4])["verified"] is True and _quarantined(server.data, raw) is None


def test_mailgate_report_needs_the_right_to_report(server):
    """A [TBSC] report by an authenticated account that may not report (an auditor) makes no
    incident; it waits in the quarantine."""
    n = count_rows(server, "incidents")
    raw = _report("[TBSC] Báo cáo của kiểm tra viên", REPORT_VI, "kiemtra@" + DEMO_DOMAIN)
    p = _mailgate(server, raw)
    assert p.stdout.strip() == "" and count_rows(server, "incidents") == n, p.stdout
    q = _quarantined(server.data, raw)
    assert q["kind"] == "report" and q["reason"] == "not_allowed" and q["incident_id"] is None


def test_mailgate_forged_from_is_not_verified(server):
    """From: alone proves nothing: without the MTA's Authentication-Results the message is not
    verified and waits in the quarantine; without a configured authserv-id nothing is verified."""
    iid, ref = _sotc_incident(server.data)
    n = len(_journal(server.data, iid))
    raw = _eml(f"Re: [{ref}] Đề nghị đóng sự cố", sender="taichinh@" + DEMO_DOMAIN)
    _gate(server.data, raw)
    assert len(_journal(server.data, iid)) == n, "a forged From: was stored"
    q = _quarantined(server.data, raw)
    assert q["reason"] == "auth_missing" and q["authenticated"] == 0
    assert q["user_id"] == _uid(server, "taichinh") and q["from_addr"] == "taichinh@" + DEMO_DOMAIN
    # a result that would pass, but the MTA's authserv-id is not configured
    raw = _eml(f"Re: [{ref}] Chưa cấu hình", sender="taichinh@" + DEMO_DOMAIN,
               top=_authres(DEMO_DOMAIN))
    _gate(server.data, raw, authserv=None)
    assert len(_journal(server.data, iid)) == n
    assert _quarantined(server.data, raw)["reason"] == "auth_unconfigured"
    # a forged report is no report either
    m = count_rows(server, "incidents")
    raw = _report("[TBSC] Báo cáo giả mạo", REPORT_VI, "taichinh@" + DEMO_DOMAIN, top="")
    assert _mailgate(server, raw).stdout.strip() == "" and count_rows(server, "incidents") == m
    assert _quarantined(server.data, raw)["reason"] == "auth_missing"


def test_mailgate_counts_only_the_topmost_results_of_its_own_mta(server):
    """Only the topmost Authentication-Results with the configured authserv-id count: another
    server's, or one the sender wrote further down, is ignored."""
    iid, ref = _sotc_incident(server.data)
    who = "taichinh@" + DEMO_DOMAIN
    ours_fail = _authres(DEMO_DOMAIN, dmarc="fail")
    cases = [
        # another server's pass
        (_authres(DEMO_DOMAIN, authserv="mx.attacker.example"), "auth_missing"),
        (_authres(DEMO_DOMAIN, authserv="mx.binhminh.gov.vn.attacker.example"), "auth_missing"),
        # another server's pass above ours, which says fail
        (_authres(DEMO_DOMAIN, authserv="relay.example") + ours_fail, "auth_failed"),
        # ours says fail; a "pass" of ours the sender put below the MTA's Received
        (ours_fail + RECEIVED + _authres(DEMO_DOMAIN), "auth_failed"),
        # ours checked nothing useful; another field, then a "pass" of ours the sender wrote
        (f"Authentication-Results: {AUTHSERV}; spf=none smtp.mailfrom={DEMO_DOMAIN}\r\n"
         "X-Spam-Score: 0\r\n" + _authres(DEMO_DOMAIN), "auth_failed"),
        # DMARC passed for another domain than the From's
        (_authres("attacker.example"), "auth_failed"),
        # a pass inside a comment is no result
        (f"Authentication-Results: {AUTHSERV}; dmarc=fail (dmarc=pass) header.from={DEMO_DOMAIN}\r\n",
         "auth_failed"),
        # no DMARC: a DKIM signature of another domain is not aligned
        (f"Authentication-Results: {AUTHSERV}; dkim=pass header.d=attacker.example\r\n", "auth_failed"),
        (f"Authentication-Results: {AUTHSERV}; none\r\n", "auth_failed"),
    ]
    n = len(_journal(server.data, iid))
    for i, (top, reason) in enumerate(cases):
        raw = _eml(f"Re: [{ref}] Trường hợp {i}", sender=who, top=top)
        _gate(server.data, raw)
        q = _quarantined(server.data, raw)
        assert q and q["reason"] == reason, (i, q)
        assert len(_journal(server.data, iid)) == n, i
    # without DMARC, a DKIM signature of the From's domain (or a parent of it) is aligned; an
    # SPF pass for the envelope's aligned domain too
    for i, top in enumerate([
            f"Authentication-Results: {AUTHSERV}; dkim=pass header.d=binhminh.gov.vn\r\n",
            f"Authentication-Results: {AUTHSERV.upper()}; spf=pass smtp.mailfrom=bounce@{DEMO_DOMAIN}\r\n",
            # two filters of our MTA, one header each, at the top
            f"Authentication-Results: {AUTHSERV}; spf=none smtp.mailfrom=x.example\r\n" +
            _authres(DEMO_DOMAIN)]):
        raw = _eml(f"Re: [{ref}] Hợp lệ {i}", sender=who, top=top)
        _gate(server.data, raw)
        assert _quarantined(server.data, raw) is None, i
        n += 1
        assert len(_journal(server.data, iid)) == n, i


def _pending(server, raw):
    q = _quarantined(server.data, raw)
    assert q and q["status"] == "pending", q
    return q["id"]


def test_quarantine_decided_by_the_coordinator(server):
    """The coordinator's operators (and admins) list the quarantine and accept or reject each
    message; a member, an auditor or a leader elsewhere neither sees nor decides it."""
    iid, ref = _sotc_incident(server.data)
    police = _eml(f"Re: [{ref}] Công an bổ sung", sender="congan@" + DEMO_DOMAIN,
                  body="Đã xác minh địa chỉ IP 203.0.113.9.", top=_authres(DEMO_DOMAIN))
    forged = _eml(f"Re: [{ref}] Thư giả", sender="taichinh@" + DEMO_DOMAIN)
    race = _eml(f"Re: [{ref}] Cùng lúc", sender="taichinh@" + DEMO_DOMAIN)
    for raw in (police, forged, race):
        _gate(server.data, raw)
    qp, qf, qr = _pending(server, police), _pending(server, forged), _pending(server, race)
    n = len(_journal(server.data, iid))

    # members and the coordinator's auditor: no list, no decision
    for username in ("taichinh", "yte", "kiemtra"):
        c = server.login(username)
        is_problem(c.get("/api/v1/mail/quarantine"), 403)
        is_problem(c.get(f"/api/v1/mail/quarantine/{qp}"), 403)
        is_problem(c.post(f"/api/v1/mail/quarantine/{qp}/accept", json={}), 403)
        is_problem(c.post(f"/api/v1/mail/quarantine/{qf}/reject", json={}), 403)
    assert len(_journal(server.data, iid)) == n

    dp = server.login("dieuphoi")
    r = dp.get("/api/v1/mail/quarantine")
    assert r.status_code == 200, r.text
    items = {x["id"]: x for x in r.json()["items"]}
    assert {qp, qf, qr} <= set(items)
    assert all(x["status"] == "pending" for x in items.values())
    x = items[qp]
    assert x["from_addr"] == "congan@" + DEMO_DOMAIN and x["reason"] == "not_allowed"
    assert x["incident_id"] == iid and x["ref"] == ref and x["authenticated"] is True
    assert x["sender_username"] == "congan" and x["reason_text"].startswith("Người gửi")
    assert x["subject"] == f"Re: [{ref}] Công an bổ sung"
    one = dp.get(f"/api/v1/mail/quarantine/{qp}").json()
    assert one["body"].strip() == "Đã xác minh địa chỉ IP 203.0.113.9."
    assert admin_client(server).get("/api/v1/mail/quarantine").status_code == 200
    is_problem(dp.get("/api/v1/mail/quarantine/999999"), 404)
    is_problem(dp.get("/api/v1/mail/quarantine?status=lost"), 400)

    # accept: stored as it would have been, by the sender's account; the operator is audited
    r = dp.post(f"/api/v1/mail/quarantine/{qp}/accept", json={"note": "Công an được mời phối hợp"})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["status"] == "accepted" and a["decided_by"] == _uid(server, "dieuphoi")
    assert a["result_incident_id"] == iid and a["result_journal_id"]
    rows = _journal(server.data, iid)
    assert len(rows) == n + 1
    kind, author, org, body, data = rows[-1]
    meta = json.loads(data)
    assert author == _uid(server, "congan") and org == server.org_id("congan")
    assert body.strip() == "Đã xác minh địa chỉ IP 203.0.113.9."
    assert meta["verified"] is True and meta["quarantine_id"] == qp
    assert meta["accepted_by"] == _uid(server, "dieuphoi")
    with server.db() as conn:
        audit = conn.execute("SELECT action, user_id, object_type, object_id FROM audit WHERE "
                             "(object_type = 'mail_quarantine' AND object_id = ?) OR "
                             "(action = 'incident.mail' AND object_id = ?) ORDER BY id",
                             (qp, iid)).fetchall()
    decided = [tuple(a) for a in audit if a["user_id"] == _uid(server, "dieuphoi")]
    assert ("mail.accept", _uid(server, "dieuphoi"), "mail_quarantine", qp) in decided
    assert ("incident.mail", _uid(server, "dieuphoi"), "incident", iid) in decided
    # decided once
    is_problem(dp.post(f"/api/v1/mail/quarantine/{qp}/accept", json={}), 409)
    is_problem(dp.post(f"/api/v1/mail/quarantine/{qp}/reject", json={}), 409)

    # reject: kept, marked, nothing written to the incident
    r = dp.post(f"/api/v1/mail/quarantine/{qf}/reject", json={"note": "Giả mạo"})
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
    assert r.json()["note"] == "Giả mạo"
    assert len(_journal(server.data, iid)) == n + 1
    with server.db() as conn:
        assert conn.execute("SELECT count(*) FROM audit WHERE action = 'mail.reject' AND "
                            "object_id = ? AND user_id = ?",
                            (qf, _uid(server, "dieuphoi"))).fetchone()[0] == 1
    listed = dp.get("/api/v1/mail/quarantine", params={"status": "rejected"}).json()["items"]
    assert [x["id"] for x in listed if x["id"] == qf] == [qf]
    assert qf not in [x["id"] for x in dp.get("/api/v1/mail/quarantine").json()["items"]]

    # 24 operators' requests at once: one decision, one journal entry
    token = server.token("dieuphoi")

    def accept(_):
        return TokenClient(server.base, token).post(f"/api/v1/mail/quarantine/{qr}/accept", json={})

    with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
        codes = sorted(r.status_code for r in pool.map(accept, range(24)))
    assert codes == [200] + [409] * 23, codes
    rows = _journal(server.data, iid)
    assert len(rows) == n + 2 and json.loads(rows[-1][4])["verified"] is False


def test_quarantine_accept_needs_the_right_to_comment(server):
    """An operator accepts into an incident only what they may comment on themselves: a reply
    to a TLP:RED incident the coordinator is not named on stays where it is."""
    _, _, member, _ = make_user(server, "sotc", "officer")
    inc = new_incident(member, title=unique("Sự cố mật "), tlp="red")
    raw = _eml(f"Re: [{inc['ref']}] Trả lời", sender="congan@" + DEMO_DOMAIN, top=_authres(DEMO_DOMAIN))
    _gate(server.data, raw)
    q = _pending(server, raw)
    body = is_problem(server.login("dieuphoi").post(f"/api/v1/mail/quarantine/{q}/accept",
                                                    json={}), 403)
    assert body["code"] == "mailq_comment_forbidden" and body["field"] == "incident_id", body
    assert _quarantined(server.data, raw)["status"] == "pending"
    assert len(_journal(server.data, inc["id"])) == 0


def test_mailgate_address_on_two_accounts_is_nobodys(server):
    """Anyone may put any address on their own account: when two active accounts have one, a
    message from it is attributed to neither; it waits in the quarantine."""
    iid, ref = _sotc_incident(server.data)
    who = "taichinh@" + DEMO_DOMAIN
    _, _, other, uid = make_user(server, "soyt", "officer")
    r = other.patch(f"/api/v1/users/{uid}", json={"email": who.upper()})
    assert r.status_code == 200, r.text
    try:
        n = len(_journal(server.data, iid))
        raw = _eml(f"Re: [{ref}] Ai gửi?", sender=who, top=_authres(DEMO_DOMAIN))
        _gate(server.data, raw)
        assert len(_journal(server.data, iid)) == n
        q = _quarantined(server.data, raw)
        assert q["reason"] == "sender_ambiguous" and q["user_id"] is None
    finally:
        assert other.patch(f"/api/v1/users/{uid}", json={"email": ""}).status_code == 200
