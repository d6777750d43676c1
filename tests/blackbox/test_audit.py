"""The audit trail (001 Đ11.4: logs kept and their integrity checked): what is recorded, who may read
it, and the hash chain's verification."""
import requests

from conftest import (Client, TokenClient, admin_client, is_problem, make_user, new_incident,
                      unique)


def entries(client, **params):
    """Every audit entry matching params, newest first, following the keyset cursor."""
    out, cursor = [], None
    for _ in range(200):
        p = dict(params, limit=200)
        if cursor:
            p["cursor"] = cursor
        r = client.get("/api/v1/audit", params=p)
        assert r.status_code == 200, r.text
        page = r.json()
        out += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return out
    raise AssertionError("audit paging does not end")


def one(items, action):
    found = [e for e in items if e["action"] == action]
    assert found, (action, [e["action"] for e in items])
    return found[0]


def test_who_may_read(server):
    auditor = server.login("kiemtra")
    assert auditor.get("/api/v1/audit").status_code == 200
    assert auditor.get("/api/v1/audit/verify").status_code == 200
    admin = admin_client(server)
    assert admin.get("/api/v1/audit").status_code == 200
    for name in ("taichinh", "taichinh.ld", "dieuphoi", "lanhdao", "congan", "ubnd"):
        c = server.login(name)
        is_problem(c.get("/api/v1/audit"), 403)
        is_problem(c.get("/api/v1/audit/verify"), 403)
    is_problem(requests.get(server.base + "/api/v1/audit"), 401)


def test_logins_failures_lockout(server):
    name, pw, c, uid = make_user(server, "sotc", "officer")
    auditor = server.login("kiemtra")
    for _ in range(5):
        Client(server.base).login(name, "Wrong#Pass2026")
    Client(server.base).login(name, pw)  # refused while locked
    items = entries(auditor, user_id=uid)
    actions = [e["action"] for e in items]
    assert actions.count("login_failed") == 5, actions
    assert "lockout" in actions and "login_locked" in actions
    assert "login" in actions and "password_change" in actions
    failed = [e for e in items if e["action"] == "login_failed"]
    assert sorted(e["after"]["failed_logins"] for e in failed) == [1, 2, 3, 4, 5]
    for e in items:
        assert e["user_id"] == uid and e["username"] == name
        assert e["ip"] == "127.0.0.1"
        assert e["at"].endswith("Z")
    # newest first: the lockout comes after the fifth failure, the locked attempt after that
    assert actions.index("login_locked") < actions.index("lockout")
    # a failed login of an unknown name is recorded too, without a user id
    ghost = unique("ghost")
    Client(server.base).login(ghost, "Wrong#Pass2026")
    recent = auditor.get("/api/v1/audit", params={"limit": 20}).json()["items"]
    e = [x for x in recent if x["action"] == "login_failed" and x["username"] == ghost]
    assert e and e[0]["user_id"] is None


def test_incident_changes_with_before_after(server):
    _, _, c, uid = make_user(server, "sotc", "officer")
    auditor = server.login("kiemtra")
    inc = new_incident(c, title=unique("kiểm toán "))
    iid = inc["id"]
    r = c.patch(f"/api/v1/incidents/{iid}", json={"severity": "low", "title": inc["title"] + "!"})
    assert r.status_code == 200
    r = c.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"})
    assert r.status_code == 200
    r = c.post(f"/api/v1/incidents/{iid}/journal", json={"body": "ghi chú"})
    assert r.status_code == 201
    r = c.post(f"/api/v1/incidents/{iid}/attachments", params={"name": "log.txt"}, data=b"log")
    assert r.status_code == 201
    items = entries(auditor, object_type="incident", object_id=iid)
    assert {e["object_id"] for e in items} == {iid}
    assert all(e["user_id"] == uid and e["ip"] == "127.0.0.1" for e in items)
    create = one(items, "incident.create")
    assert create["before"] is None
    assert create["after"]["title"] == inc["title"] and create["after"]["status"] == "new"
    update = one(items, "incident.update")
    assert update["before"]["severity"] == "high" and update["after"]["severity"] == "low"
    assert update["before"]["title"] == inc["title"]
    assert update["after"]["title"] == inc["title"] + "!"
    tr = one(items, "incident.transition")
    assert tr["before"]["status"] == "new" and tr["after"]["status"] == "reported"
    assert one(items, "incident.comment")["after"]["body"] == "ghi chú"
    assert one(items, "attachment.add")["after"]["name"] == "log.txt"
    # nothing was audited for a refused change
    n = len(items)
    c.patch(f"/api/v1/incidents/{iid}", json={"severity": "nope"})
    c.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "close"})
    assert len(entries(auditor, object_type="incident", object_id=iid)) == n


def test_user_admin_and_permission_changes(server):
    admin = admin_client(server)
    auditor = server.login("kiemtra")
    name = unique("adm")
    r = admin.post("/api/v1/users", json={"username": name, "full_name": "Người Mới",
                                          "org_id": server.org_id("soyt"), "roles": ["reporter"]})
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    assert r.json()["one_time_password"]
    r = admin.patch(f"/api/v1/users/{uid}", json={"roles": ["officer", "leader"]})
    assert r.status_code == 200, r.text
    r = admin.patch(f"/api/v1/users/{uid}", json={"phone": "0912 345 678"})
    assert r.status_code == 200, r.text
    assert admin.post(f"/api/v1/users/{uid}/disable").status_code == 200
    assert admin.post(f"/api/v1/users/{uid}/enable").status_code == 200
    assert admin.post(f"/api/v1/users/{uid}/reset").status_code == 200
    items = entries(auditor, object_type="user", object_id=uid)
    admin_id = admin.get("/api/v1/auth/me").json()["id"]
    for e in items:
        assert e["user_id"] == admin_id and e["username"] == "admin"
    created = one(items, "user.create")
    assert created["after"]["username"] == name and created["after"]["roles"] == ["reporter"]
    assert "pw_hash" not in created["after"]
    perm = one(items, "user.permissions")
    assert perm["before"]["roles"] == ["reporter"]
    assert set(perm["after"]["roles"]) == {"officer", "leader"}
    assert one(items, "user.update")["after"]["phone"] == "0912 345 678"
    dis = one(items, "user.disable")
    assert dis["before"]["active"] is True and dis["after"]["active"] is False
    assert one(items, "user.enable")["after"]["active"] is True
    reset = one(items, "user.reset")
    assert "one_time_password" not in (reset["after"] or {})
    assert all("one_time_password" not in str(e) for e in items)


def test_requests_tokens_orgs_logout(server):
    admin = admin_client(server)
    auditor = server.login("kiemtra")
    coord = server.login("dieuphoi")
    member = server.login("taichinh")
    inc = new_incident(member, title=unique("phối hợp "))
    member.post(f"/api/v1/incidents/{inc['id']}/transitions", json={"action": "report"})
    r = coord.post(f"/api/v1/incidents/{inc['id']}/requests",
                   json={"org_id": server.org_id("vnpt"), "kind": "support", "body": "Lọc DDoS"})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    vnpt = server.login("vnpt")
    assert vnpt.post(f"/api/v1/requests/{rid}/answer",
                     json={"status": "done", "answer": "Đã lọc"}).status_code == 200
    items = entries(auditor, object_type="request", object_id=rid)
    assert one(items, "request.create")["username"] == "dieuphoi"
    ans = one(items, "request.answer")
    assert ans["username"] == "vnpt"
    assert ans["before"]["status"] == "open" and ans["after"]["status"] == "done"
    # API token revocation through the API
    token = server.token("giaoduc")
    tid = max(t["id"] for t in admin.get("/api/v1/tokens").json()["items"])
    assert admin.delete(f"/api/v1/tokens/{tid}").status_code == 204
    is_problem(TokenClient(server.base, token).get("/api/v1/auth/me"), 401)
    assert one(entries(auditor, object_type="token", object_id=tid), "token.revoke")
    # organisation edits
    org = server.org_id("sogd")
    r = admin.patch(f"/api/v1/orgs/{org}", json={"hotline": "0234 999"})
    assert r.status_code == 200, r.text
    e = one(entries(auditor, object_type="org", object_id=org), "org.update")
    assert e["after"]["hotline"] == "0234 999"
    # logout
    c = server.login("quansu")
    uid = c.get("/api/v1/auth/me").json()["id"]
    assert c.post("/api/v1/auth/logout").status_code == 204
    assert one(entries(auditor, user_id=uid), "logout")


def test_audit_paging(server):
    auditor = server.login("kiemtra")
    first = auditor.get("/api/v1/audit", params={"limit": 3}).json()
    assert len(first["items"]) == 3
    second = auditor.get("/api/v1/audit", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 6
    for bad in ({"limit": 0}, {"limit": 501}, {"cursor": "x"}):
        is_problem(auditor.get("/api/v1/audit", params=bad), 400)


def test_verify_intact(server):
    auditor = server.login("kiemtra")
    r = auditor.get("/api/v1/audit/verify")
    assert r.status_code == 200
    v = r.json()
    assert v["intact"] is True and v["first_broken_id"] is None
    with server.db() as conn:
        assert v["entries"] == conn.execute("SELECT count(*) FROM audit").fetchone()[0]


def test_verify_detects_tampering(fresh_server):
    s = fresh_server
    auditor = s.login("kiemtra")
    c = s.login("taichinh")
    new_incident(c, title=unique("giả mạo "))
    assert auditor.get("/api/v1/audit/verify").json()["intact"] is True
    with s.db() as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM audit ORDER BY id")]
        victim = ids[len(ids) // 2]
        original = conn.execute("SELECT action FROM audit WHERE id = ?", (victim,)).fetchone()[0]
        conn.execute("UPDATE audit SET action = 'nothing' WHERE id = ?", (victim,))
    v = auditor.get("/api/v1/audit/verify").json()
    assert v["intact"] is False
    assert v["first_broken_id"] == victim
    # editing the hash too does not hide it: the next entry's link breaks
    with s.db() as conn:
        conn.execute("UPDATE audit SET action = ? WHERE id = ?", (original, victim))
    assert auditor.get("/api/v1/audit/verify").json()["intact"] is True  # restored
    with s.db() as conn:
        conn.execute("UPDATE audit SET hash = ? WHERE id = ?", ("0" * 64, victim))
    v = auditor.get("/api/v1/audit/verify").json()
    assert v["intact"] is False and v["first_broken_id"] in (victim, ids[ids.index(victim) + 1])
    # new entries keep being appended, the break stays reported
    new_incident(c, title=unique("sau "))
    v = auditor.get("/api/v1/audit/verify").json()
    assert v["intact"] is False


def test_entries_follow_their_objects_access_rule(server):
    """An audit entry is read under its object's own access rule: an auditor of another
    organisation, or the coordinator's admin, never sees a TLP:RED incident of the finance
    department through the audit trail (neither its text nor that it exists)."""
    _, _, officer, _ = make_user(server, "sotc", "officer")
    secret = unique("bí mật đỏ ")
    inc = new_incident(officer, title=secret, tlp="red", description="Nội dung " + secret)
    iid = inc["id"]
    r = officer.post(f"/api/v1/incidents/{iid}/journal", json={"body": "ghi chú " + secret})
    assert r.status_code == 201, r.text
    own_auditor = make_user(server, "sotc", "auditor")[2]
    other_auditor = make_user(server, "soyt", "auditor")[2]
    # the reporting organisation's auditor reads its own incident's entries
    mine = entries(own_auditor, object_type="incident", object_id=iid)
    assert {e["action"] for e in mine} >= {"incident.create", "incident.comment"}
    assert one(mine, "incident.create")["after"]["title"] == secret
    # the others read nothing of it: not by id, not by type, not in the whole trail
    readers = {"soyt auditor": other_auditor, "coordinator auditor": server.login("kiemtra"),
               "coordinator admin": admin_client(server)}
    for who, c in readers.items():
        assert entries(c, object_type="incident", object_id=iid) == [], who
        for params in ({"object_type": "incident"}, {}):
            items = entries(c, **params)
            assert not [e for e in items if e["object_type"] == "incident" and
                        e["object_id"] == iid], who
            r = c.get("/api/v1/audit", params=dict(params, limit=200))
            assert secret not in r.text, who
    # a TLP:AMBER incident of the finance department: the coordinator's auditor reads it once
    # it is reported (the coordinator is named), the health department's auditor never
    amber = new_incident(officer, title=unique("hổ phách "), tlp="amber")
    assert officer.post(f"/api/v1/incidents/{amber['id']}/transitions",
                        json={"action": "report"}).status_code == 200
    assert entries(server.login("kiemtra"), object_type="incident", object_id=amber["id"])
    assert entries(other_auditor, object_type="incident", object_id=amber["id"]) == []
    # entries on the directory (accounts) stay readable to every auditor
    assert entries(other_auditor, object_type="user")
