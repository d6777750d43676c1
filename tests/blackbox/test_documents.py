"""Official documents (docs/documents.md): the incident report (TT 20/2017 Mẫu 03) and closing
report (Mẫu 04) as PDF, the half-year / yearly summary (Mẫu 05) as PDF, XLSX and CSV, the
coordinator's quarterly bulletin as PDF and XLSX; each copy recorded with its SHA-256 and
verifiable by hash or by the reference printed on every page; reading is audited once per user,
document and hour, and not journaled.

PDF text is read back with `pdftotext -layout` (poppler-utils), XLSX with zipfile + xml (no
openpyxl). Page images go to build-asan/test-output/documents/ for a human to look at."""
import concurrent.futures
import datetime
import hashlib
import io
import os
import re
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

import pytest
import requests

from conftest import (ENV, ROOT, SUITE_START, Server, cli, is_problem, new_incident, unique,
                      vn_now)

OUT = os.path.join(ROOT, "build-asan", "test-output", "documents")
VN = datetime.timezone(datetime.timedelta(hours=7))
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}


# ---- helpers ----

def pdf_text(data, name):
    """The text of a PDF (pdftotext -layout, NFC), its page images saved under OUT."""
    assert data[:5] == b"%PDF-", data[:40]
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + ".pdf")
    with open(path, "wb") as f:
        f.write(data)
    for old in os.listdir(OUT):
        if old.startswith(name + "-") and old.endswith(".png"):
            os.remove(os.path.join(OUT, old))
    subprocess.run(["pdftoppm", "-png", "-r", "60", path, os.path.join(OUT, name)], check=True,
                   timeout=120)
    text = subprocess.run(["pdftotext", "-layout", path, "-"], check=True, capture_output=True,
                          timeout=120).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", text)


def flat(text):
    """Whitespace collapsed: a value wrapped over lines reads as one line again."""
    return re.sub(r"\s+", " ", text)


def pages(data):
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True,
                         timeout=60).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def page_marks(text):
    """The TLP label of each page: the last word of a page's first line (top right corner)."""
    marks = []
    for page in text.split("\f"):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        if lines:
            marks.append(lines[0].split()[-1])
    return marks


def today_words():
    d = vn_now()
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year:04d}"


def xlsx_sheets(data):
    """{sheet name: [[cell values of a row]]}: shared or inline strings, numbers as float."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = {r.get("Id"): r.get("Target") for r in
            ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall("pr:Relationship", NS)}
    out = {}
    for sh in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        target = rels[sh.get("{%s}id" % NS["r"])]
        root = ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", "")))
        rows = []
        for row in root.iter("{%s}row" % NS["m"]):
            cells = {}
            for c in row.findall("m:c", NS):
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                idx = 0
                for ch in col:
                    idx = idx * 26 + ord(ch) - 64
                v = c.find("m:v", NS)
                if c.get("t") == "s":
                    cells[idx - 1] = shared[int(v.text)]
                elif c.get("t") == "inlineStr":
                    cells[idx - 1] = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
                elif v is not None:
                    cells[idx - 1] = float(v.text)
                else:
                    cells[idx - 1] = ""
            r = int(row.get("r")) - 1
            while len(rows) < r:
                rows.append([])
            rows.append([cells.get(i, "") for i in range(max(cells) + 1 if cells else 0)])
        out[sh.get("name")] = rows
    return out


def table(rows, head_first):
    """The data rows under the header row whose first cell is head_first, keyed by column 1."""
    for i, r in enumerate(rows):
        if r and r[0] == head_first:
            return {row[1]: row for row in rows[i + 1:] if len(row) > 1}
    raise AssertionError(f"no header {head_first!r} in {rows[:6]}")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def get_doc(client, path, ctype="application/pdf"):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert r.headers["Content-Type"].startswith(ctype), r.headers
    assert r.headers["X-Content-SHA256"] == sha256(r.content)
    assert re.fullmatch(r"TL-[0-9A-HJKMNP-TV-Z]{10}", r.headers["X-Document-Ref"])
    assert "attachment" in r.headers["Content-Disposition"]
    return r


def preset_form(client, code):
    return next(f for f in client.get("/api/v1/preset").json()["forms"] if f["code"] == code)


def step(client, iid, action, **extra):
    r = client.post(f"/api/v1/incidents/{iid}/transitions", json={"action": action, **extra})
    assert r.status_code == 200, r.text
    return r.json()


# ---- the incident report (Mẫu 03) ----

REPORT_FORM = {"org_address": "Số 12 đường Lê Lợi, phường Phú Hội, tỉnh Bình Minh",
               "contact_name": "Hoàng Văn Tài", "contact_phone": "0912 345 678",
               "contact_email": "tai.hv@binhminh.gov.vn",
               "detection_method": "Hệ thống giám sát SOC cảnh báo đăng nhập bất thường",
               "reported_to": "Lãnh đạo Sở Tài chính", "os": "Ubuntu 22.04 LTS",
               "keep_secret": True, "signer": "Bùi Thị Chính"}


def test_report_pdf(server):
    tc, dp = server.login("taichinh"), server.login("dieuphoi")
    inc = new_incident(tc, title="Tấn công dò mật khẩu vào cổng dịch vụ công", tlp="amber",
                       detected_at="2026-11-18T09:05:00+07:00", form={"report": REPORT_FORM})
    r = get_doc(tc, f"/api/v1/incidents/{inc['id']}/documents/report.pdf")
    text = pdf_text(r.content, "report")
    one = flat(text)
    ref = r.headers["X-Document-Ref"]
    # the administrative header: motto, issuer, number, place and date in words, title
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ TÀI CHÍNH TỈNH BÌNH MINH" in one
    assert "ỦY BAN NHÂN DÂN TỈNH BÌNH MINH" in one  # the superior body above it
    assert f"Số: {inc['ref']}/BC-SC" in text
    assert f"Bình Minh, {today_words()}" in text
    assert "BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG" in text
    assert "TLP:AMBER" in text
    assert "Kính gửi: Sở Khoa học và Công nghệ tỉnh Bình Minh" in one
    # labels from the preset's form, values from the form and from the record
    labels = {f["name"]: f["label_vi"] for f in preset_form(tc, "report")["fields"]}
    for name, value in [("org_name", "Sở Tài chính tỉnh Bình Minh"),
                        ("org_address", REPORT_FORM["org_address"]),
                        ("org_phone", "0234 3822 101"),
                        ("contact_name", "Hoàng Văn Tài"),
                        ("contact_email", "tai.hv@binhminh.gov.vn"),
                        ("description", "Phát hiện đăng nhập trái phép vào hệ thống quản lý văn bản."),
                        ("detected_at", "09 giờ 05 phút, ngày 18/11/2026"),
                        ("current_status", "Tiếp nhận, phân loại"),
                        ("detection_method", REPORT_FORM["detection_method"]),
                        ("os", "Ubuntu 22.04 LTS"),
                        ("keep_secret", "Có")]:
        assert f"{labels[name]}: {value}" in one, (name, value)
    # sections of the preset, numbered
    sections = [s["name_vi"] for s in preset_form(tc, "report")["sections"]]
    assert f"1. {sections[0]}" in text and f"4. {sections[3]}" in text
    # an empty field is a dotted line to fill by hand
    assert re.search(re.escape(labels["support_requests"]) + r": \.{20,}", text)
    # the signature block: position from the signer's label, the note, the signer
    assert "NGƯỜI BÁO CÁO" in text and "(Ký, ghi rõ họ tên, đóng dấu)" in text
    assert "Bùi Thị Chính" in text and "Nơi nhận:" in text
    # every page: the reference and where to check it, page x/y
    assert f"Mã văn bản {ref}" in text and "Kiểm tra tại /api/v1/documents/verify" in text
    n = pages(r.content)
    assert f"Trang 1/{n}" in text and f"Trang {n}/{n}" in text
    # recorded: documents row with the file's hash, the read audited; the journal is untouched
    journal = tc.get(f"/api/v1/incidents/{inc['id']}/journal").json()["items"]
    assert not [j for j in journal if j["kind"] == "document"]
    with server.db() as db:
        row = db.execute("SELECT kind, incident_id, sha256, size, created_by FROM documents "
                         "WHERE ref = ?", (ref,)).fetchone()
        audit = db.execute("SELECT username, after FROM audit WHERE action = 'document.read' AND "
                           "object_id = (SELECT id FROM documents WHERE ref = ?)", (ref,)).fetchone()
    assert row["kind"] == "report" and row["incident_id"] == inc["id"]
    assert row["sha256"] == sha256(r.content) and row["size"] == len(r.content)
    assert audit["username"] == "taichinh"
    assert '"sha256":"%s"' % sha256(r.content) in audit["after"]
    listed = tc.get(f"/api/v1/incidents/{inc['id']}/documents").json()["items"]
    assert [d["ref"] for d in listed] == [ref]
    # verification by hash and by the printed reference, for readers of the incident: the
    # coordinator only once the unit has reported it (before, the incident is the unit's own)
    is_problem(dp.get(f"/api/v1/documents/{sha256(r.content)}"), 404)
    is_problem(dp.get("/api/v1/documents/verify", params={"ref": ref}), 404)
    step(tc, inc["id"], "report")
    v = dp.get(f"/api/v1/documents/{sha256(r.content)}")
    assert v.status_code == 200, v.text
    body = v.json()
    assert body["kind"] == "report" and body["incident_ref"] == inc["ref"] and body["verified"]
    assert body["created_by_name"] == "Hoàng Văn Tài" and body["created_at"]
    assert dp.get("/api/v1/documents/verify", params={"ref": ref.lower()}).json()["sha256"] == \
        sha256(r.content)
    assert dp.get("/api/v1/documents/verify",
                  params={"sha256": sha256(r.content).upper()}).status_code == 200
    yte = server.login("yte")
    is_problem(yte.get(f"/api/v1/documents/{sha256(r.content)}"), 404)
    is_problem(yte.get(f"/api/v1/incidents/{inc['id']}/documents/report.pdf"), 404)
    is_problem(dp.get("/api/v1/documents/" + "0" * 64), 404)
    is_problem(dp.get("/api/v1/documents/not-a-hash"), 404)
    is_problem(dp.get("/api/v1/documents/verify"), 400)


def test_report_is_a_draft_until_required_fields_are_known(server):
    tc = server.login("taichinh")
    inc = new_incident(tc, title=unique("Bản nháp "))
    text = pdf_text(get_doc(tc, f"/api/v1/incidents/{inc['id']}/documents/report.pdf").content,
                    "report-draft")
    labels = {f["name"]: f["label_vi"] for f in preset_form(tc, "report")["fields"]}
    assert "Bản dự thảo" in text
    assert labels["detection_method"] in flat(text.split("Bản dự thảo")[1])[:600]


def test_long_report_flows_onto_more_pages(server):
    tc = server.login("taichinh")
    long = " ".join(f"Bước {i}: kiểm tra nhật ký truy cập của máy chủ ứng dụng, đối chiếu địa "
                    f"chỉ IP nguồn với danh sách chặn, ghi nhận dấu hiệu bất thường số {i}."
                    for i in range(1, 90))
    inc = new_incident(tc, title=unique("Sự cố dài "), description=long[:19000])
    r = get_doc(tc, f"/api/v1/incidents/{inc['id']}/documents/report.pdf")
    n = pages(r.content)
    assert n >= 3, n
    text = pdf_text(r.content, "report-long")
    assert f"Trang 2/{n}" in text and f"Trang {n}/{n}" in text
    one = flat(text)
    # the text crosses pages whole: first and last steps are there, diacritics intact
    assert "Bước 1: kiểm tra nhật ký truy cập của máy chủ ứng dụng" in one
    assert "dấu hiệu bất thường số 89." in one


# ---- the closing report (Mẫu 04) ----

def test_closing_pdf(server):
    tc, dp = server.login("taichinh"), server.login("dieuphoi")
    inc = new_incident(tc, title="Mã độc mã hóa máy trạm kế toán", type="ransomware",
                       severity="serious", tlp="green")
    iid = inc["id"]
    step(tc, iid, "report")
    step(dp, iid, "accept")
    step(tc, iid, "resolve")
    closing = {"operator_unit": "Phòng Tin học, Sở Tài chính",
               "detected_at": "2026-11-20T08:30:00+07:00",
               "what_happened": "Mã độc lây qua tệp đính kèm thư điện tử.",
               "resolution": "Cách ly máy trạm, khôi phục dữ liệu từ bản sao lưu.",
               "proposals": "Tập huấn nhận diện thư giả mạo cho cán bộ.",
               "foreign_help": True, "estimated_damage": 15000000,
               "signer": "Bùi Thị Chính"}
    step(tc, iid, "close", form={"closing": closing})
    r = get_doc(dp, f"/api/v1/incidents/{iid}/documents/closing.pdf")
    text = pdf_text(r.content, "closing")
    one = flat(text)
    labels = {f["name"]: f["label_vi"] for f in preset_form(tc, "closing")["fields"]}
    assert "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ (BIÊN BẢN KẾT THÚC)" in one
    assert f"Số: {inc['ref']}/BC-KT" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Bình Minh, {today_words()}" in text and "TLP:GREEN" in text
    for name, value in [("report_number", f"{inc['ref']}/BC-SC"),
                        ("incident_name", "Mã độc mã hóa máy trạm kế toán"),
                        ("operator_unit", closing["operator_unit"]),
                        ("detected_at", "08 giờ 30 phút, ngày 20/11/2026"),
                        ("resolution", closing["resolution"]),
                        ("foreign_help", "Có"), ("estimated_damage", "15.000.000")]:
        assert f"{labels[name]}: {value}" in one, (name, value)
    assert "Bản dự thảo" not in text
    # the audit names who read it (the coordinator here); the journal does not
    journal = dp.get(f"/api/v1/incidents/{iid}/journal").json()["items"]
    assert not [j for j in journal if j["kind"] == "document"]
    with server.db() as db:
        who = db.execute("SELECT a.username FROM audit a JOIN documents d ON d.id = a.object_id "
                         "WHERE a.action = 'document.read' AND d.ref = ?",
                         (r.headers["X-Document-Ref"],)).fetchone()
    assert who["username"] == "dieuphoi"


def test_closing_form_has_the_summary_fields(server):
    c = server.login("taichinh")
    fields = {f["name"]: f for f in preset_form(c, "closing")["fields"]}
    assert fields["foreign_help"]["type"] == "bool" and not fields["foreign_help"]["required"]
    assert fields["estimated_damage"]["type"] == "int"
    assert "Mẫu 05" in fields["estimated_damage"]["hint_vi"]
    assert fields["estimated_damage"]["label_en"] == "Estimated damage (VND)"


# ---- the half-year summary (Mẫu 05) ----

@pytest.fixture(scope="module")
def half_year(server):
    """Incidents of sotc detected in the first half of 2026, each handled differently. All but
    "ddos alone" (and the drill, the fault and the one outside the half) are reported, so the
    coordinator counts four of sotc's five where sotc counts five."""
    tc, dp = server.login("taichinh"), server.login("dieuphoi")
    police = server.login("congan")
    ncsc = server.org_id("ncsc")
    made = {}

    def inc(name, **over):
        made[name] = new_incident(tc, title=unique(name + " "), **over)
        return made[name]["id"]

    def ask(iid, org, answer=None):
        r = dp.post(f"/api/v1/incidents/{iid}/requests",
                    json={"org_id": org, "kind": "support", "body": "Đề nghị hỗ trợ xử lý."})
        assert r.status_code == 201, r.text
        if answer:
            r = answer.post(f"/api/v1/requests/{r.json()['id']}/answer",
                            json={"status": "accepted", "answer": "Đã cử cán bộ hỗ trợ."})
            assert r.status_code == 200, r.text

    a = inc("ddos alone", type="ddos", detected_at="2026-01-15T10:00:00+07:00")
    b = inc("ddos helped", type="ddos", detected_at="2026-02-10T10:00:00+07:00")
    step(tc, b, "report")
    ask(b, server.org_id("congan"), answer=police)
    c = inc("phishing national", type="phishing", detected_at="2026-03-03T10:00:00+07:00")
    step(tc, c, "report")
    ask(c, ncsc)
    d = inc("malware closed", type="malware", detected_at="2026-06-30T23:30:00+07:00",
            tlp="green")
    r = tc.patch(f"/api/v1/incidents/{d}", json={"form": {"closing": {
        "foreign_help": True, "estimated_damage": 25000000,
        "proposals": "Trang bị giải pháp phòng chống mã độc tập trung."}}})
    assert r.status_code == 200, r.text
    step(tc, d, "report")
    e = inc("amber proposal", type="ddos", detected_at="2026-04-01T10:00:00+07:00", tlp="amber")
    r = tc.patch(f"/api/v1/incidents/{e}", json={"form": {"closing": {
        "estimated_damage": 1000000, "proposals": "Đề xuất mật: nâng cấp tường lửa phân đoạn."}}})
    assert r.status_code == 200, r.text
    step(tc, e, "report")
    inc("drill", type="malware", detected_at="2026-05-05T10:00:00+07:00", is_drill=True)
    inc("fault", group="fault", type="system_fault", detected_at="2026-05-06T10:00:00+07:00")
    inc("outside", type="ddos", detected_at="2026-07-01T00:00:00+07:00")  # the next half
    return made


def test_summary_xlsx_counts(server, half_year):
    tc = server.login("taichinh")
    r = get_doc(tc, "/api/v1/reports/summary.xlsx?from=2026-01-01&to=2026-06-30",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheets = xlsx_sheets(r.content)
    assert list(sheets)[0] == "Mẫu 05"
    rows = table(sheets["Mẫu 05"], "STT")
    # columns: STT, type, count, alone, with help, foreign help, national asked, damage
    assert rows["Tấn công từ chối dịch vụ"][2:8] == [3, 2, 1, 0, 0, 1000000]
    assert rows["Tấn công giả mạo"][2:8] == [1, 0, 0, 0, 1, 0]
    assert rows["Tấn công sử dụng mã độc"][2:8] == [1, 1, 0, 1, 0, 25000000]
    assert rows["Tấn công tổng hợp"][2:8] == [0, 0, 0, 0, 0, 0]
    assert rows["Tổng cộng"][2:8] == [5, 3, 1, 1, 1, 26000000]
    types = [row[1] for row in sheets["Mẫu 05"] if len(row) > 1 and isinstance(row[0], str)
             and row[0].isdigit()]
    assert len(types) == 10  # the nine attack types of the preset and "combined attack"
    assert "Thông tin về" not in " ".join(types)
    helpers = table(sheets["Tổ chức hỗ trợ"], "STT")
    assert helpers["Công an tỉnh Bình Minh"][2] == 1
    # the header lines: the document's title, the period, the issuer and reference
    head = " ".join(str(c) for row in sheets["Mẫu 05"][:4] for c in row)
    assert "BÁO CÁO TỔNG HỢP" in head and "6 tháng đầu năm 2026" in head
    assert r.headers["X-Document-Ref"] in head


def test_summary_pdf_and_csv(server, half_year):
    tc = server.login("taichinh")
    r = get_doc(tc, "/api/v1/reports/summary.pdf?from=2026-01-01&to=2026-06-30")
    text = pdf_text(r.content, "summary")
    one = flat(text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 2026-H1/BC-TH" in text and f"Bình Minh, {today_words()}" in text
    assert "BÁO CÁO TỔNG HỢP TÌNH HÌNH SỰ CỐ AN TOÀN THÔNG TIN MẠNG" in one
    assert "6 tháng đầu năm 2026" in text and "Mẫu 05" in text
    assert "Kính gửi: Trung tâm Giám sát an toàn không gian mạng quốc gia" in one
    assert "Mã thành viên mạng lưới: sotc" in one
    assert "không tính 1 cuộc diễn tập" in one and "Tấn công tổng hợp" in text
    assert "Ngoài ra có 1 sự cố thuộc các nhóm khác" in one
    assert "Công an tỉnh Bình Minh" in text
    assert "Trang bị giải pháp phòng chống mã độc tập trung." in one
    # the API reader may read the AMBER incident: its proposal is printed, the document marked
    assert "nâng cấp tường lửa phân đoạn" in one and "TLP:AMBER" in text
    assert "26.000.000" in text
    c = get_doc(tc, "/api/v1/reports/summary.csv?from=2026-01-01&to=2026-06-30", "text/csv")
    assert c.content.startswith(b"\xef\xbb\xbf")
    lines = c.content[3:].decode("utf-8").split("\r\n")
    assert lines[0].startswith("STT,Loại sự cố,Số lượng,Tự xử lý,")
    assert "Tấn công từ chối dịch vụ,3,2,1,0,0,1000000" in lines[1]
    assert lines[-2].startswith(",Tổng cộng,5,3,1,1,1,26000000")


def test_summary_access_and_scope(server, half_year):
    q = "from=2026-01-01&to=2026-06-30"
    yte, dp, kt = server.login("yte"), server.login("dieuphoi"), server.login("kiemtra")
    is_problem(yte.get(f"/api/v1/reports/summary.csv?{q}&org=sotc"), 403)
    is_problem(server.login("ubnd").get(f"/api/v1/reports/summary.csv?{q}&org=sotc"), 403)
    is_problem(dp.get(f"/api/v1/reports/summary.csv?{q}&org=nope"), 404)
    is_problem(dp.get("/api/v1/reports/summary.csv?from=2026-07-01&to=2026-01-01"), 400)
    is_problem(dp.get("/api/v1/reports/summary.csv?from=2026-13-01&to=2026-12-31"), 400)
    # yte's own summary does not count sotc's incidents
    own = yte.get(f"/api/v1/reports/summary.csv?{q}").content.decode("utf-8-sig")
    assert own.split("\r\n")[-2].startswith(",Tổng cộng,0,")
    # the coordinator: sotc by code, and the whole province (at least sotc's). It counts only
    # what it was named on: the four reported incidents, not "ddos alone", which sotc never
    # reported (sotc's own summary counts it: 3 DDoS, 5 in all, test_summary_xlsx_counts)
    by_code = dp.get(f"/api/v1/reports/summary.csv?{q}&org=sotc").content.decode("utf-8-sig")
    assert "Tấn công từ chối dịch vụ,2,1,1,0,0,1000000" in by_code
    assert ",Tổng cộng,4,2,1,1,1,26000000" in by_code
    province = kt.get(f"/api/v1/reports/summary.csv?{q}").content.decode("utf-8-sig")
    total = int(province.split("\r\n")[-2].split(",")[2])
    assert total >= 4
    r = kt.get(f"/api/v1/reports/summary.pdf?{q}")
    assert "tổng hợp toàn tỉnh" in flat(pdf_text(r.content, "summary-province"))
    # the summary's verification: the organisation's staff and the coordinator
    sha = sha256(r.content)
    assert dp.get(f"/api/v1/documents/{sha}").json()["kind"] == "summary"
    is_problem(server.login("taichinh").get(f"/api/v1/documents/{sha}"), 404)


# ---- the quarterly bulletin ----

BULLETIN = [  # (who, title, group, type, severity, tlp, detected_at, reported) in 2025 Q3
    ("taichinh", "DDoS cổng dịch vụ công", "attack", "ddos", "high", "green",
     "2025-07-03T09:00:00+07:00", True),
    ("taichinh", "Thư giả mạo kế toán", "attack", "phishing", "medium", "amber",
     "2025-07-20T09:00:00+07:00", True),
    ("taichinh", "Hỏng ổ đĩa máy chủ", "fault", "system_fault", "low", "clear",
     "2025-08-01T09:00:00+07:00", True),
    ("yte", "Mã hóa dữ liệu bệnh viện", "attack", "ransomware", "critical", "amber",
     "2025-08-15T09:00:00+07:00", True),
    ("yte", "Lũ ngập phòng máy", "disaster", "flood", "serious", "green",
     "2025-09-10T09:00:00+07:00", True),
    ("yte", "Mã độc máy chủ mật", "attack", "malware", "high", "red",
     "2025-09-30T23:59:00+07:00", False),  # nobody outside soyt was told
    ("giaoduc", "Cấu hình sai tường lửa", "operator_error", "operator_error", "medium", "green",
     "2025-09-12T09:00:00+07:00", True),
    ("giaoduc", "Máy in mạng bị chiếm quyền", "attack", "intrusion", "medium", "clear",
     "2025-08-20T09:00:00+07:00", False),  # not reported (and below "serious", so no rule
                                           # escalated it): giaoduc's own, even at TLP:CLEAR
]


@pytest.fixture(scope="module")
def quarter(server):
    made = []
    clients = {}
    for who, title, grp, typ, sev, tlp, at, reported in BULLETIN:
        c = clients.setdefault(who, server.login(who))
        made.append(new_incident(c, title=title, group=grp, type=typ, severity=sev, tlp=tlp,
                                 detected_at=at))
        made[-1]["reported"] = reported
        if reported:
            step(c, made[-1]["id"], "report")
    c = clients["taichinh"]
    drill = new_incident(c, title=unique("Diễn tập quý "), detected_at="2025-08-02T09:00:00+07:00",
                         is_drill=True)
    step(c, drill["id"], "report")
    new_incident(c, title=unique("Ngoài quý "), detected_at="2025-10-01T00:00:00+07:00")
    return made


def test_bulletin_xlsx_counts(server, quarter):
    dp = server.login("dieuphoi")
    r = get_doc(dp, "/api/v1/reports/bulletin.xlsx?year=2025&quarter=3",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheets = xlsx_sheets(r.content)
    assert {"Theo nhóm", "Theo mức độ", "Theo tháng", "Theo đơn vị", "Sự cố đáng chú ý"} <= set(sheets)
    # the RED incident of soyt never named the coordinator, and giaoduc never reported its CLEAR
    # one: the coordinator counts neither (6 of the 8)
    groups = table(sheets["Theo nhóm"], "STT")
    assert groups["Tấn công mạng"][2] == 3
    assert groups["Sự cố do lỗi của hệ thống, thiết bị, phần mềm, hạ tầng kỹ thuật"][2] == 1
    assert groups["Sự cố do lỗi của người quản trị, vận hành hệ thống"][2] == 1
    assert groups["Sự cố liên quan đến các thảm họa tự nhiên"][2] == 1
    assert groups["Tổng cộng"][2] == 6 and groups["Tổng cộng"][3] == "100,0%"
    sev = table(sheets["Theo mức độ"], "STT")
    assert [sev[n][2] for n in ("Thấp", "Trung bình", "Cao", "Nghiêm trọng",
                                "Đặc biệt nghiêm trọng")] == [1, 2, 1, 1, 1]
    months = {row[0]: row[1:] for row in sheets["Theo tháng"] if row and str(row[0]).startswith(("Tháng ", "Cả"))}
    assert months["Tháng 07/2025"] == [2, 0, 0, 0, 2]
    assert months["Tháng 08/2025"] == [1, 1, 0, 0, 2]
    assert months["Tháng 09/2025"] == [0, 0, 1, 1, 2]
    assert months["Cả quý"] == [3, 1, 1, 1, 6]
    # by organisation: the CLEAR and GREEN incidents; the two AMBER ones in a row of their own,
    # without their organisations, so the column adds up to the total
    orgs = table(sheets["Theo đơn vị"], "STT")
    assert orgs["Sở Tài chính tỉnh Bình Minh"][2] == 2
    assert orgs["Sở Y tế tỉnh Bình Minh"][2] == 1
    assert orgs["Sở Giáo dục và Đào tạo tỉnh Bình Minh"][2] == 1
    assert orgs["Sự cố có nhãn trên TLP:GREEN (không nêu đơn vị)"][2] == 2
    assert orgs["Tổng cộng"][2] == 6
    # notable: the CLEAR and GREEN incidents only, most severe first
    notable = [row for row in sheets["Sự cố đáng chú ý"] if row and isinstance(row[0], str)
               and row[0].isdigit()]
    assert [row[3] for row in notable] == ["Nghiêm trọng", "Cao", "Trung bình", "Thấp"]


def test_bulletin_pdf(server, quarter):
    dp = server.login("dieuphoi")
    r = get_doc(dp, "/api/v1/reports/bulletin.pdf?year=2025&quarter=3")
    text = pdf_text(r.content, "bulletin")
    one = flat(text)
    assert "BẢN TIN ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG" in text
    assert "Quý III năm 2025" in text and "Số: 2025-Q3/BT-UCSC" in text
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Bình Minh, {today_words()}" in text
    assert "ghi nhận 6 sự cố" in one and "không tính 1 cuộc diễn tập" in one
    assert "Sự cố theo tháng và nhóm" in text and "Sự cố theo mức độ nghiêm trọng" in text
    assert "Tháng 07/2025" in text and "Tháng 09/2025" in text
    # section II states what was recorded: no warning was issued in 2025's third quarter
    assert "Trong quý không có cảnh báo nào được phát hành trên hệ thống" in one
    assert "chưa quản lý cảnh báo" not in one
    assert "III. THỰC HIỆN NHIỆM VỤ ĐỊNH KỲ" in text
    # the bulletin goes to the whole network: AMBER incidents are counted, never named, even
    # though the coordinator may read them; the document is marked GREEN
    amber = next(i for i in quarter if i["tlp"] == "amber" and i["type"] == "ransomware")
    red = next(i for i in quarter if i["tlp"] == "red")
    green = next(i for i in quarter if i["tlp"] == "green" and i["type"] == "ddos")
    assert amber["title"] not in one and amber["ref"] not in one
    assert red["ref"] not in one and red["title"] not in one
    assert green["title"] in one and green["ref"] in one
    # an incident its unit never reported is neither counted (6 above) nor named, even CLEAR
    unreported = next(i for i in quarter if not i["reported"] and i["tlp"] == "clear")
    assert unreported["title"] not in one and unreported["ref"] not in one
    assert "2 sự cố có nhãn trên TLP:GREEN chỉ được tính vào số liệu" in one
    assert set(page_marks(text)) == {"TLP:GREEN"}


def test_bulletin_access(server, quarter):
    is_problem(server.login("taichinh").get("/api/v1/reports/bulletin.pdf?year=2025&quarter=3"), 403)
    is_problem(server.login("congan").get("/api/v1/reports/bulletin.xlsx"), 403)
    kt = server.login("kiemtra")
    r = get_doc(kt, "/api/v1/reports/bulletin.pdf")  # the current quarter by default
    is_problem(kt.get("/api/v1/reports/bulletin.pdf?year=2025&quarter=5"), 400)
    assert kt.get(f"/api/v1/documents/{sha256(r.content)}").json()["kind"] == "bulletin"
    is_problem(server.login("taichinh").get(f"/api/v1/documents/{sha256(r.content)}"), 404)


# ---- the command line ----

def test_cli_export(server, quarter, half_year):
    dp = server.login("dieuphoi")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "ban-tin.pdf")
        p = cli("export", "bulletin", "--year", "2025", "--quarter", "3", "--out", out,
                data=server.data)
        data = open(out, "rb").read()
        ref = re.search(r"(TL-[0-9A-Z]{10}) sha256 ([0-9a-f]{64})", p.stdout)
        assert ref and ref.group(2) == sha256(data), p.stdout
        text = pdf_text(data, "bulletin-cli")
        one = flat(text)
        # the bulletin the web gives: the coordinator's count, CLEAR/GREEN titles only
        assert "ghi nhận 6 sự cố" in one
        green = next(i for i in quarter if i["tlp"] == "green" and i["type"] == "ddos")
        amber = next(i for i in quarter if i["tlp"] == "amber" and i["type"] == "ransomware")
        assert green["title"] in one
        assert amber["title"] not in one and amber["ref"] not in one
        assert "TLP:CLEAR hoặc TLP:GREEN" in one
        # recorded: by the command line, audited as cli:<login>, verifiable
        v = dp.get(f"/api/v1/documents/{sha256(data)}").json()
        assert v["ref"] == ref.group(1) and v["created_by"] is None
        assert v["created_by_name"] == "dòng lệnh", v
        en = dp.get(f"/api/v1/documents/{sha256(data)}", headers={"Accept-Language": "en"}).json()
        assert en["created_by_name"] == "command line", en
        with server.db() as db:
            who = db.execute("SELECT username FROM audit WHERE action = 'document.read' "
                             "ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert who.startswith("cli:")

        out = os.path.join(tmp, "mau05.csv")
        cli("export", "summary", "--from", "2026-01-01", "--to", "2026-06-30", "--org", "sotc",
            "--out", out, data=server.data)
        csv = open(out, "rb").read()
        assert csv.startswith(b"\xef\xbb\xbf")
        assert ",Tổng cộng,5,3,1,1,1,26000000" in csv.decode("utf-8-sig")
        out = os.path.join(tmp, "mau05.pdf")
        cli("export", "summary", "--from", "2026-01-01", "--to", "2026-06-30", "--org", "sotc",
            "--out", out, data=server.data)
        one = flat(pdf_text(open(out, "rb").read(), "summary-cli"))
        assert "Trang bị giải pháp phòng chống mã độc tập trung." in one  # GREEN
        assert "nâng cấp tường lửa phân đoạn" not in one  # AMBER: not from the command line
        assert "1 đề xuất của sự cố có nhãn trên TLP:GREEN" in one

        iid = half_year["malware closed"]["id"]
        out = os.path.join(tmp, "bien-ban.pdf")
        cli("export", "closing", "--incident", str(iid), "--out", out, data=server.data)
        assert "BIÊN BẢN KẾT THÚC" in flat(pdf_text(open(out, "rb").read(), "closing-cli"))
        journal = dp.get(f"/api/v1/incidents/{iid}/journal").json()["items"]
        assert not [j for j in journal if j["kind"] == "document"]

        out = os.path.join(tmp, "x.xlsx")
        assert cli("export", "bulletin", "--out", out, data=server.data).returncode == 0
        assert "Theo nhóm" in xlsx_sheets(open(out, "rb").read())
        # usage errors and a missing incident
        assert cli("export", "report", "--incident", "999999", "--out",
                   os.path.join(tmp, "r.pdf"), data=server.data, check=False).returncode == 3
        assert cli("export", "report", "--incident", str(iid), "--out",
                   os.path.join(tmp, "r.xlsx"), data=server.data, check=False).returncode == 2
        assert cli("export", "bulletin", "--out", os.path.join(tmp, "b.csv"), data=server.data,
                   check=False).returncode == 2
        assert cli("export", "summary", "--from", "2026-01-01", "--out",
                   os.path.join(tmp, "s.pdf"), data=server.data, check=False).returncode == 2
        assert not os.path.exists(os.path.join(tmp, "r.pdf"))


# ---- reading a document: audited once per user, document and hour, never journaled ----

def _doc_reads(server, iid):
    """(username, document ref) of the audit's entries for the documents of an incident."""
    with server.db() as db:
        return [tuple(row) for row in db.execute(
            "SELECT a.username, d.ref FROM audit a JOIN documents d ON d.id = a.object_id "
            "WHERE a.object_type = 'document' AND a.action LIKE 'document.%' "
            "AND d.incident_id = ? ORDER BY a.id", (iid,))]


def test_document_reads_audited_once_per_user_document_and_hour():
    """A reporter pulling the same PDF 50 times at once leaves one audit row and no journal
    entry; another reader has a row of their own; an hour later on the clock the first reader
    has a second row. Every copy stays verifiable (documents row per copy)."""
    t0 = SUITE_START + 10 * 60  # 09:10, a standing clock: no hour boundary while the test runs
    saved = ENV.get("UNGCUU_FAKE_NOW")
    ENV["UNGCUU_FAKE_NOW"] = str(t0)
    try:
        with tempfile.TemporaryDirectory(prefix="ungcuu-test-") as tmp:
            s = Server(os.path.join(tmp, "data"))
            try:
                tc, dp = s.login("taichinh"), s.login("dieuphoi")
                inc = new_incident(tc, title=unique("Tải nhiều lần "), tlp="green")
                url = f"/api/v1/incidents/{inc['id']}/documents/report.pdf"
                tc.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=50))
                with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
                    got = list(pool.map(lambda _: tc.get(url, timeout=120), range(50)))
                assert [r.status_code for r in got] == [200] * 50, \
                    [r.text[:200] for r in got if r.status_code != 200][:3]
                reads = _doc_reads(s, inc["id"])
                assert [u for u, _ in reads] == ["taichinh"], reads
                assert reads[0][1] in {r.headers["X-Document-Ref"] for r in got}
                with s.db() as db:
                    assert db.execute("SELECT count(*) FROM journal WHERE incident_id = ? AND "
                                      "kind = 'document'", (inc["id"],)).fetchone()[0] == 0
                    assert db.execute("SELECT count(*) FROM documents WHERE incident_id = ?",
                                      (inc["id"],)).fetchone()[0] == 50
                journal = tc.get(f"/api/v1/incidents/{inc['id']}/journal").json()["items"]
                assert not [j for j in journal if j["kind"] == "document"]
                # every copy is still on record, so each can be checked (by the coordinator
                # once the unit has reported the incident: before, it is the unit's own)
                last = got[-1]
                is_problem(dp.get(f"/api/v1/documents/{sha256(last.content)}"), 404)
                step(tc, inc["id"], "report")
                assert dp.get(f"/api/v1/documents/{sha256(last.content)}").status_code == 200
                # another reader: a row of their own, once
                for _ in range(3):
                    get_doc(dp, url)
                assert [u for u, _ in _doc_reads(s, inc["id"])] == ["taichinh", "dieuphoi"]
                # another document (the closing report) is another row
                get_doc(tc, f"/api/v1/incidents/{inc['id']}/documents/closing.pdf")
                assert len(_doc_reads(s, inc["id"])) == 3
                # an hour later on the clock: a new row for the same reader and document
                s.stop()
                ENV["UNGCUU_FAKE_NOW"] = str(t0 + 3600)
                s.start()
                tc = s.login("taichinh")
                get_doc(tc, url)
                get_doc(tc, url)
                reads = _doc_reads(s, inc["id"])
                assert [u for u, _ in reads] == ["taichinh", "dieuphoi", "taichinh", "taichinh"]
                with s.db() as db:
                    assert db.execute("SELECT count(*) FROM journal WHERE kind = 'document'"
                                      ).fetchone()[0] == 0
            finally:
                rc = s.stop()
                assert rc == 0, open(os.path.join(s.data, "server.log")).read()[-4000:]
    finally:
        if saved is None:
            ENV.pop("UNGCUU_FAKE_NOW", None)
        else:
            ENV["UNGCUU_FAKE_NOW"] = saved


# ---- one bulletin, whoever makes it ----

BULLETIN_Q2 = [  # (who, title, group, type, severity, tlp, detected_at, reported) in 2025 Q2
    ("taichinh", "Quét cổng máy chủ thư điện tử", "attack", "intrusion", "high", "green",
     "2025-04-07T09:00:00+07:00", True),
    ("taichinh", "Hỏng nguồn tủ mạng tầng 3", "fault", "system_fault", "low", "clear",
     "2025-05-02T09:00:00+07:00", True),
    ("yte", "Mã hóa dữ liệu phòng khám Q2", "attack", "ransomware", "critical", "amber",
     "2025-05-15T09:00:00+07:00", True),
    ("giaoduc", "Lộ tài khoản quản trị trường học", "attack", "phishing", "serious",
     "amber+strict", "2025-06-03T09:00:00+07:00", True),
    ("taichinh", "Mã độc trên máy chủ ngân sách mật", "attack", "malware", "critical", "red",
     "2025-06-10T09:00:00+07:00", True),   # reported: the coordinator is named on it
    ("yte", "Xâm nhập hồ sơ bệnh án mật", "attack", "intrusion", "medium", "red",
     "2025-06-20T09:00:00+07:00", False),  # nobody outside soyt was told (nor escalated)
    ("giaoduc", "Mất điện phòng máy chủ trường học", "fault", "system_fault", "medium", "green",
     "2025-06-25T09:00:00+07:00", False),  # not reported: giaoduc's own, even at TLP:GREEN
]


def test_bulletin_is_one_document_from_web_and_cli(server):
    """The bulletin of a quarter goes to every member of the network: from the web (the
    coordinator, an auditor) and from the command line it has the same text and the same
    marking, TLP:GREEN, and names no incident above TLP:GREEN (those are counted only)."""
    clients, made = {}, []
    for who, title, grp, typ, sev, tlp, at, reported in BULLETIN_Q2:
        c = clients.setdefault(who, server.login(who))
        inc = new_incident(c, title=title, group=grp, type=typ, severity=sev, tlp=tlp,
                           detected_at=at)
        if reported:
            step(c, inc["id"], "report")
        made.append(inc)
    dp, kt = server.login("dieuphoi"), server.login("kiemtra")
    q = "year=2025&quarter=2"
    copies = {"web-coordinator": get_doc(dp, f"/api/v1/reports/bulletin.pdf?{q}").content,
              "web-auditor": get_doc(kt, f"/api/v1/reports/bulletin.pdf?{q}").content}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "ban-tin-q2.pdf")
        cli("export", "bulletin", "--year", "2025", "--quarter", "2", "--out", out,
            data=server.data)
        copies["cli"] = open(out, "rb").read()
    texts, flats = {}, {}
    for name, data in copies.items():
        text = pdf_text(data, "bulletin-q2-" + name)
        # each copy has its own reference (TL-...) on every page; everything else is the same
        # (compared with spaces collapsed: -layout places columns by the glyphs of the page,
        # the reference's among them)
        texts[name] = re.sub(r"TL-[0-9A-Z]{10}", "TL-XXXXXXXXXX", text)
        flats[name] = flat(texts[name])
    assert flats["web-coordinator"] == flats["web-auditor"], "the web's copies differ"
    assert flats["web-coordinator"] == flats["cli"], "the web's and the CLI's bulletin differ"
    text, one = texts["cli"], flats["cli"]
    assert "Số: 2025-Q2/BT-UCSC" in text
    # marked with the highest TLP it prints: GREEN, on every page
    assert set(page_marks(text)) == {"TLP:GREEN"}, page_marks(text)
    # no title or reference of an AMBER, AMBER+STRICT or RED incident, whoever made it, nor of
    # one its unit never reported (the coordinator may not read it)
    for inc, (*_, reported) in zip(made, BULLETIN_Q2):
        if inc["tlp"] in ("amber", "amber+strict", "red") or not reported:
            assert inc["title"] not in one and inc["ref"] not in one, inc["title"]
        else:
            assert inc["title"] in one and inc["ref"] in one, inc["title"]
    # they are counted: the coordinator may read 5 of the 7 (not soyt's untold RED one, not
    # giaoduc's unreported GREEN one)
    assert "ghi nhận 5 sự cố" in one
    assert "3 sự cố có nhãn trên TLP:GREEN" in one
    # the spreadsheet of the same quarter holds no more than the PDF
    x = get_doc(dp, f"/api/v1/reports/bulletin.xlsx?{q}",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    cells = " ".join(str(c) for rows in xlsx_sheets(x.content).values() for r in rows for c in r)
    for inc in made:
        if inc["tlp"] in ("amber", "amber+strict", "red"):
            assert inc["title"] not in cells and inc["ref"] not in cells, inc["title"]


def test_bulletin_states_the_warnings_issued_in_the_quarter(server):
    """Issue "the record tells the legal truth": "No document states what the data does not say:
    the bulletin's section on warnings comes from the warnings issued in the quarter". The
    bulletin goes to every member of the network, so a TLP:GREEN warning is named with whom it
    reached, and a TLP:AMBER one is counted, never named."""
    dp = server.login("dieuphoi")

    def issued(title, tlp):
        r = dp.post("/api/v1/warnings", json={"title": title, "severity": "high", "tlp": tlp,
                                              "target": {"mode": "all"}})
        assert r.status_code == 201, r.text
        r = dp.post(f"/api/v1/warnings/{r.json()['id']}/issue")
        assert r.status_code == 200, r.text
        return r.json()

    green = issued(unique("Lỗ hổng máy chủ thư "), "green")
    amber = issued(unique("Chiến dịch APT nhắm vào "), "amber")
    dp.post("/api/v1/warnings", json={"title": unique("Bản nháp "), "severity": "high"})
    when = vn_now()
    r = get_doc(dp, f"/api/v1/reports/bulletin.pdf?year={when.year}&quarter={(when.month - 1) // 3 + 1}")
    one = flat(pdf_text(r.content, "bulletin-warnings"))
    m = re.search(r"Trong quý đã phát hành (\d+) cảnh báo, trong đó (\d+) cảnh báo có nhãn cao "
                  r"hơn TLP:GREEN", one)
    assert m and int(m.group(1)) >= 2 and int(m.group(2)) >= 1, one[:3000]
    assert green["ref"] in one, one[:3000]
    assert amber["ref"] not in one and "Chiến dịch APT" not in one
    assert "Bản nháp" not in one  # a draft was never issued
    assert "chưa quản lý cảnh báo" not in one
