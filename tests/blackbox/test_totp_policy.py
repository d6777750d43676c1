"""The TOTP policy an admin sets: roles that need a second factor, and enforced enrolment."""
import base64
import hashlib
import hmac
import struct

from conftest import Client, DEMO_PASSWORD, now


def totp(secret_b32, at=None):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or now()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


def admin_client(server):
    c = Client(server.base)
    assert c.login("admin", server.admin_password).status_code == 200
    r = c.post("/api/v1/auth/password", json={"current_password": server.admin_password,
                                              "new_password": "Quan-Tri-2026"})
    assert r.status_code == 204, r.text
    return c


def enrol(client):
    r = client.post("/api/v1/auth/totp/enroll")
    assert r.status_code == 200, r.text
    secret = r.json()["secret"]
    assert r.json()["uri"].startswith("otpauth://totp/ungcuu:")
    r = client.post("/api/v1/auth/totp/confirm", json={"code": totp(secret)})
    assert r.status_code == 204, r.text
    return secret


def test_default_policy_and_required_role_cannot_disable(fresh_server):
    admin = admin_client(fresh_server)
    r = admin.get("/api/v1/settings/security")
    assert r.status_code == 200
    assert set(r.json()["totp_required_roles"]) == {"admin", "operator"}
    assert r.json()["totp_enforce"] is False
    # the coordinator's operator enrols; the role needs TOTP, so it cannot be turned off
    op = fresh_server.login("dieuphoi")
    assert op.get("/api/v1/auth/me").json()["totp_required"] is True
    secret = enrol(op)
    r = op.post("/api/v1/auth/totp/disable", json={"code": totp(secret, now() + 30)})
    assert r.status_code == 403 and r.json()["title"] == "Second factor required"
    # a member officer may enrol and turn it off again
    officer = fresh_server.login("taichinh")
    secret = enrol(officer)
    assert officer.post("/api/v1/auth/totp/disable", json={"code": "000000"}).status_code == 422
    assert officer.post("/api/v1/auth/totp/disable",
                        json={"code": totp(secret, now() + 30)}).status_code == 204
    assert Client(fresh_server.base).login("taichinh", DEMO_PASSWORD).status_code == 200


def test_enforced_enrolment_restricts_until_enrolled(fresh_server):
    admin = admin_client(fresh_server)
    r = admin.put("/api/v1/settings/security",
                  json={"totp_required_roles": ["operator", "leader"], "totp_enforce": True})
    assert r.status_code == 200, r.text
    assert set(r.json()["totp_required_roles"]) == {"operator", "leader"}
    audit = admin.get("/api/v1/audit", params={"object_type": "settings"}).json()["items"]
    assert audit and audit[0]["action"] == "settings.security"
    leader = Client(fresh_server.base)
    r = leader.login("taichinh.ld", DEMO_PASSWORD)
    assert r.status_code == 200 and r.json()["totp_enrolment_required"] is True
    r = leader.get("/api/v1/incidents")
    assert r.status_code == 403 and r.json()["title"] == "Second factor enrolment required"
    secret = enrol(leader)
    assert leader.get("/api/v1/incidents").status_code == 200
    # next login needs the code
    again = Client(fresh_server.base)
    r = again.login("taichinh.ld", DEMO_PASSWORD)
    assert r.status_code == 401 and r.json()["title"] == "Second factor required"
    # the confirm spent the current step (a code is accepted once): use the next one
    assert again.login("taichinh.ld", DEMO_PASSWORD, totp=totp(secret, now() + 30)).status_code == 200
    # a member officer is not in the required roles: not restricted
    assert fresh_server.login("taichinh").get("/api/v1/incidents").status_code == 200
    # lost device: the admin clears it, sessions end, login works with the password alone
    with fresh_server.db() as db:
        uid = db.execute("SELECT id FROM users WHERE username = 'taichinh.ld'").fetchone()[0]
    assert admin.post(f"/api/v1/users/{uid}/totp-reset").status_code == 200
    assert again.get("/api/v1/auth/me").status_code == 401
    r = Client(fresh_server.base).login("taichinh.ld", DEMO_PASSWORD)
    assert r.status_code == 200 and r.json()["totp_enrolment_required"] is True


def test_settings_validation(fresh_server):
    admin = admin_client(fresh_server)
    r = admin.put("/api/v1/settings/security", json={"totp_required_roles": ["captain"]})
    assert r.status_code == 422 and r.json()["field"] == "totp_required_roles"
    r = admin.put("/api/v1/settings/security", json={"totp_enforce": "yes"})
    assert r.status_code == 422 and r.json()["field"] == "totp_enforce"
