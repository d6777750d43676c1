"""Who was told, and when, is a fact; a clock is met only by the fact it names (issue "legal
truth"; DOMAIN.md "Facts, not inferences"; docs/presets.md "clocks").

Before: an incident reported to the province's coordinator showed "Báo cáo sự cố tới Cơ quan
điều phối quốc gia - Đúng hạn" while the national coordinator's account saw no incident, and an
incident a unit closed itself at step 2 had every reporting deadline "met"."""
from conftest import is_problem, new_incident, unique

RECORD = {"what_happened": "Dò mật khẩu", "handling": "Chặn IP", "result": "Đã khắc phục",
          "participants": "Tổ CNTT", "made_at": "2026-11-20T10:00:00+07:00"}


def step(client, iid, action, **extra):
    r = client.post(f"/api/v1/incidents/{iid}/transitions", json={"action": action, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def clocks(inc):
    return {c["code"]: c for c in inc["clocks"]}


def told(server, iid):
    with server.db() as conn:
        return [dict(r) for r in conn.execute(
            "SELECT t.role, t.at, t.how, o.code FROM incident_told t JOIN orgs o ON "
            "o.id = t.org_id WHERE t.incident_id = ? ORDER BY t.at, t.id", (iid,))]


def test_reporting_to_the_province_does_not_meet_the_national_deadline(server):
    member, coord, national = server.login("taichinh"), server.login("dieuphoi"), server.login("ncsc")
    inc = new_incident(member, title=unique("báo tỉnh "))
    c = clocks(inc)
    assert {k: v["state"] for k, v in c.items()} == {
        "report_coordinator": "running", "report_national": "running"}
    assert told(server, inc["id"]) == []

    after = step(member, inc["id"], "report", note="Báo cáo theo Mẫu 01")
    c = clocks(after)
    # the coordinator was told, by the platform, at the report: its clock is met
    assert c["report_coordinator"]["state"] == "met"
    assert c["report_coordinator"]["stopped_at"] == after["reported_at"]
    # nobody told the national coordinator: its deadline runs, and its account sees nothing
    assert c["report_national"]["state"] == "running" and c["report_national"]["stopped_at"] is None
    is_problem(national.get(f"/api/v1/incidents/{inc['id']}"), 404)
    assert [(t["role"], t["how"], t["code"]) for t in told(server, inc["id"])] == [
        ("coordinator", "notification", "coordinator")]
    # the list says the same: the row is not overdue for the coordinator, and its facts are there
    rows = coord.get("/api/v1/incidents", params={"q": inc["title"]}).json()["items"]
    row = next(r for r in rows if r["id"] == inc["id"])
    assert set(row["told"]) == {"coordinator"}
    assert row["next_due_at"] is not None

    # the coordinator tells the national coordinator through the platform: now it is met
    r = coord.post(f"/api/v1/incidents/{inc['id']}/requests",
                   json={"org_id": server.org_id("ncsc"), "kind": "notify",
                         "body": "Thông báo sự cố vượt khả năng xử lý của tỉnh (Đ7.1d)."})
    assert r.status_code == 201, r.text
    c = clocks(coord.get(f"/api/v1/incidents/{inc['id']}").json())
    assert c["report_national"]["state"] == "met" and c["report_national"]["stopped_at"]
    assert national.get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    assert [t["role"] for t in told(server, inc["id"])] == ["coordinator", "national"]


def test_a_serious_incident_is_told_at_once_by_the_escalation(server):
    """A serious incident is notified to the coordinator (and the superior) the moment it is
    recorded (escalation serious_at_once, QĐ 05/2017 Đ11.2): that notification is the fact that
    meets "at once", before any report step."""
    member = server.login("taichinh")
    # detected at the suite's start: the server's clock is a few seconds past it
    inc = new_incident(member, title=unique("nghiêm trọng "), severity="serious",
                       detected_at="2026-11-21T09:00:00+07:00")
    c = clocks(inc)
    assert c["report_urgent"]["state"] == "met" and c["report_coordinator"]["state"] == "met"
    assert c["report_national"]["state"] == "running"
    assert "coordinator" in [t["role"] for t in told(server, inc["id"])]
    assert inc["reported_at"] is None  # told is not "reported at step 3": both are kept apart


def test_closing_internally_leaves_the_deadlines_unmet(server):
    """Closed at step 2 (001 Đ15.4b), nobody was told: no clock is "met", none is "overdue"
    either (nothing is still to do in the procedure): each is unmet, and the list does not count
    the incident as overdue."""
    member = server.login("taichinh")
    inc = new_incident(member, title=unique("tự đóng "))
    step(member, inc["id"], "handle_internally")
    closed = step(member, inc["id"], "close_internal", form={"record": RECORD})
    assert closed["status"] == "closed" and closed["reported_at"] is None
    assert {c["state"] for c in closed["clocks"]} == {"unmet"}
    assert all(c["stopped_at"] is None for c in closed["clocks"])
    assert told(server, inc["id"]) == []
    rows = member.get("/api/v1/incidents", params={"q": inc["title"]}).json()["items"]
    row = next(r for r in rows if r["id"] == inc["id"])
    assert row["overdue"] is False and row["next_due_at"] is None and row["told"] == {}


def test_a_told_fact_keeps_the_role_held_when_told(server):
    """The facts are not rewritten by a later change: a notification to the organisation holding
    the coordinator role is stored as "coordinator" with its organisation, and the sweep's
    escalation on an untold clock reads the same facts (sqlite_escalation.c)."""
    member = server.login("taichinh")
    inc = new_incident(member, title=unique("vai trò "))
    step(member, inc["id"], "report")
    with server.db() as conn:
        row = conn.execute("SELECT t.role, t.org_id, x.event FROM incident_told t JOIN outbox x "
                           "ON x.id = t.outbox_id WHERE t.incident_id = ?", (inc["id"],)).fetchone()
    assert tuple(row) == ("coordinator", server.org_id("coordinator"), "incident_reported")


def test_a_letter_sent_outside_the_platform_is_recorded_and_meets_its_deadline(server):
    """The coordinator sent the national coordinator an official letter (000 Đ7.1d): it records
    the letter's number and date, and the national deadline is met at the letter's time - a
    fact with who recorded it, journaled in the reader's language and audited."""
    member, coord = server.login("taichinh"), server.login("dieuphoi")
    inc = new_incident(member, title=unique("công văn "))
    step(member, inc["id"], "report")
    url = f"/api/v1/incidents/{inc['id']}/told"
    ncsc = server.org_id("ncsc")
    # the letter as sent, scanned, attached to the incident: the evidence of the fact
    scan = coord.post(f"/api/v1/incidents/{inc['id']}/attachments?name=cong-van-125.pdf",
                      data=b"%PDF-1.4 cong van 125", headers={"Content-Type": "application/pdf"})
    assert scan.status_code == 201, scan.text
    letter = {"org_id": ncsc, "how": "letter", "ref": "125/STTTT-CNTT",
              "told_at": "2026-11-21T08:00:00+07:00", "note": "Gửi kèm Mẫu 01",
              "attachment_id": scan.json()["id"]}
    r = coord.post(url, json=letter)
    assert r.status_code == 201, r.text
    got = r.json()
    assert (got["org_id"], got["role"], got["how"], got["ref"]) == (ncsc, "national", "letter",
                                                                   "125/STTTT-CNTT")
    assert (got["attachment_id"], got["attachment_name"]) == (scan.json()["id"], "cong-van-125.pdf")
    assert got["told_at"] == "2026-11-21T01:00:00Z" and got["recorded_by_name"]
    c = clocks(coord.get(f"/api/v1/incidents/{inc['id']}").json())
    assert c["report_national"]["state"] == "met"
    assert c["report_national"]["stopped_at"] == "2026-11-21T01:00:00Z"
    # everyone who reads the incident reads the facts, the platform's and the letter
    items = member.get(url).json()["items"]
    assert [(i["role"], i["how"]) for i in items] == [("national", "letter"),
                                                      ("coordinator", "notification")]
    assert items[1]["event"] == "incident_reported"
    # the journal words it for each reader; the note stays the person's
    def told_entry(lang):
        j = member.get(f"/api/v1/incidents/{inc['id']}/journal",
                       headers={"Accept-Language": lang}).json()["items"]
        return next(e for e in j if e["kind"] == "told")["body"]
    assert told_entry("vi").startswith("Đã báo Trung tâm Giám sát an toàn không gian mạng quốc gia "
                                       "ngoài hệ thống: công văn số 125/STTTT-CNTT, lúc 21/11/2026 08:00")
    assert "official letter no. 125/STTTT-CNTT" in told_entry("en")
    assert told_entry("vi").endswith("Gửi kèm Mẫu 01")
    with server.db() as conn:
        n = conn.execute("SELECT count(*) FROM audit WHERE action = 'incident.told' AND "
                         "object_id = ?", (inc["id"],)).fetchone()[0]
    assert n == 1


def test_recording_a_report_checks_who_and_what(server):
    member, other = server.login("taichinh"), server.login("yte")
    inc = new_incident(member, title=unique("kiểm tra "))
    url = f"/api/v1/incidents/{inc['id']}/told"
    ncsc = server.org_id("ncsc")
    ok = {"org_id": ncsc, "how": "phone", "told_at": "2026-11-21T08:00:00+07:00"}
    elsewhere = new_incident(member, title=unique("khác "))
    foreign = member.post(f"/api/v1/incidents/{elsewhere['id']}/attachments?name=x.txt", data=b"x",
                          headers={"Content-Type": "text/plain"})
    assert foreign.status_code == 201, foreign.text
    # another organisation's user does not learn the incident exists
    is_problem(other.post(url, json=ok), 404)
    is_problem(other.get(url), 404)
    cases = [
        ({"how": "pigeon"}, "how", "told_how_invalid"),
        ({"how": "letter"}, "ref", "told_letter_number"),
        ({"told_at": "hôm qua"}, "told_at", "told_at_invalid"),
        ({"told_at": "2026-11-19T08:00:00+07:00"}, "told_at", "told_at_range"),  # before detection
        ({"told_at": "2027-01-01T08:00:00+07:00"}, "told_at", "told_at_range"),  # in the future
        ({"org_id": server.org_id("sotc")}, "org_id", "told_org_invalid"),        # its own
        ({"org_id": 999999}, "org_id", "told_org_invalid"),
        ({"ref": "x" * 65}, "ref", "field_too_long"),
        ({"attachment_id": 999999}, "attachment_id", "told_attachment_invalid"),
        # another incident's file is not this one's evidence
        ({"attachment_id": foreign.json()["id"]}, "attachment_id", "told_attachment_invalid"),
        ({"colour": "red"}, "colour", None),
    ]
    for change, field, code in cases:
        body = dict(ok, **change)
        pb = is_problem(member.post(url, json=body), 422)
        assert pb["field"] == field, (change, pb)
        if code:
            assert pb["code"] == code, (change, pb)
    # nothing of it was written
    assert member.get(url).json()["items"] == []
    # the owner's officer may record its own call; the clock is met by it
    r = member.post(url, json=ok)
    assert r.status_code == 201, r.text
    c = clocks(member.get(f"/api/v1/incidents/{inc['id']}").json())
    assert c["report_national"]["state"] == "met" and c["report_coordinator"]["state"] == "running"


def _overdue_firings(server, iid):
    with server.db() as conn:
        journal = conn.execute("SELECT count(*) FROM journal WHERE incident_id = ? AND kind = "
                               "'escalation' AND json_extract(data, '$.rule') = 'report_overdue'",
                               (iid,)).fetchone()[0]
        outbox = conn.execute("SELECT count(*) FROM outbox WHERE incident_id = ? AND event = "
                              "'escalation' AND parent_id IS NULL", (iid,)).fetchone()[0]
        esc = conn.execute("SELECT count(*) FROM escalations WHERE incident_id = ? AND rule = "
                           "'report_overdue'", (iid,)).fetchone()[0]
    return journal, outbox, esc


def test_a_deadline_that_runs_out_fires_from_the_job_thread_once(tmp_path):
    """Nobody opens the incident: the server's job thread finds the report deadline run out and
    reminds the unit (report_overdue, to the owner only: the coordinator is not told for it, a
    TLP:RED incident stays the unit's); the journal and the outbox show it once, however many
    sweeps run, and the coordinator's deadline stays unmet-so-far (overdue), not met."""
    from conftest import Server
    s = Server(str(tmp_path / "data"), serve_args=["--jobs-interval", "1"])
    try:
        member = s.login("taichinh")
        inc = new_incident(member, title=unique("quá hạn "), tlp="red",
                           detected_at="2026-11-14T09:00:00+07:00")
        assert clocks(inc)["report_coordinator"]["state"] == "overdue"
        import time
        deadline = time.time() + 20
        while _overdue_firings(s, inc["id"])[2] == 0 and time.time() < deadline:
            time.sleep(0.3)
        time.sleep(2.5)  # two more sweeps at least
        assert _overdue_firings(s, inc["id"]) == (1, 1, 1)
        with s.db() as conn:
            to = conn.execute("SELECT org_id FROM outbox WHERE incident_id = ? AND event = "
                              "'escalation' AND parent_id IS NULL", (inc["id"],)).fetchone()[0]
        assert to == s.org_id("sotc")
        # the coordinator was not told, and still cannot read the TLP:RED incident
        is_problem(s.login("dieuphoi").get(f"/api/v1/incidents/{inc['id']}"), 404)
        c = clocks(member.get(f"/api/v1/incidents/{inc['id']}").json())
        assert c["report_coordinator"]["state"] == "overdue"
        assert told(s, inc["id"]) == []  # reminding the unit itself tells no one new
    finally:
        assert s.stop() == 0


def test_the_coordinator_reads_and_counts_only_what_it_was_told(server):
    """Access rule (src/core/access.c coordinator_incident, docs/access.md): before the unit
    reports it (step 3), an incident is the unit's own (001 Đ15.1b-c, 000 Đ4.4), whatever its
    TLP: the coordinator's staff get 404 for it, its list and search leave it out, its statistics
    do not count it. Once reported, the coordinator is named on it: it reads it and counts it."""
    member, coord, auditor = server.login("taichinh"), server.login("dieuphoi"), server.login("kiemtra")
    sotc = server.org_id("sotc")

    def stats(client):
        s = client.get("/api/v1/stats/summary").json()
        return (sum(r["count"] for r in s["by_status"]),
                next((r["count"] for r in s["by_org"] if r["org_id"] == sotc), 0),
                next((r["count"] for r in s["by_status"] if r["code"] == "reported"), 0))

    def listed(client, inc):
        by_title = client.get("/api/v1/incidents", params={"q": inc["title"], "limit": 200})
        by_org = client.get("/api/v1/incidents", params={"org": sotc, "limit": 200})
        assert by_title.status_code == by_org.status_code == 200, (by_title.text, by_org.text)
        return (inc["id"] in {i["id"] for i in by_title.json()["items"]},
                inc["id"] in {i["id"] for i in by_org.json()["items"]})

    coord_before, member_before = stats(coord), stats(member)
    # TLP:CLEAR, and below "serious", so no rule escalates it: nothing names the coordinator
    inc = new_incident(member, title=unique("chưa báo cáo "), tlp="clear", severity="medium")
    assert inc["status"] == "new"
    # the unit reads and counts it (so it is inside the statistics' window)...
    assert member.get(f"/api/v1/incidents/{inc['id']}").status_code == 200
    assert listed(member, inc) == (True, True)
    m = stats(member)
    assert (m[0], m[1]) == (member_before[0] + 1, member_before[1] + 1), (member_before, m)
    # ...the coordinator, its auditor too, neither reads nor counts it
    for c in (coord, auditor):
        is_problem(c.get(f"/api/v1/incidents/{inc['id']}"), 404)
        is_problem(c.get(f"/api/v1/incidents/{inc['id']}/journal"), 404)
        assert listed(c, inc) == (False, False)
    is_problem(coord.patch(f"/api/v1/incidents/{inc['id']}", json={"title": "x"}), 404)
    assert stats(coord) == coord_before

    step(member, inc["id"], "report")
    # named on it now: it reads it, lists it and counts it - once, as reported
    for c in (coord, auditor):
        r = c.get(f"/api/v1/incidents/{inc['id']}")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "reported"
        assert listed(c, inc) == (True, True)
    after = stats(coord)
    assert after == (coord_before[0] + 1, coord_before[1] + 1, coord_before[2] + 1), \
        (coord_before, after)
