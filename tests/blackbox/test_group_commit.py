"""Group commit (api/batch.c): reports and journal comments arriving together are committed in one
transaction, each request a savepoint of it. What must hold: every request gets its own answer,
a bad request in a group fails alone, an Idempotency-Key used by several requests of one group
still creates one incident, and the audit chain stays one unbroken chain."""
from concurrent.futures import ThreadPoolExecutor

from conftest import TokenClient, cli, unique

BODY = {"group": "attack", "type": "ddos", "severity": "medium",
        "detected_at": "2026-11-20T08:30:00+07:00",
        "description": "Lưu lượng bất thường tới cổng thông tin điện tử."}


def burst(fn, n, workers=32):
    with ThreadPoolExecutor(workers) as ex:
        return list(ex.map(fn, range(n)))


def test_many_at_once_each_answered_bad_ones_fail_alone(server):
    token = server.token("taichinh")
    tag = unique("g")

    def post(i):
        c = TokenClient(server.base, token)
        body = dict(BODY, title=f"Nhóm {tag} #{i}")
        if i % 7 == 3:
            body["severity"] = "khong-co"  # invalid: 422 for this one only
        return i, c.post("/api/v1/incidents", json=body)

    results = burst(post, 160)
    good = [(i, r) for i, r in results if i % 7 != 3]
    bad = [(i, r) for i, r in results if i % 7 == 3]
    assert all(r.status_code == 201 for _, r in good), [r.text for _, r in good if r.status_code != 201][:3]
    assert all(r.status_code == 422 and "severity" in r.text for _, r in bad)
    # each answer is its own request's incident, and the refs are distinct
    for i, r in good:
        assert r.json()["title"] == f"Nhóm {tag} #{i}"
        assert r.headers["Location"] == f"/api/v1/incidents/{r.json()['id']}"
    refs = {r.json()["ref"] for _, r in good}
    assert len(refs) == len(good)
    with server.db() as conn:
        n = conn.execute("SELECT count(*) FROM incidents WHERE title LIKE ?", (f"Nhóm {tag} #%",)).fetchone()[0]
        audits = conn.execute("SELECT count(*) FROM audit WHERE action = 'incident.create' AND "
                              "json_extract(after, '$.title') LIKE ?", (f"Nhóm {tag} #%",)).fetchone()[0]
    assert n == len(good) and audits == len(good)
    assert cli("audit", "verify", data=server.data).returncode == 0


def test_one_idempotency_key_in_one_group_creates_one_incident(server):
    token = server.token("taichinh")
    key = unique("idem")
    body = dict(BODY, title=f"Một lần {key}")

    def post(_):
        c = TokenClient(server.base, token)
        return c.post("/api/v1/incidents", json=body, headers={"Idempotency-Key": key})

    results = burst(post, 24)
    assert all(r.status_code == 201 for r in results), [r.text for r in results][:3]
    ids = {r.json()["id"] for r in results}
    assert len(ids) == 1
    assert sum(1 for r in results if r.headers.get("Idempotent-Replayed") == "true") == 23
    with server.db() as conn:
        assert conn.execute("SELECT count(*) FROM incidents WHERE title = ?", (body["title"],)).fetchone()[0] == 1


def test_comments_in_a_group_all_kept_in_order(server):
    token = server.token("taichinh")
    c = TokenClient(server.base, token)
    r = c.post("/api/v1/incidents", json=dict(BODY, title=unique("ghi chú ")))
    assert r.status_code == 201
    inc = r.json()["id"]

    def comment(i):
        return TokenClient(server.base, token).post(f"/api/v1/incidents/{inc}/journal",
                                                    json={"body": f"Ghi chú {i}"})

    results = burst(comment, 60)
    assert all(r.status_code == 201 for r in results), [r.text for r in results if r.status_code != 201][:3]
    items = c.get(f"/api/v1/incidents/{inc}/journal").json()["items"]
    comments = [j for j in items if j["kind"] == "comment"]
    assert sorted(j["body"] for j in comments) == sorted(f"Ghi chú {i}" for i in range(60))
    # the journal's order is the order in which the answers gave out their ids
    assert [j["id"] for j in comments] == sorted(r.json()["id"] for r in results)
