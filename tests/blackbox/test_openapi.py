"""The OpenAPI document is generated from the route table: every route of src/api/routes.c is in
it, and everything in it is routed."""
import os
import re

import pytest
import requests

from conftest import ROOT, TokenClient

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
                assert "no such resource" not in r.json().get("detail", ""), (method, path)
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
