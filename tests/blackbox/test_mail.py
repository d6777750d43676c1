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
                    return [(h, b) for h, b in _Hooks.got if h["X-Ungcuu-Event"] == "request"]
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
                                       "o.id = l.outbox_id WHERE o.event = 'request' ORDER BY "
                                       "l.id").fetchall()
                    row = conn.execute("SELECT hook_sent_at, hook_attempts FROM outbox WHERE "
                                       "event = 'request' AND org_id = ?", (police,)).fetchone()
                assert [x[0] for x in log] == [503, 204]
                assert row[0] > 0 and row[1] == 2
            finally:
                assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
    finally:
        ENV.clear()
        ENV.update(saved)


# ---- e-mail intake: `ungcuu mailgate` ----

import base64

from conftest import cli


def _eml(subject, sender="pa05@congan.binhminh.gov.vn", body="Đã tiếp nhận, đang xử lý.",
         extra=""):
    enc = base64.b64encode(subject.encode()).decode()
    return (f"From: \"Người gửi\" <{sender}>\r\nTo: ungcuu@binhminh.gov.vn\r\n"
            f"Subject: =?UTF-8?B?{enc}?=\r\nMessage-ID: <{unique('m')}@example.org>\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
            "--b\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{body}\r\n--b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>{body}</p>\r\n--b--\r\n")


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
    conn.close()

    # an organisation's contact address: verified, stored with that organisation
    p = cli("mailgate", data=data, input=_eml(f"Re: [{ref}] Trả lời đề nghị phối hợp"))
    assert p.returncode == 0, p.stderr
    rows = _journal(data, iid)
    assert len(rows) == 1 and rows[0][3].strip() == "Đã tiếp nhận, đang xử lý."
    meta = json.loads(rows[0][4])
    assert meta["verified"] is True and meta["sender"] == "organisation"
    assert meta["subject"] == f"Re: [{ref}] Trả lời đề nghị phối hợp"

    # the same message delivered twice by the MTA is stored once
    again = _eml(f"Re: [{ref}] lặp").replace("Message-ID: <", "Message-ID: <dup-", 1)
    assert cli("mailgate", data=data, input=again).returncode == 0
    assert cli("mailgate", data=data, input=again).returncode == 0
    assert len(_journal(data, iid)) == 2
    # a user's address: verified as that user
    p = cli("mailgate", data=data, input=_eml(f"[{ref}] bổ sung", sender="congan@demo.binhminh.gov.vn"))
    assert p.returncode == 0, p.stderr
    rows = _journal(data, iid)
    assert rows[-1][1] is not None and json.loads(rows[-1][4])["sender"] == "user"

    # anyone else: stored, marked unverified
    p = cli("mailgate", data=data, input=_eml(f"[{ref}] thông tin", sender="la@example.com"))
    assert p.returncode == 0, p.stderr
    rows = _journal(data, iid)
    assert len(rows) == 4 and json.loads(rows[-1][4])["verified"] is False and rows[-1][2] is None

    # auto-replies and bulk mail are ignored (exit 0, nothing stored): no mail loops
    for extra in ("Auto-Submitted: auto-replied\r\n", "Precedence: bulk\r\n"):
        p = cli("mailgate", data=data, input=_eml(f"[{ref}] Vắng mặt", extra=extra))
        assert p.returncode == 0 and "ignored" in p.stderr
    assert len(_journal(data, iid)) == 4

    # documented failures, nothing stored
    assert cli("mailgate", data=data, input=_eml("không có số hiệu"), check=False).returncode == 3
    assert cli("mailgate", data=data, input=_eml("[UC-1999-999999] x"), check=False).returncode == 3
    assert cli("mailgate", data=data, input="", check=False).returncode == 5
    big = _eml(f"[{ref}] lớn", body="x" * 5000)
    assert cli("mailgate", "--max-size", "2048", data=data, input=big, check=False).returncode == 6
    assert len(_journal(data, iid)) == 4


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


def _report(subject, body, sender, html=None, files=(), text=True):
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
    return msg.as_string()


LOG = b"203.0.113.7 - - [20/Nov/2026:08:29:11 +0700] \"GET /admin.php HTTP/1.1\" 200\n" * 200
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 80


def _mailgate(server, raw, *args, check=True):
    return cli("mailgate", *args, data=server.data, input=raw, check=check)


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
        assert conn.execute("SELECT count(*) FROM audit WHERE action = 'incident.mail_report' AND "
                            "object_id = ?", (inc["id"],)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM outbox WHERE incident_id = ? AND event = "
                            "'incident_reported'", (inc["id"],)).fetchone()[0] == 1
    # the coordinator and the reporting organisation read it; another member does not
    assert server.login("dieuphoi").get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    assert server.login("taichinh").get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    assert server.login("yte").get(f"/api/v1/incidents/{inc['id']}").status_code == 404
    # the MTA delivering it again stores nothing new
    n = count_rows(server, "incidents")
    assert _mailgate(server, raw).returncode == 0 and count_rows(server, "incidents") == n


def test_mailgate_report_unknown_sender_and_html_only(server):
    subject = "Fwd: [TBSC] Máy chủ bệnh viện bị mã hóa dữ liệu"
    raw = _report(subject, REPORT_ASCII, "someone@example.com", text=False,
                  files=[("log.txt", LOG, "octet-stream"), ("report.pdf", PDF, "pdf")])
    ref = _mailgate(server, raw).stdout.strip()
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
    assert "ignored" in p.stderr
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
