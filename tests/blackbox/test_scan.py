"""Vulnerability scanner reports as tracked findings (docs/scan.md): import over the API and the
command line, deduplication on re-import, closure when a later scan no longer shows a finding and
reopening when it comes back, the 6-monthly scan duty (Quảng Nam 003 §1-2) and the police's
monthly scan of critical systems (Bắc Giang 002 Đ7.2c) marked done, access, and a bad file
changing nothing."""
import json
import os
import re
import subprocess
import tempfile
from datetime import datetime, timezone

import pytest

from conftest import BIN, ENV, ROOT, Server, cli, is_problem, now

DATA = os.path.join(ROOT, "tests", "data", "scan")
GREENBONE = open(os.path.join(DATA, "greenbone.xml"), encoding="utf-8").read()
NMAP = open(os.path.join(DATA, "nmap.xml"), encoding="utf-8").read()


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def greenbone(at, drop=None):
    """The sample report scanned at Unix time `at`, without the result whose NVT OID is drop."""
    xml = GREENBONE.replace("<scan_start>2026-11-20T01:00:12Z</scan_start>",
                            f"<scan_start>{iso(at)}</scan_start>")
    if drop:  # the sample's top-level results have ids starting a1c1f0e2
        i = xml.index(f'oid="{drop}"')
        start = xml.rindex('<result id="a1c1f0e2', 0, i)
        nxt = xml.find('<result id="a1c1f0e2', i)
        end = nxt if nxt >= 0 else xml.index("</results>", i)
        xml = xml[:start] + xml[end:]
        assert drop not in xml
    return xml.encode()


def nmap(at):
    return NMAP.replace('start="1795140003"', f'start="{at}"').encode()


SSL_OID = "1.3.6.1.4.1.25623.1.0.108031"   # SSL/TLS vulnerable cipher suites, 443/tcp
OPENSSH_OID = "1.3.6.1.4.1.25623.1.0.104840"


@pytest.fixture(scope="module")
def qn():
    """A Quảng Nam instance (the 6-monthly vuln_scan duty of every system owner)."""
    with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
        s = Server(os.path.join(tmp, "data"), preset="quangnam-2022")
        try:
            yield s
        finally:
            rc = s.stop()
            assert rc == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]


def system_of(server, org, critical=None):
    q = "SELECT s.id FROM systems s JOIN orgs o ON o.id = s.owner_org_id WHERE o.code = ?"
    if critical is not None:
        q += f" AND s.critical = {1 if critical else 0}"
    with server.db() as db:
        return db.execute(q + " ORDER BY s.id LIMIT 1", (org,)).fetchone()[0]


def post_scan(client, sid, body, name="report.xml", **headers):
    return client.post(f"/api/v1/systems/{sid}/scans?name={name}", data=body,
                       headers={"Content-Type": "application/xml", **headers})


def findings(client, sid, status=None):
    r = client.get(f"/api/v1/systems/{sid}/findings", params={"status": status} if status else None)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def by_oid(items, oid):
    return next(f for f in items if f["fkey"].startswith("nvt:" + oid + "|"))


def counts(server):
    with server.db() as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("scans", "findings", "audit", "duty_evidence")}


def test_import_marks_the_scan_duty_done(qn):
    tc = qn.login("taichinh")
    sid = system_of(qn, "sotc")
    t = int(now())
    # a minute ago: the period holding it is the current one (the calendar starts at init)
    r = post_scan(tc, sid, greenbone(t - 60), name="quet-2026.xml")
    assert r.status_code == 201, r.text
    scan = r.json()
    assert scan["scanner"] == "greenbone" and scan["format"] == "gvm-report"
    assert (scan["results"], scan["new_count"], scan["seen_count"], scan["closed_count"]) == (5, 5, 0, 0)
    assert scan["ignored"] == 1                      # the log-level OS detection
    assert scan["name"] == "quet-2026.xml" and scan["imported_by_name"]
    assert len(scan["duties"]) == 1
    # the owner's duty of the period holding the scan is done, the report as its evidence
    duty = tc.get(f"/api/v1/duties/{scan['duties'][0]}").json()
    assert duty["duty"] == "vuln_scan" and duty["status"] == "done" and duty["system_id"] == sid
    assert duty["evidence_files"][0]["sha256"] == scan["sha256"]
    assert os.path.exists(os.path.join(qn.data, "files", scan["sha256"]))
    # findings, worst first, with CVE lists and CVSS v3 bands
    items = findings(tc, sid)
    assert len(items) == 5 and all(f["status"] == "open" for f in items)
    assert items[0]["severity"] == "critical"
    ssl = by_oid(items, SSL_OID)
    assert ssl["cves"] == ["CVE-2016-2183", "CVE-2016-6329", "CVE-2020-12872"]
    assert ssl["cvss"] == 7.5 and ssl["severity"] == "high"
    assert (ssl["host"], ssl["port"], ssl["protocol"]) == ("10.20.1.15", 443, "tcp")
    assert ssl["first_seen_at"] == ssl["last_seen_at"] == iso(t - 60)
    # the import is audited and listed
    with qn.db() as db:
        assert db.execute("SELECT count(*) FROM audit WHERE action = 'scan.import' AND object_id = ?",
                          (scan["id"],)).fetchone()[0] == 1
    listed = tc.get(f"/api/v1/systems/{sid}/scans").json()["items"]
    assert listed[0]["id"] == scan["id"] and listed[0]["duties"] == scan["duties"]


def test_reimport_dedupes_closes_and_reopens(qn):
    tc = qn.login("dieuphoi")  # the coordinator's operator, for the education department
    sid = system_of(qn, "sogd")
    t0 = int(now()) - 5 * 3600
    first = post_scan(tc, sid, greenbone(t0)).json()
    assert first["new_count"] == 5
    # the same findings again: last_seen moves on, no new rows
    again = post_scan(tc, sid, greenbone(t0 + 3600))
    assert again.status_code == 201, again.text
    assert (again.json()["new_count"], again.json()["seen_count"], again.json()["closed_count"]) == (0, 5, 0)
    items = findings(tc, sid)
    assert len(items) == 5
    assert by_oid(items, SSL_OID)["first_seen_at"] == iso(t0)
    assert by_oid(items, SSL_OID)["last_seen_at"] == iso(t0 + 3600)
    # a later scan without the SSL finding closes it as fixed at the scan's time
    later = post_scan(tc, sid, greenbone(t0 + 7200, drop=SSL_OID)).json()
    assert (later["results"], later["new_count"], later["closed_count"]) == (4, 0, 1)
    ssl = by_oid(findings(tc, sid), SSL_OID)
    assert ssl["status"] == "fixed" and ssl["closed_at"] == iso(t0 + 7200)
    # a note people edit afterwards: written in Vietnamese, the data's language
    assert ssl["status_note"] == f"Không còn thấy trong lần quét sau (#{later['id']})" and ssl["status_by"] is None
    assert len(findings(tc, sid, "open")) == 4
    # an older report imported late closes nothing and reopens nothing
    old = post_scan(tc, sid, greenbone(t0 + 1800)).json()
    assert (old["closed_count"], old["reopened_count"]) == (0, 0)
    assert by_oid(findings(tc, sid), SSL_OID)["status"] == "fixed"
    # it is back in a newer scan: reopened
    back = post_scan(tc, sid, greenbone(t0 + 10800)).json()
    assert (back["new_count"], back["reopened_count"], back["closed_count"]) == (0, 1, 0)
    ssl = by_oid(findings(tc, sid), SSL_OID)
    assert ssl["status"] == "open" and ssl["closed_at"] is None
    assert ssl["status_note"] == f"Xuất hiện lại trong lần quét #{back['id']}"
    # another scanner kind closes nothing of Greenbone's
    nm = post_scan(tc, sid, nmap(t0 + 14400), name="nmap.xml").json()
    assert (nm["scanner"], nm["new_count"], nm["closed_count"]) == ("nmap", 10, 0)
    assert len(findings(tc, sid, "open")) == 15
    ports = [f for f in findings(tc, sid) if f["kind"] == "open_port"]
    assert {(f["host"], f["port"], f["protocol"]) for f in ports} >= {("10.20.1.16", 161, "udp")}


def test_multipart_and_idempotency(qn):
    ld = qn.login("taichinh.ld")
    sid = system_of(qn, "sotc")
    body = nmap(int(now()) - 600)
    key = {"Idempotency-Key": "scan-" + str(now())}
    r = ld.post(f"/api/v1/systems/{sid}/scans", files={"file": ("nmap-run.xml", body, "text/xml")},
                headers=key)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "nmap-run.xml" and r.json()["scanner"] == "nmap"
    before = counts(qn)
    again = ld.post(f"/api/v1/systems/{sid}/scans", files={"file": ("nmap-run.xml", body, "text/xml")},
                    headers=key)
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == r.json()["id"]
    assert counts(qn) == before


def test_bad_file_changes_nothing(qn):
    tc = qn.login("taichinh")
    sid = system_of(qn, "sotc")
    before = counts(qn)
    files_before = set(os.listdir(os.path.join(qn.data, "files")))
    # the second result has no host: the whole report is refused, with the item and line
    bad = greenbone(int(now()) - 60).replace(
        b"<host>10.20.1.15<asset asset_id=\"7e6f1a2b-aaaa-4bbb-8ccc-000000000015\"/><hostname>"
        b"dichvucong.binhminh.gov.vn</hostname></host>\n        <port>443/tcp</port>\n"
        b"        <nvt oid=\"1.3.6.1.4.1.25623.1.0.104563\">",
        b"<port>443/tcp</port>\n        <nvt oid=\"1.3.6.1.4.1.25623.1.0.104563\">", 1)
    r = post_scan(tc, sid, bad)
    body = is_problem(r, 422, "Invalid scan report")
    assert body["invalid_items"] == 1 and body["errors"][0]["item"] == 2
    assert body["errors"][0]["line"] > 0 and "<host>" in body["errors"][0]["message"]
    assert body["code"] == "scan_not_imported" and "<host>" in body["params"]["reason"], body
    assert "không có gì thay đổi" in body["detail"], body
    hostile = [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<report>&b;</report>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><nmaprun>&x;</nmaprun>',
        b"<html><body>hello</body></html>",
        greenbone(int(now()))[:3000],
        b"<nmaprun>" + b"<a>" * 100 + b"</a>" * 100 + b"</nmaprun>",
        b"not xml at all",
    ]
    words = ["DTD", "DTD", "root element is <html>", "not well-formed", "nested deeper", "not well-formed"]
    for data, w in zip(hostile, words):
        body = is_problem(post_scan(tc, sid, data), 422)
        assert w in body["detail"], body
    is_problem(post_scan(tc, sid, b""), 422, "Empty file")
    body = is_problem(post_scan(tc, sid, greenbone(int(now()) + 3 * 86400)), 422)
    assert "in the future" in body["detail"]
    assert counts(qn) == before
    assert set(os.listdir(os.path.join(qn.data, "files"))) == files_before


def test_finding_status_changes(qn):
    tc = qn.login("taichinh")
    sid = system_of(qn, "sotc")
    f = by_oid(findings(tc, sid), OPENSSH_OID)
    r = tc.get(f"/api/v1/findings/{f['id']}")
    assert r.status_code == 200 and r.headers["ETag"] == f'"v{f["version"]}"'
    etag = r.headers["ETag"]
    body = is_problem(tc.patch(f"/api/v1/findings/{f['id']}", json={"status": "accepted_risk"},
                               headers={"If-Match": etag}), 422)
    assert body["field"] == "note"
    is_problem(tc.patch(f"/api/v1/findings/{f['id']}", json={"status": "closed", "note": "x"}), 422)
    r = tc.patch(f"/api/v1/findings/{f['id']}",
                 json={"status": "accepted_risk", "note": "Máy chủ chỉ mở trong mạng nội bộ"},
                 headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    row = r.json()
    assert row["status"] == "accepted_risk" and row["closed_at"] and row["status_by_name"]
    assert row["status_note"] == "Máy chủ chỉ mở trong mạng nội bộ"
    is_problem(tc.patch(f"/api/v1/findings/{f['id']}", json={"status": "open"},
                        headers={"If-Match": etag}), 412)
    assert [x["id"] for x in findings(tc, sid, "accepted_risk")] == [f["id"]]
    # an accepted risk stays accepted when a later scan shows it again
    post_scan(tc, sid, greenbone(int(now()) - 30))
    assert by_oid(findings(tc, sid), OPENSSH_OID)["status"] == "accepted_risk"
    with qn.db() as db:
        a = db.execute("SELECT before, after FROM audit WHERE action = 'finding.update' AND "
                       "object_id = ? ORDER BY id DESC LIMIT 1", (f["id"],)).fetchone()
    assert '"open"' in a["before"] and '"accepted_risk"' in a["after"]
    is_problem(tc.get(f"/api/v1/systems/{sid}/findings?status=bogus"), 400)


def test_access(qn):
    sid = system_of(qn, "sotc")
    crit = system_of(qn, "soyt", critical=True)
    f = findings(qn.login("taichinh"), sid)[0]
    body = greenbone(int(now()) - 100)
    yte, nv, kt, ca, dp = (qn.login(u) for u in ("yte", "taichinh.nv", "kiemtra", "congan", "dieuphoi"))
    # another member neither sees the system's findings nor learns that it exists
    is_problem(yte.get(f"/api/v1/systems/{sid}/findings"), 404)
    is_problem(post_scan(yte, sid, body), 404)
    is_problem(yte.patch(f"/api/v1/findings/{f['id']}", json={"status": "fixed"}), 404)
    # a reporter of the owner and the coordinator's auditor read, but do not import or change
    assert nv.get(f"/api/v1/systems/{sid}/findings").status_code == 200
    is_problem(post_scan(nv, sid, body), 403)
    assert kt.get(f"/api/v1/systems/{sid}/scans").status_code == 200
    is_problem(kt.patch(f"/api/v1/findings/{f['id']}", json={"status": "fixed"}), 403)
    # the police: not this ordinary system, but critical systems (002 Đ7.2c)
    is_problem(ca.get(f"/api/v1/systems/{sid}/findings"), 404)
    r = post_scan(ca, crit, body)
    assert r.status_code == 201, r.text
    # the coordinator's operator imports for any system
    assert post_scan(dp, sid, body).status_code == 201


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=ENV, timeout=120)


def test_cli_import(qn, tmp_path):
    sid = system_of(qn, "sogd")
    path = tmp_path / "quet.xml"
    path.write_bytes(greenbone(int(now()) - 50))
    p = run("import", "scan", "--data", qn.data, "--system", str(sid), "--as", "taichinh", str(path))
    # taichinh (sotc) is not of the owner (sogd): refused
    assert p.returncode == 4, p.stderr
    p = run("import", "scan", "--data", qn.data, "--system", str(sid), "--json", str(path))
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["name"] == "quet.xml" and out["results"] == 5 and out["imported_by"] is None
    p = run("import", "scan", "--data", qn.data, "--system", str(sid), str(path))
    assert p.returncode == 0 and "5 phát hiện: 0 mới, 5 gặp lại" in p.stdout, p.stdout
    p = subprocess.run([BIN, "import", "scan", "--data", qn.data, "--system", str(sid), str(path)],
                       capture_output=True, text=True, env=dict(ENV, UNGCUU_LANG="en"), timeout=120)
    assert p.returncode == 0 and "5 findings: 0 new, 5 seen again" in p.stdout, p.stdout
    with qn.db() as db:
        assert db.execute("SELECT count(*) FROM audit WHERE action = 'scan.import' AND "
                          "username LIKE 'cli:%'").fetchone()[0] >= 2
    bad = tmp_path / "bad.xml"
    bad.write_text("<nmaprun><host><address addr='10.0.0.999' addrtype='ipv4'/></host></nmaprun>")
    p = run("import", "scan", "--data", qn.data, "--system", str(sid), str(bad))
    assert p.returncode == 5 and "bad.xml:1: máy thứ 1:" in p.stderr and "10.0.0.999" in p.stderr, p.stderr
    assert run("import", "scan", "--data", qn.data, "--system", "99999", str(path)).returncode == 3
    assert run("import", "scan", "--data", qn.data, "--system", str(sid),
               str(tmp_path / "missing.xml")).returncode == 3
    assert run("import", "scan", "--data", qn.data, "--system", str(sid), "--max-size", "100",
               str(path)).returncode == 6
    assert run("import", "scan", "--data", qn.data, str(path)).returncode == 2
    assert run("import", "bogus").returncode == 2
    assert "scan" in run("import", "--help").stdout


def test_police_monthly_scan_of_critical_systems(tmp_path):
    """Bắc Giang 002 Đ7.2c: the police scan each critical system monthly; their import marks it."""
    data = str(tmp_path / "data")
    cli("init", "--preset", "bacgiang-2024", "--demo", data=data)
    cli("sweep", data=data)
    import sqlite3
    db = sqlite3.connect(os.path.join(data, "ungcuu.db"))
    sid = db.execute("SELECT s.id FROM systems s WHERE s.critical = 1 ORDER BY s.id LIMIT 1").fetchone()[0]
    path = tmp_path / "critical.xml"
    path.write_bytes(nmap(int(now()) - 60))
    p = run("import", "scan", "--data", data, "--system", str(sid), "--as", "congan", "--json", str(path))
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert len(out["duties"]) == 1
    duty, status, by = db.execute("SELECT d.duty, d.status, u.username FROM duties d JOIN users u "
                                  "ON u.id = d.done_by WHERE d.id = ?", (out["duties"][0],)).fetchone()
    assert (duty, status, by) == ("critical_scan", "done", "congan")
    assert db.execute("SELECT count(*) FROM duty_evidence WHERE duty_id = ?",
                      (out["duties"][0],)).fetchone()[0] == 1
    db.close()
