"""The OpenAPI document is generated from the route table: every route of src/api/routes.c is in
it, and everything in it is routed."""
import os
import re

import pytest
import requests

from conftest import ROOT, Client, TokenClient, admin_client, is_problem, new_incident

ROUTES_C = os.path.join(ROOT, "src", "api", "routes.c")


def routes_in_source():
    text = open(ROUTES_C, encoding="utf-8").read()
    found = re.findall(r'\{\s*"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)"\s*,\s*"(/[^"]*)"\s*,\s*'
                       r'(\w+)\s*,\s*([^,]+?)\s*,', text)
    assert len(found) >= 40, found
    return [(m.lower(), p, fn, flags) for m, p, fn, flags in found]


@pytest.fixture(scope="module")
def spec(server):
    r = requests.get(server.base + "/api/v1/openapi.json")  # public
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def test_openapi_31(spec):
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert isinstance(spec["paths"], dict) and spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert schemes["cookie"]["in"] == "cookie" and schemes["cookie"]["name"] == "ungcuu_session"


def test_document_speaks_the_readers_language(server, spec):
    """Summaries, access rules and field descriptions are declared in Vietnamese and English:
    the document is in Vietnamese unless the reader asks for English (Accept-Language)."""
    en = requests.get(server.base + "/api/v1/openapi.json", headers={"Accept-Language": "en"})
    assert en.status_code == 200, en.text
    assert "Accept-Language" in en.headers.get("Vary", ""), en.headers
    en = en.json()
    vi_health, en_health = spec["paths"]["/api/v1/health"]["get"], en["paths"]["/api/v1/health"]["get"]
    assert vi_health["summary"] == "Tình trạng máy chủ" and en_health["summary"] == "health"
    vi_rule = spec["paths"]["/api/v1/settings/security"]["get"]["x-access"]
    en_rule = en["paths"]["/api/v1/settings/security"]["get"]["x-access"]
    assert vi_rule == {"object": "", "rule": "quản trị", "rule_code": "access_admins"}, vi_rule
    assert en_rule == {"object": "", "rule": "admins", "rule_code": "access_admins"}, en_rule
    title = "components", "schemas", "IncidentCreate", "properties", "title", "description"
    vi_doc, en_doc = spec, en
    for k in title:
        vi_doc, en_doc = vi_doc[k], en_doc[k]
    assert (vi_doc, en_doc) == ("Tiêu đề", "title")
    assert " / " not in spec["info"]["description"] and " / " not in en["info"]["description"]
    # no text pastes the two languages together any more
    for doc in (spec, en):
        for item in doc["paths"].values():
            for op in item.values():
                assert " / " not in op["summary"], op["summary"]
                assert " / " not in op.get("x-access", {}).get("rule", ""), op["x-access"]


def test_rule_refusal_names_the_rule(server):
    """A route's rule on the caller (RULE in api/routes.c) refused: 403 saying the rule in the
    reader's language, with its code for a client to word it itself."""
    c = server.login("taichinh")
    body = is_problem(c.get("/api/v1/settings/security"), 403, "Forbidden")
    assert body["code"] == "forbidden_rule", body
    assert body["params"] == {"rule": "quản trị", "rule_code": "access_admins"}, body
    assert body["detail"] == "Bạn không có quyền: quản trị", body
    body = is_problem(c.get("/api/v1/settings/security", headers={"Accept-Language": "en"}), 403)
    assert body["params"]["rule"] == "admins" and body["detail"] == "You may not do this: admins"


def test_every_route_is_documented(spec):
    src = routes_in_source()
    for method, path, fn, flags in src:
        assert path in spec["paths"], path
        op = spec["paths"][path].get(method)
        assert op is not None, (method, path)
        assert op["summary"], (method, path)
        assert "responses" in op
        params = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert params == set(re.findall(r"\{(\w+)\}", path)), (path, op["parameters"])
        if "HTTP_PUBLIC" in flags:
            assert op.get("security") == [], (method, path)
        else:
            assert op.get("security") != [], (method, path)
            # who may call it is declared with the route (api/routes.c) and published
            access = op.get("x-access")
            assert access and access["rule"], (method, path, access)
            if "{id}" in path and access["object"] in ("incident", "warning"):
                assert access["action"] in ("read", "comment", "edit", "transition",
                                            "request"), (method, path, access)
        if "HTTP_UPLOAD" in flags:
            assert "requestBody" in op
    documented = {(m, p) for p, item in spec["paths"].items() for m in item}
    assert documented == {(m, p) for m, p, _, _ in src}


def test_every_documented_operation_is_routed(server, spec):
    t = TokenClient(server.base, server.token("dieuphoi"))
    for path, item in spec["paths"].items():
        url = re.sub(r"\{\w+\}", "1", path)
        for method in item:
            kw = {"json": {}} if method in ("post", "patch", "put") else {}
            if path.endswith("/logout"):
                continue  # would end nothing for a token, but keep the token alive anyway
            r = t.request(method.upper(), url, **kw)
            assert r.status_code != 405, (method, path, r.text)
            if r.status_code == 404:
                pb = r.json()
                assert pb.get("code") != "no_such_resource", (method, path, pb)
                assert "no such resource" not in pb.get("detail", ""), (method, path, pb)
                assert "Không có tài nguyên này" not in pb.get("detail", ""), (method, path, pb)
            assert r.status_code < 500, (method, path, r.status_code, r.text)


def test_public_routes_need_no_session(server, spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if op.get("security") == [] and method == "get":
                assert requests.get(server.base + path).status_code == 200, path


def test_unlisted_operation_is_not_routed(server, spec):
    t = TokenClient(server.base, server.token("dieuphoi"))
    for path, item in spec["paths"].items():
        url = re.sub(r"\{\w+\}", "1", path)
        for method in ("put", "delete", "patch"):
            if method in item:
                continue
            r = t.request(method.upper(), url, json={})
            assert r.status_code == 405, (method, path, r.status_code)


def test_incident_schemas_come_from_the_field_declaration(spec, server):
    """The incident's fields are declared once (src/core/fields.c): the request's accepted keys
    and limits, and the OpenAPI schemas, come from that declaration."""
    schemas = spec["components"]["schemas"]
    create, update, shown = schemas["IncidentCreate"], schemas["IncidentUpdate"], schemas["Incident"]
    assert set(create["required"]) == {"title", "group", "type", "severity", "detected_at",
                                       "description"}
    assert create["properties"]["title"]["maxLength"] == 300
    assert create["properties"]["systems"]["maxItems"] == 50
    assert "observables" in create["properties"] and "observables" not in update["properties"]
    assert "ref" not in create["properties"] and "ref" in shown["properties"]
    assert create["additionalProperties"] is False
    post = spec["paths"]["/api/v1/incidents"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/IncidentCreate")
    patch = spec["paths"]["/api/v1/incidents/{id}"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/IncidentUpdate")
    # what the schema says is what the server does: a title over its declared limit is refused
    # by name, a field the declaration does not let a client write is refused by name
    c = server.login("taichinh")
    body = {"title": "x" * 301, "group": "attack", "type": "intrusion", "severity": "high",
            "detected_at": "2026-11-20T08:30:00+07:00", "description": "d"}
    r = c.post("/api/v1/incidents", json=body)
    assert r.status_code == 422 and r.json()["field"] == "title", r.text
    r = c.post("/api/v1/incidents", json=dict(body, title="ok", ref="UC-2026-000001"))
    assert r.status_code == 422 and r.json()["field"] == "ref", r.text


def test_warning_and_system_schemas_come_from_the_declaration(spec):
    schemas = spec["components"]["schemas"]
    assert set(schemas["WarningCreate"]["required"]) == {"title", "severity"}
    assert schemas["WarningCreate"]["properties"]["legal_basis"]["maxLength"] == 1000
    assert set(schemas["SystemCreate"]["required"]) == {"name", "level"}
    assert schemas["SystemUpdate"]["properties"]["name"]["maxLength"] == 256
    for path, method, name in (("/api/v1/warnings", "post", "WarningCreate"),
                               ("/api/v1/warnings/{id}", "patch", "WarningUpdate"),
                               ("/api/v1/systems", "post", "SystemCreate"),
                               ("/api/v1/systems/{id}", "patch", "SystemUpdate")):
        body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
        assert body["schema"]["$ref"].endswith("/" + name), (path, method)


def test_account_and_organisation_schemas_come_from_the_declaration(spec, server):
    schemas = spec["components"]["schemas"]
    assert set(schemas["UserCreate"]["required"]) == {"username", "full_name", "org_id", "roles"}
    assert "username" not in schemas["UserUpdate"]["properties"]
    assert "pw_hash" not in schemas["User"]["properties"]       # a secret is never shown
    assert set(schemas["OrgCreate"]["required"]) == {"name", "code", "role"}
    assert schemas["OrgUpdate"]["properties"]["address"]["maxLength"] == 300
    # the declared limit is the one the server keeps
    c = server.login("taichinh")
    r = c.patch(f"/api/v1/orgs/{server.org_id('sotc')}", json={"address": "x" * 301})
    assert r.status_code == 422 and r.json()["field"] == "address", r.text


# Routes that change something but read no input: an empty body or {} only.
NO_BODY = {
    ("post", "/api/v1/auth/logout"), ("post", "/api/v1/auth/totp/enroll"),
    ("post", "/api/v1/admin/backups"), ("post", "/api/v1/admin/backups/{name}/verify"),
    ("post", "/api/v1/admin/backups/{name}/restore-test"),
    ("post", "/api/v1/users/{id}/reset"), ("post", "/api/v1/users/{id}/disable"),
    ("post", "/api/v1/users/{id}/enable"), ("post", "/api/v1/users/{id}/totp-reset"),
    ("post", "/api/v1/users/{id}/unlock"), ("delete", "/api/v1/tokens/{id}"),
    ("post", "/api/v1/warnings/{id}/issue"), ("post", "/api/v1/warnings/{id}/ack"),
}


def schema_of(spec, op):
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_route_that_reads_a_body_declares_it(spec):
    """The route table declares, for every route, the body it reads (a declaration of
    src/core/fields.c): each JSON body has a closed schema of typed, capped members; a route
    outside NO_BODY that changes something and declares no body fails here."""
    seen_no_body = set()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "get":
                continue
            body = op.get("requestBody", {}).get("content", {})
            if "application/octet-stream" in body:
                continue  # an upload: the raw file
            if (method, path) in NO_BODY:
                assert not body, (method, path)
                seen_no_body.add((method, path))
                continue
            assert "application/json" in body, f"{method} {path} declares no body"
            schema = schema_of(spec, op)
            assert schema["additionalProperties"] is False, (method, path)
            assert schema["properties"], (method, path)
            for name, prop in schema["properties"].items():
                assert prop.get("type"), (method, path, name)
                if prop["type"] == "string" and "enum" not in prop and "format" not in prop:
                    assert prop.get("maxLength"), (method, path, name)
    assert seen_no_body == NO_BODY


def test_action_bodies_are_enforced_as_declared(spec, server):
    """What the declaration says is what the server keeps, on action routes too: the caps of
    a procedure step's note and a comment, the type of a flag, unknown
    fields of the log-in and of a route that takes no body -- each refused 422 by name."""
    schemas = spec["components"]["schemas"]
    c = server.login("taichinh")
    inc = new_incident(c)
    url = f"/api/v1/incidents/{inc['id']}"
    cap = schemas["Transition"]["properties"]["note"]["maxLength"]
    r = c.post(url + "/transitions", json={"action": "report", "note": "x" * (cap + 1)})
    assert r.status_code == 422 and r.json()["field"] == "note", r.text
    cap = schemas["Comment"]["properties"]["body"]["maxLength"]
    r = c.post(url + "/journal", json={"body": "y" * (cap + 1)})
    assert r.status_code == 422 and r.json()["field"] == "body", r.text
    assert c.post(url + "/journal", json={"body": "y" * cap}).status_code == 201
    r = c.post(url + "/flags", json={"flag": 5})
    assert r.status_code == 422 and r.json()["field"] == "flag", r.text
    assert schemas["Login"]["properties"]["password"].get("writeOnly") is True
    r = Client(server.base).post("/api/v1/auth/login",
                                 json={"username": "taichinh", "password": "p", "remember": 1})
    assert r.status_code == 422 and r.json()["field"] == "remember", r.text
    r = c.post("/api/v1/auth/logout", json={"everywhere": True})
    assert r.status_code == 422 and r.json()["field"] == "everywhere", r.text
    assert c.get("/api/v1/auth/me").status_code == 200  # nothing happened
    admin = admin_client(server)
    uid = admin.get("/api/v1/users", params={"q": "taichinh"}).json()["items"][0]["id"]
    r = admin.post(f"/api/v1/users/{uid}/unlock", json={"reason": "x"})
    assert r.status_code == 422 and r.json()["field"] == "reason", r.text
