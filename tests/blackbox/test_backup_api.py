"""Backups in the API (docs/backup.md, docs/api.md): an admin lists the backups with the state of
the daily backup and of the restore test the regulation asks for every 6 months (001 Đ12.6),
makes a backup now, verifies one and restore-tests it; auditors read; nobody else. Names are
backup names under DATA/backups, nothing else. A broken backup is made as test_backup.py does:
a file of the backup folder is replaced behind the program's back."""
import json
import os
import re
import threading
import time

import pytest

from conftest import admin_client, cli, is_problem, new_incident, unique, now

NAME = re.compile(r"^\d{8}T\d{6}Z(-\d{1,2})?$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def audit_rows(server, action):
    with server.db() as conn:
        return [(r["username"], json.loads(r["after"] or "null"))
                for r in conn.execute("SELECT * FROM audit WHERE action = ? ORDER BY id", (action,))]


def meta(server, key):
    with server.db() as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row and row[0]


def backups_dir(server):
    return os.path.join(server.data, "backups")


def test_list_and_state_before_any_restore_test(server):
    admin = admin_client(server)
    r = admin.get("/api/v1/admin/backups")
    assert r.status_code == 200, r.text
    body = r.json()
    # never tested on this instance: overdue (Tây Sơn 001 Đ12.6)
    assert body["restore_tested_at"] is None and body["restore_test_overdue"] is True
    assert body["daily"] == {"enabled": True, "hour": 1, "keep": 14, "settings_valid": True}
    assert body["last_daily_backup"] is None or re.match(r"^\d{4}-\d\d-\d\d$", body["last_daily_backup"])
    assert isinstance(body["items"], list)
    # an auditor reads the same
    r = server.login("kiemtra").get("/api/v1/admin/backups")
    assert r.status_code == 200 and r.json()["restore_test_overdue"] is True


def test_create_while_others_write(server):
    admin = admin_client(server)
    before = set(os.listdir(backups_dir(server))) if os.path.isdir(backups_dir(server)) else set()
    stop = threading.Event()
    writer = server.login("yte")
    written, failed = [], []

    def write():
        while not stop.is_set():
            r = writer.post("/api/v1/incidents", json={
                "title": unique("ghi trong khi sao lưu "), "group": "attack", "type": "intrusion",
                "severity": "high", "detected_at": "2026-11-20T08:30:00+07:00",
                "description": "Ghi song song với bản sao lưu."})
            (written if r.status_code == 201 else failed).append(r.status_code)

    t = threading.Thread(target=write)
    t.start()
    try:
        time.sleep(0.3)
        r = admin.post("/api/v1/admin/backups", json={})
        time.sleep(0.2)
    finally:
        stop.set()
        t.join()
    assert r.status_code == 201, r.text
    assert not failed and written, failed  # the writers were never refused
    b = r.json()
    assert NAME.match(b["name"]) and b["complete"] is True and ISO.match(b["created_at"]), b
    assert b["incidents"] > 0 and b["database_size"] > 0 and "path" not in b, b
    assert b["name"] in set(os.listdir(backups_dir(server))) - before
    listed = {i["name"]: i for i in admin.get("/api/v1/admin/backups").json()["items"]}
    assert listed[b["name"]] == b
    assert audit_rows(server, "backup.create")[-1] == ("admin", b)
    # the same backup the command line checks
    assert cli("backup", "verify", b["name"], data=server.data).returncode == 0


def test_create_is_idempotent_and_takes_no_fields(server):
    admin = admin_client(server)
    key = unique("sao-luu-")
    first = admin.post("/api/v1/admin/backups", json={}, headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    again = admin.post("/api/v1/admin/backups", json={}, headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["name"] == first.json()["name"]
    names = [i["name"] for i in admin.get("/api/v1/admin/backups").json()["items"]]
    assert names.count(first.json()["name"]) == 1
    is_problem(admin.post("/api/v1/admin/backups", json={"out": "/tmp"}), 422, "Unknown field")


def test_verify_a_sound_and_a_broken_backup(server):
    admin = admin_client(server)
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("kiểm tra sao lưu "))
    r = c.post(f"/api/v1/incidents/{inc['id']}/attachments", params={"name": "nhat-ky.log"},
               data=b"log line\n" * 50, headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    att = r.json()
    b = admin.post("/api/v1/admin/backups").json()  # an empty body is fine too

    r = admin.post(f"/api/v1/admin/backups/{b['name']}/verify", json={})
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["sound"] is True and v["problem"] is None and v["problem_code"] is None, v
    assert v["incidents"] == b["incidents"] and v["files"] == b["files"] >= 1 and v["audit_entries"] > 0

    # a file of the backup replaced (a hard link to the live file: replaced, not written through)
    f = os.path.join(backups_dir(server), b["name"], "files", att["sha256"])
    os.replace(f, f + ".orig")
    with open(f, "wb") as out:
        out.write(b"tampered\n")
    r = admin.post(f"/api/v1/admin/backups/{b['name']}/verify")
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["sound"] is False and v["problem_code"] == "backup_file_changed", v
    assert v["problem"] == f"Tệp bị thay đổi: files/{att['sha256']}", v
    r = admin.post(f"/api/v1/admin/backups/{b['name']}/verify", headers={"Accept-Language": "en"})
    assert r.json()["problem"] == f"The file files/{att['sha256']} was changed", r.text
    # the restore test refuses it as well, records the failure and not a success
    tested = meta(server, "backup_restore_tested_at")
    r = admin.post(f"/api/v1/admin/backups/{b['name']}/restore-test")
    assert r.status_code == 200 and r.json()["sound"] is False, r.text
    assert r.json()["restore_tested_at"] is None
    assert meta(server, "backup_restore_tested_at") == tested
    assert audit_rows(server, "backup.restore_test_failed")[-1][1]["name"] == b["name"]
    os.replace(f + ".orig", f)
    assert admin.post(f"/api/v1/admin/backups/{b['name']}/verify").json()["sound"] is True
    # every verification is on the record, sound or not
    verified = [a for u, a in audit_rows(server, "backup.verify") if a["name"] == b["name"]]
    assert [a["sound"] for a in verified] == [True, False, False, True]  # broken: asked twice
    # the live attachment was never touched
    assert c.get(f"/api/v1/attachments/{att['id']}").headers["X-Content-SHA256"] == att["sha256"]


def test_restore_test_is_recorded_and_clears_the_warning(server):
    admin = admin_client(server)
    b = admin.post("/api/v1/admin/backups", json={}).json()
    # the last test was 7 months ago: overdue
    with server.db() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('backup_restore_tested_at', ?)",
                     (str(int(now()) - 214 * 86400),))
    state = admin.get("/api/v1/admin/backups").json()
    assert state["restore_test_overdue"] is True and ISO.match(state["restore_tested_at"])

    r = admin.post(f"/api/v1/admin/backups/{b['name']}/restore-test", json={})
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["sound"] is True and t["problem"] is None and ISO.match(t["restore_tested_at"]), t
    assert t["incidents"] == b["incidents"]
    state = admin.get("/api/v1/admin/backups").json()
    assert state["restore_test_overdue"] is False and state["restore_tested_at"] == t["restore_tested_at"]
    assert os.listdir(os.path.join(server.data, "tmp")) == []  # the scratch folder is gone
    user, after = audit_rows(server, "backup.restore_test")[-1]
    assert user == "admin" and after["name"] == b["name"] and after["sound"] is True
    assert cli("audit", "verify", data=server.data).returncode == 0


@pytest.mark.parametrize("name", [
    "..", "...", "..%2F..%2Fungcuu.db", "%2e%2e", "..%2f", "%2Fetc%2Fpasswd", "backups",
    "20261121T000000Z%2F..", "20261121T000000Z.partial", "20261121T000000Z-1", "20261121T000000Z-100",
    "2026112XT000000Z", "20261121T000000", "20261121t000000z", "20261121T000000Z%00", "x" * 300,
    "20261121T000000Z ", "%20261121T000000Z",
])
def test_names_that_are_not_backups_are_refused(server, name):
    admin = admin_client(server)
    for op in ("verify", "restore-test"):
        r = admin.post(f"/api/v1/admin/backups/{name}/{op}", json={})
        # 400: a path that encodes a control byte (%00) is refused before any route
        assert r.status_code in (400, 404, 422), (name, op, r.status_code, r.text)
        assert r.headers["Content-Type"].startswith("application/problem+json"), r.headers


def test_only_backups_under_the_backups_folder(server):
    admin = admin_client(server)
    # well formed but absent
    is_problem(admin.post("/api/v1/admin/backups/20000101T000000Z/verify"), 404)
    # a well-formed name that is a link to a backup elsewhere is not followed
    real = cli("backup", "--out", os.path.join(server.data, "tmp-elsewhere"), data=server.data).stdout.strip()
    link = os.path.join(backups_dir(server), "20000102T000000Z")
    os.symlink(real, link)
    try:
        is_problem(admin.post("/api/v1/admin/backups/20000102T000000Z/verify"), 404)
        is_problem(admin.post("/api/v1/admin/backups/20000102T000000Z/restore-test"), 404)
    finally:
        os.remove(link)
    # an unfinished backup is listed but cannot be verified by its folder name
    os.makedirs(os.path.join(backups_dir(server), "20000103T000000Z.partial"))
    items = admin.get("/api/v1/admin/backups").json()["items"]
    partial = [i for i in items if i["name"] == "20000103T000000Z.partial"]
    assert partial and partial[0]["complete"] is False and partial[0]["created_at"] is None
    is_problem(admin.post("/api/v1/admin/backups/20000103T000000Z.partial/verify"), 422)


def test_non_admins_are_denied(server):
    admin = admin_client(server)
    name = admin.post("/api/v1/admin/backups", json={}).json()["name"]
    # counted in the audit trail, not the folder: the server's daily backup may run meanwhile
    count = {a: len(audit_rows(server, a)) for a in ("backup.create", "backup.verify", "backup.restore_test")}
    for user in ("taichinh", "dieuphoi", "kiemtra", "congan"):
        c = server.login(user)
        for path in ("/api/v1/admin/backups", f"/api/v1/admin/backups/{name}/verify",
                     f"/api/v1/admin/backups/{name}/restore-test",
                     "/api/v1/admin/backups/..%2F..%2Fungcuu.db/verify"):
            r = c.post(path, json={})
            assert r.status_code in (403, 404), (user, path, r.status_code)
            if "%2F" not in path:
                is_problem(r, 403)
        if user != "kiemtra":  # the auditor reads; the others do not
            is_problem(c.get("/api/v1/admin/backups"), 403)
    assert {a: len(audit_rows(server, a)) for a in count} == count
