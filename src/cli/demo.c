/* demo.c - the demo province ("tỉnh Bình Minh", fictional) of `ungcuu init --demo`: every role
 * of DOMAIN.md, users for each daily job, systems, and incidents at each step of the procedure.
 * Every demo account's password is CLI_DEMO_PASSWORD (README); demo data is for trying the product. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/codes.h"
#include "ops/notify.h"
#include "ops/request.h"
#include "ops/system.h"
#include "ops/user.h"
#include "ops/org.h"
#include "core/stix.h"
#include "ops/warning.h"
#include "util/crypto.h"
#include "util/tm.h"

#define DAY 86400

struct demo_org {
	const char *code, *name, *role, *parent, *phone, *email, *hotline;
	bool h247;
};

static const struct demo_org orgs[] = {
	{"ubnd", "Ủy ban nhân dân tỉnh Bình Minh", "superior", NULL, "0234 3822 001",
	 "ubnd@binhminh.gov.vn", "", false},
	{"congan", "Công an tỉnh Bình Minh", "police", NULL, "069 2345 678",
	 "pa05@congan.binhminh.gov.vn", "069 2345 113", true},
	{"quansu", "Bộ Chỉ huy Quân sự tỉnh Bình Minh", "military", NULL, "069 8765 432",
	 "bchqs@binhminh.gov.vn", "", false},
	{"nhnn", "Ngân hàng Nhà nước chi nhánh khu vực Bình Minh", "central_agency", NULL,
	 "0234 3822 555", "nhnn@binhminh.gov.vn", "", false},
	{"doiungcuu", "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Bình Minh", "response_team",
	 NULL, "0234 3822 911", "ungcuu@binhminh.gov.vn", "0912 000 911", true},
	{"sotc", "Sở Tài chính tỉnh Bình Minh", "member", "ubnd", "0234 3822 101",
	 "stc@binhminh.gov.vn", "", false},
	{"soyt", "Sở Y tế tỉnh Bình Minh", "member", "ubnd", "0234 3822 102", "syt@binhminh.gov.vn",
	 "", false},
	{"sogd", "Sở Giáo dục và Đào tạo tỉnh Bình Minh", "member", "ubnd", "0234 3822 103",
	 "sgddt@binhminh.gov.vn", "", false},
	{"xaanphu", "Ủy ban nhân dân xã An Phú", "member", "ubnd", "0234 3866 201",
	 "anphu@binhminh.gov.vn", "", false},
	{"vnpt", "VNPT Bình Minh", "isp", NULL, "0234 3800 126", "soc@vnpt-binhminh.vn",
	 "1800 1091", true},
	{"viettel", "Viettel Bình Minh", "isp", NULL, "0234 3800 198", "noc@viettel-binhminh.vn",
	 "1800 8098", true},
	{"saomai", "Công ty Cổ phần An ninh mạng Sao Mai", "security_firm", NULL, "028 3911 0001",
	 "soc@saomai-security.vn", "0909 000 247", true},
	{"ncsc", "Trung tâm Giám sát an toàn không gian mạng quốc gia", "national", NULL,
	 "024 3943 6684", "ir@ncsc.gov.vn", "024 3640 4421", true},
};

struct demo_user {
	const char *username, *name, *org;
	unsigned roles;
	const char *position;
};

static const struct demo_user users[] = {
	{"dieuphoi", "Nguyễn Văn Điều", "coordinator", ROLE_OPERATOR | ROLE_OFFICER,
	 "Chuyên viên điều phối"},
	{"lanhdao", "Trần Thị Lãnh", "coordinator", ROLE_LEADER, "Phó Giám đốc"},
	{"kiemtra", "Lê Văn Kiểm", "coordinator", ROLE_AUDITOR, "Thanh tra viên"},
	{"congan", "Phạm Minh An", "congan", ROLE_OFFICER, "Cán bộ phòng An ninh mạng (PA05)"},
	{"quansu", "Đỗ Quang Quân", "quansu", ROLE_OFFICER, "Trợ lý tác chiến không gian mạng"},
	{"doiungcuu", "Vũ Thị Cứu", "doiungcuu", ROLE_OFFICER, "Thành viên đội ứng cứu"},
	{"taichinh", "Hoàng Văn Tài", "sotc", ROLE_OFFICER, "Cán bộ chuyên trách CNTT"},
	{"taichinh.ld", "Bùi Thị Chính", "sotc", ROLE_LEADER, "Giám đốc Sở"},
	{"taichinh.nv", "Ngô Văn Nhân", "sotc", ROLE_REPORTER, "Kế toán viên"},
	{"yte", "Đặng Thị Y", "soyt", ROLE_OFFICER, "Cán bộ chuyên trách CNTT"},
	{"yte.ld", "Phan Văn Tế", "soyt", ROLE_LEADER, "Giám đốc Sở"},
	{"giaoduc", "Lý Thị Giáo", "sogd", ROLE_OFFICER, "Cán bộ chuyên trách CNTT"},
	{"anphu", "Mai Văn Phú", "xaanphu", ROLE_OFFICER, "Công chức Văn hóa - Xã hội"},
	{"ubnd", "Tạ Văn Tỉnh", "ubnd", ROLE_LEADER, "Phó Chủ tịch"},
	{"vnpt", "Cao Thị Mạng", "vnpt", ROLE_OFFICER, "Trực SOC 24/7"},
	{"viettel", "Đinh Văn Viễn", "viettel", ROLE_OFFICER, "Trực NOC 24/7"},
	{"saomai", "Trịnh Văn Sao", "saomai", ROLE_OFFICER, "Chuyên gia phân tích"},
	{"ncsc", "Kiều Thị Quốc", "ncsc", ROLE_OFFICER, "Điều phối viên quốc gia"},
};

struct demo_system {
	const char *name, *owner, *operator_, *domain, *cidr;
	int level;
	bool central, critical;
};

static const struct demo_system systems[] = {
	{"Cổng thông tin điện tử tỉnh Bình Minh", "ubnd", "coordinator", "binhminh.gov.vn",
	 "203.0.113.0/28", 3, true, true},
	{"Hệ thống quản lý văn bản và điều hành", "ubnd", "coordinator", "vanban.binhminh.gov.vn",
	 "203.0.113.16/28", 3, true, true},
	{"Phần mềm quản lý ngân sách", "sotc", "sotc", "ngansach.binhminh.gov.vn", "198.51.100.8/29",
	 2, false, false},
	{"Hệ thống thông tin bệnh viện đa khoa tỉnh", "soyt", "soyt", "benhvien.binhminh.gov.vn",
	 "198.51.100.32/28", 3, false, true},
	{"Cơ sở dữ liệu ngành giáo dục", "sogd", "sogd", "csdl.sgddt.binhminh.gov.vn", NULL, 2, false,
	 false},
	{"Trang thông tin điện tử xã An Phú", "xaanphu", "coordinator", "anphu.binhminh.gov.vn", NULL,
	 1, true, false},
};

struct demo_incident {
	const char *org, *title, *grp, *type, *severity, *status, *tlp;
	int days_ago, system; /* system: index in systems, -1 none */
	bool drill;
	const char *description;
	const char *ask; /* an organisation asked for help, or NULL */
};

static const struct demo_incident incidents[] = {
	{"sotc", "Thư điện tử giả mạo nhắm vào bộ phận kế toán", "attack", "phishing", "medium",
	 "reported", "amber", 2, 2, false,
	 "Ba cán bộ kế toán nhận thư giả mạo Kho bạc Nhà nước yêu cầu đăng nhập lại tài khoản. Một "
	 "người đã nhập mật khẩu; tài khoản đã được khóa và đổi mật khẩu.", NULL},
	{"soyt", "Mã độc tống tiền mã hóa dữ liệu máy chủ bệnh viện", "attack", "ransomware",
	 "serious", "coordinated", "red", 4, 3, false,
	 "Máy chủ cơ sở dữ liệu của hệ thống thông tin bệnh viện bị mã hóa, phần mở rộng .lockbit; "
	 "dịch vụ khám chữa bệnh chuyển sang ghi chép giấy. Nghi ngờ xâm nhập qua VPN.", "congan"},
	{"xaanphu", "Trang thông tin điện tử xã bị thay đổi giao diện", "attack", "defacement",
	 "high", "new", "green", 0, 5, false,
	 "Trang chủ hiển thị nội dung lạ từ 7 giờ sáng. Hệ thống đặt tại Trung tâm dữ liệu tỉnh.",
	 NULL},
	{"sogd", "Dò quét mật khẩu, đăng nhập trái phép vào hệ thống quản lý", "attack", "intrusion",
	 "high", "internal", "amber", 1, 4, false,
	 "Nhật ký ghi nhận hơn 20.000 lần đăng nhập sai từ nhiều địa chỉ IP nước ngoài; một tài khoản "
	 "quản trị đăng nhập thành công lúc 2 giờ sáng.", NULL},
	{"coordinator", "Tấn công từ chối dịch vụ vào Cổng thông tin điện tử tỉnh", "attack", "ddos",
	 "high", "closed", "clear", 40, 0, false,
	 "Lưu lượng 12 Gbps trong 3 giờ; phối hợp VNPT lọc lưu lượng, cổng hoạt động lại bình "
	 "thường.", "vnpt"},
	{"sotc", "Lỗi phần cứng máy chủ lưu trữ", "fault", "system_fault", "low", "closed", "green",
	 25, 2, false, "Hỏng 2 ổ đĩa trong cụm RAID; đã thay thế, không mất dữ liệu.", NULL},
	{"soyt", "Mất điện do bão làm gián đoạn hệ thống", "disaster", "storm", "medium", "resolved",
	 "green", 12, 3, false,
	 "Bão số 5 làm mất điện lưới 6 giờ; máy phát dự phòng hỏng, hệ thống ngừng 2 giờ.", NULL},
	{"sogd", "Diễn tập: tấn công mã độc vào cơ sở dữ liệu ngành", "attack", "malware", "high",
	 "reported", "amber", 3, 4, true,
	 "Kịch bản diễn tập năm 2026: mã độc lây qua USB vào máy trạm quản trị cơ sở dữ liệu.", NULL},
};

#define MAX_DEMO_ORGS 32

struct ids {
	bool police_lead;    /* 002: the provincial police hold the coordinator role */
	const char *code[MAX_DEMO_ORGS];
	int64_t id[MAX_DEMO_ORGS];
	size_t n;
	int64_t sys[sizeof systems / sizeof systems[0]];
	int64_t inc[sizeof incidents / sizeof incidents[0]];
	int64_t creator;
};

static int64_t org_id(const struct ids *ids, const char *code)
{
	for (size_t i = 0; i < ids->n; i++)
		if (strcmp(ids->code[i], code) == 0)
			return ids->id[i];
	return 0;
}

/* The demo seeder's own context: the machine, at `when` (the demo's past is back-dated). */
static int demo_machine(struct store *st, const struct preset *p, int64_t when, struct ops_ctx *c)
{
	struct ops_err err;

	return ops_ctx_machine(c, st, p, OPS_DEMO, "demo", when, &err) == OPS_OK ? 0 : -1;
}

/* The result of an operation of the seeder: 0, or -1 having said why. */
static int demo_done(int rc, const struct ops_err *err, const char *what)
{
	struct msg storage;

	if (rc == OPS_OK)
		return 0;
	msg_set(&storage, M_cli_demo_storage);
	/* the problem rendered first (cli_error copies it before it renders the sentence) */
	cli_error(M_cli_demo_step_failed, MS("step", what),
		  MS("problem", cli_text(rc == OPS_EREFUSED ? &err->msg : &storage)));
	return -1;
}

/* Under a police-led preset (002) the police are the coordinator organisation itself, and the
 * department that used to coordinate (Sở KH&CN) becomes a member. */
static const struct demo_org dic_as_member = {
	"sokhcn", "Sở Khoa học và Công nghệ tỉnh Bình Minh", "member", "ubnd", "0234 3822 999",
	"skhcn@binhminh.gov.vn", "", false};

static int add_orgs(const struct ops_ctx *c, struct ids *ids)
{
	struct ops_err err;

	for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
		const struct demo_org *o = &orgs[i];

		if (ids->police_lead && strcmp(o->code, "congan") == 0) {
			ids->code[ids->n] = o->code; /* "congan" names the coordinator organisation */
			ids->id[ids->n++] = ids->id[0];
			o = &dic_as_member;
		}
		json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "code", o->code, "name",
					o->name, "role", o->role, "phone", o->phone, "email",
					o->email, "hotline", o->hotline, "hotline_247", o->h247);
		int rc;

		if (o->parent)
			json_object_set_new(row, "parent_id", json_integer(org_id(ids, o->parent)));
		rc = ops_org_create(c, row, &ids->id[ids->n], NULL, &err);
		json_decref(row);
		if (demo_done(rc, &err, o->code) != 0)
			return -1;
		ids->code[ids->n++] = o->code;
	}
	return 0;
}

static int add_users(const struct ops_ctx *c, struct ids *ids)
{
	char hash[CRYPTO_PWHASH_MAX];
	struct ops_err err;

	/* one hash for all: the demo password is the same and argon2id is slow by design */
	if (crypto_pw_hash(hash, CLI_DEMO_PASSWORD) != 0)
		return -1;
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		const struct demo_user *u = &users[i];
		char email[128];
		json_t *row;
		int64_t id;
		int rc;

		snprintf(email, sizeof email, "%s@demo.binhminh.gov.vn", u->username);
		row = json_pack("{s:s, s:s, s:s, s:s, s:I, s:i}", "username", u->username,
				"full_name", u->name, "email", email, "position", u->position,
				"org_id", (json_int_t)org_id(ids, u->org), "roles", (int)u->roles);
		rc = ops_user_create(c, row, hash, &id, NULL, &err);
		json_decref(row);
		if (demo_done(rc, &err, u->username) != 0)
			return -1;
		if (i == 0)
			ids->creator = id;
	}
	return 0;
}

static int add_systems(const struct ops_ctx *c, struct ids *ids)
{
	struct ops_err err;

	for (size_t i = 0; i < sizeof systems / sizeof systems[0]; i++) {
		const struct demo_system *s = &systems[i];
		json_t *assets = json_array(), *row;
		int rc;

		json_array_append_new(assets, json_pack("{s:s, s:s}", "kind", "domain", "value", s->domain));
		if (s->cidr)
			json_array_append_new(assets, json_pack("{s:s, s:s}", "kind", "cidr", "value", s->cidr));
		row = json_pack("{s:s, s:I, s:I, s:i, s:b, s:b, s:o}", "name", s->name, "owner_org_id",
				(json_int_t)org_id(ids, s->owner), "operator_org_id",
				(json_int_t)org_id(ids, s->operator_), "level", s->level,
				"central_hosted", s->central, "critical", s->critical, "assets", assets);
		rc = ops_system_register(c, row, &ids->sys[i], NULL, &err);
		json_decref(row);
		if (demo_done(rc, &err, s->name) != 0)
			return -1;
	}
	return 0;
}

/* ---- incidents: reported and moved along the procedure by the operations themselves ---- */

/* The demo account who acts for an organisation: its first user holding one of roles. */
static const struct demo_user *demo_user_of(const char *org, unsigned roles)
{
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		if (strcmp(users[i].org, org) == 0 && (users[i].roles & roles))
			return &users[i];
	return NULL;
}

static int64_t user_id(struct store *st, const char *username)
{
	struct store_user_auth u;

	return store_user_auth_by_name(st, username, &u) == STORE_OK ? u.id : 0;
}

/* The context of an operation by the demo account u (NULL: none; returns -1). */
static int demo_ctx(struct store *st, const struct preset *p, const struct ids *ids,
		    int64_t coord, const struct demo_user *u, struct ops_ctx *c)
{
	int role = codes_org_role_parse("member");
	int64_t org;

	if (u == NULL)
		return -1;
	org = org_id(ids, u->org);
	for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++)
		if (strcmp(orgs[i].code, u->org) == 0)
			role = codes_org_role_parse(orgs[i].role);
	*c = (struct ops_ctx){
		.st = st,
		.preset = p,
		.actor = {.subject = {.user_id = user_id(st, u->username), .org_id = org,
				      .org_role = org == coord ? codes_org_role_parse("coordinator")
							       : role,
				      .roles = u->roles, .coordinator = org == coord},
			  .user_id = user_id(st, u->username),
			  .username = u->username,
			  .ip = "local"},
		.now = tm_now(),
		.channel = OPS_DEMO,
	};
	return c->actor.user_id > 0 ? 0 : -1;
}

/* A value of the right type for a required field of a form, as a person would fill it. */
static json_t *demo_value(const struct preset_field *f, int64_t now)
{
	char iso[TM_ISO_MAX];

	switch (f->type) {
	case PRESET_FIELD_INT:
		return json_integer(1);
	case PRESET_FIELD_BOOL:
		return json_true();
	case PRESET_FIELD_EMAIL:
		return json_string("ungcuu@demo.binhminh.gov.vn");
	case PRESET_FIELD_PHONE:
		return json_string("0234 3822 911");
	case PRESET_FIELD_DATE:
		tm_format_iso(now, iso, sizeof iso);
		iso[10] = '\0';
		return json_string(iso);
	case PRESET_FIELD_DATETIME:
		tm_format_iso(now, iso, sizeof iso);
		return json_string(iso);
	case PRESET_FIELD_SELECT:
		return json_string(f->noptions ? f->options[0].value : "");
	default:
		return json_string("Dữ liệu mẫu");
	}
}

/* The form a step requires, its required fields filled; NULL when it requires none. */
static json_t *demo_form(const struct preset *p, const struct preset_transition *t, int64_t now)
{
	const struct preset_form *pf = t->requires[0] ? preset_form(p, t->requires) : NULL;
	json_t *vals, *form;

	if (pf == NULL)
		return NULL;
	vals = json_object();
	for (size_t i = 0; i < pf->nfields; i++)
		if (pf->fields[i].required)
			json_object_set_new(vals, pf->fields[i].name, demo_value(&pf->fields[i], now));
	form = json_object();
	json_object_set_new(form, pf->code, vals);
	return form;
}

#define DEMO_MAX_PATH 16

/* Whether a step's condition holds for an incident with (or without) a centrally hosted system. */
static bool demo_when(const struct preset_transition *t, bool central)
{
	if (t->when[0] == '\0')
		return true;
	return strcmp(t->when, central ? "central_hosted" : "!central_hosted") == 0;
}

/* The shortest way from the initial state to `target` through the preset's transitions whose
 * condition holds (a "*" one leaves any state that is not final). Sets path[0..*n). 0, or -1
 * when there is none. */
static int demo_path(const struct preset *p, const char *target, bool central,
		     const struct preset_transition *path[DEMO_MAX_PATH], size_t *n)
{
	const struct preset_transition *via[PRESET_MAX_ITEMS] = {0};
	const char *queue[PRESET_MAX_ITEMS];
	bool seen[PRESET_MAX_ITEMS] = {false};
	size_t head = 0, tail = 0, k;
	const struct preset_item *first = preset_initial_state(p);

#define STATE_INDEX(code) ((size_t)(preset_state(p, (code)) - p->states))
	*n = 0;
	queue[tail++] = first->code;
	seen[STATE_INDEX(first->code)] = true;
	while (head < tail && strcmp(queue[head], target) != 0) {
		const char *from = queue[head++];
		const struct preset_item *fs = preset_state(p, from);

		for (size_t i = 0; i < p->ntransitions; i++) {
			const struct preset_transition *t = &p->transitions[i];
			const struct preset_item *to = preset_state(p, t->to);

			if (to == NULL || !demo_when(t, central) ||
			    (strcmp(t->from, from) != 0 && !(strcmp(t->from, "*") == 0 && !fs->final)))
				continue;
			if (seen[STATE_INDEX(t->to)] || tail >= PRESET_MAX_ITEMS)
				continue;
			seen[STATE_INDEX(t->to)] = true;
			via[STATE_INDEX(t->to)] = t;
			queue[tail++] = to->code;
		}
	}
	if (head >= tail)
		return -1;
	/* walk back from the target */
	for (const char *at = target; strcmp(at, first->code) != 0; at = via[k]->from) {
		k = STATE_INDEX(at);
		if (via[k] == NULL || *n >= DEMO_MAX_PATH)
			return -1;
		path[(*n)++] = via[k];
		if (strcmp(via[k]->from, "*") == 0)
			return -1; /* a "*" step is not taken on the way: the demo's states avoid it */
	}
#undef STATE_INDEX
	for (size_t i = 0; i < *n / 2; i++) {
		const struct preset_transition *t = path[i];

		path[i] = path[*n - 1 - i];
		path[*n - 1 - i] = t;
	}
	return 0;
}

/* Takes one step as a person whose role the preset gives it would: the owner's officer or
 * leader, or the coordinator's operator or leader, whoever the procedure lets. */
static int demo_step(struct store *st, const struct preset *p, const struct ids *ids,
		     int64_t coord, const struct demo_incident *d, int64_t id,
		     const struct preset_transition *t)
{
	const struct demo_user *who[] = {
		demo_user_of(d->org, ROLE_OFFICER), demo_user_of(d->org, ROLE_LEADER),
		demo_user_of("coordinator", ROLE_OPERATOR), demo_user_of("coordinator", ROLE_LEADER)};
	json_t *form = demo_form(p, t, tm_now());
	int rc = -1;

	for (size_t i = 0; i < sizeof who / sizeof who[0] && rc != OPS_OK; i++) {
		struct ops_step step = {.action = t->action, .note = "Dữ liệu mẫu",
					.form = form};
		struct ops_ctx c;
		struct ops_err err;

		if (demo_ctx(st, p, ids, coord, who[i], &c) == 0)
			rc = ops_incident_transition(&c, id, &step, NULL, &err);
		if (rc == OPS_ESTORE)
			break;
	}
	json_decref(form);
	return rc == OPS_OK ? 0 : -1;
}

/* An incident as its organisation reports it, then moved to its demo state step by step. */
static int add_incident(struct store *st, const struct preset *p, struct ids *ids,
			int64_t coord, const struct demo_incident *d, size_t index)
{
	const struct preset_transition *path[DEMO_MAX_PATH];
	int64_t detected = tm_now() - d->days_ago * DAY - 3 * 3600, id = 0;
	json_t *row, *systems_ids = json_array();
	struct ops_err err = {.status = 0};
	struct ops_report rep;
	struct ops_ctx c;
	size_t n = 0;
	int rc;

	if (preset_state(p, d->status) == NULL ||
	    demo_path(p, d->status, d->system >= 0 && systems[d->system].central, path, &n) != 0 ||
	    demo_ctx(st, p, ids, coord,
		     demo_user_of(d->org, ROLE_OFFICER | ROLE_LEADER | ROLE_OPERATOR), &c) != 0) {
		json_decref(systems_ids);
		return -1;
	}
	if (d->system >= 0)
		json_array_append_new(systems_ids, json_integer(ids->sys[d->system]));
	row = json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:I, s:s, s:o}", "title", d->title, "grp",
			d->grp, "type", d->type, "severity", d->severity, "tlp",
			codes_tlp_parse(d->tlp), "is_drill", d->drill, "detected_at",
			(json_int_t)detected, "description", d->description, "systems", systems_ids);
	rep = (struct ops_report){.row = row, .journal_text = ""};
	rc = row ? ops_incident_report(&c, &rep, &id, NULL, &err) : OPS_ESTORE;
	json_decref(row);
	ids->inc[index] = id;
	for (size_t i = 0; rc == OPS_OK && i < n; i++)
		rc = demo_step(st, p, ids, coord, d, id, path[i]);
	/* the coordinator asks for help (000 Đ7.1b), as its operator would */
	if (rc == OPS_OK && d->ask && org_id(ids, d->ask) != coord) {
		struct ops_request_in req = {.to_org_id = org_id(ids, d->ask), .kind = "support",
					     .body = "Đề nghị phối hợp hỗ trợ xử lý sự cố (dữ liệu mẫu)."};
		json_t *made = NULL;
		int64_t rid;

		if (demo_ctx(st, p, ids, coord, demo_user_of("coordinator", ROLE_OPERATOR), &c) != 0)
			rc = OPS_ESTORE;
		else
			rc = ops_request_create(&c, id, &req, &rid, &made, &err);
		json_decref(made);
	}
	if (rc != OPS_OK)
		cli_error(M_cli_demo_incident_stuck, MS("title", d->title), MS("status", d->status),
			  MS("problem", cli_text(&err.msg)));
	return rc == OPS_OK ? 0 : -1;
}

/* ---- warnings (docs/warnings.md) ---- */

/* The notifications of the demo's past (its reports, requests, warnings) count as delivered:
 * the demo sends no mail and posts no webhook for them. */
static int mark_demo_outbox(const struct ops_ctx *c)
{
	json_t *rows = NULL, *r;
	struct ops_err err;
	size_t i;
	int rc = store_outbox_list(c->st, 200, &rows) == STORE_OK ? OPS_OK : OPS_ESTORE;

	json_array_foreach(rows, i, r)
		if (rc == OPS_OK)
			rc = ops_notify_settle(c, json_integer_value(json_object_get(r, "id")), &err);
	json_decref(rows);
	return rc;
}

/* A warning drafted by the demo account `by` (an issuer of 000 Đ7.4) and, when `issued` is not
 * 0, issued at that time, as the operations make them. */
static int demo_warning(struct store *st, const struct preset *p, const struct ids *ids,
			int64_t coord, const char *by, const json_t *fields, int64_t issued,
			int64_t *id)
{
	const struct demo_user *u = NULL;
	json_t *view = NULL;
	struct ops_err err;
	struct ops_ctx c;
	int rc;

	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		if (strcmp(users[i].username, by) == 0)
			u = &users[i];
	if (demo_ctx(st, p, ids, coord, u, &c) != 0)
		return -1;
	c.now = issued ? issued - 3600 : c.now;
	rc = ops_warning_create(&c, fields, id, &view, &err);
	json_decref(view);
	if (rc == OPS_OK && issued) {
		c.now = issued;
		rc = ops_warning_issue(&c, *id, NULL, &err);
	}
	return demo_done(rc, &err, "warning");
}

/* A target's answer, as its officer gives it at `when`: an acknowledgement, and a system's
 * status when sys is not 0. */
static int demo_answer(struct store *st, const struct preset *p, const struct ids *ids,
		       int64_t coord, const char *org, int64_t w, int64_t sys, const char *status,
		       const char *note, int64_t when)
{
	struct ops_err err;
	struct ops_ctx c;
	int rc;

	if (demo_ctx(st, p, ids, coord, demo_user_of(org, ROLE_OFFICER), &c) != 0)
		return -1;
	c.now = when;
	rc = sys ? ops_warning_report(&c, w, sys, status, note, NULL, &err)
		 : ops_warning_ack(&c, w, NULL, &err);
	return demo_done(rc, &err, "warning answer");
}

/* A vulnerability warning of the coordinator matched to systems by product and address, with
 * answers; a phishing warning of the police to every member, linked to the phishing incident;
 * a draft. */
static int add_warnings(struct store *st, const struct preset *p, struct ids *ids, int64_t coord)
{
	int64_t now = tm_now(), w1 = 0, w2 = 0, w3 = 0;
	json_t *prod = json_pack("{s:[{s:s, s:s, s:s}]}", "products", "vendor", "Apache", "product",
				 "Tomcat", "version", "9.0.80");
	json_t *a = json_pack(
		"{s:s, s:s, s:s, s:i, s:[{s:s, s:s}, {s:s, s:s}], s:[{s:s, s:s, s:s}], "
		"s:s, s:I, s:{s:s}, s:[{s:s, s:s}, {s:s, s:s}]}",
		"title", "Lỗ hổng thực thi mã từ xa trên Apache Tomcat đang bị khai thác",
		"description",
		"Lỗ hổng cho phép thực thi mã từ xa qua yêu cầu PUT một phần; mã khai thác đã công "
		"khai, ghi nhận dò quét từ địa chỉ trong dải của tỉnh.",
		"severity", "high", "tlp", TLP_AMBER, /* legal basis: the preset's (basis.warning) */
		"refs", "type", "cve", "value", "CVE-2025-24813", "type", "url", "value",
		"https://nvd.nist.gov/vuln/detail/CVE-2025-24813", "products", "vendor", "Apache",
		"product", "Tomcat", "versions", "< 9.0.99", "actions",
		"Cập nhật Tomcat lên 9.0.99 trở lên; tắt ghi PUT mặc định; rà soát nhật ký truy cập.",
		"due_at", (json_int_t)(now + 5 * DAY), "target", "mode", "match", "indicators", "kind",
		"ipv4", "value", "198.51.100.10", "kind", "domain", "value", "tomcat-rce.example");
	json_t *b = json_pack(
		"{s:s, s:s, s:s, s:i, s:[], s:[], s:s, s:I, s:{s:s, s:[s]}, "
		"s:[{s:s, s:s}, {s:s, s:s}]}",
		"title", "Chiến dịch thư điện tử giả mạo Kho bạc Nhà nước", "description",
		"Thư giả mạo yêu cầu đăng nhập lại tài khoản dịch vụ công; trang giả mạo thu thập mật "
		"khẩu.",
		"severity", "medium", "tlp", TLP_GREEN, "refs",
		"products", "actions",
		"Chặn tên miền giả mạo, cảnh báo cán bộ, đổi mật khẩu tài khoản đã nhập.", "due_at",
		(json_int_t)(now + 3 * DAY), "target", "mode", "roles", "roles", "member",
		"indicators", "kind", "domain", "value", "kbnn-xacthuc.example", "kind", "url",
		"value", "http://kbnn-xacthuc.example/dang-nhap");
	json_t *cw = json_pack("{s:s, s:s, s:s, s:i, s:{s:s}}", "title",
			       "Dự thảo: cảnh báo mã độc tống tiền nhắm vào máy chủ cơ sở dữ liệu",
			       "description", "Bản nháp, chưa phát.", "severity", "serious", "tlp",
			       TLP_AMBER, "target", "mode", "match");
	json_t *seen = json_pack("[{s:s, s:s}]", "kind", "domain", "value", "kbnn-xacthuc.example");
	struct ops_err err;
	struct ops_ctx m;
	int rc = a && b && cw && prod && seen ? 0 : -1;

	if (rc == 0)
		rc = demo_machine(st, p, now, &m);
	if (rc == 0)
		rc = demo_done(ops_system_update(&m, ids->sys[2], 0, prod, NULL, &err), &err,
			       "system products");
	if (rc == 0)
		rc = demo_warning(st, p, ids, coord, "dieuphoi", a, now - 2 * DAY, &w1);
	if (rc == 0)
		rc = demo_answer(st, p, ids, coord, "sotc", w1, ids->sys[2], "fixing",
				 "Đã chặn PUT, đang lên lịch nâng cấp Tomcat.", now - DAY);
	if (rc == 0)
		rc = demo_warning(st, p, ids, coord, "congan", b, now - DAY, &w2);
	if (rc == 0)
		rc = demo_answer(st, p, ids, coord, "soyt", w2, 0, NULL, NULL, now - DAY / 2);
	/* the phishing incident saw the same domain: the two are related */
	if (rc == 0) {
		m.now = now - DAY;
		rc = demo_done(ops_store(&err, ops_indicators_add(&m, "incident", ids->inc[0], seen,
								  "api")),
			       &err, "observable");
	}
	if (rc == 0)
		rc = demo_warning(st, p, ids, coord, "dieuphoi", cw, 0, &w3);
	if (rc == 0) {
		m.now = now;
		rc = demo_done(mark_demo_outbox(&m), &err, "outbox");
	}
	json_decref(a);
	json_decref(b);
	json_decref(cw);
	json_decref(prod);
	json_decref(seen);
	return rc;
}

int cli_demo(struct store *st, const struct preset *p, int64_t coordinator_id)
{
	struct ids ids = {.police_lead = strcmp(p->lead_role, "police") == 0};
	json_t *rename = ids.police_lead
		? json_pack("{s:s, s:s, s:s, s:s, s:b}", "name",
			    "Công an tỉnh Bình Minh (cơ quan chủ trì điều phối)", "phone",
			    "069 2345 678", "email", "pa05@congan.binhminh.gov.vn", "hotline",
			    "069 2345 113", "hotline_247", 1)
		: json_pack("{s:s, s:s, s:s, s:s, s:b}", "name",
			    "Sở Khoa học và Công nghệ tỉnh Bình Minh (cơ quan điều phối)", "phone",
			    "0234 3822 999", "email", "ungcuu@sokhcn.binhminh.gov.vn", "hotline",
			    "0234 3822 911", "hotline_247", 1);
	json_t *renamed = NULL;
	struct ops_err err;
	struct ops_ctx m;
	int rc = demo_machine(st, p, tm_now(), &m);

	if (rc == 0)
		rc = demo_done(ops_org_update(&m, coordinator_id, 0, rename, &renamed, &err), &err,
			       "coordinator");
	json_decref(renamed);
	json_decref(rename);
	if (rc != 0)
		return -1;
	ids.code[0] = "coordinator";
	ids.id[0] = coordinator_id;
	ids.n = 1;
	if (add_orgs(&m, &ids) != 0 || add_users(&m, &ids) != 0 || add_systems(&m, &ids) != 0)
		return -1;
	for (size_t i = 0; i < sizeof incidents / sizeof incidents[0]; i++)
		if (add_incident(st, p, &ids, coordinator_id, &incidents[i], i) != 0)
			return -1;
	if (add_warnings(st, p, &ids, coordinator_id) != 0)
		return -1;
	return ops_audit(&m, "demo.load", "", 0, NULL, NULL) == STORE_OK ? 0 : -1;
}
