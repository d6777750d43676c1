"""Warnings (cảnh báo, 000 Đ7.4; 003 §1; 002 Đ7.2c): drafts, issuing to targets by each mode,
matching systems by assets (CIDR both ways, domain suffix, URL host) and products with the why,
acknowledgement, per-system status reports with evidence, the live tracking table, late answers
escalated by `ungcuu sweep` once, incidents opened from a warning, observables and related items,
TLP:RED visibility, access denials, and nothing half-written on a bad item. docs/warnings.md."""
import json

import pytest

from conftest import cli, count_rows, is_problem, new_incident, now

FUTURE = "2099-12-31T17:00:00+07:00"


@pytest.fixture(scope="module")
def who(server):
    return {k: server.login(u) for k, u in {"dp": "dieuphoi", "tc": "taichinh", "nv": "taichinh.nv",
                                            "yte": "yte", "ca": "congan", "kt": "kiemtra",
                                            "gd": "giaoduc", "vnpt": "vnpt"}.items()}


def system_of(server, org_code, name_like=None):
    with server.db() as db:
        q = ("SELECT s.id FROM systems s JOIN orgs o ON o.id = s.owner_org_id WHERE o.code = ?"
             + (" AND s.name LIKE ?" if name_like else "") + " ORDER BY s.id LIMIT 1")
        return db.execute(q, (org_code,) + ((name_like,) if name_like else ())).fetchone()[0]


def draft(c, **over):
    body = {"title": "Lỗ hổng nghiêm trọng trong máy chủ web", "severity": "high",
            "description": "Khai thác từ xa.", "due_at": FUTURE, "target": {"mode": "match"}}
    body.update(over)
    r = c.post("/api/v1/warnings", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def issue(c, wid, **headers):
    r = c.post(f"/api/v1/warnings/{wid}/issue", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def tracking(c, wid):
    r = c.get(f"/api/v1/warnings/{wid}/tracking")
    assert r.status_code == 200, r.text
    return {row["org_id"]: row for row in r.json()["items"]}


def test_draft_validates_every_field_and_writes_nothing_on_a_bad_item(server, who):
    dp = who["dp"]
    before = count_rows(server, "warnings"), count_rows(server, "indicators")
    r = dp.post("/api/v1/warnings", json={
        "title": "Sai chỉ báo", "severity": "high",
        "indicators": ["203.113.131.5", "evil.example.com", "không phải chỉ báo", "a" * 64]})
    body = is_problem(r, 422)
    assert body["field"] == "indicators" and "3" in body["detail"] and "không phải" in body["detail"]
    r = dp.post("/api/v1/warnings", json={"title": "Sai CVE", "severity": "high",
                                          "refs": ["CVE-2024-1234", {"type": "cve", "value": "CVE-24-1"}]})
    body = is_problem(r, 422)
    assert body["field"] == "refs" and "2" in body["detail"]
    is_problem(dp.post("/api/v1/warnings", json={"title": "x", "severity": "nope"}), 422)
    is_problem(dp.post("/api/v1/warnings", json={"title": "x", "severity": "high",
                                                 "target": {"mode": "roles", "roles": ["pirates"]}}), 422)
    assert (count_rows(server, "warnings"), count_rows(server, "indicators")) == before

    w = draft(dp, refs=["cve-2024-3400", "https://nvd.nist.gov/vuln/detail/CVE-2024-3400", "KB-01/2026"],
              indicators=[{"kind": "ipv4", "value": "203.113.131.5"}, "HTTP://Evil.Example.com/a",
                          "Evil.Example.COM."], products=[{"vendor": "Palo Alto", "product": "PAN-OS",
                                                           "versions": "< 11.1.2"}],
              legal_basis="000 Đ7.4", actions="Cập nhật bản vá.")
    assert w["ref"].startswith("CB-") and len(w["ref"]) == len("CB-2026-000001")
    assert w["status"] == "draft" and w["tlp"] == "amber" and w["permissions"]["edit"]
    assert [r["type"] for r in w["refs"]] == ["cve", "url", "advisory"]
    assert w["refs"][0]["value"] == "CVE-2024-3400"
    kinds = {(i["kind"], i["value"]) for i in w["indicators"]}
    assert ("ipv4", "203.113.131.5") in kinds and ("domain", "evil.example.com") in kinds
    assert any(k == "url" and v.startswith("http://evil.example.com") for k, v in kinds)
    # a draft is the issuer's alone
    assert who["tc"].get(f"/api/v1/warnings/{w['id']}").status_code == 404
    # PATCH with If-Match; a stale version is refused
    r = dp.patch(f"/api/v1/warnings/{w['id']}", json={"title": "Lỗ hổng PAN-OS"},
                 headers={"If-Match": '"v999"'})
    assert r.status_code == 412
    r = dp.patch(f"/api/v1/warnings/{w['id']}", json={"title": "Lỗ hổng PAN-OS",
                                                      "indicators": ["198.51.100.200"]},
                 headers={"If-Match": f'"v{w["version"]}"'})
    assert r.status_code == 200, r.text
    assert [i["value"] for i in r.json()["indicators"]] == ["198.51.100.200"]


def test_who_may_issue(server, who):
    for key in ("tc", "nv", "yte", "vnpt", "kt"):
        is_problem(who[key].post("/api/v1/warnings", json={"title": "x", "severity": "high"}), 403)
    w = draft(who["ca"], title="Công an cảnh báo: rà quét hệ thống quan trọng")  # 002 Đ7.2c
    assert w["issuer_name"].startswith("Công an")


def test_issue_matches_cidr_domain_url_and_products_with_why(server, who):
    dp, tc = who["dp"], who["tc"]
    s_tc = system_of(server, "sotc")          # 198.51.100.8/29, ngansach.binhminh.gov.vn
    s_yt = system_of(server, "soyt")          # 198.51.100.32/28, benhvien.binhminh.gov.vn
    s_gd = system_of(server, "sogd")          # csdl.sgddt.binhminh.gov.vn
    r = dp.patch(f"/api/v1/systems/{s_gd}", json={"products": [
        {"vendor": "Apache", "product": "Tomcat", "version": "9.0.1"}]})
    assert r.status_code == 200, r.text
    assert r.json()["products"][0]["product"] == "Tomcat"
    w = draft(dp, title="Chiến dịch tấn công nhắm vào cổng dịch vụ", indicators=[
        "198.51.100.9", "api.ngansach.binhminh.gov.vn", "https://benhvien.binhminh.gov.vn/dang-nhap",
        "d41d8cd98f00b204e9800998ecf8427e"], products=[{"vendor": "apache", "product": "TOMCAT"}])
    out = issue(dp, w["id"], **{"Idempotency-Key": "issue-match-1"})
    assert out["status"] == "issued" and out["issued"]["systems"] >= 3
    again = dp.post(f"/api/v1/warnings/{w['id']}/issue", headers={"Idempotency-Key": "issue-match-1"})
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    is_problem(dp.post(f"/api/v1/warnings/{w['id']}/issue"), 409)
    rows = tracking(dp, w["id"])
    orgs = {server.org_id(c) for c in ("sotc", "soyt", "sogd")}
    assert orgs <= set(rows) and all(rows[o]["reason"] == "match" for o in orgs)
    systems = {s["system_id"]: s for row in rows.values() for s in row["systems"]}
    # why each matched: stored as a catalogue code, worded in the reader's language
    why = {sid: {m["why_code"] for m in systems[sid]["matched"]} for sid in (s_tc, s_yt, s_gd)}
    assert {"match_address_in_range", "match_subdomain"} <= why[s_tc]
    assert "match_same_domain" in why[s_yt]
    assert "match_same_product" in why[s_gd]
    words = {m["why_code"]: m["why"] for m in systems[s_tc]["matched"]}
    assert words["match_address_in_range"] == "địa chỉ thuộc dải mạng"
    en = dp.get(f"/api/v1/warnings/{w['id']}/tracking", headers={"Accept-Language": "en"}).json()
    en_words = {m["why_code"]: m["why"] for row in en["items"] for s in row["systems"]
                for m in s["matched"]}
    assert en_words["match_address_in_range"] == "address in range"
    assert en_words["match_same_product"] == "same product"
    # version ranges: 9.0.1 is inside "< 9.0.99" and outside ">= 10.0"
    w2 = issue(dp, draft(dp, title="Tomcat 9", products=[{"vendor": "Apache", "product": "Tomcat",
                                                           "versions": "< 9.0.99"}])["id"])
    m2 = [m for row in tracking(dp, w2["id"]).values() for sy in row["systems"] for m in sy["matched"]]
    assert any(m["why_code"] == "match_affected_version" and "9.0.1" in m["asset"] for m in m2)
    w3 = issue(dp, draft(dp, title="Tomcat 10", products=[{"vendor": "Apache", "product": "Tomcat",
                                                            "versions": ">= 10.0"}])["id"])
    assert server.org_id("sogd") not in tracking(dp, w3["id"])
    m = next(m for m in systems[s_tc]["matched"] if "198.51.100.9" in m["indicator"])
    assert m["asset"] == "cidr 198.51.100.8/29" and m["indicator"] == "ipv4 198.51.100.9"
    # one outbox row per target, in the issuing transaction
    with server.db() as db:
        n = db.execute("SELECT count(*) FROM outbox WHERE event = 'warning' AND payload LIKE ?",
                       (f'%"warning_id":{w["id"]}%',)).fetchone()[0]
    assert n == len(rows)
    # the target's view: the warning, its own answers, the list with "mine"
    mine = tc.get(f"/api/v1/warnings/{w['id']}").json()
    assert mine["mine"]["org_id"] == server.org_id("sotc") and mine["permissions"]["answer"]
    assert not mine["permissions"]["track"]
    listed = tc.get("/api/v1/warnings?mine=1").json()["items"]
    assert w["id"] in {i["id"] for i in listed}
    assert who["vnpt"].get(f"/api/v1/warnings/{w['id']}").status_code == 404


def test_network_of_the_warning_contains_systems(server, who):
    dp = who["dp"]
    w = draft(dp, title="Dải mạng bị chiếm quyền điều khiển", indicators=["198.51.100.0/24"])
    issue(dp, w["id"])
    rows = tracking(dp, w["id"])
    assert {server.org_id("sotc"), server.org_id("soyt")} <= set(rows)
    whys = [m["why_code"] for row in rows.values() for s in row["systems"] for m in s["matched"]]
    assert "match_range_inside" in whys


def test_targets_by_all_roles_and_list(server, who):
    dp = who["dp"]
    w = issue(dp, draft(dp, title="Cảnh báo chung", target={"mode": "all"})["id"])
    with server.db() as db:
        active = db.execute("SELECT count(*) FROM orgs WHERE active = 1").fetchone()[0]
    assert w["issued"]["targets"] == active - 1  # everyone but the issuer
    w = issue(dp, draft(dp, title="Cảnh báo nhà mạng", target={"mode": "roles", "roles": ["isp"]})["id"])
    assert set(tracking(dp, w["id"])) == {server.org_id("vnpt"), server.org_id("viettel")}
    w = issue(dp, draft(dp, title="Cảnh báo riêng", target={"mode": "orgs", "orgs": [server.org_id("sogd")]})["id"])
    rows = tracking(dp, w["id"])
    assert set(rows) == {server.org_id("sogd")} and rows[server.org_id("sogd")]["reason"] == "list"


def test_ack_reports_evidence_and_live_table(server, who):
    dp, tc, yte = who["dp"], who["tc"], who["yte"]
    s_tc = system_of(server, "sotc")
    w = issue(dp, draft(dp, title="Theo dõi phản hồi", indicators=["198.51.100.10"],
                        target={"mode": "orgs", "orgs": [server.org_id("sotc"), server.org_id("soyt")]})["id"])
    wid = w["id"]
    is_problem(who["nv"].post(f"/api/v1/warnings/{wid}/ack"), 403)  # a reporter reads, handlers answer
    r = tc.post(f"/api/v1/warnings/{wid}/ack")
    # the warning as GET gives it, with the caller's own answer in "mine"
    assert r.status_code == 200 and r.json()["mine"]["acked_at"], r.text
    is_problem(tc.put(f"/api/v1/warnings/{wid}/systems/{s_tc}", json={"status": "broken"}), 422)
    is_problem(tc.put(f"/api/v1/warnings/{wid}/systems/{system_of(server, 'soyt')}",
                      json={"status": "fixed"}), 404)  # not its system
    r = tc.put(f"/api/v1/warnings/{wid}/systems/{s_tc}", json={"status": "fixing", "note": "Đang vá"})
    assert r.status_code == 200, r.text
    r = tc.post(f"/api/v1/warnings/{wid}/systems/{s_tc}/evidence?name=ban-va.txt", data=b"patched\n",
                headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    row = tracking(dp, wid)
    me, other = row[server.org_id("sotc")], row[server.org_id("soyt")]
    assert me["acked_at"] and me["acked_by_name"] and me["responded_at"] and not me["late"]
    sys_row = me["systems"][0]
    assert sys_row["status"] == "fixing" and sys_row["note"] == "Đang vá"
    assert sys_row["evidence_name"] == "ban-va.txt" and len(sys_row["evidence_sha256"]) == 64
    assert other["acked_at"] is None and not other["late"]
    r = dp.get(f"/api/v1/warnings/{wid}/systems/{s_tc}/evidence")
    assert r.status_code == 200 and r.content == b"patched\n"
    assert yte.get(f"/api/v1/warnings/{wid}/systems/{s_tc}/evidence").status_code == 404
    # the tracking table is for the issuer and the coordinator only
    is_problem(tc.get(f"/api/v1/warnings/{wid}/tracking"), 403)
    assert who["kt"].get(f"/api/v1/warnings/{wid}/tracking").status_code == 200
    with server.db() as db:
        actions = {a for (a,) in db.execute("SELECT action FROM audit WHERE object_type = 'warning' "
                                            "AND object_id = ?", (wid,))}
    assert {"warning.create", "warning.issue", "warning.ack", "warning.report", "warning.evidence"} <= actions
    # closing ends the answers
    assert dp.post(f"/api/v1/warnings/{wid}/close", json={}).json()["status"] == "closed"
    is_problem(tc.put(f"/api/v1/warnings/{wid}/systems/{s_tc}", json={"status": "fixed"}), 409)


def test_late_answer_is_escalated_once_by_sweep(server, who):
    dp, tc = who["dp"], who["tc"]
    w = draft(dp, title="Cảnh báo có hạn phản hồi", due_at="2026-01-10T17:00:00+07:00",
              target={"mode": "orgs", "orgs": [server.org_id("sotc"), server.org_id("soyt")]})
    issue(dp, w["id"])
    assert tc.post(f"/api/v1/warnings/{w['id']}/ack").status_code == 200  # sotc answers (no systems)
    rows = tracking(dp, w["id"])
    assert rows[server.org_id("soyt")]["late"] and rows[server.org_id("sotc")]["responded_at"] is not None
    late_list = who["yte"].get("/api/v1/warnings?mine=1").json()["items"]
    assert next(i for i in late_list if i["id"] == w["id"])["my_late"]

    def overdue_rows():
        with server.db() as db:
            return db.execute("SELECT org_id, payload FROM outbox WHERE event = 'warning_overdue' "
                              "AND payload LIKE ?", (f'%"warning_id":{w["id"]}%',)).fetchall()
    assert overdue_rows() == []
    cli("sweep", data=server.data)
    first = overdue_rows()
    told = {r[0] for r in first}
    assert told == {server.org_id("soyt"), server.org_id("coordinator")}  # the late one and the issuer
    payload = json.loads(first[0][1])
    assert payload["rule"] == "warning_unanswered" and payload["late_org_id"] == server.org_id("soyt")
    # the facts (the rule's names, its source), worded in the mail's language when it is sent
    assert payload["msg"] == "journal_escalation" and "text" not in payload
    assert payload["source"] and set(payload["params"]) == {"rule"}
    assert set(payload["params"]["rule"]) == {"vi", "en"}
    cli("sweep", data=server.data)
    assert len(overdue_rows()) == len(first)  # exactly once
    with server.db() as db:
        assert db.execute("SELECT count(*) FROM warning_firings WHERE warning_id = ?",
                          (w["id"],)).fetchone()[0] == 1
    assert tracking(dp, w["id"])[server.org_id("soyt")]["escalated_at"]


def test_spawn_incident_observables_and_related(server, who):
    dp, tc, yte = who["dp"], who["tc"], who["yte"]
    s_tc = system_of(server, "sotc")
    w = issue(dp, draft(dp, title="Mã độc đánh cắp dữ liệu", indicators=["198.51.100.11", "c2.badhost.example"],
                        target={"mode": "match"})["id"])
    wid = w["id"]
    r = tc.put(f"/api/v1/warnings/{wid}/systems/{s_tc}", json={"status": "affected"})
    assert r.status_code == 200
    r = tc.post(f"/api/v1/warnings/{wid}/systems/{s_tc}/incident", json={})
    assert r.status_code == 201, r.text
    inc = r.json()
    assert w["ref"] in inc["description"] and inc["systems"][0]["id"] == s_tc and inc["grp"] == "attack"
    obs = tc.get(f"/api/v1/incidents/{inc['id']}/observables").json()["items"]
    assert {o["value"] for o in obs} == {"198.51.100.11", "c2.badhost.example"}
    rel = tc.get(f"/api/v1/incidents/{inc['id']}/related").json()
    assert any(i["kind"] == "warning" and i["id"] == wid for i in rel["items"])
    assert any(s["system_id"] == s_tc for s in rel["systems"])
    # the tracking table names the unit's incident only once the coordinator may read it: the
    # unit's answer (affected) is the warning's, the incident stays the unit's until reported
    row = tracking(dp, wid)[server.org_id("sotc")]
    assert row["systems"][0]["status"] == "affected"
    assert row["systems"][0]["incident_id"] is None and row["systems"][0]["incident_ref"] is None
    is_problem(dp.get(f"/api/v1/incidents/{inc['id']}"), 404)
    assert tc.post(f"/api/v1/incidents/{inc['id']}/transitions", json={"action": "report"}).status_code == 200
    row = tracking(dp, wid)[server.org_id("sotc")]
    assert row["systems"][0]["incident_id"] == inc["id"] and row["systems"][0]["incident_ref"] == inc["ref"]

    # an incident reported with observables (and extracted ones) is linked to the warning
    other = new_incident(tc, title="Kết nối lạ ra ngoài", observables=[{"kind": "domain", "value": "C2.BadHost.example"}],
                         description="Máy trạm gọi tới hxxp://c2[.]badhost[.]example/x và 198.51.100.11",
                         extract=True)
    obs = {(o["kind"], o["value"]) for o in tc.get(f"/api/v1/incidents/{other['id']}/observables").json()["items"]}
    assert ("domain", "c2.badhost.example") in obs and ("ipv4", "198.51.100.11") in obs
    rel = tc.get(f"/api/v1/incidents/{other['id']}/related").json()["items"]
    assert {("warning", wid), ("incident", inc["id"])} <= {(i["kind"], i["id"]) for i in rel}
    assert all(i["why"] for i in rel)
    # a bad observable in the middle of a list: 422 naming it, nothing stored
    n = count_rows(server, "indicators")
    body = is_problem(tc.post(f"/api/v1/incidents/{other['id']}/observables",
                              json={"observables": ["10.0.0.1", "10.0.0.999", "x.example"]}), 422)
    assert "2" in body["detail"]
    assert count_rows(server, "indicators") == n
    r = tc.post(f"/api/v1/incidents/{other['id']}/observables", json={"observables": ["10.9.9.9"]})
    assert r.status_code == 200 and "10.9.9.9" in {o["value"] for o in r.json()["items"]}
    # what another organisation may not read stays hidden
    assert yte.get(f"/api/v1/incidents/{other['id']}/related").status_code == 404
    # the warning's related incidents: the coordinator sees one once the unit reported it
    wrel = dp.get(f"/api/v1/warnings/{wid}/related").json()["items"]
    assert ("incident", other["id"]) not in {(i["kind"], i["id"]) for i in wrel}
    r = tc.post(f"/api/v1/incidents/{other['id']}/transitions", json={"action": "report"})
    assert r.status_code == 200, r.text
    wrel = dp.get(f"/api/v1/warnings/{wid}/related").json()["items"]
    assert ("incident", other["id"]) in {(i["kind"], i["id"]) for i in wrel}
    # an unreported one stays hidden, TLP:RED or not
    red = new_incident(tc, title="Sự cố mật", tlp="red", observables=["c2.badhost.example"])
    wrel = dp.get(f"/api/v1/warnings/{wid}/related").json()["items"]
    assert ("incident", red["id"]) not in {(i["kind"], i["id"]) for i in wrel}
    # the check endpoint detects kinds line by line
    items = tc.post("/api/v1/indicators/check", json={"values": ["1.2.3.4", "nope nope", "CVE"]}).json()["items"]
    assert items[0]["kind"] == "ipv4" and "error" in items[1] and "error" in items[2]


def test_spawn_keeps_a_long_description_whole(server, who):
    """The description sent with an incident opened from a warning may have 20,000 characters,
    whatever bytes they take: it is kept whole after the line naming the warning (it was cut at
    a byte count, mid-letter for Vietnamese text: a 500, or a silently shortened report)."""
    dp, tc = who["dp"], who["tc"]
    s_tc = system_of(server, "sotc")
    for k in range(3):  # every alignment of a 3-byte letter against the old cut
        w = issue(dp, draft(dp, title="Cảnh báo có mô tả dài",
                            target={"mode": "orgs", "orgs": [server.org_id("sotc")]})["id"])
        desc = "a" * k + "ệ" * (20000 - k)
        r = tc.post(f"/api/v1/warnings/{w['id']}/systems/{s_tc}/incident", json={"description": desc})
        assert r.status_code == 201, (k, r.text[:300])
        inc = r.json()
        assert inc["description"].startswith("Theo cảnh báo " + w["ref"]) and inc["description"].endswith(desc)


def test_tlp_red_goes_only_to_named_targets(server, who):
    ca, tc, yte, dp = who["ca"], who["tc"], who["yte"], who["dp"]
    w = draft(ca, title="Thông tin mật về nhóm tấn công", tlp="red", target={"mode": "match"},
              indicators=["198.51.100.12"])
    is_problem(ca.post(f"/api/v1/warnings/{w['id']}/issue"), 422)
    r = ca.patch(f"/api/v1/warnings/{w['id']}", json={"target": {"mode": "orgs", "orgs": [server.org_id("sotc")]}})
    assert r.status_code == 200, r.text
    issue(ca, w["id"])
    assert tc.get(f"/api/v1/warnings/{w['id']}").status_code == 200
    assert yte.get(f"/api/v1/warnings/{w['id']}").status_code == 404
    assert dp.get(f"/api/v1/warnings/{w['id']}").status_code == 404  # the coordinator was not named
    assert w["id"] not in {i["id"] for i in dp.get("/api/v1/warnings?limit=200").json()["items"]}
    assert ca.get(f"/api/v1/warnings/{w['id']}/tracking").status_code == 200
    # others may not change it
    is_problem(tc.patch(f"/api/v1/warnings/{w['id']}", json={"title": "x"}), 403)
    is_problem(tc.post(f"/api/v1/warnings/{w['id']}/close", json={}), 403)
    assert yte.post(f"/api/v1/warnings/{w['id']}/ack").status_code == 404


def test_systems_assets_are_canonical(server, who):
    tc = who["tc"]
    r = tc.post("/api/v1/systems", json={"name": "Cổng dịch vụ công Sở Tài chính", "level": 2, "assets": [
        {"kind": "domain", "value": "DVC.BinhMinh.gov.vn."}, {"kind": "cidr", "value": "203.113.131.77"},
        {"kind": "cidr", "value": "203.113.131.5/24"}, {"kind": "url", "value": "HTTPS://DVC.binhminh.gov.vn/a"}]})
    assert r.status_code == 201, r.text
    assert [a["value"] for a in r.json()["assets"]] == ["dvc.binhminh.gov.vn", "203.113.131.77/32",
                                                        "203.113.131.0/24", "https://dvc.binhminh.gov.vn/a"]
    body = is_problem(tc.post("/api/v1/systems", json={"name": "x", "level": 1, "assets": [
        {"kind": "cidr", "value": "203.113.131.0/33"}]}), 422)
    assert body["field"] == "assets" and body["code"] == "system_asset_invalid", body
    assert body["params"] == {"index": 1} and "Tài sản thứ 1" in body["detail"], body


class _Hooks(__import__("http.server").server.BaseHTTPRequestHandler):
    got = []

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        _Hooks.got.append((dict(self.headers), self.rfile.read(n)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


def test_issuing_notifies_the_targets_webhook():
    """The outbox row written with the issue reaches the target's webhook with the warning."""
    import http.server
    import os
    import tempfile
    import threading
    import time
    from conftest import Server
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hooks)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    _Hooks.got = []
    try:
        with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
            s = Server(os.path.join(tmp, "data"), serve_args=["--jobs-interval", "1"])
            try:
                org = s.org_id("sogd")
                with s.db() as db:
                    # made now: only events queued after it are posted (not the demo's past)
                    db.execute("INSERT INTO webhooks(org_id, url, secret, created_at, updated_at) "
                               "VALUES (?, ?, 'bi-mat', ?, ?)",
                               (org, f"http://127.0.0.1:{httpd.server_address[1]}/hook",
                                int(now()), int(now())))
                dp = s.login("dieuphoi")
                w = issue(dp, draft(dp, title="Cảnh báo gửi qua webhook", target={"mode": "orgs", "orgs": [org]},
                                    indicators=["5.6.7.8"])["id"])
                deadline = time.time() + 20
                while time.time() < deadline and not _Hooks.got:
                    time.sleep(0.2)
                assert len(_Hooks.got) == 1, _Hooks.got
                headers, body = _Hooks.got[0]
                doc = json.loads(body)
                assert headers["X-Ungcuu-Event"] == "warning" and doc["event"] == "warning"
                assert doc["warning"]["ref"] == w["ref"] and doc["payload"]["warning_id"] == w["id"]
                assert "indicators" not in doc["warning"]
            finally:
                assert s.stop() == 0
    finally:
        httpd.shutdown()


def test_withdrawn_draft_stays_the_issuers(server, who):
    """A draft withdrawn without ever being issued was never sent to anyone: it stays the
    issuer's alone, for the coordinator as for everyone (drafts are the issuer's, docs/access.md)."""
    ca, dp, tc = who["ca"], who["dp"], who["tc"]
    w = draft(ca, title="Bản nháp sẽ thu hồi")
    r = ca.post(f"/api/v1/warnings/{w['id']}/close", json={"withdraw": True})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn", r.text
    assert ca.get(f"/api/v1/warnings/{w['id']}").status_code == 200
    for c in (dp, tc):
        assert c.get(f"/api/v1/warnings/{w['id']}").status_code == 404
        assert w["id"] not in {i["id"] for i in c.get("/api/v1/warnings?limit=200").json()["items"]}
