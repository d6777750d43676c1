"""Durability: what the server answered 201 for survives kill -9 (SQLite WAL, synchronous commits),
with its journal and audit entries, and the audit chain still verifies."""
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

from conftest import TokenClient, cli, unique

N = 50


def body(i, tag):
    return {"title": f"Bền vững {tag} #{i}", "group": "attack", "type": "ddos",
            "severity": ["low", "medium", "high", "serious", "critical"][i % 5],
            "detected_at": "2026-11-20T08:30:00+07:00",
            "description": f"Sự cố số {i} trước khi máy chủ bị dừng đột ngột."}


def test_kill_9_loses_nothing_answered(fresh_server):
    s = fresh_server
    tag = unique("k")
    t = TokenClient(s.base, s.token("taichinh"))
    created = []
    # the first half one by one, the second half from four threads at once
    for i in range(N // 2):
        r = t.post("/api/v1/incidents", json=body(i, tag))
        assert r.status_code == 201, r.text
        created.append(r.json())

    def post(i):
        c = TokenClient(s.base, t.headers["Authorization"][7:])
        r = c.post("/api/v1/incidents", json=body(i, tag))
        assert r.status_code == 201, r.text
        return r.json()

    with ThreadPoolExecutor(4) as ex:
        created += list(ex.map(post, range(N // 2, N - 1)))
    data = os.urandom(5000)
    r = t.post(f"/api/v1/incidents/{created[0]['id']}/attachments", params={"name": "pcap.bin"},
               data=data)
    assert r.status_code == 201, r.text
    att = r.json()
    r = t.post("/api/v1/incidents", json=body(N - 1, tag))
    assert r.status_code == 201, r.text
    created.append(r.json())
    s.stop(kill=True)  # SIGKILL right after the last 201

    assert len({c["id"] for c in created}) == N
    assert len({c["ref"] for c in created}) == N
    s.start()
    t = TokenClient(s.base, t.headers["Authorization"][7:])
    for c in created:
        r = t.get(f"/api/v1/incidents/{c['id']}")
        assert r.status_code == 200, r.text
        got = r.json()
        assert (got["ref"], got["title"], got["severity"]) == (c["ref"], c["title"], c["severity"])
        j = t.get(f"/api/v1/incidents/{c['id']}/journal").json()["items"]
        assert j and j[0]["kind"] == "created"
    listed = t.get("/api/v1/incidents", params={"q": tag, "limit": 200}).json()["items"]
    assert {i["id"] for i in listed} == {c["id"] for c in created}
    with s.db() as conn:
        audited = {r[0] for r in conn.execute(
            "SELECT object_id FROM audit WHERE action = 'incident.create'")}
    assert {c["id"] for c in created} <= audited
    got = t.get(f"/api/v1/attachments/{att['id']}")
    assert got.status_code == 200 and got.content == data
    assert hashlib.sha256(got.content).hexdigest() == att["sha256"]
    auditor = s.login("kiemtra")
    v = auditor.get("/api/v1/audit/verify").json()
    assert v["intact"] is True, v
    r = cli("audit", "verify", data=s.data)
    assert "Chuỗi nhật ký nguyên vẹn" in r.stdout
    # the reference counter goes on after the restart, without reuse
    r = t.post("/api/v1/incidents", json=body(N, tag))
    assert r.status_code == 201
    assert r.json()["ref"] not in {c["ref"] for c in created}
    assert int(r.json()["ref"][-6:]) > max(int(c["ref"][-6:]) for c in created)


def test_clean_stop_exits_0(fresh_server):
    s = fresh_server
    t = TokenClient(s.base, s.token("taichinh"))
    assert t.post("/api/v1/incidents", json=body(0, unique("s"))).status_code == 201
    assert s.stop() == 0  # SIGTERM: clean shutdown, no sanitizer report
    s.start()
    assert t.get("/api/v1/incidents").status_code == 200
