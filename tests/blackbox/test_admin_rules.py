"""Nobody grants themselves access (docs/access.md, "Organisations, accounts, audit"): an admin
does not change their own organisation or roles; an organisation's identity (name, code, role,
parent) is changed by an admin of the coordinator only, and no two organisations share a name.
An organisation's own officer or leader still keeps its contact point current."""
from conftest import TokenClient, admin_client, is_problem, make_user, new_incident, unique

POLICE_NAME = "Công an tỉnh Bình Minh"  # the demo's police (src/cli/demo.c)


def user_row(server, uid):
    with server.db() as conn:
        return dict(conn.execute("SELECT org_id, roles, version FROM users WHERE id = ?",
                                 (uid,)).fetchone())


def org_row(server, oid):
    with server.db() as conn:
        return dict(conn.execute("SELECT code, name, role, parent_id, phone, version FROM orgs "
                                 "WHERE id = ?", (oid,)).fetchone())


def etag_of(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    return r.headers["ETag"]


# ---- an admin and their own account ----

def test_admin_cannot_move_self_into_another_org(server):
    """The review: an admin moved itself into another organisation and read its incidents."""
    _, _, c, uid = make_user(server, "sotc", "admin,officer")
    theirs = new_incident(server.login("yte"))  # an incident of soyt, TLP:AMBER
    before = user_row(server, uid)
    r = c.patch(f"/api/v1/users/{uid}", json={"org_id": server.org_id("soyt")})
    assert is_problem(r, 403)["field"] == "org_id"
    assert user_row(server, uid) == before
    assert c.get(f"/api/v1/incidents/{theirs['id']}").status_code == 404
    # the coordinator's admin neither
    admin = admin_client(server)
    me = admin.get("/api/v1/auth/me").json()
    before = user_row(server, me["id"])
    r = admin.patch(f"/api/v1/users/{me['id']}", json={"org_id": server.org_id("soyt")})
    assert is_problem(r, 403)["field"] == "org_id"
    assert user_row(server, me["id"]) == before


def test_admin_cannot_change_own_roles(server):
    _, _, c, uid = make_user(server, "sotc", "admin")
    before = user_row(server, uid)
    for roles in (["admin", "leader"], ["admin", "auditor"], ["officer"]):
        r = c.patch(f"/api/v1/users/{uid}", json={"roles": roles})
        assert is_problem(r, 403)["field"] == "roles", roles
        assert user_row(server, uid) == before
    # saving one's own roles unchanged (the roles dialog on oneself) is no change: allowed
    r = c.patch(f"/api/v1/users/{uid}", json={"roles": ["admin"], "position": "Quản trị"})
    assert r.status_code == 200, r.text
    assert user_row(server, uid)["roles"] == before["roles"]
    assert user_row(server, uid)["org_id"] == before["org_id"]


def test_admin_still_changes_other_accounts(server):
    admin = admin_client(server)
    _, _, _, uid = make_user(server, "sotc", "officer")
    r = admin.patch(f"/api/v1/users/{uid}", json={"roles": ["leader"],
                                                  "org_id": server.org_id("soyt")})
    assert r.status_code == 200, r.text
    assert r.json()["roles"] == ["leader"] and r.json()["org_id"] == server.org_id("soyt")


def test_own_profile_still_editable(server):
    _, _, c, uid = make_user(server, "sotc", "officer")
    r = c.patch(f"/api/v1/users/{uid}", json={"phone": "0912 345 678"})
    assert r.status_code == 200, r.text
    r = c.patch(f"/api/v1/users/{uid}", json={"roles": ["leader"]})
    assert is_problem(r, 403)["field"] == "roles"
    r = c.patch(f"/api/v1/users/{uid}", json={"org_id": server.org_id("soyt")})
    assert is_problem(r, 403)["field"] == "org_id"


# ---- an organisation's identity ----

def test_officer_cannot_rename_own_org_but_keeps_its_contact_point(server):
    """The review: an organisation's officer renamed it to the police's name."""
    c = server.login("taichinh")  # officer of sotc
    oid = server.org_id("sotc")
    before = org_row(server, oid)
    for field, value in (("name", POLICE_NAME), ("name", "Sở Tài chính (mới)"),
                         ("code", "congan2"), ("role", "police"),
                         ("parent_id", server.org_id("congan"))):
        r = c.patch(f"/api/v1/orgs/{oid}", json={field: value},
                    headers={"If-Match": etag_of(c, f"/api/v1/orgs/{oid}")})
        assert is_problem(r, 403)["field"] == field, (field, r.text)
        assert org_row(server, oid) == before
    # nothing of a mixed body is applied either
    r = c.patch(f"/api/v1/orgs/{oid}", json={"phone": "0234 3822 199", "name": POLICE_NAME})
    assert is_problem(r, 403)["field"] == "name"
    assert org_row(server, oid) == before
    r = c.patch(f"/api/v1/orgs/{oid}", json={"phone": "0234 3822 199"})
    assert r.status_code == 200, r.text
    after = org_row(server, oid)
    assert after["phone"] == "0234 3822 199" and after["name"] == before["name"]


def test_other_admin_cannot_change_an_orgs_identity(server):
    """An admin of another organisation than the coordinator changes no organisation's identity,
    not even their own."""
    _, _, c, _ = make_user(server, "sotc", "admin")
    for code in ("soyt", "sotc"):
        oid = server.org_id(code)
        before = org_row(server, oid)
        for field, value in (("name", POLICE_NAME), ("code", unique("o")), ("role", "police"),
                             ("parent_id", server.org_id("sotc"))):
            r = c.patch(f"/api/v1/orgs/{oid}", json={field: value})
            assert is_problem(r, 403)["field"] == field, (code, field, r.text)
            assert org_row(server, oid) == before
    # the contact point of any organisation stays the admins' to fix
    r = c.patch(f"/api/v1/orgs/{server.org_id('soyt')}", json={"fax": "0234 3822 998"})
    assert r.status_code == 200, r.text


def test_coordinator_admin_renames_but_not_to_a_taken_name(server):
    admin = admin_client(server)
    code = unique("o")
    r = admin.post("/api/v1/orgs", json={"code": code, "name": "Đơn vị thử " + code,
                                         "role": "member"})
    assert r.status_code == 201, r.text
    oid = r.json()["id"]
    before = org_row(server, oid)
    for taken in (POLICE_NAME, "  công an TỈNH Bình Minh ", "Cong an tinh Binh Minh"):
        r = admin.patch(f"/api/v1/orgs/{oid}", json={"name": taken})
        assert is_problem(r, 422)["field"] == "name", (taken, r.text)
        assert org_row(server, oid) == before
    # a new organisation may not take a name in use either
    r = admin.post("/api/v1/orgs", json={"code": unique("o"), "name": POLICE_NAME, "role": "member"})
    assert is_problem(r, 422)["field"] == "name"
    # its own name again is no clash; a new name, code and role are the coordinator admin's to set
    r = admin.patch(f"/api/v1/orgs/{oid}", json={"name": before["name"]})
    assert r.status_code == 200, r.text
    r = admin.patch(f"/api/v1/orgs/{oid}", json={"name": "Trung tâm thử " + code, "role": "isp",
                                                 "code": code + "b"})
    assert r.status_code == 200, r.text
    assert org_row(server, oid)["name"] == "Trung tâm thử " + code


# ---- an admin of a member organisation ----

def test_member_admin_administers_its_own_accounts_only(server):
    """An admin of the finance department manages the finance department's accounts; it does
    not make accounts in, or move accounts into, other organisations (two admins together, or
    one admin with a second account, would otherwise grant themselves anything)."""
    _, _, c, uid = make_user(server, "sotc", "admin")
    name = unique("u")
    r = c.post("/api/v1/users", json={"username": name, "full_name": "Người Thử",
                                      "org_id": server.org_id("soyt"), "roles": ["officer"]})
    assert is_problem(r, 403)
    with server.db() as conn:
        assert conn.execute("SELECT count(*) FROM users WHERE username = ?", (name,)).fetchone()[0] == 0
    r = c.post("/api/v1/users", json={"username": name, "full_name": "Người Thử",
                                      "org_id": server.org_id("sotc"), "roles": ["officer"]})
    assert r.status_code == 201, r.text
    other = r.json()["id"]
    before = user_row(server, other)
    r = c.patch(f"/api/v1/users/{other}", json={"org_id": server.org_id("soyt")},
                headers={"If-Match": etag_of(c, f"/api/v1/users/{other}")})
    assert is_problem(r, 403)["field"] == "org_id"
    assert user_row(server, other) == before
    # an account of another organisation: not theirs to disable
    _, _, _, theirs = make_user(server, "soyt", "officer")
    is_problem(c.post(f"/api/v1/users/{theirs}/disable"), 403)


def test_only_the_coordinators_admin_hands_the_role_over(server):
    """The coordinator role is handed over by the body that holds it, not taken by another
    organisation's admin."""
    _, _, c, _ = make_user(server, "sotc", "admin")
    r = c.post("/api/v1/admin/handover", json={"coordinator_org_id": server.org_id("sotc")})
    is_problem(r, 403)
    with server.db() as conn:
        coord = conn.execute("SELECT value FROM meta WHERE key = 'coordinator_org_id'").fetchone()[0]
    assert int(coord) == server.org_id("coordinator")


def test_member_admin_does_not_set_the_instances_security_policy(server):
    """The TOTP policy holds for every organisation, the coordinator's admins included: an admin
    of a member organisation must not switch the second factor off for all of them."""
    _, _, c, _ = make_user(server, "sotc", "admin")
    before = admin_client(server).get("/api/v1/settings/security").json()
    r = c.put("/api/v1/settings/security", json={"totp_required_roles": [], "totp_enforce": False})
    is_problem(r, 403)
    assert admin_client(server).get("/api/v1/settings/security").json() == before


def test_member_admin_does_not_revoke_another_orgs_token(server):
    """An admin revokes the tokens of the accounts it administers, not the coordinator's
    integrations (a token of the coordinator's operator here)."""
    token = server.token("dieuphoi")
    with server.db() as conn:
        tid = conn.execute("SELECT max(id) FROM api_tokens").fetchone()[0]
    _, _, c, _ = make_user(server, "sotc", "admin")
    is_problem(c.delete(f"/api/v1/tokens/{tid}"), 403)
    assert TokenClient(server.base, token).get("/api/v1/auth/me").status_code == 200
    # the organisation's own accounts' tokens it does revoke
    mine, _, _, _ = make_user(server, "sotc", "officer", ready=False)
    server.token(mine)
    with server.db() as conn:
        tid = conn.execute("SELECT max(id) FROM api_tokens").fetchone()[0]
    assert c.delete(f"/api/v1/tokens/{tid}").status_code == 204


def test_member_admin_does_not_redirect_another_orgs_webhook(server):
    """A webhook carries the organisation's notifications (incident titles, references): an
    admin of another organisation neither reads nor points it elsewhere."""
    police = server.org_id("congan")
    _, _, c, _ = make_user(server, "sotc", "admin")
    is_problem(c.get(f"/api/v1/orgs/{police}/webhook"), 403)
    is_problem(c.put(f"/api/v1/orgs/{police}/webhook", json={"url": "https://evil.example/h"}), 403)
    with server.db() as conn:
        assert conn.execute("SELECT count(*) FROM webhooks WHERE org_id = ?",
                            (police,)).fetchone()[0] == 0
    # its own organisation's it manages; the coordinator's admins any
    r = c.put(f"/api/v1/orgs/{server.org_id('sotc')}/webhook", json={"url": "https://chat.example/a"})
    assert r.status_code == 200, r.text
    r = admin_client(server).put(f"/api/v1/orgs/{police}/webhook",
                                 json={"url": "https://chat.example/ca", "active": False})
    assert r.status_code == 200, r.text


def test_member_admin_lists_its_own_organisations_tokens_only(server):
    """An organisation's admin administers its own accounts (and so their API tokens); the list
    of tokens shows it those, not another organisation's (names, owners, last use)."""
    _, _, c, _ = make_user(server, "sotc", "admin")
    theirs = server.token("yte")  # a token of the health department's officer
    assert theirs
    items = c.get("/api/v1/tokens").json()["items"]
    with server.db() as conn:
        orgs = {row[0]: row[1] for row in conn.execute("SELECT id, org_id FROM users")}
    assert items == [] or {orgs[i["user_id"]] for i in items} == {server.org_id("sotc")}, items
    # the coordinator's admins see every organisation's
    every = admin_client(server).get("/api/v1/tokens").json()["items"]
    assert any(orgs[i["user_id"]] == server.org_id("soyt") for i in every)
