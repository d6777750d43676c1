"""Backups whose restore is tested (001 Đ12.1, Đ12.6): `ungcuu backup`, `backup list`,
`backup verify [--restore-test]`, `ungcuu restore`, and the server's daily backup. The checks on a
broken backup edit the backup behind the program's back, as an attacker or a bad disk would."""
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time

from conftest import Server, cli, free_port, new_incident, unique


def upload(client, inc_id, data, name="nhat-ky.log"):
    r = client.post(f"/api/v1/incidents/{inc_id}/attachments", params={"name": name}, data=data,
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    return r.json()


def latest(data):
    items = json.loads(cli("backup", "list", "--json", data=data).stdout)
    done = [b for b in items if b["complete"]]
    assert done, items
    return done[-1]


def manifest(path):
    with open(os.path.join(path, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def test_backup_during_writes_then_restore_and_serve(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("sao lưu "))
    blob = os.urandom(3000) + "nhật ký máy chủ".encode()
    att = upload(c, inc["id"], blob)

    # writes go on while the backup is taken: the copy is one consistent snapshot
    stop = threading.Event()
    writer = server.login("yte")

    def write():
        while not stop.is_set():
            new_incident(writer, title=unique("ghi song song "))

    t = threading.Thread(target=write)
    t.start()
    try:
        time.sleep(0.3)
        path = cli("backup", data=server.data).stdout.strip()
    finally:
        stop.set()
        t.join()
    assert os.path.isdir(path) and os.path.basename(os.path.dirname(path)) == "backups"
    m = manifest(path)
    assert m["format"] == "ungcuu-backup-1"
    assert {"sha256": att["sha256"], "size": att["size"]} in m["files"]
    with open(os.path.join(path, "ungcuu.db"), "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == m["database"]["sha256"]

    out = cli("backup", "verify", os.path.basename(path), data=server.data).stdout
    assert "Nguyên vẹn" in out and f"{m['incidents']} sự cố" in out

    with tempfile.TemporaryDirectory(prefix="ungcuu-restore-") as tmp:
        target = os.path.join(tmp, "restored")
        out = cli("restore", path, data=target).stdout
        assert "Đã khôi phục vào" in out
        assert cli("audit", "verify", data=target).returncode == 0
        # the restored folder serves: same incidents, the attachment with its hash, logins work
        restored = Server.__new__(Server)
        restored.data, restored.serve_args = target, []
        restored.port = free_port()
        restored.base = f"http://127.0.0.1:{restored.port}"
        restored.proc = None
        restored.start()
        try:
            rc = restored.login("taichinh")
            got = rc.get(f"/api/v1/attachments/{att['id']}")
            assert got.status_code == 200 and got.content == blob
            assert got.headers["X-Content-SHA256"] == att["sha256"]
            conn = sqlite3.connect(os.path.join(target, "ungcuu.db"))
            assert conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == m["incidents"]
            actions = [r[0] for r in conn.execute("SELECT action FROM audit ORDER BY id")]
            conn.close()
            assert actions[-2:] == ["backup.restore", "login"]
        finally:
            assert restored.stop() == 0

        # never over an existing data folder
        again = cli("restore", path, data=target, check=False, lang="en")
        assert again.returncode == 4, again.stdout + again.stderr
        assert "The target already holds a database" in again.stdout


def test_verify_names_what_is_broken(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("kiểm tra "))
    att = upload(c, inc["id"], b"log line\n" * 100)
    path = cli("backup", data=server.data).stdout.strip()
    name = os.path.basename(path)
    f = os.path.join(path, "files", att["sha256"])

    # a changed attachment (a hard link to the live file is replaced, not written through)
    os.replace(f, f + ".orig")
    with open(f, "wb") as out:
        out.write(b"tampered\n")
    r = cli("backup", "verify", name, data=server.data, check=False)
    assert r.returncode == 5 and f"Tệp bị thay đổi: files/{att['sha256']}" in r.stdout, r.stdout
    os.remove(f)
    r = cli("backup", "verify", name, data=server.data, check=False, lang="en")
    assert r.returncode == 5 and f"The file files/{att['sha256']} is missing" in r.stdout, r.stdout
    os.replace(f + ".orig", f)
    assert cli("backup", "verify", name, data=server.data).returncode == 0
    # the live attachment was never touched
    assert c.get(f"/api/v1/attachments/{att['id']}").headers["X-Content-SHA256"] == att["sha256"]

    # an audit entry edited inside the backup, with the manifest's hash made to match: the
    # chain inside the copy still gives it away
    db = os.path.join(path, "ungcuu.db")
    conn = sqlite3.connect(db)
    victim = conn.execute("SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
    conn.execute("UPDATE audit SET ip = '10.9.9.9' WHERE id = ?", (victim,))
    conn.commit()
    conn.close()
    r = cli("backup", "verify", name, data=server.data, check=False, lang="en")
    assert r.returncode == 5 and "SHA-256 differs" in r.stdout, r.stdout
    m = manifest(path)
    with open(db, "rb") as fh:
        m["database"]["sha256"] = hashlib.sha256(fh.read()).hexdigest()
    with open(os.path.join(path, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(m, fh)
    r = cli("backup", "verify", name, data=server.data, check=False)
    assert r.returncode == 5 and f"bị phá vỡ tại bản ghi {victim}" in r.stdout, r.stdout

    # a backup that is not one
    r = cli("backup", "verify", "khong-co", data=server.data, check=False)
    assert r.returncode == 3


def test_restore_test_is_recorded_and_unfinished_backups_are_skipped(server):
    path = cli("backup", data=server.data).stdout.strip()
    # a backup killed half-way leaves NAME.partial: listed as unfinished, never verified
    partial = os.path.join(server.data, "backups", "29991231T000000Z.partial")
    os.makedirs(partial)
    items = json.loads(cli("backup", "list", "--json", data=server.data).stdout)
    assert [b["complete"] for b in items if b["name"].endswith(".partial")] == [False]
    assert "(chưa hoàn tất)" in cli("backup", "list", data=server.data).stdout
    assert "(unfinished)" in cli("backup", "list", data=server.data, lang="en").stdout

    out = cli("backup", "verify", "--restore-test", data=server.data, lang="en").stdout
    assert "the restore test passed" in out and os.path.basename(path) in out
    assert os.listdir(os.path.join(server.data, "tmp")) == []  # the scratch folder is gone
    with server.db() as conn:
        row = conn.execute("SELECT action, after FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        tested = conn.execute("SELECT value FROM meta WHERE key = 'backup_restore_tested_at'").fetchone()
    assert row["action"] == "backup.restore_test" and json.loads(row["after"])["backup"] == path
    assert tested is not None
    assert cli("audit", "verify", data=server.data).returncode == 0


def test_daily_backup_by_the_server_once_a_day_with_retention():
    import conftest
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        data = os.path.join(tmp, "data")
        s = Server(data, demo=False)
        s.stop()
        root = os.path.join(data, "backups")
        shutil.rmtree(root)
        os.makedirs(root)
        # three older backups already there; keep 2: the oldest two go
        for day in ("20200101T000000Z", "20200102T000000Z", "20200103T000000Z"):
            os.rename(cli("backup", data=data).stdout.strip(), os.path.join(root, day))
        with s.db() as conn:
            conn.execute("DELETE FROM meta WHERE key = 'backup_last_day'")
        # a server started at 10:00 Vietnam time makes no backup: the backup waits for its hour
        ten = 1795230000 + 86400  # 2026-11-22T10:00:00+07:00
        conftest.ENV.update(UNGCUU_BACKUP_HOUR="1", UNGCUU_BACKUP_KEEP="2",
                            UNGCUU_FAKE_NOW=f"{ten}@{int(time.time())}")
        try:
            s.start()
            time.sleep(1.5)
            assert sorted(os.listdir(root))[-1] == "20200103T000000Z"
            s.stop()
            # at 01:05 of the next day it runs
            conftest.ENV.update(UNGCUU_FAKE_NOW=f"{ten + 15 * 3600 + 300}@{int(time.time())}")
            s.start()
            deadline = time.time() + 30
            names = []
            while time.time() < deadline:
                names = sorted(os.listdir(root))
                if len(names) == 2 and not names[-1].startswith("2020"):
                    break
                time.sleep(0.2)
            assert len(names) == 2 and names[0] == "20200103T000000Z", names
            s.stop()
            s.start()  # the same day: no second backup
            time.sleep(1.5)
            assert sorted(os.listdir(root)) == names
            assert cli("backup", "verify", names[-1], data=data).returncode == 0
        finally:
            conftest.ENV.pop("UNGCUU_BACKUP_HOUR", None)
            conftest.ENV.pop("UNGCUU_BACKUP_KEEP", None)
            conftest.ENV["UNGCUU_FAKE_NOW"] = os.environ["UNGCUU_FAKE_NOW"]
            assert s.stop() == 0
