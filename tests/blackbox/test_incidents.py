"""Incidents: create, idempotency, list/filter/search/paging, optimistic locking, validation, the
procedure of 001 Đ15.4 end to end, coordination requests, attachments, TLP and the superior body."""
import hashlib
import os
import re

import requests

from conftest import (TokenClient, cli, count_rows, is_problem, make_user, new_incident,
                      unique)

REF = re.compile(r"^UC-\d{4}-\d{6}$")


def make_org(server, parent="ubnd", role="member"):
    code = unique("org")
    out = cli("org", "add", "--code", code, "--name", "Đơn vị thử " + code, "--role", role,
              "--parent", parent, data=server.data).stdout.strip()
    return code, int(out)


def body(**over):
    b = {"title": unique("Sự cố "), "group": "attack", "type": "intrusion", "severity": "high",
         "detected_at": "2026-11-20T08:30:00+07:00", "description": "Mô tả sự cố thử nghiệm."}
    b.update(over)
    return b


def step(client, iid, action, **extra):
    return client.post(f"/api/v1/incidents/{iid}/transitions", json={"action": action, **extra})


# ---- create ----

def test_create_201_location_etag_ref(server):
    c = server.login("taichinh")
    b = body()
    r = c.post("/api/v1/incidents", json=b)
    assert r.status_code == 201, r.text
    inc = r.json()
    assert r.headers["Location"] == f"/api/v1/incidents/{inc['id']}"
    assert r.headers["ETag"] == f'"v{inc["version"]}"' == '"v1"'
    assert REF.match(inc["ref"]), inc["ref"]
    assert inc["ref"].startswith("UC-2026-")
    assert inc["status"] == "new" and inc["title"] == b["title"]
    assert inc["group"] == "attack" and inc["type"] == "intrusion"
    assert inc["detected_at"] == "2026-11-20T01:30:00Z"
    assert inc["org_code"] == "sotc"
    assert inc["tlp"] == "amber"  # the default
    got = c.get(r.headers["Location"])
    assert got.status_code == 200 and got.json()["ref"] == inc["ref"]
    assert got.headers["ETag"] == '"v1"'


def test_refs_are_unique_and_increasing(server):
    c = server.login("taichinh")
    a = new_incident(c, title=unique("ref a "))
    b = new_incident(c, title=unique("ref b "))
    assert a["ref"] != b["ref"]
    assert int(b["ref"][-6:]) > int(a["ref"][-6:])


def test_idempotency_key(server):
    c = server.login("taichinh")
    key = unique("idem-")
    b = body()
    n0 = count_rows(server, "incidents")
    r1 = c.post("/api/v1/incidents", json=b, headers={"Idempotency-Key": key})
    assert r1.status_code == 201, r1.text
    assert "Idempotent-Replayed" not in r1.headers
    r2 = c.post("/api/v1/incidents", json=b, headers={"Idempotency-Key": key})
    assert r2.status_code == 201, r2.text
    assert r2.json()["id"] == r1.json()["id"]
    assert r2.headers.get("Idempotent-Replayed") == "true"
    assert r2.headers.get("Location") == r1.headers["Location"]
    assert count_rows(server, "incidents") == n0 + 1
    r3 = c.post("/api/v1/incidents", json=dict(b, title=b["title"] + " khác"),
                headers={"Idempotency-Key": key})
    body3 = is_problem(r3, 422)
    assert body3["field"] == "Idempotency-Key"
    assert count_rows(server, "incidents") == n0 + 1
    # another key makes another incident
    r4 = c.post("/api/v1/incidents", json=b, headers={"Idempotency-Key": key + "-2"})
    assert r4.status_code == 201 and r4.json()["id"] != r1.json()["id"]


# ---- list, filters, paging ----

def test_list_filters(server):
    code, org_id = make_org(server)
    _, _, c, _ = make_user(server, code, "officer")
    a = new_incident(c, title=unique("lọc A "), severity="high",
                     detected_at="2026-11-01T09:00:00+07:00")
    b = new_incident(c, title=unique("lọc B "), group="fault", type="system_fault",
                     severity="low", detected_at="2026-10-01T09:00:00+07:00", is_drill=True)
    cc = new_incident(c, title=unique("lọc C "), type="phishing", severity="medium",
                      detected_at="2026-11-15T09:00:00+07:00")
    assert step(c, cc["id"], "report").status_code == 200

    def ids(client, **params):
        r = client.get("/api/v1/incidents", params=dict(params, limit=200))
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    assert ids(c) == [cc["id"], b["id"], a["id"]]  # newest first, only own organisation
    assert ids(c, status="reported") == [cc["id"]]
    assert ids(c, status="new") == [b["id"], a["id"]]
    assert ids(c, severity="low") == [b["id"]]
    assert ids(c, group="fault") == [b["id"]]
    assert ids(c, group="attack") == [cc["id"], a["id"]]
    assert ids(c, drill=1) == [b["id"]]
    assert ids(c, drill=0) == [cc["id"], a["id"]]
    assert ids(c, **{"from": "2026-11-10T00:00:00+07:00"}) == [cc["id"]]
    assert ids(c, to="2026-10-15T00:00:00+07:00") == [b["id"]]
    assert ids(c, **{"from": "2026-10-15", "to": "2026-11-10"}) == [a["id"]]
    # the coordinator filters by organisation, among what it reads: the reported incidents
    # (C, then A once reported), never B, which the unit keeps to itself
    coord = server.login("dieuphoi")
    assert ids(coord, org=org_id) == [cc["id"]]
    assert step(c, a["id"], "report").status_code == 200
    assert ids(coord, org=org_id) == [cc["id"], a["id"]]
    assert ids(coord, org=org_id, status="reported") == [cc["id"], a["id"]]
    assert ids(coord, org=org_id, status="reported", severity="medium") == [cc["id"]]
    assert ids(coord, org=org_id, drill=1) == []
    # bad parameters are refused, naming them
    for bad in ({"limit": 0}, {"limit": 201}, {"drill": 2}, {"from": "yesterday"},
                {"cursor": "abc"}):
        r = c.get("/api/v1/incidents", params=bad)
        b2 = is_problem(r, 400)
        assert b2["field"] == next(iter(bad)), b2


def test_keyset_paging(server):
    code, org_id = make_org(server)
    _, _, c, _ = make_user(server, code, "officer")
    made = {new_incident(c, title=unique("trang "))["id"] for _ in range(5)}
    seen, pages, cursor = [], 0, None
    while True:
        params = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = c.get("/api/v1/incidents", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert len(seen) == len(set(seen)), seen
    assert set(seen) == made
    assert seen == sorted(seen, reverse=True)
    assert pages == 3


def test_search_folds_diacritics(server):
    c = server.login("taichinh")
    m1, m2 = unique("kw"), unique("kw")
    a = new_incident(c, title=f"Sự cố đăng nhập bất thường {m1}")
    b = new_incident(c, title=f"Loi dang nhap khong dau {m2}", description="Khong co dau")

    def found(q):
        r = c.get("/api/v1/incidents", params={"q": q, "limit": 200})
        assert r.status_code == 200, r.text
        return {i["id"] for i in r.json()["items"]}

    assert found(f"su co {m1}") == {a["id"]}
    assert found(f"dang nhap {m1}") == {a["id"]}
    assert found(f"DANG NHAP {m1}") == {a["id"]}
    assert found(f"Sự Cố {m1}") == {a["id"]}
    # symmetric: a query with diacritics finds text typed without them
    assert found(f"đăng nhập {m2}") == {b["id"]}
    assert found(f"ĐĂNG {m2}") == {b["id"]}
    assert found(f"dang xuat {m1}") == set()
    # both are found by the shared words
    assert {a["id"], b["id"]} <= found("dang nhap")
    # query text that looks like FTS syntax is taken literally
    r = c.get("/api/v1/incidents", params={"q": 'NEAR( "x" OR -y ^z:'})
    assert r.status_code == 200, r.text


def test_search_many_words(server):
    """A long query is either answered or refused as a bad parameter naming q (like a query over
    200 bytes), not as a storage problem."""
    c = server.login("taichinh")
    r = c.get("/api/v1/incidents", params={"q": "a" * 201})
    assert is_problem(r, 400)["field"] == "q"
    r = c.get("/api/v1/incidents", params={"q": "su co dang nhap he thong may chu bi tan cong"})
    if r.status_code != 200:
        pb = is_problem(r, 400)
        assert pb["field"] == "q", pb


def test_search_does_not_widen_access(server):
    c = server.login("taichinh")
    m = unique("kw")
    inc = new_incident(c, title=f"Bí mật tài chính {m}")
    other = server.login("yte")
    r = other.get("/api/v1/incidents", params={"q": m})
    assert r.status_code == 200 and r.json()["items"] == []
    assert inc["id"]


# ---- update, If-Match ----

def test_patch_if_match(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("sửa "))
    url = f"/api/v1/incidents/{inc['id']}"
    etag = c.get(url).headers["ETag"]
    assert etag == '"v1"'
    r = c.patch(url, json={"severity": "serious"}, headers={"If-Match": '"v7"'})
    is_problem(r, 412)
    assert c.get(url).json()["severity"] == "high"
    r = c.patch(url, json={"severity": "serious", "impact": "Ảnh hưởng tới kế toán"},
                headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["severity"] == "serious"
    assert r.headers["ETag"] == '"v2"'
    # the old ETag is stale now
    is_problem(c.patch(url, json={"severity": "low"}, headers={"If-Match": etag}), 412)
    j = c.get(url + "/journal").json()["items"]
    assert j[-1]["kind"] == "update"
    assert {"severity", "impact"} <= set(j[-1]["data"]["changed"])
    assert "title" not in j[-1]["data"]["changed"]


# ---- validation ----

def test_validation_names_field_and_writes_nothing(server):
    c = server.login("taichinh")
    n_inc, n_audit, n_journal = (count_rows(server, t) for t in ("incidents", "audit", "journal"))
    cases = [
        ("group", body(group="khong-co")),
        ("type", body(group="attack", type="storm")),
        ("type", body(group="attack", type="khong-co")),
        ("severity", body(severity="extreme")),
        ("detected_at", body(detected_at="2099-01-01T00:00:00+07:00")),
        ("detected_at", body(detected_at="20/11/2026 08:30")),
        ("detected_at", body(detected_at="2026-13-45T99:00:00")),
        ("title", body(title="a" * 301)),
        ("title", body(title="ệ" * 301)),
        ("title", body(title="")),
        ("title", body(title="dòng 1\ndòng 2")),
        ("bogus", dict(body(), bogus=1)),
        ("tlp", body(tlp="purple")),
        ("is_drill", body(is_drill="yes")),
        ("description", body(description=12)),
        ("systems", body(systems=[999999])),
    ]
    for field, b in cases:
        r = c.post("/api/v1/incidents", json=b)
        pb = is_problem(r, 422)
        assert pb.get("field") == field, (field, pb)
    for missing in ("title", "group", "severity", "detected_at", "description"):
        b = body()
        del b[missing]
        if missing == "group":
            del b["type"]
        pb = is_problem(c.post("/api/v1/incidents", json=b), 422)
        assert pb["field"] in (missing, "type"), pb
    assert count_rows(server, "incidents") == n_inc
    assert count_rows(server, "journal") == n_journal
    assert count_rows(server, "audit") == n_audit
    # boundaries are accepted: 300 characters (multi-byte ones too)
    assert c.post("/api/v1/incidents", json=body(title="ệ" * 300)).status_code == 201


def test_patch_validation_writes_nothing(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("sửa sai "))
    url = f"/api/v1/incidents/{inc['id']}"
    for field, b in [("type", {"group": "fault", "type": "ddos"}),
                     ("severity", {"severity": "x"}),
                     ("title", {"title": "a" * 301}),
                     ("status", {"status": "closed"})]:
        pb = is_problem(c.patch(url, json=b), 422)
        assert pb["field"] == field
    now = c.get(url).json()
    assert now["version"] == 1 and now["status"] == "new" and now["severity"] == "high"


# ---- the procedure ----

def test_procedure_end_to_end(server):
    member = server.login("taichinh")
    coord = server.login("dieuphoi")
    police = server.login("congan")
    other = server.login("yte")
    police_org = server.org_id("congan")
    inc = new_incident(member, title=unique("Quy trình "))
    iid = inc["id"]
    url = f"/api/v1/incidents/{iid}"
    actions = [a["action"] for a in member.get(url).json()["actions"]]
    assert set(actions) == {"handle_internally", "report"}

    r = step(member, iid, "report", note="Báo cáo theo Mẫu 01")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "reported" and r.json()["reported_at"]
    seen = coord.get(url)
    assert seen.status_code == 200, seen.text
    assert [a["action"] for a in seen.json()["actions"]] == ["accept"]
    assert [a["action"] for a in member.get(url).json()["actions"]] == []
    # the member may not accept its own report
    is_problem(step(member, iid, "accept"), 409, "Transition not allowed")
    assert step(coord, iid, "accept").json()["status"] == "coordinated"

    # coordination request to the police
    is_problem(police.get(url), 404)
    r = coord.post(url + "/requests", json={"org_id": police_org, "kind": "investigate",
                                            "body": "Đề nghị điều tra dấu vết xâm nhập."})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert r.headers["Location"] == f"/api/v1/requests/{rid}"
    assert police.get(url).status_code == 200
    assert police.get(url + "/requests").json()["items"][0]["id"] == rid
    # the police read and answer, nothing more
    is_problem(police.patch(url, json={"severity": "low"}), 403)
    is_problem(step(police, iid, "resolve"), 403)
    # only the organisation asked answers
    is_problem(coord.post(f"/api/v1/requests/{rid}/answer",
                          json={"status": "done", "answer": "x"}), 403)
    pb = is_problem(police.post(f"/api/v1/requests/{rid}/answer",
                                json={"status": "maybe", "answer": "x"}), 422)
    assert pb["field"] == "status"
    r = police.post(f"/api/v1/requests/{rid}/answer",
                    json={"status": "accepted", "answer": "Đã cử cán bộ PA05 phối hợp."})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted"
    # another member still does not see it
    is_problem(other.get(url), 404)
    is_problem(other.get(url + "/journal"), 404)
    assert iid not in {i["id"] for i in other.get("/api/v1/incidents",
                                                   params={"limit": 200}).json()["items"]}

    assert step(member, iid, "resolve").json()["status"] == "resolved"
    r = step(member, iid, "close")
    pb = is_problem(r, 409, "Transition not allowed")
    assert "closing" in pb["detail"]
    assert member.get(url).json()["status"] == "resolved"
    # an incomplete form is still refused
    r = step(member, iid, "close", form={"closing": {"operator_unit": "Sở Tài chính"}})
    assert "closing" in is_problem(r, 409)["detail"]
    closing = {"operator_unit": "Phòng CNTT, Sở Tài chính",
               "detected_at": "2026-11-20T08:30:00+07:00",
               "resolution": "Đã đổi mật khẩu, vá lỗ hổng VPN."}
    r = step(member, iid, "close", form={"closing": closing})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "closed" and done["closed_at"]
    assert done["form"]["closing"]["operator_unit"] == closing["operator_unit"]
    assert member.get(url).json()["actions"] == []

    journal = member.get(url + "/journal").json()["items"]
    kinds = [j["kind"] for j in journal]
    assert kinds[0] == "created"
    for k in ("status", "request", "answer"):
        assert k in kinds, kinds
    statuses = [j["data"]["to"] for j in journal if j["kind"] == "status"]
    assert statuses == ["reported", "coordinated", "resolved", "closed"]
    ids = {u: server_user_id(server, u) for u in ("taichinh", "dieuphoi", "congan")}
    by_kind = {j["kind"]: j for j in journal}
    assert by_kind["created"]["author_id"] == ids["taichinh"]
    assert by_kind["request"]["author_id"] == ids["dieuphoi"]
    assert by_kind["answer"]["author_id"] == ids["congan"]
    assert all(j["author_name"] for j in journal)
    assert journal[1]["body"] == "Báo cáo theo Mẫu 01"


def server_user_id(server, username):
    with server.db() as conn:
        return conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()[0]


def test_illegal_transition_409_names_rule(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("sai bước "))
    pb = is_problem(step(c, inc["id"], "close"), 409, "Transition not allowed")
    assert pb["field"] == "action"
    assert "close" in pb["detail"] and "new" in pb["detail"]
    pb = is_problem(step(c, inc["id"], "fly"), 409)
    assert "fly" in pb["detail"]
    assert c.get(f"/api/v1/incidents/{inc['id']}").json()["status"] == "new"


def test_reporter_may_report(server):
    """The preset lets any staff (role reporter) take `report` (roles [reporter, officer,
    leader], 001 Đ15.4a/c), but not `handle_internally` (officer, leader)."""
    rep = server.login("taichinh.nv")
    inc = new_incident(rep, title=unique("nhân viên "))
    url = f"/api/v1/incidents/{inc['id']}"
    assert [a["action"] for a in rep.get(url).json()["actions"]] == ["report"]
    r = step(rep, inc["id"], "handle_internally")
    assert r.status_code in (403, 409), r.text
    r = step(rep, inc["id"], "report")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "reported"


def test_internal_handling_needs_record(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("nội bộ "))
    assert step(c, inc["id"], "handle_internally").json()["status"] == "internal"
    pb = is_problem(step(c, inc["id"], "close_internal"), 409)
    assert "record" in pb["detail"]
    record = {"what_happened": "Dò mật khẩu", "handling": "Chặn IP", "result": "Đã khắc phục",
              "participants": "Tổ CNTT", "made_at": "2026-11-20T10:00:00+07:00"}
    r = step(c, inc["id"], "close_internal", form={"record": record})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed"


def test_closing_internally_reports_nothing(server):
    """An incident a unit handles and closes itself at step 2 is never "reported": no report
    time, the coordinator is not named on it (so a TLP:RED one stays the unit's) and nobody is told
    (DOMAIN.md; 001 Đ15.4b). Before, entering "closed" (step 5) counted as passing step 3."""
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("tự xử lý "))
    assert step(c, inc["id"], "handle_internally").json()["status"] == "internal"
    record = {"what_happened": "Dò mật khẩu", "handling": "Chặn IP", "result": "Đã khắc phục",
              "participants": "Tổ CNTT", "made_at": "2026-11-20T10:00:00+07:00"}
    r = step(c, inc["id"], "close_internal", form={"record": record})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["status"] == "closed" and got["reported_at"] is None, got
    assert got["closed_at"] is not None
    assert all(o["reason"] != "coordinator" for o in got["orgs"]), got["orgs"]
    with server.db() as conn:
        told = conn.execute("SELECT count(*) FROM outbox WHERE incident_id = ?",
                            (inc["id"],)).fetchone()[0]
    assert told == 0


# ---- attachments ----

def test_attachment_roundtrip(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("tệp "))
    data = bytes(range(256)) * 40 + "Biên bản sự cố".encode()
    r = c.post(f"/api/v1/incidents/{inc['id']}/attachments", params={"name": "bao-cao.pdf"},
               data=data, headers={"Content-Type": "application/pdf"})
    assert r.status_code == 201, r.text
    att = r.json()
    assert att["sha256"] == hashlib.sha256(data).hexdigest()
    assert att["size"] == len(data) and att["name"] == "bao-cao.pdf"
    assert r.headers["Location"] == f"/api/v1/attachments/{att['id']}"
    got = c.get(f"/api/v1/attachments/{att['id']}")
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["X-Content-SHA256"] == att["sha256"]
    assert "bao-cao.pdf" in got.headers["Content-Disposition"]
    listed = c.get(f"/api/v1/incidents/{inc['id']}/attachments").json()["items"]
    assert [a["id"] for a in listed] == [att["id"]]
    j = c.get(f"/api/v1/incidents/{inc['id']}/journal").json()["items"]
    assert j[-1]["kind"] == "attachment"
    # another member can neither add to it nor read it
    other = server.login("yte")
    n = count_rows(server, "attachments")
    r = other.post(f"/api/v1/incidents/{inc['id']}/attachments", params={"name": "x.txt"},
                   data=b"hello")
    is_problem(r, 404)
    is_problem(other.get(f"/api/v1/attachments/{att['id']}"), 404)
    assert count_rows(server, "attachments") == n
    # a bad name is refused
    for name in ("../../etc/passwd", "", "a\\b"):
        r = c.post(f"/api/v1/incidents/{inc['id']}/attachments", params={"name": name},
                   data=b"x")
        assert is_problem(r, 422)["field"] == "name"
    r = c.post(f"/api/v1/incidents/{inc['id']}/attachments", params={"name": "empty.txt"},
               data=b"")
    is_problem(r, 422)


def test_attachment_idempotency_key(server):
    """docs/api.md: the same Idempotency-Key with another body is refused (422). An upload's body
    is the file."""
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("tệp khóa "))
    url = f"/api/v1/incidents/{inc['id']}/attachments"
    key = unique("up-")
    r1 = c.post(url, params={"name": "a.txt"}, data=b"first file",
                headers={"Idempotency-Key": key})
    assert r1.status_code == 201, r1.text
    r2 = c.post(url, params={"name": "a.txt"}, data=b"first file",
                headers={"Idempotency-Key": key})
    assert r2.status_code == 201 and r2.json()["id"] == r1.json()["id"]
    assert r2.headers.get("Idempotent-Replayed") == "true"
    files = set(os.listdir(os.path.join(server.data, "files")))
    other = b"a completely different file"
    r3 = c.post(url, params={"name": "b.txt"}, data=other, headers={"Idempotency-Key": key})
    assert r3.status_code == 422, (r3.status_code, r3.text)
    assert is_problem(r3, 422)["field"] == "Idempotency-Key"
    assert len(c.get(url).json()["items"]) == 1
    # the refused file is not kept either
    assert hashlib.sha256(other).hexdigest() not in os.listdir(os.path.join(server.data, "files"))
    assert set(os.listdir(os.path.join(server.data, "files"))) == files


def test_attachment_unicode_name(server):
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("tệp tên "))
    r = c.post(f"/api/v1/incidents/{inc['id']}/attachments",
               params={"name": "Biên bản số 1.docx"}, data=b"noi dung")
    assert r.status_code == 201, r.text
    got = c.get(f"/api/v1/attachments/{r.json()['id']}")
    assert got.content == b"noi dung"
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n" in got.headers["Content-Disposition"]


# ---- TLP and the superior body ----

def test_tlp_red_hidden_from_coordinator_until_reported(server):
    member = server.login("taichinh")
    coord = server.login("dieuphoi")
    sup = server.login("ubnd")
    inc = new_incident(member, title=unique("TLP đỏ "), tlp="red")
    url = f"/api/v1/incidents/{inc['id']}"
    assert inc["tlp"] == "red"

    def listed(client):
        items = client.get("/api/v1/incidents", params={"limit": 200}).json()["items"]
        return inc["id"] in {i["id"] for i in items}

    is_problem(coord.get(url), 404)
    is_problem(coord.get(url + "/journal"), 404)
    assert not listed(coord)
    is_problem(sup.get(url), 404)
    assert not listed(sup)
    assert step(member, inc["id"], "report").status_code == 200
    r = coord.get(url)
    assert r.status_code == 200, r.text
    assert any(o["org_id"] == server.org_id("coordinator") for o in r.json()["orgs"])
    assert listed(coord)
    assert [a["action"] for a in r.json()["actions"]] == ["accept"]
    # the superior body still does not see RED
    is_problem(sup.get(url), 404)
    assert not listed(sup)


def test_superior_reads_but_cannot_edit(server):
    member = server.login("taichinh")
    sup = server.login("ubnd")
    inc = new_incident(member, title=unique("cấp trên "), tlp="amber")
    url = f"/api/v1/incidents/{inc['id']}"
    r = sup.get(url)
    assert r.status_code == 200, r.text
    assert r.json()["permissions"] == {"edit": False, "comment": False, "transition": False,
                                       "request": False}
    assert r.json()["actions"] == []
    items = sup.get("/api/v1/incidents", params={"limit": 200}).json()["items"]
    assert inc["id"] in {i["id"] for i in items}
    is_problem(sup.patch(url, json={"severity": "low"}), 403)
    is_problem(step(sup, inc["id"], "report"), 403)
    is_problem(sup.post(url + "/journal", json={"body": "x"}), 403)
    assert member.get(url).json()["version"] == 1
    # a unit of another parent is not seen
    code, _ = make_org(server, parent="congan")
    _, _, c2, _ = make_user(server, code, "officer")
    inc2 = new_incident(c2, title=unique("khác cha "))
    is_problem(sup.get(f"/api/v1/incidents/{inc2['id']}"), 404)


def test_member_cannot_see_other_member(server):
    a = server.login("taichinh")
    b = server.login("giaoduc")
    inc = new_incident(a, title=unique("riêng "), tlp="clear")
    is_problem(b.get(f"/api/v1/incidents/{inc['id']}"), 404)
    is_problem(b.patch(f"/api/v1/incidents/{inc['id']}", json={"title": "x"}), 404)
    is_problem(step(b, inc["id"], "report"), 404)


def test_comment_and_token_client(server):
    t = TokenClient(server.base, server.token("taichinh"))
    inc = new_incident(t, title=unique("ghi chú "))
    r = t.post(f"/api/v1/incidents/{inc['id']}/journal", json={"body": "Đã cô lập máy chủ."})
    assert r.status_code == 201, r.text
    j = t.get(f"/api/v1/incidents/{inc['id']}/journal").json()["items"]
    assert j[-1]["kind"] == "comment" and j[-1]["body"] == "Đã cô lập máy chủ."
    assert requests.get(server.base + f"/api/v1/incidents/{inc['id']}").status_code == 401


def test_admin_rights_give_no_incident_access(server):
    """docs/access.md: admin rights give no access to incident contents."""
    from conftest import admin_client
    member = server.login("taichinh")
    inc = new_incident(member, title=unique("quản trị "), tlp="clear")
    step(member, inc["id"], "report")
    admin = admin_client(server)
    is_problem(admin.get(f"/api/v1/incidents/{inc['id']}"), 404)
    is_problem(admin.get(f"/api/v1/incidents/{inc['id']}/journal"), 404)
    r = admin.get("/api/v1/incidents", params={"limit": 200})
    assert r.status_code == 200 and r.json()["items"] == []
    is_problem(admin.post("/api/v1/incidents", json=body()), 403)


def test_request_answered_once_under_concurrency():
    """A finished request cannot be answered again (409), whatever the concurrency: 24 "done"
    answers sent at once to one request leave exactly one answer, one journal entry and one
    notification to the asking organisation; the other 23 are refused."""
    import tempfile
    import threading

    from conftest import Server
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        server = Server(os.path.join(tmp, "data"), serve_args=["--threads", "8"])
        try:
            coord = server.login("dieuphoi")
            police = server.login("congan")
            inc = new_incident(server.login("taichinh"), title=unique("Đề nghị "))
            iid = inc["id"]
            assert step(server.login("taichinh"), iid, "report").status_code == 200
            assert step(coord, iid, "accept").status_code == 200
            r = coord.post(f"/api/v1/incidents/{iid}/requests",
                           json={"org_id": server.org_id("congan"), "kind": "support",
                                 "body": "Đề nghị hỗ trợ."})
            assert r.status_code == 201, r.text
            rid = r.json()["id"]
            police.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=24))
            gate = threading.Barrier(24)
            out = [None] * 24

            def one(i):
                gate.wait()
                out[i] = police.post(f"/api/v1/requests/{rid}/answer",
                                     json={"status": "done", "answer": f"Xong lần {i}"})
            threads = [threading.Thread(target=one, args=(i,)) for i in range(24)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            statuses = sorted(r.status_code for r in out)
            assert statuses == [200] + [409] * 23, statuses
            for r in out:
                if r.status_code == 409:
                    assert is_problem(r, 409, "Request closed")["field"] == "status"
            with server.db() as conn:
                answers = conn.execute("SELECT COUNT(*) FROM journal WHERE incident_id = ? "
                                       "AND kind = 'answer'", (iid,)).fetchone()[0]
                audits = conn.execute("SELECT COUNT(*) FROM audit WHERE action = "
                                      "'request.answer' AND object_id = ?", (rid,)).fetchone()[0]
            assert answers == 1 and audits == 1, (answers, audits)
        finally:
            assert server.stop() == 0, open(os.path.join(server.data, "server.log")).read()[-4000:]


def test_changes_answer_the_gets_shape(server):
    """One answer shape per resource: PATCH, a procedure step and a flag answer the incident as
    GET gives it, with its actions, permissions and clocks as they are after the change."""
    c = server.login("taichinh")
    inc = new_incident(c, title=unique("hình dạng "))
    url = f"/api/v1/incidents/{inc['id']}"
    changes = (lambda: c.patch(url, json={"severity": "medium"}),
               lambda: c.post(url + "/transitions", json={"action": "report"}),
               lambda: c.post(url + "/flags", json={"flag": "beyond_capacity"}))
    for change in changes:
        r = change()
        assert r.status_code == 200, r.text
        got = c.get(url)
        assert set(r.json()) == set(got.json()), set(r.json()) ^ set(got.json())
        assert r.json()["version"] == got.json()["version"]
        assert r.headers["ETag"] == got.headers["ETag"]
    assert r.json()["status"] == "reported" and r.json()["actions"] == got.json()["actions"]
