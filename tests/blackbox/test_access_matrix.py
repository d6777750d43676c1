"""Every endpoint x role x own/other organisation: allow or deny, so a leak fails the build.

The expectations below are written out by hand from docs/access.md, not derived from the server.
A request counts as allowed when it gets past the access check: any answer but 401/403/404 (the
bodies sent are deliberately invalid where a change would follow, so an allowed call answers 422
and changes nothing). A route of the OpenAPI document missing from the table fails the test.
"""
import json
import os

import pytest

from conftest import ROOT, Client, DEMO_PASSWORD, cli, new_incident

PERSONAS = {
    "nv": "taichinh.nv",    # reporter of the incident's organisation (sotc)
    "tc": "taichinh",       # officer of sotc, created the incident
    "ld": "taichinh.ld",    # leader of sotc
    "yte": "yte",           # officer of another member organisation
    "ubnd": "ubnd",         # leader of the superior organisation of sotc
    "dp": "dieuphoi",       # the coordinator's operator
    "kt": "kiemtra",        # the coordinator's auditor
    "ca": "congan",         # police officer (asked for help on incident B only)
    "vnpt": "vnpt",         # ISP officer
    "admin": "admin",       # system admin of the coordinator organisation
}
ALL = set(PERSONAS)


def only(*names):
    return set(names)


# {A} is not reported: it is sotc's own (001 Đ15.1b-c, 000 Đ4.4), so the coordinator - its
# operator "dp" and its auditor "kt" alike - is not among its readers and gets 404 on every {A}
# route; the superior organisation (ubnd) is told of it (001 Đ15.5). {B} is reported: the
# coordinator is named on it and reads it.
READ_A = only("nv", "tc", "ld", "ubnd")
COMMENT_A = only("nv", "tc", "ld")
HANDLE_A = only("tc", "ld")
READ_B = only("nv", "tc", "ld", "ubnd", "dp", "kt", "ca")
READ_S1 = only("nv", "tc", "ld", "dp", "kt")
EDIT_S1 = only("tc", "ld", "dp")
READ_W = only("nv", "tc", "ld", "dp", "kt")

# (method, path template) -> (concrete path, body, the personas allowed)
# {A} incident of sotc (TLP:AMBER, step 1: not reported, so the coordinator is not named on it
# and may not read it); {B} another incident of sotc, reported (step 3: the coordinator is named
# on it), on which the coordinator asked the police for help ({R} that request); {S1} a system of
# sotc; {S2} a
# critical system of soyt; {ORG} sotc; {U} taichinh; {X} a throwaway account; {T} a token;
# {ATT} an attachment on A.
MATRIX = {
    ("GET", "/api/v1/health"): ("/api/v1/health", None, ALL),
    ("GET", "/api/v1/openapi.json"): ("/api/v1/openapi.json", None, ALL),
    ("GET", "/api/v1/preset"): ("/api/v1/preset", None, ALL),
    ("GET", "/api/v1/auth/me"): ("/api/v1/auth/me", None, ALL),
    ("POST", "/api/v1/auth/password"): ("/api/v1/auth/password", {}, ALL),
    ("POST", "/api/v1/auth/totp/confirm"): ("/api/v1/auth/totp/confirm", {}, ALL),
    ("POST", "/api/v1/auth/totp/disable"): ("/api/v1/auth/totp/disable", {}, ALL),
    # one's own preferences: everyone (a body that changes nothing answers 422)
    ("GET", "/api/v1/me/notifications"): ("/api/v1/me/notifications", None, ALL),
    ("PUT", "/api/v1/me/notifications"): ("/api/v1/me/notifications", {"bogus": 1}, ALL),
    ("GET", "/api/v1/settings/security"): ("/api/v1/settings/security", None, only("admin")),
    ("PUT", "/api/v1/settings/security"): ("/api/v1/settings/security", {"bogus": 1}, only("admin")),
    ("GET", "/api/v1/orgs"): ("/api/v1/orgs", None, ALL),
    ("POST", "/api/v1/orgs"): ("/api/v1/orgs", {"bogus": 1}, only("admin")),
    ("GET", "/api/v1/orgs/{id}"): ("/api/v1/orgs/{ORG}", None, ALL),
    ("PATCH", "/api/v1/orgs/{id}"): ("/api/v1/orgs/{ORG}", {"bogus": 1}, only("tc", "ld", "admin")),
    ("GET", "/api/v1/orgs/{id}/webhook"): ("/api/v1/orgs/{ORG}/webhook", None, only("tc", "ld", "admin")),
    ("PUT", "/api/v1/orgs/{id}/webhook"): ("/api/v1/orgs/{ORG}/webhook", {"bogus": 1},
                                           only("tc", "ld", "admin")),
    ("GET", "/api/v1/users"): ("/api/v1/users", None, only("ld", "ubnd", "kt", "admin")),
    ("POST", "/api/v1/users"): ("/api/v1/users", {"bogus": 1}, only("admin")),
    ("GET", "/api/v1/users/{id}"): ("/api/v1/users/{U}", None, only("tc", "ld", "kt", "admin")),
    ("PATCH", "/api/v1/users/{id}"): ("/api/v1/users/{U}", {"bogus": 1}, only("tc", "admin")),
    ("POST", "/api/v1/users/{id}/unlock"): ("/api/v1/users/{X}/unlock", {}, only("admin")),
    ("POST", "/api/v1/users/{id}/enable"): ("/api/v1/users/{X}/enable", {}, only("admin")),
    ("GET", "/api/v1/tokens"): ("/api/v1/tokens", None, only("admin")),
    ("GET", "/api/v1/systems"): ("/api/v1/systems", None, ALL),
    ("POST", "/api/v1/systems"): ("/api/v1/systems", {"name": "Hệ thống thử quyền", "level": 1},
                                  only("tc", "ld", "yte", "ubnd", "dp", "ca", "vnpt")),
    ("GET", "/api/v1/systems/{id}"): ("/api/v1/systems/{S1}", None, READ_S1),
    ("PATCH", "/api/v1/systems/{id}"): ("/api/v1/systems/{S1}", {"bogus": 1}, EDIT_S1),
    # scanner reports and findings (docs/scan.md): whoever reads the system reads them; its
    # handlers and the coordinator's import and change a finding's status ({F} a finding of S1)
    ("POST", "/api/v1/systems/{id}/scans"): ("/api/v1/systems/{S1}/scans", b"x", EDIT_S1),
    ("GET", "/api/v1/systems/{id}/scans"): ("/api/v1/systems/{S1}/scans", None, READ_S1),
    ("GET", "/api/v1/systems/{id}/findings"): ("/api/v1/systems/{S1}/findings", None, READ_S1),
    ("GET", "/api/v1/findings/{id}"): ("/api/v1/findings/{F}", None, READ_S1),
    ("PATCH", "/api/v1/findings/{id}"): ("/api/v1/findings/{F}", {"bogus": 1}, EDIT_S1),
    ("GET", "/api/v1/incidents"): ("/api/v1/incidents", None, ALL),
    ("POST", "/api/v1/incidents"): ("/api/v1/incidents", {"bogus": 1},
                                    only("nv", "tc", "ld", "yte", "ubnd", "dp", "ca", "vnpt")),
    ("GET", "/api/v1/incidents/{id}"): ("/api/v1/incidents/{A}", None, READ_A),
    ("PATCH", "/api/v1/incidents/{id}"): ("/api/v1/incidents/{A}", {"bogus": 1}, HANDLE_A),
    # the reporter may take the steps the preset gives reporters (report); the engine decides
    ("POST", "/api/v1/incidents/{id}/transitions"): ("/api/v1/incidents/{A}/transitions", {}, COMMENT_A),
    ("GET", "/api/v1/incidents/{id}/journal"): ("/api/v1/incidents/{A}/journal", None, READ_A),
    ("POST", "/api/v1/incidents/{id}/journal"): ("/api/v1/incidents/{A}/journal", {}, COMMENT_A),
    ("GET", "/api/v1/incidents/{id}/told"): ("/api/v1/incidents/{A}/told", None, READ_A),
    ("POST", "/api/v1/incidents/{id}/told"): ("/api/v1/incidents/{A}/told", {}, COMMENT_A),
    ("GET", "/api/v1/incidents/{id}/requests"): ("/api/v1/incidents/{A}/requests", None, READ_A),
    # only the coordinator asks for help, and only on an incident it was named on: {B} (on {A}
    # it is refused with every other request of READ_A's complement)
    ("POST", "/api/v1/incidents/{id}/requests"): ("/api/v1/incidents/{B}/requests", {}, only("dp")),
    ("POST", "/api/v1/requests/{id}/answer"): ("/api/v1/requests/{R}/answer", {}, only("ca")),
    ("GET", "/api/v1/incidents/{id}/attachments"): ("/api/v1/incidents/{A}/attachments", None, READ_A),
    ("POST", "/api/v1/incidents/{id}/attachments"): ("/api/v1/incidents/{A}/attachments", b"x", COMMENT_A),
    ("GET", "/api/v1/attachments/{id}"): ("/api/v1/attachments/{ATT}", None, READ_A),
    ("POST", "/api/v1/incidents/{id}/flags"): ("/api/v1/incidents/{A}/flags", {}, HANDLE_A),
    ("GET", "/api/v1/admin/presets"): ("/api/v1/admin/presets", None, only("admin")),
    ("POST", "/api/v1/admin/handover"): ("/api/v1/admin/handover", {"bogus": 1}, only("admin")),
    # backups (docs/backup.md): admins and auditors read the list; only admins act ({BK} a backup)
    ("GET", "/api/v1/admin/backups"): ("/api/v1/admin/backups", None, only("kt", "admin")),
    ("POST", "/api/v1/admin/backups"): ("/api/v1/admin/backups", {"bogus": 1}, only("admin")),
    ("POST", "/api/v1/admin/backups/{name}/verify"): ("/api/v1/admin/backups/{BK}/verify",
                                                      {"bogus": 1}, only("admin")),
    ("POST", "/api/v1/admin/backups/{name}/restore-test"): (
        "/api/v1/admin/backups/{BK}/restore-test", {"bogus": 1}, only("admin")),
    # duties: the responsible organisation and the coordinator read; its handlers mark done
    ("GET", "/api/v1/duties"): ("/api/v1/duties", None, ALL - {"admin"}),
    ("GET", "/api/v1/duties/compliance"): ("/api/v1/duties/compliance", None, only("dp", "kt")),
    ("GET", "/api/v1/duties/{id}"): ("/api/v1/duties/{D}", None, only("nv", "tc", "ld", "dp", "kt")),
    ("POST", "/api/v1/duties/{id}/done"): ("/api/v1/duties/{D}/done", {}, only("tc", "ld")),
    ("POST", "/api/v1/duties/{id}/evidence"): ("/api/v1/duties/{D}/evidence", b"x", only("tc", "ld")),
    ("GET", "/api/v1/requests"): ("/api/v1/requests", None, ALL - {"admin"}),
    ("GET", "/api/v1/stats/summary"): ("/api/v1/stats/summary", None, ALL),
    ("GET", "/api/v1/stats/monthly.svg"): ("/api/v1/stats/monthly.svg", None, ALL),
    # official documents (docs/documents.md): an incident's for whoever reads it; the summary for
    # the organisation's own staff and the coordinator; the bulletin for the coordinator and
    # auditors; {DOC} / {DOCREF} the SHA-256 and reference of a report of A made by tc
    ("GET", "/api/v1/incidents/{id}/documents"): ("/api/v1/incidents/{A}/documents", None, READ_A),
    ("GET", "/api/v1/incidents/{id}/documents/report.pdf"): (
        "/api/v1/incidents/{A}/documents/report.pdf", None, READ_A),
    ("GET", "/api/v1/incidents/{id}/documents/closing.pdf"): (
        "/api/v1/incidents/{A}/documents/closing.pdf", None, READ_A),
    ("GET", "/api/v1/reports/summary.pdf"): ("/api/v1/reports/summary.pdf?org={ORG}", None,
                                             only("nv", "tc", "ld", "dp", "kt")),
    ("GET", "/api/v1/reports/summary.xlsx"): ("/api/v1/reports/summary.xlsx?org={ORG}", None,
                                              only("nv", "tc", "ld", "dp", "kt")),
    ("GET", "/api/v1/reports/summary.csv"): ("/api/v1/reports/summary.csv?org={ORG}", None,
                                             only("nv", "tc", "ld", "dp", "kt")),
    ("GET", "/api/v1/reports/bulletin.pdf"): ("/api/v1/reports/bulletin.pdf", None, only("dp", "kt")),
    ("GET", "/api/v1/reports/bulletin.xlsx"): ("/api/v1/reports/bulletin.xlsx", None, only("dp", "kt")),
    ("GET", "/api/v1/documents/verify"): ("/api/v1/documents/verify?ref={DOCREF}", None, READ_A),
    ("GET", "/api/v1/documents/{sha256}"): ("/api/v1/documents/{DOC}", None, READ_A),
    # STIX / MISP / TAXII (docs/stix.md): {WX} a TLP:AMBER warning issued by the coordinator to
    # sotc, {WSTIX} its report id. Readers of a warning: the issuer's staff, its targets, the
    # coordinator (below RED); imports: handlers of the coordinator, police, central agencies.
    ("GET", "/api/v1/warnings/{id}/stix"): ("/api/v1/warnings/{WX}/stix", None, READ_W),
    ("GET", "/api/v1/incidents/{id}/stix"): ("/api/v1/incidents/{A}/stix", None, READ_A),
    ("POST", "/api/v1/imports/stix"): ("/api/v1/imports/stix", b"x", only("dp", "ca")),
    ("POST", "/api/v1/imports/misp"): ("/api/v1/imports/misp", b"x", only("dp", "ca")),
    ("GET", "/taxii2/"): ("/taxii2/", None, ALL),
    ("GET", "/taxii2/api1/"): ("/taxii2/api1/", None, ALL),
    ("GET", "/taxii2/api1/collections/"): ("/taxii2/api1/collections/", None, ALL),
    ("GET", "/taxii2/api1/collections/{id}/"): ("/taxii2/api1/collections/warnings-amber/", None, ALL),
    # objects: every account with an incident role (filtered inside); one object: who may read it
    ("GET", "/taxii2/api1/collections/{id}/objects/"): (
        "/taxii2/api1/collections/warnings-amber/objects/", None, ALL - {"admin"}),
    ("GET", "/taxii2/api1/collections/{id}/objects/{object_id}/"): (
        "/taxii2/api1/collections/warnings-amber/objects/{WSTIX}/", None, READ_W),
    ("GET", "/taxii2/api1/collections/{id}/manifest/"): (
        "/taxii2/api1/collections/warnings-amber/manifest/", None, ALL - {"admin"}),
    # observables and related items (docs/warnings.md): as the incident
    ("GET", "/api/v1/incidents/{id}/observables"): ("/api/v1/incidents/{A}/observables", None, READ_A),
    ("POST", "/api/v1/incidents/{id}/observables"): ("/api/v1/incidents/{A}/observables", {"bogus": 1},
                                                     COMMENT_A),
    ("GET", "/api/v1/incidents/{id}/related"): ("/api/v1/incidents/{A}/related", None, READ_A),
    ("POST", "/api/v1/indicators/check"): ("/api/v1/indicators/check", {"bogus": 1}, ALL),
    # warnings (docs/access.md): {W} issued by the coordinator (dp) to sotc by name, TLP:AMBER;
    # issuers write, targets' handlers answer, the issuer and the coordinator track
    ("GET", "/api/v1/warnings"): ("/api/v1/warnings", None, ALL),
    ("POST", "/api/v1/warnings"): ("/api/v1/warnings", {"bogus": 1}, only("dp", "ca")),
    ("GET", "/api/v1/warnings/{id}"): ("/api/v1/warnings/{W}", None, READ_W),
    ("PATCH", "/api/v1/warnings/{id}"): ("/api/v1/warnings/{W}", {"bogus": 1}, only("dp")),
    ("POST", "/api/v1/warnings/{id}/issue"): ("/api/v1/warnings/{W}/issue", {"bogus": 1}, only("dp")),
    ("POST", "/api/v1/warnings/{id}/close"): ("/api/v1/warnings/{W}/close", {"bogus": 1}, only("dp")),
    ("POST", "/api/v1/warnings/{id}/ack"): ("/api/v1/warnings/{W}/ack", {"bogus": 1}, only("tc", "ld")),
    ("PUT", "/api/v1/warnings/{id}/systems/{system_id}"): ("/api/v1/warnings/{W}/systems/{S1}",
                                                           {"bogus": 1}, only("tc", "ld")),
    ("POST", "/api/v1/warnings/{id}/systems/{system_id}/evidence"): (
        "/api/v1/warnings/{W}/systems/{S1}/evidence?name=bang-chung.txt", b"x", only("tc", "ld")),
    ("GET", "/api/v1/warnings/{id}/systems/{system_id}/evidence"): (
        "/api/v1/warnings/{W}/systems/{S1}/evidence", None, READ_W),
    ("POST", "/api/v1/warnings/{id}/systems/{system_id}/incident"): (
        "/api/v1/warnings/{W}/systems/{S1}/incident", {"bogus": 1}, only("tc", "ld")),
    ("GET", "/api/v1/warnings/{id}/tracking"): ("/api/v1/warnings/{W}/tracking", None, only("dp", "kt")),
    ("GET", "/api/v1/warnings/{id}/related"): ("/api/v1/warnings/{W}/related", None, READ_W),
    # the mail quarantine (docs/mail.md): the coordinator's operators and admins ({Q} a
    # message mailgate did not store)
    ("GET", "/api/v1/mail/quarantine"): ("/api/v1/mail/quarantine", None, only("dp", "admin")),
    ("GET", "/api/v1/mail/quarantine/{id}"): ("/api/v1/mail/quarantine/{Q}", None,
                                              only("dp", "admin")),
    ("POST", "/api/v1/mail/quarantine/{id}/accept"): ("/api/v1/mail/quarantine/{Q}/accept",
                                                      {"bogus": 1}, only("dp", "admin")),
    ("POST", "/api/v1/mail/quarantine/{id}/reject"): ("/api/v1/mail/quarantine/{Q}/reject",
                                                      {"bogus": 1}, only("dp", "admin")),
    ("GET", "/api/v1/audit"): ("/api/v1/audit", None, only("kt", "admin")),
    ("GET", "/api/v1/audit/verify"): ("/api/v1/audit/verify", None, only("kt", "admin")),
}

# Routes with effects on the caller's own session or on other accounts, checked with care below.
SPECIAL = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/totp/enroll"),
    ("POST", "/api/v1/users/{id}/reset"),
    ("POST", "/api/v1/users/{id}/disable"),
    ("POST", "/api/v1/users/{id}/totp-reset"),
    ("DELETE", "/api/v1/tokens/{id}"),
}
# in this order: disabling the account revokes its tokens too
ADMIN_ONLY_EFFECTS = {
    ("DELETE", "/api/v1/tokens/{id}"): "/api/v1/tokens/{T}",
    ("POST", "/api/v1/users/{id}/reset"): "/api/v1/users/{X}/reset",
    ("POST", "/api/v1/users/{id}/totp-reset"): "/api/v1/users/{X}/totp-reset",
    ("POST", "/api/v1/users/{id}/disable"): "/api/v1/users/{X}/disable",
}


@pytest.fixture(scope="module")
def world(server):
    clients = {}
    for key, username in PERSONAS.items():
        if key == "admin":
            c = Client(server.base)
            assert c.login("admin", server.admin_password).status_code == 200
            r = c.post("/api/v1/auth/password", json={"current_password": server.admin_password,
                                                      "new_password": "Quan-Tri-2026"})
            assert r.status_code == 204, r.text
        else:
            c = server.login(username, DEMO_PASSWORD)
        clients[key] = c
    tc, dp = clients["tc"], clients["dp"]
    ids = {}
    ids["A"] = new_incident(tc, title="Sự cố ma trận quyền A")["id"]
    ids["B"] = b = new_incident(tc, title="Sự cố ma trận quyền B")["id"]
    assert tc.post(f"/api/v1/incidents/{b}/transitions", json={"action": "report"}).status_code == 200
    r = dp.post(f"/api/v1/incidents/{b}/requests",
                json={"org_id": server.org_id("congan"), "kind": "support", "body": "Đề nghị hỗ trợ"})
    assert r.status_code == 201, r.text
    ids["R"] = r.json()["id"]
    r = tc.post(f"/api/v1/incidents/{ids['A']}/attachments?name=nhat-ky.txt", data=b"log lines\n",
                headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    ids["ATT"] = r.json()["id"]
    r = tc.get(f"/api/v1/incidents/{ids['A']}/documents/report.pdf")  # for the documents routes
    assert r.status_code == 200, r.text
    ids["DOC"], ids["DOCREF"] = r.headers["X-Content-SHA256"], r.headers["X-Document-Ref"]
    with server.db() as db:
        ids["S1"] = db.execute("SELECT s.id FROM systems s JOIN orgs o ON o.id = s.owner_org_id "
                               "WHERE o.code = 'sotc' LIMIT 1").fetchone()[0]
        ids["S2"] = db.execute("SELECT s.id FROM systems s JOIN orgs o ON o.id = s.owner_org_id "
                               "WHERE o.code = 'soyt' AND s.critical = 1 LIMIT 1").fetchone()[0]
        ids["U"] = db.execute("SELECT id FROM users WHERE username = 'taichinh'").fetchone()[0]
    ids["ORG"] = server.org_id("sotc")
    with open(os.path.join(ROOT, "tests", "data", "scan", "greenbone.xml"), "rb") as f:
        r = tc.post(f"/api/v1/systems/{ids['S1']}/scans?name=matrix.xml", data=f.read(),
                    headers={"Content-Type": "application/xml"})
    assert r.status_code == 201, r.text
    with server.db() as db:
        ids["F"] = db.execute("SELECT id FROM findings WHERE system_id = ? LIMIT 1",
                              (ids["S1"],)).fetchone()[0]
    r = dp.post("/api/v1/warnings", json={"title": "Cảnh báo ma trận quyền", "severity": "high",
                                          "target": {"mode": "orgs", "orgs": [ids["ORG"]]}})
    assert r.status_code == 201, r.text
    ids["W"] = r.json()["id"]
    assert dp.post(f"/api/v1/warnings/{ids['W']}/issue").status_code == 200
    r = tc.post(f"/api/v1/warnings/{ids['W']}/systems/{ids['S1']}/evidence?name=vá.txt", data=b"ok",
                headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    cli("sweep", data=server.data)  # the duty calendar, without waiting for the server's minute
    with server.db() as db:
        ids["D"] = db.execute("SELECT id FROM duties WHERE org_id = ? ORDER BY due_at LIMIT 1",
                              (ids["ORG"],)).fetchone()[0]
    cli("user", "add", "--org", "sotc", "--role", "officer", "matrix.throwaway", data=server.data)
    with server.db() as db:
        ids["X"] = db.execute("SELECT id FROM users WHERE username = 'matrix.throwaway'").fetchone()[0]
    out = cli("import", "stix", "--as", "dieuphoi", "--issued", "--target", "sotc",
              os.path.join(ROOT, "tests", "data", "stix", "phishing-campaign.json"),
              data=server.data).stdout
    ids["WX"], ids["WSTIX"] = json.loads(out)["warning"]["id"], json.loads(out)["warning"]["stix_id"]
    # a reply with nothing but From: to vouch for its sender waits in the quarantine
    cli("mailgate", data=server.data, input="From: taichinh@demo.binhminh.gov.vn\r\nSubject: Re: ["
        + db_ref(server, ids["A"]) + "] ma trận\r\nMessage-ID: <matrix@example.org>\r\n\r\nx\r\n")
    with server.db() as db:
        ids["Q"] = db.execute("SELECT max(id) FROM mail_quarantine").fetchone()[0]
    server.token("matrix.throwaway")
    ids["BK"] = os.path.basename(cli("backup", data=server.data).stdout.strip())
    with server.db() as db:
        ids["T"] = db.execute("SELECT max(id) FROM api_tokens").fetchone()[0]
    return clients, ids


def db_ref(server, incident_id):
    with server.db() as db:
        return db.execute("SELECT ref FROM incidents WHERE id = ?", (incident_id,)).fetchone()[0]


def call(client, method, path, body):
    if isinstance(body, bytes):
        return client.request(method, path, data=body, headers={"Content-Type": "text/plain"})
    if body is None:
        return client.request(method, path)
    return client.request(method, path, json=body)


def allowed(status):
    return status not in (401, 403, 404)


def test_matrix_covers_every_route(server):
    spec = Client(server.base).get("/api/v1/openapi.json").json()
    routes = {(m.upper(), p) for p, item in spec["paths"].items() for m in item}
    missing = routes - set(MATRIX) - SPECIAL
    assert not missing, f"routes without access expectations: {sorted(missing)}"
    stale = (set(MATRIX) | SPECIAL) - routes
    assert not stale, f"expectations for routes the server does not have: {sorted(stale)}"


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_route(world, route):
    clients, ids = world
    template, body, allow = MATRIX[route]
    path = template.format(**ids)
    wrong = []
    for key, client in clients.items():
        r = call(client, route[0], path, body)
        assert r.status_code < 500, f"{key}: {r.status_code} {r.text}"
        if allowed(r.status_code) != (key in allow):
            wrong.append(f"{key}: got {r.status_code} {r.text[:160]}")
    assert not wrong, f"{route[0]} {path}:\n" + "\n".join(wrong)


def test_anonymous_gets_401_everywhere_but_public(server, world):
    _, ids = world
    anon = Client(server.base)
    for (method, _), (template, body, allow) in MATRIX.items():
        r = call(anon, method, template.format(**ids), body)
        if template in ("/api/v1/health", "/api/v1/openapi.json"):
            assert r.status_code == 200
        else:
            assert r.status_code == 401, f"{method} {template}: {r.status_code}"


def test_lists_show_only_what_may_be_read(world):
    clients, ids = world
    for key, client in clients.items():
        seen = {i["id"] for i in client.get("/api/v1/incidents?limit=200").json()["items"]}
        assert (ids["A"] in seen) == (key in READ_A), key
        assert (ids["B"] in seen) == (key in READ_B), key
        systems = {s["id"] for s in client.get("/api/v1/systems").json()["items"]}
        assert (ids["S1"] in systems) == (key in READ_S1), key
        # the police see critical systems (002 Đ7.2c); other outsiders do not
        assert (ids["S2"] in systems) == (key in {"yte", "dp", "kt", "ca"}), key


def test_search_does_not_leak(world):
    clients, _ = world
    for key, client in clients.items():
        found = client.get("/api/v1/incidents", params={"q": "ma tran quyen"}).json()["items"]
        titles = {i["title"] for i in found}
        if key in READ_A:
            assert "Sự cố ma trận quyền A" in titles, key
        else:
            assert "Sự cố ma trận quyền A" not in titles, key
        assert ("Sự cố ma trận quyền B" in titles) == (key in READ_B), key


def test_admin_only_effects(world):
    clients, ids = world
    for route, template in ADMIN_ONLY_EFFECTS.items():
        path = template.format(**ids)
        for key, client in clients.items():
            if key == "admin":
                continue
            r = client.request(route[0], path)
            assert r.status_code == 403, f"{key} {route}: {r.status_code}"
        r = clients["admin"].request(route[0], path)
        assert r.status_code in (200, 204), f"admin {route}: {r.status_code} {r.text}"


def test_statistics_count_only_what_may_be_read(world):
    """The dashboard's counts leak nothing: a member counts its own, the admin nothing."""
    clients, _ = world
    counts = {k: c.get("/api/v1/stats/summary").json() for k, c in clients.items()}
    total = lambda k: sum(r["count"] for r in counts[k]["by_status"])
    assert total("admin") == 0
    assert total("yte") < total("dp") and total("tc") < total("dp")
    # the SVG chart is drawn from the same scoped counts
    r = clients["yte"].get("/api/v1/stats/monthly.svg")
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/svg+xml"
    assert r.text.startswith("<?xml") and "<svg" in r.text


@pytest.mark.parametrize("kind", ["incidents", "warnings"])
def test_missing_and_unreadable_answer_alike(server, kind):
    """An object that does not exist and one the caller may not read get the same 404, word
    for word: the answer does not tell which ids exist."""
    owner = server.login("congan" if kind == "warnings" else "yte")
    if kind == "warnings":
        r = owner.post("/api/v1/warnings", json={"title": "Nháp riêng", "severity": "high",
                                                 "description": "x", "due_at": "2099-12-31T17:00:00+07:00",
                                                 "target": {"mode": "match"}})
    else:
        r = owner.post("/api/v1/incidents", json={
            "title": "Riêng", "group": "attack", "type": "intrusion", "severity": "high",
            "detected_at": "2026-11-20T08:30:00+07:00", "description": "x", "tlp": "red"})
    assert r.status_code == 201, r.text
    hidden = r.json()["id"]
    other = server.login("giaoduc")
    a = other.get(f"/api/v1/{kind}/{hidden}")
    b = other.get(f"/api/v1/{kind}/{hidden + 100000}")
    assert a.status_code == b.status_code == 404, (a.text, b.text)
    assert a.json() == b.json(), (a.text, b.text)
    # the same for a change sent to it
    a = other.patch(f"/api/v1/{kind}/{hidden}", json={"title": "x"})
    b = other.patch(f"/api/v1/{kind}/{hidden + 100000}", json={"title": "x"})
    assert a.status_code == b.status_code == 404 and a.json() == b.json(), (a.text, b.text)
