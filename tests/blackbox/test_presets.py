"""One scenario per seed regulation, run on the real server with that preset in force: each
exercises the seed's own rules (issue: "regulations as data"). Plus the lead-body handover in the
middle of a procedure, and sweeps that run twice or at once."""
import datetime
import json
import os
import subprocess
import tempfile

import pytest

from conftest import BIN, ENV, Server, admin_client, cli, make_user, new_incident, vn_now

VN = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture()
def preset_server(request):
    with tempfile.TemporaryDirectory(prefix="ungcuu-preset-") as tmp:
        s = Server(os.path.join(tmp, "data"), preset=request.param,
                   serve_args=("--jobs-interval", "1"))
        try:
            yield s
        finally:
            assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-3000:]


def system_id(server, name_part):
    with server.db() as db:
        return db.execute("SELECT id FROM systems WHERE name LIKE ?", (f"%{name_part}%",)).fetchone()[0]


def escalations(server, incident_id):
    with server.db() as db:
        return {r[0] for r in db.execute("SELECT rule FROM escalations WHERE incident_id = ?",
                                         (incident_id,))}


def outbox_orgs(server, incident_id):
    with server.db() as db:
        return {r[0] for r in db.execute("SELECT o.code FROM outbox x JOIN orgs o ON o.id = x.org_id "
                                         "WHERE x.incident_id = ?", (incident_id,))}


def requests_to(server, incident_id):
    with server.db() as db:
        return {(r[0], r[1]) for r in db.execute(
            "SELECT o.code, r.kind FROM requests r JOIN orgs o ON o.id = r.to_org_id "
            "WHERE r.incident_id = ?", (incident_id,))}


def sweep(server, days_ahead=0):
    when = vn_now() + datetime.timedelta(days=days_ahead)
    return cli("sweep", "--json", "--now", when.isoformat(timespec="seconds"), data=server.data).stdout


def duties(server, **where):
    sql = "SELECT d.duty, o.code, d.system_id, d.due_at, d.status FROM duties d JOIN orgs o ON o.id = d.org_id"
    with server.db() as db:
        return [dict(zip(("duty", "org", "system_id", "due_at", "status"), r)) for r in db.execute(sql)]


@pytest.mark.parametrize("preset_server", ["tayson"], indirect=True)
def test_tayson_central_system_skips_internal_handling(preset_server):
    """001 Đ15.4a: a centrally hosted system goes straight to step 3; others may handle it inside."""
    s = preset_server
    anphu = s.login("anphu")  # the commune's officer; its website is hosted centrally
    inc = new_incident(anphu, title="Trang xã bị tấn công", systems=[system_id(s, "xã An Phú")])
    got = anphu.get(f"/api/v1/incidents/{inc['id']}").json()
    assert [a["action"] for a in got["actions"]] == ["report"]
    r = anphu.post(f"/api/v1/incidents/{inc['id']}/transitions", json={"action": "handle_internally"})
    # the refusal cites 001 Đ15.4a, Đ15.4b as written, never the code
    assert r.status_code == 409 and "khoản 4 Điều 15 Quy chế bảo đảm" in r.json()["detail"], r.text
    assert "Đ15" not in r.json()["detail"]
    assert anphu.post(f"/api/v1/incidents/{inc['id']}/transitions",
                      json={"action": "report"}).json()["status"] == "reported"
    # a system run by the unit itself may be handled internally (step 2)
    tc = s.login("taichinh")
    own = new_incident(tc, systems=[system_id(s, "ngân sách")])
    actions = {a["action"] for a in tc.get(f"/api/v1/incidents/{own['id']}").json()["actions"]}
    assert actions == {"handle_internally", "report"}


@pytest.mark.parametrize("preset_server", ["tayson"], indirect=True)
def test_tayson_serious_incident_reported_at_once_to_superior_and_coordinator(preset_server):
    """001 Đ15.5: a serious incident is reported at once to the superior and the coordinator."""
    s = preset_server
    tc = s.login("taichinh")
    inc = new_incident(tc, severity="serious", title="Mã độc mã hóa máy chủ kế toán")
    assert "serious_at_once" in escalations(s, inc["id"])
    assert {"ubnd", "coordinator"} <= outbox_orgs(s, inc["id"])
    journal = tc.get(f"/api/v1/incidents/{inc['id']}/journal").json()["items"]
    esc = [j for j in journal if j["kind"] == "escalation"]
    # cited as written: "Khoản 5 Điều 15 Quy chế bảo đảm an toàn thông tin mạng ... huyện Tây Sơn"
    assert esc and "Khoản 5 Điều 15 Quy chế bảo đảm an toàn thông tin mạng" in esc[0]["body"]
    assert "001 Đ15" not in esc[0]["body"]
    # the superior was named on it and reads it; a low incident fires nothing
    assert s.login("ubnd").get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    low = new_incident(tc, severity="low")
    assert escalations(s, low["id"]) == set()


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_escalation_entry_stores_facts_and_is_worded_by_its_reader(preset_server):
    """Issue "legal truth": the journal stores what fired (the rule, its names, its source), not
    words nor a citation; each reader gets the words in its language and the source cited with
    the preset in force when it reads. The request opened carries its text in Vietnamese."""
    s = preset_server
    tc, dp = s.login("taichinh"), s.login("dieuphoi")
    iid = new_incident(tc, title="Sự cố cần huy động lực lượng")["id"]
    assert tc.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"}).status_code == 200
    assert dp.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "accept"}).status_code == 200
    assert dp.post(f"/api/v1/incidents/{iid}/flags", json={"flag": "unresolved"}).status_code == 200
    with s.db() as db:
        body, data = db.execute("SELECT body, data FROM journal WHERE incident_id = ? AND "
                                "kind = 'escalation'", (iid,)).fetchone()
    data = json.loads(data)
    assert body == "" and data["rule"] == "unresolved_mobilise" and data["source"] == "000 Đ7.1c"
    assert data["msg"] == "journal_escalation" and set(data["params"]) == {"rule"}
    assert data["params"]["rule"]["en"].startswith("Ask the police and military command")
    stored = json.dumps(data, ensure_ascii=False)
    assert "citation" not in stored and "Điều 7" not in stored and "Article 7" not in stored

    def entry(lang):
        r = dp.get(f"/api/v1/incidents/{iid}/journal", headers={"Accept-Language": lang})
        assert r.status_code == 200, r.text
        return next(j for j in r.json()["items"] if j["kind"] == "escalation")
    vi, en = entry("vi"), entry("en")
    assert vi["body"].startswith("Chuyển cấp tự động: Đề nghị Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh")
    assert "(căn cứ: Điểm c khoản 1 Điều 7 Quy chế phối hợp" in vi["body"], vi["body"]
    assert en["body"].startswith("Automatic escalation: Ask the police and military command")
    assert "(legal basis: Article 7(1)(c) of the Regulation on coordination" in en["body"], en["body"]
    assert "000 Đ" not in vi["body"] + en["body"]
    # the citations beside it are made on read as well, from the same source
    assert vi["data"]["citation_vi"].startswith("Điểm c khoản 1 Điều 7 Quy chế phối hợp")
    assert en["data"]["citation_en"] == vi["data"]["citation_en"]
    # the request it opened is a record of its own: its text in Vietnamese, the data's language
    with s.db() as db:
        req = db.execute("SELECT body FROM requests WHERE incident_id = ? AND kind = 'mobilise'",
                         (iid,)).fetchone()[0]
    assert req.startswith("Chuyển cấp tự động: Đề nghị Công an tỉnh") and " / " not in req
    # the preset in force changes (a handover to another regulation): the entry is read
    # under it, its words unchanged, its source cited with the new preset's documents
    r = admin_client(s).post("/api/v1/admin/handover", json={"preset": "bacgiang-2024",
                                                             "coordinator_org_id": s.org_id("congan")})
    assert r.status_code == 200, r.text
    after = entry("en")
    assert after["body"] == en["body"] and after["data"]["source"] == "000 Đ7.1c"


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_hue2017_unresolved_goes_to_police_military_then_national(preset_server):
    """000 Đ7.1c-d: unresolved -> police and military mobilise; still unresolved -> national."""
    s = preset_server
    tc, dp = s.login("taichinh"), s.login("dieuphoi")
    inc = new_incident(tc, title="Tấn công từ chối dịch vụ kéo dài")
    iid = inc["id"]
    assert tc.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"}).status_code == 200
    assert dp.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "accept"}).status_code == 200
    r = dp.post(f"/api/v1/incidents/{iid}/flags", json={"flag": "unresolved", "note": "Chưa khắc phục"})
    assert r.status_code == 200 and "unresolved" in r.json()["flags"], r.text
    assert {("congan", "mobilise"), ("quansu", "mobilise")} <= requests_to(s, iid)
    assert "ncsc" not in outbox_orgs(s, iid)
    # the police now see it and can answer
    ca = s.login("congan")
    assert ca.get(f"/api/v1/incidents/{iid}").status_code == 200
    # three days on and still unresolved: the national coordinator is told (Đ7.1d)
    sweep(s, days_ahead=1)
    assert "unresolved_national" not in escalations(s, iid)
    sweep(s, days_ahead=4)
    assert "unresolved_national" in escalations(s, iid)
    assert "ncsc" in outbox_orgs(s, iid)
    assert s.login("ncsc").get(f"/api/v1/incidents/{iid}").status_code == 200
    # a second sweep at the same time fires nothing again (a later one may fire other rules on
    # the demo's incidents, e.g. a report deadline running out: this incident's stay the same)
    before = escalations(s, iid)
    assert '"fired":0' in sweep(s, days_ahead=4)
    sweep(s, days_ahead=5)
    assert escalations(s, iid) == before


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_get_shows_the_record_the_changes_answer(preset_server):
    """GET /api/v1/incidents/{id} is written straight from the rows, the answers of changes are
    built as trees: both show the same record (flags as a list, the form as an object, systems
    and organisations, text with quotes, tabs and new lines), and the GET adds the escalations
    fired, oldest first. A form edited behind the program's back into invalid JSON reads as
    null: the answer stays valid JSON."""
    s = preset_server
    tc, dp = s.login("taichinh"), s.login("dieuphoi")
    text = 'Dòng 1\nDòng 2\t"trích dẫn" \\ / hết'
    inc = new_incident(tc, description=text, systems=[system_id(s, "ngân sách")])
    url = f"/api/v1/incidents/{inc['id']}"
    r = tc.post(url + "/transitions", json={"action": "report",
                                            "form": {"report": {"org_name": "Sở Tài chính"}}})
    assert r.status_code == 200, r.text
    assert dp.post(url + "/transitions", json={"action": "accept"}).status_code == 200
    r = dp.post(url + "/flags", json={"flag": "unresolved", "note": "Chưa khắc phục"})
    assert r.status_code == 200, r.text
    changed = r.json()
    got = dp.get(url)
    assert got.status_code == 200 and got.headers["ETag"] == f'"v{changed["version"]}"'
    rec = got.json()
    for key, value in changed.items():
        assert rec[key] == value, key
    assert rec["description"] == text and rec["flags"] == ["unresolved"]
    assert rec["form"]["report"]["org_name"] == "Sở Tài chính"
    assert [(x["name"], x["central_hosted"]) for x in rec["systems"]] == \
        [("Phần mềm quản lý ngân sách", False)]
    assert {"congan", "quansu"} <= {o for o, _ in requests_to(s, inc["id"])}
    assert {o["role"] for o in rec["orgs"]} == {"coordinator", "police", "military"}
    assert [e["rule"] for e in rec["escalations"]] == ["unresolved_mobilise"]
    sweep(s, days_ahead=4)
    rec = dp.get(url).json()
    with s.db() as db:
        fired = [(r[0], r[1]) for r in db.execute(
            "SELECT rule, fired_at FROM escalations WHERE incident_id = ? ORDER BY id",
            (inc["id"],))]
    assert len(fired) == 2 and [(e["rule"], int(datetime.datetime.fromisoformat(
        e["fired_at"].replace("Z", "+00:00")).timestamp())) for e in rec["escalations"]] == fired
    with s.db() as db:
        db.execute("UPDATE incidents SET form = '{\"report\": [1,' WHERE id = ?", (inc["id"],))
    got = dp.get(url)
    assert got.status_code == 200 and got.json()["form"] is None
    assert got.json()["escalations"] == rec["escalations"]


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_hue2017_violation_goes_to_police_at_once(preset_server):
    """000 Đ7.1e: a violation of law goes to the police at once (no waiting for a sweep)."""
    s = preset_server
    tc = s.login("taichinh")
    inc = new_incident(tc, title="Rò rỉ dữ liệu cá nhân")
    r = tc.post(f"/api/v1/incidents/{inc['id']}/flags", json={"flag": "violation_of_law"})
    assert r.status_code == 200, r.text
    assert ("congan", "investigate") in requests_to(s, inc["id"])
    assert {"coordinator", "quansu"} <= outbox_orgs(s, inc["id"])
    # unknown flags are refused, raised flags are not raised twice
    assert tc.post(f"/api/v1/incidents/{inc['id']}/flags", json={"flag": "bogus"}).status_code == 422
    r = tc.post(f"/api/v1/incidents/{inc['id']}/flags", json={"flag": "violation_of_law"})
    assert r.json()["flags"].count("violation_of_law") == 1


@pytest.mark.parametrize("preset_server", ["bacgiang-2024"], indirect=True)
def test_bacgiang_police_lead_get_the_report(preset_server):
    """002 (QĐ 48/2024): the provincial police hold the coordinator role and receive reports."""
    s = preset_server
    assert s.login("congan").get("/api/v1/auth/me").json()["coordinator"] is True
    assert s.login("dieuphoi").get("/api/v1/preset").json()["lead_role"] == "police"
    tc = s.login("taichinh")
    inc = new_incident(tc, title="Tấn công hệ thống thông tin quan trọng")
    iid = inc["id"]
    # Đ7.3b: told as soon as it is detected, once (the coordinator and the police are one body)
    with s.db() as db:
        n = db.execute("SELECT count(*) FROM outbox x JOIN orgs o ON o.id = x.org_id "
                       "WHERE x.incident_id = ? AND o.code = 'coordinator'", (iid,)).fetchone()[0]
    assert n == 1
    assert tc.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"}).status_code == 200
    _, _, pa05, _ = make_user(s, "coordinator", "operator")
    got = pa05.get(f"/api/v1/incidents/{iid}").json()
    assert got["status"] == "reported" and [a["action"] for a in got["actions"]] == ["accept"]
    assert pa05.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "accept"}).status_code == 200
    # Đ7.2c: the police scan every critical system monthly
    sweep(s)
    critical = {r["system_id"] for r in duties(s) if r["duty"] == "critical_scan"}
    with s.db() as db:
        want = {r[0] for r in db.execute("SELECT id FROM systems WHERE critical = 1")}
    assert critical == want and want
    assert {r["org"] for r in duties(s) if r["duty"] == "critical_scan"} == {"coordinator"}


@pytest.mark.parametrize("preset_server", ["quangnam-2022"], indirect=True)
def test_quangnam_owner_scan_every_six_months_and_response_plan(preset_server):
    """003 §1-2: each system owner scans at least every 6 months and keeps a response plan."""
    s = preset_server
    sweep(s)
    rows = duties(s)
    with s.db() as db:
        owners = {(r[0], r[1]) for r in db.execute(
            "SELECT s.id, o.code FROM systems s JOIN orgs o ON o.id = s.owner_org_id")}
    scans = [r for r in rows if r["duty"] == "vuln_scan"]
    assert {(r["system_id"], r["org"]) for r in scans} == owners
    months = {datetime.datetime.fromtimestamp(r["due_at"], VN).month for r in scans}
    assert months == {6, 12}
    assert {(r["system_id"], r["org"]) for r in rows if r["duty"] == "response_plan"} == owners
    # a new system gets its duties at once; the owner marks a scan done with evidence
    tc = s.login("taichinh")
    r = tc.post("/api/v1/systems", json={"name": "Hệ thống một cửa điện tử", "level": 2})
    assert r.status_code == 201, r.text
    mine = tc.get("/api/v1/duties", params={"duty": "vuln_scan", "status": "pending"}).json()["items"]
    new = [d for d in mine if d["system_id"] == r.json()["id"]]
    assert new and new[0]["source"].startswith("003") and new[0]["evidence_kind"] == "scan"
    did = new[0]["id"]
    up = tc.post(f"/api/v1/duties/{did}/evidence?name=ket-qua-quet.xml", data=b"<report/>",
                 headers={"Content-Type": "application/xml"})
    assert up.status_code == 201 and up.json()["evidence_files"][0]["name"] == "ket-qua-quet.xml"
    done = tc.post(f"/api/v1/duties/{did}/done", json={"note": "Đã quét, không phát hiện lỗ hổng cao"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert tc.post(f"/api/v1/duties/{did}/done", json={"note": "lần hai"}).status_code == 409
    # another organisation cannot mark it
    assert s.login("yte").post(f"/api/v1/duties/{did}/done", json={"note": "x"}).status_code == 404
    comp = s.login("dieuphoi").get("/api/v1/duties/compliance",
                                   params={"to": "2030-01-01"}).json()
    sotc = [o for o in comp["orgs"] if o["org_name"].startswith("Sở Tài chính")][0]
    assert sotc["done_on_time"] >= 1 and sotc["due"] >= sotc["done_on_time"]


@pytest.mark.parametrize("preset_server", ["hue-2019"], indirect=True)
def test_hue2019_level_duties_follow_the_system_level(preset_server):
    """004 §1-2: level 3+ owners report before 5/12; the coordinator inspects level 3-4 systems
    before 14/12 and level 5 ones before 14/6 and 14/12. Changing a level moves the duties."""
    s = preset_server
    sweep(s)
    benh_vien = system_id(s, "bệnh viện")  # level 3, owner Sở Y tế
    rows = [r for r in duties(s) if r["system_id"] == benh_vien]
    report = [r for r in rows if r["duty"] == "assessment_report"]
    assert report and {(datetime.datetime.fromtimestamp(r["due_at"], VN).day,
                        datetime.datetime.fromtimestamp(r["due_at"], VN).month) for r in report} == {(5, 12)}
    assert any(r["duty"] == "inspection_level_3_4" for r in rows)
    assert not any(r["duty"] == "inspection_level_5" for r in rows)
    yte = s.login("yte")
    etag = yte.get(f"/api/v1/systems/{benh_vien}").headers["ETag"]
    r = yte.patch(f"/api/v1/systems/{benh_vien}", json={"level": 5}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    rows = [r for r in duties(s) if r["system_id"] == benh_vien]
    live = {r["duty"] for r in rows if r["status"] == "pending"}
    assert "inspection_level_5" in live and "inspection_level_3_4" not in live
    assert any(r["duty"] == "inspection_level_3_4" and r["status"] == "cancelled" for r in rows)
    dates = {(datetime.datetime.fromtimestamp(r["due_at"], VN).day,
              datetime.datetime.fromtimestamp(r["due_at"], VN).month)
             for r in rows if r["duty"] == "inspection_level_5"}
    assert dates == {(14, 6), (14, 12)}


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_handover_to_police_mid_procedure(preset_server):
    """2025 reform: the coordinator role moves from the DIC to the police while an incident is
    open: it is re-routed, nothing is lost, history stays, the change is audited."""
    s = preset_server
    tc, dp = s.login("taichinh"), s.login("dieuphoi")
    iid = new_incident(tc, title="Sự cố đang xử lý khi chuyển giao")["id"]
    tc.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"})
    dp.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "accept"})
    r = dp.post(f"/api/v1/incidents/{iid}/requests",
                json={"org_id": s.org_id("vnpt"), "kind": "support", "body": "Cung cấp nhật ký DNS"})
    assert r.status_code == 201
    rid = r.json()["id"]
    admin = admin_client(s)
    r = admin.post("/api/v1/admin/handover", json={"preset": "bacgiang-2024",
                                                   "coordinator_org_id": s.org_id("congan"),
                                                   "note": "Theo Luật An ninh mạng 2025"})
    assert r.status_code == 200, r.text
    # this incident and the demo's open ones; this request and the demo's open one
    assert r.json()["incidents_rerouted"] >= 1 and r.json()["requests_rerouted"] >= 1
    assert admin.get("/api/v1/preset").json()["name"] == "bacgiang-2024"
    # the police are now the coordinator and take the procedure on
    ca = s.login("congan")
    assert ca.get("/api/v1/auth/me").json()["coordinator"] is True
    got = ca.get(f"/api/v1/incidents/{iid}").json()
    assert got["status"] == "coordinated" and got["permissions"]["request"] is True
    names = {(o["org_id"], o["reason"]) for o in got["orgs"]}
    assert (s.org_id("congan"), "coordinator") in names and (s.org_id("coordinator"), "coordinator") in names
    journal = ca.get(f"/api/v1/incidents/{iid}/journal").json()["items"]
    assert [j["kind"] for j in journal][-1] == "handover"
    with s.db() as db:
        assert db.execute("SELECT from_org_id FROM requests WHERE id = ?", (rid,)).fetchone()[0] == s.org_id("congan")
    audit = admin.get("/api/v1/audit", params={"object_type": "settings"}).json()["items"]
    assert audit[0]["action"] == "preset.handover"
    # the old coordinator's operator no longer coordinates but history keeps what it did
    assert s.login("dieuphoi").get("/api/v1/auth/me").json()["coordinator"] is False
    assert cli("audit", "verify", data=s.data).returncode == 0


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_handover_keeps_every_request_true(preset_server):
    """Handing the role to the police: the old coordinator's open request TO the police is not
    turned into a request from the police to itself (it is superseded: the police now hold the
    incident as coordinator); a request accepted but not finished moves to the new coordinator
    like an open one, so the answer reaches whoever coordinates now."""
    s = preset_server
    tc, dp = s.login("taichinh"), s.login("dieuphoi")
    iid = new_incident(tc, title="Sự cố có đề nghị hỗ trợ khi chuyển giao")["id"]
    tc.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"})
    dp.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "accept"})
    police, vnpt, old = s.org_id("congan"), s.org_id("vnpt"), s.org_id("coordinator")

    def ask(org):
        r = dp.post(f"/api/v1/incidents/{iid}/requests",
                    json={"org_id": org, "kind": "support", "body": "Đề nghị hỗ trợ"})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    to_police, accepted, done = ask(police), ask(vnpt), ask(vnpt)
    vn = s.login("vnpt")
    for rid, status in ((accepted, "accepted"), (done, "done")):
        r = vn.post(f"/api/v1/requests/{rid}/answer", json={"status": status, "answer": "Đã nhận"})
        assert r.status_code == 200, r.text
    r = admin_client(s).post("/api/v1/admin/handover", json={"coordinator_org_id": police})
    assert r.status_code == 200, r.text
    with s.db() as db:
        rows = {row[0]: (row[1], row[2], row[3]) for row in db.execute(
            "SELECT id, from_org_id, to_org_id, status FROM requests WHERE incident_id = ?", (iid,))}
    assert rows[to_police] == (old, police, "superseded"), rows
    assert rows[accepted] == (police, vnpt, "accepted"), rows
    assert rows[done] == (old, vnpt, "done"), rows         # finished: history as it was
    assert not [r for r in rows.values() if r[0] == r[1]], rows
    # this one and the demo's own open request to the police
    assert r.json()["requests_rerouted"] >= 1 and r.json()["requests_superseded"] >= 1
    # the police see the superseded request as such, and are not asked to answer themselves
    items = s.login("congan").get(f"/api/v1/incidents/{iid}/requests").json()["items"]
    assert {i["id"]: i["status"] for i in items}[to_police] == "superseded"
    r = s.login("congan").post(f"/api/v1/requests/{to_police}/answer",
                               json={"status": "done", "answer": "x"})
    assert r.status_code == 409, r.text


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_handover_note_kept_whole_in_the_journals(preset_server):
    """The note of a handover (up to 2000 characters, Vietnamese) is written whole into the
    journal of every re-routed incident, which still reads; a longer note, or one that is not
    text, is refused from the command line too and changes nothing."""
    s = preset_server
    tc = s.login("taichinh")
    iid = new_incident(tc, title="Sự cố khi chuyển giao có ghi chú dài")["id"]
    assert tc.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"}).status_code == 200
    note = ("Theo Quyết định của Ủy ban nhân dân tỉnh về việc chuyển giao nhiệm vụ điều phối "
            "ứng cứu sự cố " * 40)[:2000]
    r = admin_client(s).post("/api/v1/admin/handover",
                             json={"coordinator_org_id": s.org_id("congan"), "note": note})
    assert r.status_code == 200, r.text
    r = s.login("congan").get(f"/api/v1/incidents/{iid}/journal")
    assert r.status_code == 200, r.text
    # the system's words in the reader's language, then the note whole, as a person wrote it
    body = r.json()["items"][-1]["body"]
    assert body == f"Chuyển vai trò cơ quan điều phối sang đơn vị {s.org_id('congan')}\n\n{note}"
    r = s.login("congan").get(f"/api/v1/incidents/{iid}/journal", headers={"Accept-Language": "en"})
    entry = r.json()["items"][-1]
    assert entry["body"] == (f"The coordinator role was handed to organisation {s.org_id('congan')}."
                             f"\n\n{note}")
    assert entry["data"]["msg"] == "journal_handover"
    assert entry["data"]["params"] == {"org_id": s.org_id("congan")}
    for bad in ("x" * 2001, "ghi ch\x01 ú"):
        r = cli("preset", "switch", "--coordinator", "coordinator", "--note", bad, data=s.data,
                check=False)
        assert r.returncode == 4 and "Ghi chú" in r.stderr, r.stderr  # Vietnamese by default
    with s.db() as db:
        assert int(db.execute("SELECT value FROM meta WHERE key = 'coordinator_org_id'").fetchone()[0]) \
            == s.org_id("congan")


@pytest.mark.parametrize("preset_server", ["national"], indirect=True)
def test_cli_switch_is_picked_up_by_the_running_server(preset_server):
    s = preset_server
    out = cli("preset", "switch", "--preset", "quangnam-2022", data=s.data).stdout
    assert '"preset": "quangnam-2022"' in out
    dp = s.login("dieuphoi")
    for _ in range(50):  # the server's jobs tick (1 s here) reloads it
        if dp.get("/api/v1/preset").json()["name"] == "quangnam-2022":
            break
        __import__("time").sleep(0.1)
    assert dp.get("/api/v1/preset").json()["name"] == "quangnam-2022"


@pytest.mark.parametrize("preset_server", ["hue-2017"], indirect=True)
def test_two_sweeps_at_once_fire_each_rule_once(preset_server):
    s = preset_server
    tc, dp = s.login("taichinh"), s.login("dieuphoi")
    ids = []
    for n in range(30):
        iid = new_incident(tc, title=f"Sự cố chưa khắc phục {n}")["id"]
        tc.post(f"/api/v1/incidents/{iid}/transitions", json={"action": "report"})
        dp.post(f"/api/v1/incidents/{iid}/flags", json={"flag": "unresolved"})
        ids.append(iid)
    when = (vn_now() + datetime.timedelta(days=4)).isoformat(timespec="seconds")
    with s.db() as db:
        before = db.execute("SELECT count(*) FROM escalations").fetchone()[0]
    procs = [subprocess.Popen([BIN, "sweep", "--data", s.data, "--now", when, "--json"],
                              stdout=subprocess.PIPE, text=True, env=ENV) for _ in range(2)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    fired = sum(int(o.split('"fired":')[1].split(",")[0]) for o in outs)
    with s.db() as db:
        n = db.execute("SELECT count(*) FROM escalations WHERE rule = 'unresolved_national'").fetchone()[0]
        after = db.execute("SELECT count(*) FROM escalations").fetchone()[0]
    # every firing happened exactly once, whichever process did it
    assert n == 30 and fired == after - before, outs


@pytest.mark.parametrize("preset_server", ["national"], indirect=True)
def test_drills_run_the_procedure_and_are_counted_apart(preset_server):
    s = preset_server
    tc = s.login("taichinh")
    drill = new_incident(tc, title="Diễn tập tấn công có chủ đích", is_drill=True)
    assert tc.post(f"/api/v1/incidents/{drill['id']}/transitions",
                   json={"action": "report"}).json()["status"] == "reported"
    only_drills = tc.get("/api/v1/incidents", params={"drill": 1}).json()["items"]
    real = tc.get("/api/v1/incidents", params={"drill": 0}).json()["items"]
    assert drill["id"] in {i["id"] for i in only_drills}
    assert drill["id"] not in {i["id"] for i in real}
    assert all(i["is_drill"] for i in only_drills) and not any(i["is_drill"] for i in real)


def test_server_refuses_a_broken_preset_and_says_why(tmp_path):
    data = str(tmp_path / "data")
    cli("init", "--preset", "national", data=data)
    import sqlite3
    with sqlite3.connect(os.path.join(data, "ungcuu.db")) as db:
        body = db.execute("SELECT body FROM presets WHERE name = 'national'").fetchone()[0]
        broken = body.replace("group: attack", "group: no_such_group", 1)
        assert broken != body
        db.execute("UPDATE presets SET body = ? WHERE name = 'national'", (broken,))
    proc = subprocess.run([BIN, "serve", "--data", data, "--listen", "127.0.0.1:1"],
                          capture_output=True, text=True, env=ENV, timeout=30)
    assert proc.returncode == 5, proc.stderr
    assert "no_such_group" in proc.stderr and "national.yaml:" in proc.stderr


def test_a_first_sync_of_a_large_calendar_finishes(tmp_path):
    """Regression: the calendar sync's table was sized for the rows already there, so a first sync
    of more than ~1,000 instances never ended. tayson's monthly log backup per system makes
    40 systems x 36 months alone."""
    data = str(tmp_path / "data")
    cli("init", "--preset", "tayson", "--demo", data=data)
    import sqlite3
    with sqlite3.connect(os.path.join(data, "ungcuu.db")) as db:
        org = db.execute("SELECT id FROM orgs WHERE code = 'sotc'").fetchone()[0]
        for n in range(40):
            db.execute("INSERT INTO systems(name, owner_org_id, operator_org_id, level, created_at, "
                       "updated_at) VALUES (?, ?, ?, 2, 0, 0)", (f"Hệ thống {n}", org, org))
    out = subprocess.run([BIN, "sweep", "--json", "--data", data], capture_output=True, text=True,
                         env=ENV, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.split('"duties_added":')[1].split(",")[0]) > 1440
