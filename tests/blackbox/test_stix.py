"""STIX 2.1 export and import, MISP import, and the TAXII 2.1 server (docs/stix.md).

The bundles the server writes are checked here by a validator written from the STIX 2.1
specification, independently of the server's code; the TAXII client below is written from the
TAXII 2.1 specification with plain `requests` (discovery -> API root -> collections -> objects,
paging with added_after / limit / next until `more` is false)."""
import json
import os
import re
import sqlite3
import time
import uuid

import pytest
import requests

from conftest import ROOT, TokenClient, cli, new_incident, count_rows, now as suite_now

DATA = os.path.join(ROOT, "tests", "data")
STIX_FILE = os.path.join(DATA, "stix", "phishing-campaign.json")
STIX_BAD = os.path.join(DATA, "stix", "invalid-bundle.json")
MISP_FILE = os.path.join(DATA, "misp", "ransomware-event.json")
MISP_BAD = os.path.join(DATA, "misp", "invalid-event.json")

TAXII = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
TLP2 = {  # the OASIS TLP 2.0 extension definition's fixed marking-definition ids
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP2_EXT = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

# ---- an independent STIX 2.1 validator (the rules of the spec, not the server's code) ----

TS = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$")
TYPE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
REQUIRED = {
    "identity": ["name"],
    "report": ["name", "published", "object_refs"],
    "indicator": ["pattern", "pattern_type", "valid_from"],
    "vulnerability": ["name"],
    "course-of-action": ["name"],
    "incident": ["name"],
}
PATTERN = re.compile(
    r"^\[(ipv4-addr:value (=|ISSUBSET) '[0-9./]+'|ipv6-addr:value (=|ISSUBSET) '[0-9a-f:./]+'"
    r"|domain-name:value = '[a-z0-9.-]+'|url:value = '([^'\\]|\\['\\])+'"
    r"|file:hashes\.(MD5|'SHA-1'|'SHA-256') = '[0-9a-f]+'|email-addr:value = '[^']+')\]$")


def check_id(i, typ=None):
    t, sep, u = i.partition("--")
    assert sep and TYPE.match(t), i
    assert typ is None or t == typ, (i, typ)
    parsed = uuid.UUID(u)
    assert str(parsed) == u and parsed.variant == uuid.RFC_4122, i
    return parsed


def validate_bundle(b, tlp=None):
    """Checks a bundle against the STIX 2.1 rules; returns {id: object}."""
    assert b["type"] == "bundle" and "spec_version" not in b
    check_id(b["id"], "bundle")
    objs = {}
    for o in b["objects"]:
        check_id(o["id"], o["type"])
        assert o["id"] not in objs, "duplicate " + o["id"]
        objs[o["id"]] = o
        assert o["spec_version"] == "2.1"
        assert TS.match(o["created"]), o["created"]
        if o["type"] == "marking-definition":
            ext = o["extensions"][TLP2_EXT]
            assert ext["extension_type"] == "property-extension"
            assert TLP2[ext["tlp_2_0"]] == o["id"] and o["name"] == "TLP:" + ext["tlp_2_0"].upper()
            assert o["created"] == "2022-10-01T00:00:00.000Z"
            continue
        assert TS.match(o["modified"]) and o["modified"] >= o["created"], o
        # deterministic ids are UUIDv5
        assert check_id(o["id"]).version == 5, o["id"]
        for prop in REQUIRED.get(o["type"], []):
            assert o.get(prop) not in (None, "", []), (o["type"], prop)
        if o["type"] == "indicator":
            assert o["pattern_type"] == "stix" and TS.match(o["valid_from"])
            assert PATTERN.match(o["pattern"]), o["pattern"]
        if o["type"] == "vulnerability":
            refs = o["external_references"]
            assert any(r["source_name"] == "cve" and r["external_id"] == o["name"] for r in refs)
        assert len(o["object_marking_refs"]) >= 1
    for o in objs.values():
        for ref in o.get("object_marking_refs", []):
            assert objs[ref]["type"] == "marking-definition", ref
            if tlp:
                assert ref == TLP2[tlp], (o["id"], ref)
        if "created_by_ref" in o:
            assert objs[o["created_by_ref"]]["type"] == "identity"
        for ref in o.get("object_refs", []):
            assert ref in objs, "object_refs does not resolve: " + ref
    return objs


# ---- fixtures ----

@pytest.fixture(scope="module")
def tokens(server):
    return {u: TokenClient(server.base, server.token(u))
            for u in ("dieuphoi", "congan", "taichinh", "yte", "kiemtra", "vnpt")}


def post_file(client, path, what="stix", **headers):
    with open(path, "rb") as f:
        body = f.read()
    return client.post(f"/api/v1/imports/{what}", data=body,
                       headers={"Content-Type": "application/json", **headers})


def import_cli(server, path, *args, what="stix", check=True):
    proc = cli("import", what, *args, path, data=server.data, check=check)
    return proc, (json.loads(proc.stdout) if proc.stdout.strip() else None)


def warning_row(server, wid):
    with server.db() as db:
        return dict(db.execute("SELECT * FROM warnings WHERE id = ?", (wid,)).fetchone())


# ---- import ----

def test_import_stix_api_creates_a_draft(server, tokens):
    r = post_file(tokens["dieuphoi"], STIX_FILE, **{"Idempotency-Key": "stix-import-1"})
    assert r.status_code == 201, r.text
    body = r.json()
    w = body["warning"]
    assert w["status"] == "draft" and w["tlp"] == "amber" and w["ref"].startswith("CB-")
    assert w["indicators"] == 8 and w["references"] == 1
    assert w["source"] == "stix:bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"
    assert r.headers["Location"] == f"/api/v1/warnings/{w['id']}"
    skipped = {s["id"]: s["reason"] for s in body["skipped"]}
    assert "windows-registry-key" in skipped["indicator--f3e1a0b2-6c1d-4f8e-9a3b-2d4c5e6f7a8b"]
    assert "sigma" in skipped["indicator--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"]
    assert "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b" in skipped
    assert body["errors"] == []
    row = warning_row(server, w["id"])
    assert row["status"] == "draft" and row["issuer_org_id"] == server.org_id("coordinator")
    assert row["title"].startswith("Chiến dịch lừa đảo") and "Cổng dịch vụ công" in row["description"]
    assert json.loads(row["refs"]) == [{"type": "cve", "value": "CVE-2023-36884"}]
    assert "Chặn các tên miền" in row["actions"]
    with server.db() as db:
        ind = {(k, v) for k, v in db.execute(
            "SELECT kind, value FROM indicators WHERE warning_id = ?", (w["id"],))}
    assert ind == {
        ("domain", "dichvucong-gov.vn-xacthuc.com"),
        ("url", "https://dichvucong-gov.vn-xacthuc.com/dang-nhap?ref=email"),
        ("ipv4", "45.77.12.201"), ("ipv4", "103.75.118.9"), ("cidr", "185.220.101.0/24"),
        ("sha256", "a3f5c2d1e4b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978"),
        ("md5", "5d41402abc4b2a76b9719d911017c592"),
        ("email", "thongbao@dichvucong-gov.vn-xacthuc.com")}
    # the same key and body answer the first response again, and create nothing new
    n = count_rows(server, "warnings")
    again = post_file(tokens["dieuphoi"], STIX_FILE, **{"Idempotency-Key": "stix-import-1"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["warning"]["id"] == w["id"] and count_rows(server, "warnings") == n


def test_import_invalid_stix_creates_nothing(server, tokens):
    before = (count_rows(server, "warnings"), count_rows(server, "indicators"))
    r = post_file(tokens["dieuphoi"], STIX_BAD)
    assert r.status_code == 422, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    errs = r.json()["errors"]
    found = {(e.get("index"), e["property"]) for e in errs}
    assert (1, "id") in found            # id type does not match the object's type
    assert (2, "spec_version") in found  # "2.0"
    assert (2, "modified") in found      # modified earlier than created
    assert (2, "valid_from") in found    # required
    assert (3, "created") in found       # not a STIX timestamp
    assert (3, "name") in found          # vulnerability without a name
    assert all(e["error"] for e in errs)
    assert (count_rows(server, "warnings"), count_rows(server, "indicators")) == before


@pytest.mark.parametrize("doc,prop", [
    ({"type": "bundle", "id": "bundle--1", "objects": []}, "id"),
    ({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
      "spec_version": "2.0", "objects": [{}]}, "spec_version"),
    ({"type": "collection", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": []}, "type"),
])
def test_import_bundle_level_errors(server, tokens, doc, prop):
    r = tokens["dieuphoi"].post("/api/v1/imports/stix", json=doc)
    assert r.status_code == 422, r.text
    assert prop in {e["property"] for e in r.json()["errors"]}


def test_import_limits_and_rights(server, tokens):
    # a member organisation does not issue warnings (000 Đ7.4)
    assert post_file(tokens["taichinh"], STIX_FILE).status_code == 403
    assert post_file(tokens["kiemtra"], STIX_FILE).status_code == 403  # an auditor
    # the police do
    r = post_file(tokens["congan"], STIX_FILE)
    assert r.status_code == 201, r.text
    assert warning_row(server, r.json()["warning"]["id"])["issuer_org_id"] == server.org_id("congan")
    # malformed and too deep JSON
    r = tokens["dieuphoi"].post("/api/v1/imports/stix", data=b"{\"type\": ",
                                headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    deep = "[" * 40 + "]" * 40
    r = tokens["dieuphoi"].post("/api/v1/imports/stix", data=deep.encode(),
                                headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = tokens["dieuphoi"].post("/api/v1/imports/stix", data=b"<xml/>",
                                headers={"Content-Type": "text/xml"})
    assert r.status_code == 415


def test_import_misp_api(server, tokens):
    r = post_file(tokens["dieuphoi"], MISP_FILE, what="misp")
    assert r.status_code == 201, r.text
    body = r.json()
    w = body["warning"]
    assert w["status"] == "draft" and w["tlp"] == "green" and w["indicators"] == 12
    assert w["source"] == "misp:5f3c8a52-9b1e-4d6f-8a2c-1e7b9d0c4f3a"
    row = warning_row(server, w["id"])
    assert row["severity"] == "high"  # threat_level_id 1
    assert json.loads(row["refs"]) == [{"type": "cve", "value": "CVE-2023-4966"}]
    with server.db() as db:
        ind = {(k, v) for k, v in db.execute(
            "SELECT kind, value FROM indicators WHERE warning_id = ?", (w["id"],))}
    assert ("ipv4", "91.215.85.142") in ind                   # ip-dst|port: the port dropped
    assert ("domain", "lockbit-decryptor.top") in ind and ("ipv4", "185.215.113.66") in ind
    assert ("md5", "098f6bcd4621d373cade4e832627b4f6") in ind  # filename|md5
    assert ("sha256", "7b2e4f1c9d8a6e5b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b") in ind
    assert ("email", "hotro@bocongan-gov.vn.ru") in ind
    assert ("md5", "e99a18c428cb38d5f260853678922e03") in ind  # from the file object
    assert ("ipv4", "10.20.30.40") not in ind                  # to_ids false
    skipped = {s["type"]: s["reason"] for s in body["skipped"]}
    assert "btc" in skipped and "text" in skipped and "to_ids" in skipped["ip-src"]


def test_import_invalid_misp_creates_nothing(server, tokens):
    n = count_rows(server, "warnings")
    r = post_file(tokens["dieuphoi"], MISP_BAD, what="misp")
    assert r.status_code == 422, r.text
    props = {(e["id"], e["property"]) for e in r.json()["errors"]}
    assert {("Event", "uuid"), ("Event", "date"), ("Event", "threat_level_id"),
            ("Attribute[0]", "value"), ("Attribute[1]", "value"), ("Attribute[2]", "value")} <= props
    assert count_rows(server, "warnings") == n
    r = tokens["dieuphoi"].post("/api/v1/imports/misp", json={"response": []})
    assert r.status_code == 422


def test_import_cli(server):
    proc, res = import_cli(server, STIX_FILE, "--as", "dieuphoi")
    assert res["warning"]["status"] == "draft" and res["warning"]["indicators"] == 8
    proc, res = import_cli(server, MISP_FILE, "--issued", what="misp")
    assert res["warning"]["status"] == "issued"
    row = warning_row(server, res["warning"]["id"])
    assert row["status"] == "issued" and row["issued_at"] > 0
    assert row["issuer_org_id"] == server.org_id("coordinator")
    with server.db() as db:
        targets = db.execute("SELECT count(*) FROM warning_targets WHERE warning_id = ?",
                             (row["id"],)).fetchone()[0]
        orgs = db.execute("SELECT count(*) FROM orgs WHERE active = 1").fetchone()[0]
    assert targets == orgs - 1  # every organisation but the issuer, as the API issues it
    n = count_rows(server, "warnings")
    proc, res = import_cli(server, STIX_BAD, check=False)
    assert proc.returncode == 5 and res["errors"] and count_rows(server, "warnings") == n
    proc, _ = import_cli(server, STIX_FILE, "--as", "taichinh", check=False)
    assert proc.returncode == 4  # a member organisation's officer may not make warnings
    proc, _ = import_cli(server, STIX_FILE, "--as", "nobody-here", check=False)
    assert proc.returncode == 3


# ---- export ----

def tlp_copy(server, path, tlp):
    """A copy of the file with every TLP marking replaced."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for name, mid in TLP2.items():
        text = text.replace(mid, TLP2[tlp])
    path = os.path.join(server.data, f"tlp-{tlp}-{time.time_ns()}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def issued_warning(server, path=STIX_FILE, what="stix", targets=None, tlp=None):
    args = ["--as", "dieuphoi", "--issued"] + (["--target", targets] if targets else [])
    if tlp:
        path = tlp_copy(server, path, tlp)
    _, res = import_cli(server, path, *args, what=what)
    return res["warning"]


def test_import_cli_issues_red_only_to_named_targets(server):
    """`--issued` issues as the API does: a TLP:RED warning goes only to the organisations
    named (000 Đ4.4), so without --target it is refused (5) and nothing is created; with
    --target it is issued, and the issue is audited like the API's."""
    red = tlp_copy(server, STIX_FILE, "red")
    n = count_rows(server, "warnings")
    proc, _ = import_cli(server, red, "--as", "dieuphoi", "--issued", check=False)
    assert proc.returncode == 5, (proc.returncode, proc.stdout, proc.stderr)
    assert "TLP:RED" in proc.stderr
    assert count_rows(server, "warnings") == n
    _, res = import_cli(server, red, "--as", "dieuphoi", "--issued", "--target", "sotc")
    w = res["warning"]
    assert w["status"] == "issued" and w["tlp"] == "red"
    with server.db() as db:
        targets = {o for (o,) in db.execute(
            "SELECT org_id FROM warning_targets WHERE warning_id = ?", (w["id"],))}
        actions = [a for (a,) in db.execute(
            "SELECT action FROM audit WHERE object_type = 'warning' AND object_id = ? "
            "ORDER BY id", (w["id"],))]
    assert targets == {server.org_id("sotc")}
    assert actions[0] == "warning.import_stix" and "warning.issue" in actions


def test_export_warning(server, tokens):
    w = issued_warning(server, targets="sotc")
    r = tokens["dieuphoi"].get(f"/api/v1/warnings/{w['id']}/stix")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == STIX_MEDIA
    objs = validate_bundle(r.json(), tlp="amber")
    types = sorted(o["type"] for o in objs.values())
    assert types.count("indicator") == 8 and types.count("report") == 1
    assert types.count("vulnerability") == 1 and types.count("course-of-action") == 1
    assert types.count("identity") == 1 and types.count("marking-definition") == 1
    report = next(o for o in objs.values() if o["type"] == "report")
    assert report["id"] == w["stix_id"] and report["name"].startswith("Chiến dịch")
    assert len(report["object_refs"]) == 8 + 2
    patterns = {o["pattern"] for o in objs.values() if o["type"] == "indicator"}
    assert "[ipv4-addr:value ISSUBSET '185.220.101.0/24']" in patterns
    assert "[file:hashes.'SHA-256' = 'a3f5c2d1e4b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978']" in patterns
    assert "[file:hashes.MD5 = '5d41402abc4b2a76b9719d911017c592']" in patterns
    assert "[email-addr:value = 'thongbao@dichvucong-gov.vn-xacthuc.com']" in patterns
    vuln = next(o for o in objs.values() if o["type"] == "vulnerability")
    assert vuln["external_references"] == [{"source_name": "cve", "external_id": "CVE-2023-36884"}]
    # deterministic: a second export is the same, byte for byte
    assert tokens["dieuphoi"].get(f"/api/v1/warnings/{w['id']}/stix").content == r.content
    # the command line writes the same bundle
    out = os.path.join(server.data, "w.json")
    cli("export", "stix", "--warning", str(w["id"]), "--out", out, data=server.data)
    with open(out, encoding="utf-8") as f:
        assert json.load(f) == r.json()
    # an organisation that is not a target does not see a TLP:AMBER warning
    assert tokens["yte"].get(f"/api/v1/warnings/{w['id']}/stix").status_code == 404
    assert tokens["dieuphoi"].get("/api/v1/warnings/999999/stix").status_code == 404


def test_export_imports_back(server, tokens):
    """What ungcuu writes, ungcuu (and its own validator) reads: the same indicators come back."""
    w = issued_warning(server, targets="sotc")
    bundle = tokens["dieuphoi"].get(f"/api/v1/warnings/{w['id']}/stix").json()
    r = tokens["dieuphoi"].post("/api/v1/imports/stix", data=json.dumps(bundle).encode(),
                                headers={"Content-Type": STIX_MEDIA})
    assert r.status_code == 201, r.text
    back = r.json()["warning"]
    assert (back["indicators"], back["references"], back["tlp"]) == (8, 1, "amber")
    assert back["title"] == w["title"] and r.json()["skipped"] == []
    with server.db() as db:
        a = {tuple(x) for x in db.execute("SELECT kind, value FROM indicators WHERE warning_id = ?", (w["id"],))}
        b = {tuple(x) for x in db.execute("SELECT kind, value FROM indicators WHERE warning_id = ?", (back["id"],))}
    assert a == b


def test_export_all_issued_cli(server):
    issued_warning(server, MISP_FILE, what="misp")
    out = os.path.join(server.data, "all.json")
    proc = cli("export", "stix", "--out", out, data=server.data)
    assert re.search(r": bundle--\S+, \d+ đối tượng$", proc.stdout.strip()), proc.stdout
    with open(out, encoding="utf-8") as f:
        objs = validate_bundle(json.load(f))
    with server.db() as db:
        issued = {r[0] for r in db.execute("SELECT stix_id FROM warnings WHERE status = 'issued'")}
        drafts = {r[0] for r in db.execute("SELECT stix_id FROM warnings WHERE status = 'draft'")}
    assert issued <= set(objs) and not (drafts & set(objs))
    assert cli("export", "stix", "--warning", "999999", "--out", out, data=server.data,
               check=False).returncode == 3


def test_export_incident(server, tokens):
    tc = tokens["taichinh"]
    inc = new_incident(tc, title="Máy chủ thư bị chiếm quyền", tlp="green")
    with server.db() as db:
        now = int(suite_now())
        db.executemany("INSERT INTO indicators(kind, value, incident_id, source, created_at) "
                       "VALUES (?, ?, ?, 'api', ?)",
                       [("ipv4", "203.0.113.77", inc["id"], now),
                        ("url", "http://203.0.113.77/it's\\here", inc["id"], now),
                        ("ipv6", "2001:db8::1", inc["id"], now)])
    r = tc.get(f"/api/v1/incidents/{inc['id']}/stix")
    assert r.status_code == 200, r.text
    objs = validate_bundle(r.json(), tlp="green")
    kinds = [o["type"] for o in objs.values()]
    assert kinds.count("incident") == 1 and kinds.count("indicator") == 3
    report = next(o for o in objs.values() if o["type"] == "report")
    assert report["report_types"] == ["incident"]
    incident = next(o for o in objs.values() if o["type"] == "incident")
    assert incident["name"] == "Máy chủ thư bị chiếm quyền" and incident["id"] in report["object_refs"]
    patterns = {o["pattern"] for o in objs.values() if o["type"] == "indicator"}
    assert "[url:value = 'http://203.0.113.77/it\\'s\\\\here']" in patterns
    assert "[ipv6-addr:value = '2001:db8::1']" in patterns
    # who may not read the incident gets 404
    assert tokens["yte"].get(f"/api/v1/incidents/{inc['id']}/stix").status_code == 404


# ---- TAXII 2.1: a client written from the specification ----

class Taxii:
    def __init__(self, base, token, accept=TAXII):
        self.base = base
        self.s = requests.Session()
        if token:
            self.s.headers["Authorization"] = "Bearer " + token
        self.s.headers["Accept"] = accept

    def get(self, url, **params):
        if url.startswith("/"):
            url = self.base + url
        r = self.s.get(url, params=params, timeout=30)
        assert r.headers["Content-Type"] == TAXII, (r.status_code, r.headers, r.text[:200])
        return r

    def discover(self):
        d = self.get("/taxii2/").json()
        root = d["default"]
        assert root in d["api_roots"]
        info = self.get(root).json()
        assert TAXII in info["versions"]
        cols = self.get(root + "collections/").json()["collections"]
        return root, {c["alias"]: c for c in cols}

    def all_objects(self, root, col, limit=5, **extra):
        """Every object of a collection, page by page; checks the envelope and headers."""
        out, pages, params = [], 0, dict(limit=limit, **extra)
        while True:
            r = self.get(f"{root}collections/{col['id']}/objects/", **params)
            assert r.status_code == 200, r.text
            env = r.json()
            objs = env.get("objects", [])
            assert len(objs) <= limit
            if objs:
                assert r.headers["X-TAXII-Date-Added-First"] <= r.headers["X-TAXII-Date-Added-Last"]
            out += objs
            pages += 1
            assert pages < 1000
            if not env["more"]:
                assert "next" not in env
                return out
            params = dict(limit=limit, next=env["next"], **extra)


@pytest.fixture(scope="module")
def taxii_world(server, tokens):
    """Issued warnings of every kind of audience, and a draft that must never be published."""
    w = {
        "green": issued_warning(server, MISP_FILE, what="misp"),
        "amber_sotc": issued_warning(server, targets="sotc"),
        "amber_all": issued_warning(server, tlp="amber"),
        "red_sotc": issued_warning(server, targets="sotc", tlp="red"),
        "clear": issued_warning(server, tlp="clear"),
    }
    _, draft = import_cli(server, STIX_FILE, "--as", "dieuphoi")
    w["draft"] = draft["warning"]
    toks = {u: server.token(u) for u in ("dieuphoi", "taichinh", "yte", "admin")}
    return w, toks


def reports(objs):
    return {o["id"] for o in objs if o["type"] == "report"}


def test_taxii_discovery_and_collections(server, taxii_world):
    _, toks = taxii_world
    t = Taxii(server.base, toks["taichinh"])
    root, cols = t.discover()
    assert root.endswith("/taxii2/api1/")
    assert set(cols) == {"warnings-clear", "warnings-green", "warnings-amber", "warnings-red",
                         "incidents-visible"}
    for c in cols.values():
        uuid.UUID(c["id"])
        assert c["can_read"] is True and c["can_write"] is False
        assert c["media_types"] == [STIX_MEDIA]
        one = t.get(f"{root}collections/{c['id']}/").json()
        assert one == c
    assert t.get(f"{root}collections/warnings-green/").json()["alias"] == "warnings-green"
    r = t.get(f"{root}collections/no-such-collection/objects/")
    assert r.status_code == 404 and r.json()["http_status"] == "404" and r.json()["title"]
    # the catalogue's code, and its words in the language asked
    assert r.json()["error_code"] == "taxii_no_collection", r.json()
    assert r.json()["description"] == "Không có bộ sưu tập này", r.json()
    t.s.headers["Accept-Language"] = "en"
    r = t.get(f"{root}collections/no-such-collection/objects/")
    assert r.json()["description"] == "no such collection", r.json()
    en = t.get(f"{root}collections/warnings-green/").json()
    del t.s.headers["Accept-Language"]
    assert en["title"] == "Warnings, TLP:GREEN", en
    assert cols["warnings-green"]["title"] == "Cảnh báo TLP:GREEN", cols


def test_taxii_needs_a_token_and_taxii_media(server, taxii_world):
    _, toks = taxii_world
    r = Taxii(server.base, None).get("/taxii2/api1/collections/")
    assert r.status_code == 401 and r.json()["http_status"] == "401"
    r = Taxii(server.base, "not-a-token").get("/taxii2/api1/collections/")
    assert r.status_code == 401
    for accept in ("application/json", "application/stix+json;version=2.1",
                   "application/taxii+json;version=2.0", "text/html"):
        r = Taxii(server.base, toks["dieuphoi"], accept=accept).get("/taxii2/api1/")
        assert r.status_code == 406, accept
    ok = Taxii(server.base, toks["dieuphoi"], accept="application/taxii+json").get("/taxii2/")
    assert ok.status_code == 200
    # an account without an incident role (the admin) lists collections but reads none
    adm = Taxii(server.base, toks["admin"])
    r = adm.get("/taxii2/api1/collections/warnings-green/objects/")
    assert r.status_code in (401, 403)


def test_taxii_paging_until_the_end(server, taxii_world):
    w, toks = taxii_world
    t = Taxii(server.base, toks["dieuphoi"])
    root, cols = t.discover()
    paged = t.all_objects(root, cols["warnings-amber"], limit=3)
    whole = t.all_objects(root, cols["warnings-amber"], limit=10000)
    assert [o["id"] for o in paged] == [o["id"] for o in whole]
    ids = [(o["id"], o.get("modified")) for o in whole]
    assert len(ids) == len(set(ids))
    got = reports(whole)
    assert {w["amber_sotc"]["stix_id"], w["amber_all"]["stix_id"]} <= got
    assert w["draft"]["stix_id"] not in got and w["red_sotc"]["stix_id"] not in got
    # every object is marked with a TLP of the collection, and the markings are in it
    marks = {o["id"] for o in whole if o["type"] == "marking-definition"}
    assert marks == {TLP2["amber"], TLP2["amber+strict"]}
    for o in whole:
        if o["type"] != "marking-definition":
            assert set(o["object_marking_refs"]) <= marks
    # match[type] and match[id]
    inds = t.all_objects(root, cols["warnings-amber"], limit=4, **{"match[type]": "indicator"})
    assert inds and all(o["type"] == "indicator" for o in inds)
    one = t.get(f"{root}collections/warnings-amber/objects/", **{"match[id]": w["amber_all"]["stix_id"]})
    assert [o["id"] for o in one.json()["objects"]] == [w["amber_all"]["stix_id"]]
    r = t.get(f"{root}collections/warnings-amber/objects/{w['amber_all']['stix_id']}/")
    assert r.status_code == 200 and r.json()["objects"][0]["type"] == "report"
    ind_id = inds[0]["id"]
    r = t.get(f"{root}collections/warnings-amber/objects/{ind_id}/")
    assert r.status_code == 200 and r.json()["objects"][0]["id"] == ind_id
    r = t.get(f"{root}collections/warnings-amber/objects/{w['draft']['stix_id']}/")
    assert r.status_code == 404
    # the manifest lists the same objects
    man = t.get(f"{root}collections/warnings-amber/manifest/", limit=10000).json()
    assert [m["id"] for m in man["objects"]] == [o["id"] for o in whole]
    assert all(m["media_type"] == STIX_MEDIA for m in man["objects"])
    # a bad next token and a bad added_after are TAXII errors
    r = t.get(f"{root}collections/warnings-amber/objects/", next="garbage")
    assert r.status_code == 400 and r.json()["http_status"] == "400"
    r = t.get(f"{root}collections/warnings-amber/objects/", added_after="yesterday")
    assert r.status_code == 400


def test_taxii_added_after(server, taxii_world):
    w, toks = taxii_world
    t = Taxii(server.base, toks["dieuphoi"])
    root, cols = t.discover()
    first = t.get(f"{root}collections/warnings-amber/objects/", limit=10000)
    last = first.headers["X-TAXII-Date-Added-Last"]
    time.sleep(1.1)
    fresh = issued_warning(server, tlp="amber")
    newer = t.all_objects(root, cols["warnings-amber"], limit=2, added_after=last)
    assert reports(newer) == {fresh["stix_id"]}
    assert all(o["type"] != "marking-definition" for o in newer)


def test_taxii_filtering_by_organisation(server, taxii_world):
    w, toks = taxii_world
    seen = {}
    for who in ("dieuphoi", "taichinh", "yte"):
        t = Taxii(server.base, toks[who])
        root, cols = t.discover()
        seen[who] = {alias: reports(t.all_objects(root, cols[alias], limit=50))
                     for alias in ("warnings-clear", "warnings-green", "warnings-amber",
                                   "warnings-red")}
    amber_sotc, amber_all = w["amber_sotc"]["stix_id"], w["amber_all"]["stix_id"]
    red = w["red_sotc"]["stix_id"]
    # TLP:CLEAR and GREEN: everyone in the network
    for who in seen:
        assert w["green"]["stix_id"] in seen[who]["warnings-green"]
        assert w["clear"]["stix_id"] in seen[who]["warnings-clear"]
    # TLP:AMBER: the targets (and the coordinator that issued it)
    assert {amber_sotc, amber_all} <= seen["taichinh"]["warnings-amber"]
    assert amber_all in seen["yte"]["warnings-amber"] and amber_sotc not in seen["yte"]["warnings-amber"]
    # TLP:RED: the named targets only; here the issuer is the coordinator itself
    assert red in seen["taichinh"]["warnings-red"] and red not in seen["yte"]["warnings-red"]
    # drafts never
    for who in seen:
        for got in seen[who].values():
            assert w["draft"]["stix_id"] not in got


def test_taxii_red_not_for_the_coordinator_unless_named(server, taxii_world):
    """A TLP:RED warning of the police to one member: the coordinator does not see it."""
    w, toks = taxii_world
    _, res = import_cli(server, STIX_FILE, "--as", "congan", "--issued", "--target", "sotc")
    with server.db() as db:  # make it RED without another file
        db.execute("UPDATE warnings SET tlp = 4 WHERE id = ?", (res["warning"]["id"],))
    sid = res["warning"]["stix_id"]
    for who, visible in (("dieuphoi", False), ("taichinh", True), ("yte", False)):
        t = Taxii(server.base, toks[who])
        root, cols = t.discover()
        got = reports(t.all_objects(root, cols["warnings-red"], limit=100))
        assert (sid in got) == visible, who


def test_taxii_incidents_collection(server, taxii_world, tokens):
    _, toks = taxii_world
    inc = new_incident(tokens["taichinh"], title="Sự cố cho TAXII", tlp="amber")

    def check(readers):
        for who in ("taichinh", "dieuphoi", "yte"):
            t = Taxii(server.base, toks[who])
            root, cols = t.discover()
            objs = t.all_objects(root, cols["incidents-visible"], limit=200)
            names = {o["name"] for o in objs if o["type"] == "incident"}
            assert ("Sự cố cho TAXII" in names) == (who in readers), who

    # the collection holds what the caller may read: the coordinator only once it is reported
    check({"taichinh"})
    r = tokens["taichinh"].post(f"/api/v1/incidents/{inc['id']}/transitions",
                                json={"action": "report"})
    assert r.status_code == 200, r.text
    check({"taichinh", "dieuphoi"})


def test_taxii_unknown_paths_are_taxii_errors_never_the_ui(server, taxii_world):
    """An unknown path under /taxii2/ used to answer the UI's index.html with 200."""
    _, toks = taxii_world
    for tok in (toks["taichinh"], None):
        t = Taxii(server.base, tok)
        for path in ("/taxii2/nosuch", "/taxii2/nosuch/", "/taxii2/api1/nothing/", "/taxii2/api2/",
                     "/taxii2/api1/collections/warnings-green/nothing/", "/taxii2",
                     "/taxii2/index.html", "/taxii2/api1/collections/x/objects/y/z/",
                     "/taxii2/%ff", "/taxii2/" + "ệ" * 600):
            r = t.get(path)  # asserts the TAXII media type
            e = r.json()
            assert r.status_code == 404 and e["http_status"] == "404" and e["title"], (path, e)
            assert e["error_code"] in ("no_such_resource", "not_found"), (path, e)
            assert "<html" not in r.text and r.headers["Cache-Control"] == "no-store", path
    r = requests.post(server.base + "/taxii2/api1/collections/", timeout=10)
    assert r.status_code == 405 and r.headers["Content-Type"] == TAXII, r.headers
    assert r.json()["http_status"] == "405"
    r = requests.get(server.base + "/taxii2/api1/%00/", timeout=10)
    assert r.status_code == 400 and r.headers["Content-Type"] == TAXII, r.text


def test_taxii_answers_are_never_stored(server, taxii_world):
    """Every /taxii2/ answer, as every /api/v1/ one, carries Cache-Control: no-store."""
    _, toks = taxii_world
    t = Taxii(server.base, toks["taichinh"])
    root, cols = t.discover()
    answers = [t.get("/taxii2/"), t.get(root), t.get(root + "collections/"),
               t.get(f"{root}collections/warnings-green/"),
               t.get(f"{root}collections/warnings-green/objects/", limit=2),
               t.get(f"{root}collections/warnings-green/manifest/"),
               t.get(f"{root}collections/warnings-green/objects/", limit=0),
               t.get(f"{root}collections/warnings-green/objects/", added_after="2026-01-01T00:00:00Z\x00x"),
               Taxii(server.base, None).get(root), Taxii(server.base, toks["taichinh"],
                                                         accept="text/html").get(root)]
    for r in answers:
        assert r.raw.headers.getlist("Cache-Control") == ["no-store"], (r.url, r.status_code)
    assert [r.status_code for r in answers[-4:]] == [400, 400, 401, 406]
    assert answers[-3].json()["http_status"] == "400"
