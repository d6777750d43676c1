"""Citations a person can read (issue 14): the API, the journal and the PDFs cite a legal source
as people write it — the point, the clause and the article, then the regulation by its number,
date and name — and never show a preset code like "001 Đ15.4c" or "000 Đ7.4" (the raw code
stays in "source", for logic only).

The seeds' own words the citations rest on:
- 000: "QUY CHẾ Phối hợp giữa các cơ quan, đơn vị trong việc ứng phó sự cố máy tính, đảm bảo an
  toàn thông tin mạng trên địa bàn tỉnh Thừa Thiên Huế (ban hành kèm theo Quyết định số 2711
  /QĐ-UBND ngày 17/11/2017 của UBND tỉnh Thừa Thiên Huế)"; its Điều 7 khoản 4, "Trách nhiệm của
  các cơ quan trung ương đóng trên địa bàn: Tập hợp, tiếp nhận, xử lý, chuẩn bị thông tin, cảnh
  báo tới người có thẩm quyền và các cơ quan, tổ chức, đơn vị liên quan về các nguy cơ sự cố",
  is a warning's default legal basis.
- 001: "QUY CHẾ Bảo đảm an toàn thông tin mạng trong hoạt động ứng dụng công nghệ thông tin của
  các cơ quan nhà nước trên địa bàn huyện Tây Sơn" — the text gives no number nor date of
  issue, and the citation says so rather than invent one; its Điều 15 khoản 4 điểm c: "Bước 3:
  Báo sự cố đến Sở Thông tin và Truyền thông theo mẫu số 01 kèm theo Quy chế"; its Điều 12
  khoản 6: "việc kiểm tra, phục hồi hệ thống từ dữ liệu sao lưu tối thiểu 6 tháng một lần".
- 000's preamble: "Thông tư số 20/2017/TT-BTTTT ngày 12 tháng 9 năm 2017 của Bộ Thông tin và
  Truyền thông về việc Quy định về điều phối, ứng cứu sự cố an toàn thông tin mạng trên toàn
  quốc" — the national base's forms (Mẫu 03) and clocks cite it and QĐ 05/2017/QĐ-TTg.
"""
import os
import re
import tempfile

import pytest

from conftest import Server, admin_client, new_incident
from test_documents import flat, get_doc, pdf_text

# a preset code left in a text: "000 Đ7.4", "Đ15.4c", "§1", "TT 20/2017/TT-BTTTT Mẫu 03"
CODE = re.compile(r"\b\d{3} Đ\d|Đ\d+\.\d|§\s?\d|TT 20/2017/TT-BTTTT|QĐ 05/2017")

HUE_000 = ("Quy chế phối hợp giữa các cơ quan, đơn vị trong việc ứng phó sự cố máy tính, đảm bảo "
           "an toàn thông tin mạng trên địa bàn tỉnh Thừa Thiên Huế ban hành kèm theo Quyết định "
           "số 2711/QĐ-UBND ngày 17/11/2017 của UBND tỉnh Thừa Thiên Huế")
TAYSON_001 = ("Quy chế bảo đảm an toàn thông tin mạng trong hoạt động ứng dụng công nghệ thông tin "
              "của các cơ quan nhà nước trên địa bàn huyện Tây Sơn (văn bản hiện có không ghi số, "
              "ngày ban hành)")
TT20 = ("Thông tư số 20/2017/TT-BTTTT ngày 12/09/2017 của Bộ Thông tin và Truyền thông quy định "
        "về điều phối, ứng cứu sự cố an toàn thông tin mạng trên toàn quốc")


@pytest.fixture()
def tayson_server():
    with tempfile.TemporaryDirectory(prefix="ungcuu-cite-") as tmp:
        s = Server(os.path.join(tmp, "data"), preset="tayson")
        try:
            yield s
        finally:
            assert s.stop() == 0, open(os.path.join(s.data, "server.log")).read()[-3000:]


def cited(obj):
    """An object with a raw "source" carries both citations, in words."""
    if not obj.get("source"):
        return
    for lang in ("vi", "en"):
        c = obj.get("citation_" + lang)
        assert c, (obj.get("code"), obj["source"])
        assert not CODE.search(c), (obj["source"], c)


def test_preset_endpoint_cites_every_source(server):
    """GET /preset: every group, type, severity, state, flag, form and clock carries its
    citation; the preset is named by its title; the documents by number, date and name; a
    warning's basis is Điều 7 khoản 4 of 000, in words."""
    p = server.login("taichinh").get("/api/v1/preset").json()
    assert p["title"] == "Điều phối, ứng cứu sự cố an toàn thông tin mạng (cơ sở quốc gia)"
    n = 0
    for key in ("groups", "types", "severities", "states", "flags", "forms", "clocks"):
        for it in p[key]:
            cited(it)
            n += bool(it.get("source"))
    assert n >= 40
    assert p["citation_vi"].startswith("Quyết định số 05/2017/QĐ-TTg ngày 16/03/2017 của Thủ tướng "
                                       "Chính phủ ban hành quy định về hệ thống phương án")
    docs = {d["ref"]: d for d in p["documents"]}
    assert docs["000"]["name_vi"] == HUE_000
    assert docs["001"]["name_vi"] == TAYSON_001
    assert docs["001"]["number"] == "" and docs["001"]["date"] == ""
    assert docs["002"]["in_force"] == "2025-01-20"
    assert p["basis"]["warning"]["citation_vi"] == "Khoản 4 Điều 7 " + HUE_000
    assert p["basis"]["warning"]["citation_en"].startswith("Article 7(4) of the Regulation on coordination")
    # the national base names no article of its own for the platform's backups or passwords
    assert "backup" not in p["basis"] and "password" not in p["basis"]
    report = next(f for f in p["forms"] if f["code"] == "report")
    assert report["citation_vi"] == ("Mẫu số 03 " + TT20 + "; điểm c khoản 4 Điều 15 " + TAYSON_001
                                     + " (mẫu số 01)")


def test_journal_clocks_and_actions_cite_in_words(server):
    """001 Đ15.4c, "Bước 3: Báo sự cố ... theo mẫu số 01": the journal's step, the incident's
    clocks and the actions offered name the article, clause and point and the regulation."""
    tc = server.login("taichinh")
    inc = new_incident(tc, title="Trích dẫn căn cứ trong nhật ký")
    got = tc.get(f"/api/v1/incidents/{inc['id']}").json()
    for a in got["actions"]:
        cited(a)
    report = next(a for a in got["actions"] if a["action"] == "report")
    assert report["citation_vi"].startswith("Điểm a, điểm c khoản 4 Điều 15 " + TAYSON_001)
    for c in got["clocks"]:
        cited(c)
    assert any(c["citation_vi"].startswith("Khoản 1 Điều 11 Quyết định số 05/2017/QĐ-TTg") or
               c["citation_vi"].startswith("Điểm a khoản 1 Điều 11 Quyết định số 05/2017/QĐ-TTg")
               for c in got["clocks"]), [c["citation_vi"] for c in got["clocks"]]
    r = tc.post(f"/api/v1/incidents/{inc['id']}/transitions", json={"action": "report"})
    assert r.status_code in (200, 201), r.text
    journal = tc.get(f"/api/v1/incidents/{inc['id']}/journal").json()["items"]
    status = [j for j in journal if j["kind"] == "status"]
    assert status, journal
    d = status[-1]["data"]
    assert d["source"].startswith("001 Đ15.4a")  # the code, kept for logic
    assert d["citation_vi"].startswith("Điểm a, điểm c khoản 4 Điều 15 " + TAYSON_001)
    assert d["citation_en"].startswith("Articles 15(4)(a) and 15(4)(c) of the Regulation on network "
                                       "information security")
    # whatever the system wrote in the journal reads without a code
    for j in journal:
        assert not CODE.search(j.get("body") or ""), j
        cited(j.get("data") or {})


def test_warning_default_legal_basis_is_the_article_in_words(server):
    """A warning written without a legal basis cites 000 Điều 7 khoản 4 (the preset's
    basis.warning) as people write it, not "000 Đ7.4"."""
    dp = server.login("dieuphoi")
    r = dp.post("/api/v1/warnings", json={"title": "Căn cứ mặc định của cảnh báo", "severity": "high"},
                headers={"Idempotency-Key": "cite-warning-1"})
    assert r.status_code == 201, r.text
    assert r.json()["legal_basis"] == "Khoản 4 Điều 7 " + HUE_000
    # one given by the writer stays as written
    r = dp.post("/api/v1/warnings", json={"title": "Căn cứ do người viết ghi", "severity": "high",
                                          "legal_basis": "Công văn của Sở"},
                headers={"Idempotency-Key": "cite-warning-2"})
    assert r.status_code == 201 and r.json()["legal_basis"] == "Công văn của Sở"


def test_report_pdf_prints_the_form_source_in_words(server):
    """The printed report (TT 20/2017 Mẫu 03; 001 Đ15.4c "theo mẫu số 01") says under its title
    which form of which circular it follows, by number, date and issuer."""
    tc = server.login("taichinh")
    inc = new_incident(tc, title="Báo cáo in ra có căn cứ đọc được")
    r = get_doc(tc, f"/api/v1/incidents/{inc['id']}/documents/report.pdf")
    one = flat(pdf_text(r.content, "citation-report"))
    assert "(Theo Mẫu số 03 Thông tư số 20/2017/TT-BTTTT ngày 12/09/2017 của Bộ Thông tin và Truyền" in one
    assert "điểm c khoản 4 Điều 15 Quy chế bảo đảm an toàn thông tin mạng" in one
    assert not CODE.search(one), CODE.search(one)


def test_admin_presets_by_title_and_citation(server):
    """The presets an admin may switch to are named by their titles and their texts cited."""
    ad = admin_client(server)
    items = {p["name"]: p for p in ad.get("/api/v1/admin/presets").json()["items"]}
    assert items["national"]["in_force"] is True
    assert items["hue-2017"]["citation_vi"] == HUE_000
    assert items["tayson"]["citation_vi"] == TAYSON_001
    assert items["quangnam-2022"]["citation_vi"].startswith(
        "Chỉ thị số 15/CT-UBND ngày 09/11/2022 của UBND tỉnh Quảng Nam về việc đẩy mạnh")
    assert items["hue-2019"]["citation_vi"].endswith(
        "; Chỉ thị số 14/CT-TTg ngày 07/06/2019 của Thủ tướng Chính phủ về việc tăng cường bảo đảm "
        "an toàn, an ninh mạng nhằm cải thiện chỉ số xếp hạng của Việt Nam")
    for p in items.values():
        assert not CODE.search(p["citation_vi"]) and not CODE.search(p["citation_en"]), p


def test_tayson_platform_rules_cite_tayson(tayson_server):
    """Under Tây Sơn's regulation the platform's own rules cite its articles: Điều 12 khoản 6
    ("kiểm tra, phục hồi hệ thống từ dữ liệu sao lưu tối thiểu 6 tháng một lần"), Điều 12 khoản
    1 điểm b ("tối đa không quá 05 lần ... quá 10 phút"), Điều 8 khoản 3 ("độ dài tối thiểu 8 ký
    tự")."""
    b = tayson_server.login("taichinh").get("/api/v1/preset").json()["basis"]
    assert b["backup"]["citation_vi"] == "Khoản 2 và khoản 6 Điều 12 " + TAYSON_001
    assert b["lockout"]["citation_vi"] == "Điểm b khoản 1 Điều 12 " + TAYSON_001
    assert b["idle"]["citation_vi"] == "Điểm b khoản 1 Điều 12 " + TAYSON_001
    assert b["password"]["citation_vi"] == "Khoản 3 Điều 8 và điểm a khoản 1 Điều 12 " + TAYSON_001
    assert b["password"]["citation_en"].startswith("Articles 8(3) and 12(1)(a) of the Regulation")
    assert b["warning"]["citation_vi"] == "Khoản 4 Điều 7 " + HUE_000  # inherited from the base
