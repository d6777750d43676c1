"""The command line (docs/cli.md): help, exit codes, org/user/token/incident/audit/preset."""
import json
import os
import re
import sqlite3
import subprocess
import tempfile

import pytest

from conftest import BIN, ENV, ROOT, Client, TokenClient, cli, is_problem, unique

COMMANDS = ["init", "serve", "org", "user", "token", "incident", "audit", "preset", "sweep", "export",
            "backup", "import", "mailgate"]
VERBS = [("org", "add"), ("org", "list"), ("user", "add"), ("user", "list"),
         ("user", "reset"), ("user", "disable"), ("user", "enable"), ("user", "unlock"),
         ("token", "create"), ("token", "revoke"), ("token", "list"), ("incident", "list"),
         ("audit", "verify"), ("preset", "check"), ("preset", "switch"), ("import", "scan"),
         ("import", "stix"), ("export", "stix")]


def run(*args, input=None):
    return subprocess.run([BIN, *args], input=input, capture_output=True, text=True, env=ENV,
                          timeout=60)


@pytest.fixture()
def folder():
    """A data folder made by `ungcuu init --demo`, not served."""
    with tempfile.TemporaryDirectory(prefix="ungcuu-cli-") as tmp:
        d = os.path.join(tmp, "data")
        cli("init", "--preset", "national", "--demo", data=d)
        yield d


# ---- help and usage ----

def test_top_level_help():
    r = run("--help")
    assert r.returncode == 0, r.stderr
    for c in COMMANDS:
        assert c in r.stdout
    assert run("help").returncode == 0
    assert run("--version").returncode == 0 and run("--version").stdout.startswith("ungcuu ")


def test_texts_follow_ungcuu_lang():
    """docs/cli.md: Vietnamese unless UNGCUU_LANG asks for English (an operator's LANG does not)."""
    vi = run("--help").stdout
    assert "tạo thư mục dữ liệu mới" in vi and "mã thoát:" in vi and " / " not in vi, vi
    en = subprocess.run([BIN, "--help"], capture_output=True, text=True, timeout=60,
                        env=dict(ENV, UNGCUU_LANG="en_GB.UTF-8")).stdout
    assert "create a data folder" in en and "exit codes:" in en and "tạo thư mục" not in en, en
    r = subprocess.run([BIN, "frobnicate"], capture_output=True, text=True, timeout=60,
                       env=dict(ENV, LANG="en_US.UTF-8", UNGCUU_LANG=""))
    assert "Không có lệnh 'frobnicate'" in r.stderr, r.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_exits_0(command):
    """docs/cli.md: every command takes --help."""
    r = run(command, "--help")
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    # asked for: on stdout, in the command line's language as `ungcuu --help` is
    assert r.stdout.startswith("cách dùng: ungcuu " + command), r.stdout
    en = subprocess.run([BIN, command, "--help"], capture_output=True, text=True, timeout=60,
                        env=dict(ENV, UNGCUU_LANG="en"))
    assert en.returncode == 0 and en.stdout.startswith("usage: ungcuu " + command), en.stdout
    # the synopsis (command and option names) is the same in both
    assert re.findall(r"--[a-z0-9-]+", r.stdout) == re.findall(r"--[a-z0-9-]+", en.stdout)


@pytest.mark.parametrize("command,verb", VERBS)
def test_verb_help_exits_0(command, verb):
    r = run(command, verb, "--help")
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert r.stdout.startswith("cách dùng: ungcuu ") and re.search(rf"\b{verb}\b", r.stdout), r.stdout


def test_unknown_command_and_bad_usage_exit_2():
    r = run("frobnicate")
    assert r.returncode == 2
    assert "frobnicate" in r.stderr
    assert run().returncode == 2
    assert run("user", "frobnicate", "x").returncode == 2
    assert run("init", "--preset", "national").returncode == 2  # no --data
    assert run("token", "revoke", "abc").returncode == 2


# ---- init ----

def test_init_existing_folder_exits_4(server):
    with server.db() as conn:
        n = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
    r = run("init", "--preset", "national", "--data", server.data)
    assert r.returncode == 4, (r.stdout, r.stderr)
    assert "Mật khẩu dùng một lần" not in r.stdout
    with server.db() as conn:
        assert conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == n


def test_init_unknown_preset_exits_5():
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "data")
        r = run("init", "--preset", "no-such-preset", "--data", d)
        assert r.returncode == 5, (r.stdout, r.stderr)
        assert "no-such-preset" in r.stderr
        assert not os.path.exists(os.path.join(d, "ungcuu.db"))


def test_init_prints_one_time_password():
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "data")
        r = run("init", "--preset", "national", "--data", d)
        assert r.returncode == 0, r.stderr
        assert re.search(r"Mật khẩu dùng một lần: \S{8,}", r.stdout)
        for sub in ("files", "backups", "tmp"):
            assert os.path.isdir(os.path.join(d, sub))


# ---- org ----

def test_org_add_and_list(server):
    code = unique("cli-org-")
    r = run("org", "add", "--data", server.data, "--code", code, "--name", "Sở Xây dựng thử",
            "--role", "member", "--parent", "ubnd", "--phone", "0234 1", "--hotline-247")
    assert r.returncode == 0, r.stderr
    new_id = int(r.stdout.strip())
    r = run("org", "list", "--data", server.data, "--json")
    assert r.returncode == 0
    orgs = {o["code"]: o for o in json.loads(r.stdout)}
    assert orgs[code]["id"] == new_id
    assert orgs[code]["name"] == "Sở Xây dựng thử"
    assert orgs[code]["role"] == "member"
    assert orgs[code]["parent_id"] == orgs["ubnd"]["id"]
    assert {"coordinator", "congan", "sotc", "ubnd"} <= set(orgs)
    # the server sees it at once
    c = server.login("taichinh")
    r = c.get(f"/api/v1/orgs/{new_id}")
    assert r.status_code == 200 and r.json()["code"] == code
    # plain listing
    r = run("org", "list", "--data", server.data)
    assert code in r.stdout
    # refusals
    r = run("org", "add", "--data", server.data, "--code", code, "--name", "x", "--role", "member")
    assert r.returncode == 4
    r = run("org", "add", "--data", server.data, "--code", unique("o"), "--name", "x",
            "--role", "wizard")
    assert r.returncode == 2
    r = run("org", "add", "--data", server.data, "--code", unique("o"), "--name", "x",
            "--role", "member", "--parent", "no-such-org")
    assert r.returncode == 3
    # audited as the command line
    with server.db() as conn:
        row = conn.execute("SELECT username, ip FROM audit WHERE action = 'org.create' AND "
                           "object_id = ?", (new_id,)).fetchone()
    assert row["username"].startswith("cli:") and row["ip"] == "local"


# ---- user ----

def test_user_add_password_stdin(server):
    name = unique("cliu")
    r = run("user", "add", "--data", server.data, "--org", "sotc", "--role", "officer,leader",
            "--name", "Nguyễn Thử", "--password-stdin", name, input="Mat-Khau#2026\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""  # nothing printed: the password was given
    c = Client(server.base)
    lr = c.login(name, "Mat-Khau#2026")
    assert lr.status_code == 200, lr.text
    assert lr.json()["must_change_password"] is True
    is_problem(c.get("/api/v1/incidents"), 403, "Password change required")
    users = {u["username"]: u for u in json.loads(run("user", "list", "--data", server.data,
                                                      "--json").stdout)}
    assert set(users[name]["roles"]) == {"officer", "leader"}
    assert users[name]["full_name"] == "Nguyễn Thử"
    assert users[name]["org_code"] == "sotc"


@pytest.mark.parametrize("weak", ["short1!", "alllowercase1", "NoDigitsOrSymbols", ""])
def test_user_add_weak_password_exits_2(server, weak):
    name = unique("weak")
    r = run("user", "add", "--data", server.data, "--org", "sotc", "--role", "officer",
            "--password-stdin", name, input=weak + "\n")
    assert r.returncode == 2, (r.stdout, r.stderr)
    users = json.loads(run("user", "list", "--data", server.data, "--json").stdout)
    assert name not in {u["username"] for u in users}


def test_user_add_password_containing_username_exits_2(server):
    name = unique("same")
    r = run("user", "add", "--data", server.data, "--org", "sotc", "--role", "officer",
            "--password-stdin", name, input=f"X#1{name.upper()}\n")
    assert r.returncode == 2


def test_user_add_generates_one_time_password(server):
    name = unique("otp")
    r = run("user", "add", "--data", server.data, "--org", "soyt", "--role", "reporter", name)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    pw = lines[0]
    assert len(pw) >= 8
    c = Client(server.base)
    lr = c.login(name, pw)
    assert lr.status_code == 200, lr.text
    assert lr.json()["must_change_password"] is True


def test_user_add_refusals(server):
    r = run("user", "add", "--data", server.data, "--org", "no-such-org", "--role", "officer",
            unique("x"))
    assert r.returncode == 3
    r = run("user", "add", "--data", server.data, "--org", "sotc", "--role", "officer",
            "taichinh")
    assert r.returncode == 4
    r = run("user", "add", "--data", server.data, "--org", "sotc", "--role", "king", unique("x"))
    assert r.returncode == 2
    r = run("user", "add", "--data", server.data, "--role", "officer", unique("x"))
    assert r.returncode == 2


def test_user_list_json(server):
    r = run("user", "list", "--data", server.data, "--json")
    assert r.returncode == 0
    users = {u["username"]: u for u in json.loads(r.stdout)}
    assert {"admin", "dieuphoi", "kiemtra", "taichinh", "ubnd"} <= set(users)
    assert users["dieuphoi"]["org_code"] == "coordinator"
    assert set(users["dieuphoi"]["roles"]) == {"operator", "officer"}
    assert users["kiemtra"]["roles"] == ["auditor"]
    for u in users.values():
        assert "pw_hash" not in u and "totp_secret" not in u
    assert "dieuphoi" in run("user", "list", "--data", server.data).stdout


def test_user_disable_enable(server):
    name = unique("dis")
    run("user", "add", "--data", server.data, "--org", "sotc", "--role", "officer",
        "--password-stdin", name, input="Mat-Khau#2026\n")
    c = Client(server.base)
    assert c.login(name, "Mat-Khau#2026").status_code == 200
    token = server.token(name)
    r = run("user", "disable", "--data", server.data, name)
    assert r.returncode == 0, r.stderr
    lr = Client(server.base).login(name, "Mat-Khau#2026")
    assert lr.status_code in (401, 403)
    assert "Set-Cookie" not in lr.headers
    is_problem(c.get("/api/v1/auth/me"), 401)
    is_problem(TokenClient(server.base, token).get("/api/v1/auth/me"), 401)
    assert run("token", "create", "--data", server.data, "--user", name).returncode == 3
    r = run("user", "enable", "--data", server.data, name)
    assert r.returncode == 0
    assert Client(server.base).login(name, "Mat-Khau#2026").status_code == 200
    assert run("user", "disable", "--data", server.data, unique("ghost")).returncode == 3


def test_user_reset_and_unlock(server):
    name = unique("rst")
    run("user", "add", "--data", server.data, "--org", "sotc", "--role", "officer",
        "--password-stdin", name, input="Mat-Khau#2026\n")
    for _ in range(5):
        Client(server.base).login(name, "Wrong#Pass2026")
    is_problem(Client(server.base).login(name, "Mat-Khau#2026"), 423)
    assert run("user", "unlock", "--data", server.data, name).returncode == 0
    assert Client(server.base).login(name, "Mat-Khau#2026").status_code == 200
    r = run("user", "reset", "--data", server.data, name)
    assert r.returncode == 0
    pw = r.stdout.strip()
    assert Client(server.base).login(name, "Mat-Khau#2026").status_code == 401
    lr = Client(server.base).login(name, pw)
    assert lr.status_code == 200 and lr.json()["must_change_password"] is True


# ---- token ----

def test_token_create_list_revoke(server):
    r = run("token", "create", "--data", server.data, "--user", "taichinh", "--name", "siem")
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("\n") and r.stdout.count("\n") == 1
    token = r.stdout.strip()
    assert len(token) == 43, token
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    t = TokenClient(server.base, token)
    assert t.get("/api/v1/auth/me").json()["username"] == "taichinh"
    r = run("token", "list", "--data", server.data, "--json")
    assert r.returncode == 0
    tokens = json.loads(r.stdout)
    mine = [x for x in tokens if x["username"] == "taichinh" and x["name"] == "siem"]
    assert mine, tokens
    tid = max(x["id"] for x in mine)
    assert token not in r.stdout
    for x in tokens:
        assert "token_hash" not in x
    r = run("token", "revoke", "--data", server.data, str(tid))
    assert r.returncode == 0, r.stderr
    is_problem(t.get("/api/v1/auth/me"), 401)
    assert run("token", "revoke", "--data", server.data, str(tid)).returncode == 3
    assert run("token", "revoke", "--data", server.data, "999999").returncode == 3
    assert run("token", "create", "--data", server.data, "--user", unique("ghost")).returncode == 3
    # the revocation shows in the list
    tokens = json.loads(run("token", "list", "--data", server.data, "--json").stdout)
    assert [x for x in tokens if x["id"] == tid][0]["revoked_at"]


# ---- incident list ----

DEMO_TITLES = {
    "Thư điện tử giả mạo nhắm vào bộ phận kế toán",
    "Mã độc tống tiền mã hóa dữ liệu máy chủ bệnh viện",
    "Trang thông tin điện tử xã bị thay đổi giao diện",
    "Dò quét mật khẩu, đăng nhập trái phép vào hệ thống quản lý",
    "Tấn công từ chối dịch vụ vào Cổng thông tin điện tử tỉnh",
    "Lỗi phần cứng máy chủ lưu trữ",
    "Mất điện do bão làm gián đoạn hệ thống",
    "Diễn tập: tấn công mã độc vào cơ sở dữ liệu ngành",
}


def test_incident_list_json(folder):
    r = run("incident", "list", "--data", folder, "--json")
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert {i["title"] for i in items} == DEMO_TITLES  # TLP:RED included
    assert all(re.match(r"^UC-\d{4}-\d{6}$", i["ref"]) for i in items)
    r = run("incident", "list", "--data", folder, "--json", "--status", "closed")
    assert {i["status"] for i in json.loads(r.stdout)} == {"closed"}
    assert len(json.loads(r.stdout)) == 2
    r = run("incident", "list", "--data", folder, "--json", "--limit", "3")
    assert len(json.loads(r.stdout)) == 3
    r = run("incident", "list", "--data", folder)
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 8
    assert run("incident", "list", "--data", folder, "--limit", "0").returncode == 2


def test_missing_data_folder_exits_1():
    with tempfile.TemporaryDirectory() as tmp:
        r = run("incident", "list", "--data", os.path.join(tmp, "nothing"))
        assert r.returncode == 1
        assert "init" in r.stderr


# ---- audit ----

def test_audit_verify_intact(server):
    r = run("audit", "verify", "--data", server.data)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert "Chuỗi nhật ký nguyên vẹn" in r.stdout


def test_audit_verify_detects_tampering(folder):
    r = run("audit", "verify", "--data", folder)
    assert r.returncode == 0 and "nguyên vẹn" in r.stdout
    # more entries, so the tampered one is in the middle of the chain
    for i in range(3):
        cli("org", "add", "--code", f"tamper{i}", "--name", f"tamper {i}", "--role", "member",
            data=folder)
    conn = sqlite3.connect(os.path.join(folder, "ungcuu.db"))
    ids = [row[0] for row in conn.execute("SELECT id FROM audit ORDER BY id")]
    victim = ids[len(ids) // 2]
    conn.execute("UPDATE audit SET action = 'nothing.happened' WHERE id = ?", (victim,))
    conn.commit()
    conn.close()
    r = run("audit", "verify", "--data", folder)
    assert r.returncode == 5, (r.stdout, r.stderr)
    assert re.search(rf"\b{victim}\b", r.stdout + r.stderr)
    assert "nguyên vẹn" not in r.stdout and "bị phá vỡ" in r.stdout


def test_audit_verify_detects_deleted_row(folder):
    for i in range(3):
        cli("org", "add", "--code", f"del{i}", "--name", f"del {i}", "--role", "member",
            data=folder)
    conn = sqlite3.connect(os.path.join(folder, "ungcuu.db"))
    ids = [row[0] for row in conn.execute("SELECT id FROM audit ORDER BY id")]
    conn.execute("DELETE FROM audit WHERE id = ?", (ids[-2],))
    conn.commit()
    conn.close()
    r = run("audit", "verify", "--data", folder)
    assert r.returncode == 5, (r.stdout, r.stderr)
    assert str(ids[-1]) in r.stdout


# ---- preset ----

def test_preset_check_national():
    r = run("preset", "check", os.path.join(ROOT, "presets", "national.yaml"))
    assert r.returncode == 0, r.stderr
    assert "hợp lệ" in r.stdout


def test_preset_check_broken_copy():
    text = open(os.path.join(ROOT, "presets", "national.yaml"), encoding="utf-8").read()
    lines = text.split("\n")
    idx = lines.index("    group: fault")  # the first type of the fault group
    lines[idx] = "    group: no_such_group"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "national.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        r = run("preset", "check", path)
        assert r.returncode == 5, (r.stdout, r.stderr)
        m = re.search(r"national\.yaml:(\d+): ", r.stderr)
        assert m, r.stderr
        assert int(m.group(1)) in (idx, idx + 1)  # the type's entry or its group line (1-based)
        assert "no_such_group" in r.stderr
        # YAML syntax errors too
        with open(path, "w", encoding="utf-8") as f:
            f.write("name: national\n  title: [\n")
        r = run("preset", "check", path)
        assert r.returncode == 5
        assert re.search(r"national\.yaml:\d+: ", r.stderr), r.stderr
    assert run("preset", "check", "/nonexistent/x.yaml").returncode == 5
    assert run("preset", "check", "x.txt").returncode == 2


# ---- the command line keeps the rules the API keeps ----

def test_user_add_refuses_invalid_username(folder):
    """The API accepts only 3-64 characters of a-z, 0-9, . _ - (users.c username_ok); an account
    the API could never create must not come in through the command line either."""
    accepted = []
    for username in ("bad name!", "ab", "Ünïcode", "x" * 65):
        r = run("user", "add", "--data", folder, "--org", "coordinator", "--role", "officer",
                "--password-stdin", username, input="Good#Pass2026\n")
        if r.returncode != 2:
            accepted.append((username, r.returncode))
    assert accepted == []
    users = json.loads(run("user", "list", "--data", folder, "--json").stdout)
    assert {u["username"] for u in users} == {u for u in DEMO_USERS} | {"admin"}


def test_org_add_refuses_invalid_code(folder):
    """The API accepts organisation codes of a-z, 0-9, - and _ only (orgs.c code_ok)."""
    before = json.loads(run("org", "list", "--data", folder, "--json").stdout)
    accepted = []
    for code in ("Bad Code!", "a/b", "ÜBER", ""):
        r = run("org", "add", "--data", folder, "--code", code, "--name", "x", "--role", "member")
        if r.returncode != 2:
            accepted.append((code, r.returncode))
    assert accepted == []
    assert len(json.loads(run("org", "list", "--data", folder, "--json").stdout)) == len(before)


def test_org_add_refuses_a_taken_name(folder):
    """No two organisations share a name (docs/access.md): an organisation the API would refuse
    as "Name taken" must not come in through the command line either, or anyone passes for the
    police in the directory and in notifications."""
    before = json.loads(run("org", "list", "--data", folder, "--json").stdout)
    for name in ("Công an tỉnh Bình Minh", "cong an tinh  Binh Minh"):
        r = run("org", "add", "--data", folder, "--code", unique("fake"), "--name", name,
                "--role", "member")
        assert r.returncode == 4, (name, r.returncode, r.stderr)
    assert len(json.loads(run("org", "list", "--data", folder, "--json").stdout)) == len(before)


DEMO_USERS = {"dieuphoi", "lanhdao", "kiemtra", "congan", "quansu", "doiungcuu", "taichinh",
              "taichinh.ld", "taichinh.nv", "yte", "yte.ld", "giaoduc", "anphu", "ubnd", "vnpt",
              "viettel", "saomai", "ncsc"}


# ---- --config FILE ----

def test_config_file_gives_options_and_variables(tmp_path):
    data = str(tmp_path / "data")
    cli("init", "--preset", "national", data=data)
    conf = tmp_path / "ungcuu.conf"
    conf.write_text("# cấu hình / configuration\n"
                    f"data = {data}\n"
                    "\n[org]\njson = true\n"
                    "[serve]\nlisten = 127.0.0.1:1\n", encoding="utf-8")
    # options before any section apply to every command; [org] only to `org`
    out = cli("--config", str(conf), "org", "list").stdout
    assert json.loads(out)[0]["role"] == "coordinator"
    out = cli("user", "list", f"--config={conf}").stdout
    assert out.lstrip()[0] != "["  # no json: that was for [org] only
    assert "admin" in out
    # a flag on the command line wins over the file (the last occurrence counts)
    other = str(tmp_path / "other")
    r = cli("org", "list", "--config", str(conf), "--data", other, check=False)
    assert r.returncode == 1 and "Không có thư mục dữ liệu tại " + other in r.stderr
    # UNGCUU_CONFIG names the file when no --config is given
    env = dict(ENV, UNGCUU_CONFIG=str(conf))
    r = subprocess.run([BIN, "org", "list"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout)[0]["role"] == "coordinator"


def test_config_file_errors_name_the_line(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("data = /tmp/x\n[serve\n", encoding="utf-8")
    r = cli("org", "list", "--config", str(conf), check=False)
    assert r.returncode == 2 and f"{conf}:2:" in r.stderr
    conf.write_text("data = /tmp/x\n--listen = 1\n", encoding="utf-8")
    r = cli("org", "list", "--config", str(conf), check=False)
    assert r.returncode == 2 and f"{conf}:2: '--listen' không phải tên tùy chọn" in r.stderr
    r = cli("org", "list", "--config", str(conf), check=False, lang="en")
    assert r.returncode == 2 and f"{conf}:2: '--listen' is neither an option" in r.stderr
    r = cli("org", "list", "--config", str(tmp_path / "missing.conf"), check=False)
    assert r.returncode == 2 and "ungcuu: Không đọc được tệp cấu hình" in r.stderr


def test_cli_changes_are_audited_as_the_real_account(folder):
    """A change from the command line names the operating system account that ran it (its name
    and uid, which an environment variable cannot forge); sudo's user is recorded as "via"
    only when the command really runs as root."""
    import pwd
    me = pwd.getpwuid(os.getuid())
    code = unique("o")
    env = dict(ENV, USER="giamao", LOGNAME="giamao", SUDO_USER="nguoidung")
    r = subprocess.run([BIN, "org", "add", "--data", folder, "--code", code, "--name", "Đơn vị",
                        "--role", "member"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(os.path.join(folder, "ungcuu.db")) as conn:
        who = conn.execute("SELECT username FROM audit WHERE action = 'org.create' "
                           "ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert "giamao" not in who
    want = f"cli:{me.pw_name} (uid {os.getuid()})"
    if os.getuid() == 0:
        want += " via nguoidung (sudo)"
    assert who == want, who
    env = dict(ENV)
    env.pop("SUDO_USER", None)
    env["USER"] = "giamao"
    r = subprocess.run([BIN, "org", "add", "--data", folder, "--code", unique("o"), "--name",
                        "Đơn vị 2", "--role", "member"], capture_output=True, text=True, env=env,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(os.path.join(folder, "ungcuu.db")) as conn:
        who = conn.execute("SELECT username FROM audit WHERE action = 'org.create' "
                           "ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert who == f"cli:{me.pw_name} (uid {os.getuid()})", who
