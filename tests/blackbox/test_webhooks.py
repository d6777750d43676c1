"""Managing an organisation's webhook through the API (delivery itself: test_mail.py)."""
from conftest import admin_client


def test_set_read_rotate_and_who_may(server):
    tc = server.login("taichinh")  # officer of Sở Tài chính
    org = server.org_id("sotc")
    r = tc.get(f"/api/v1/orgs/{org}/webhook")
    assert r.status_code == 200 and r.json()["url"] is None
    r = tc.put(f"/api/v1/orgs/{org}/webhook", json={"url": "ftp://chat.example/hook"})
    assert r.status_code == 422 and r.json()["field"] == "url"
    r = tc.put(f"/api/v1/orgs/{org}/webhook", json={"url": "https://chat.sotc.example/ungcuu"})
    assert r.status_code == 200, r.text
    secret = r.json()["secret"]
    assert len(secret) == 43
    # read back: never the secret; a change of URL keeps it; rotating makes a new one
    got = tc.get(f"/api/v1/orgs/{org}/webhook").json()
    assert got["url"] == "https://chat.sotc.example/ungcuu" and "secret" not in got
    assert got["active"] is True and got["deliveries"] == []
    r = tc.put(f"/api/v1/orgs/{org}/webhook", json={"url": "https://chat2.sotc.example/u", "active": False})
    assert r.status_code == 200 and "secret" not in r.json() and r.json()["active"] is False
    with server.db() as db:
        assert db.execute("SELECT secret FROM webhooks WHERE org_id = ?", (org,)).fetchone()[0] == secret
    r = tc.put(f"/api/v1/orgs/{org}/webhook", json={"url": "https://chat2.sotc.example/u",
                                                    "rotate_secret": True})
    assert r.json()["secret"] != secret
    # audited without the secret
    audit = admin_client(server).get("/api/v1/audit", params={"object_type": "org"}).json()["items"]
    hooks = [a for a in audit if a["action"] == "org.webhook"]
    assert len(hooks) == 3 and all("secret" not in (a["after"] or {}) for a in hooks)
    # another organisation's officer may neither read nor set it
    yte = server.login("yte")
    assert yte.get(f"/api/v1/orgs/{org}/webhook").status_code == 403
    assert yte.put(f"/api/v1/orgs/{org}/webhook", json={"url": "https://x.example"}).status_code == 403
