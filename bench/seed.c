/* seed.c - fills a data folder with N incidents, fast, through the project's own store layer
 * (store_incident_create and friends), so rows, references (UC-YYYY-NNNNNN), the search index
 * and the audit chain are exactly what the store writes for the API.
 *
 * usage: seed --data DIR --count N [--seed S] [--batch B] [--years Y]
 *
 * The folder must have been made by `ungcuu init` (bench/run uses `--demo`, which brings the
 * organisations and users of the demo province). Each incident gets, in one transaction of B
 * incidents (default 10,000):
 *   - store_incident_create (row, per-year reference counter, FTS row of the folded text);
 *   - store_journal_add "created" (as POST /api/v1/incidents), and for incidents past the first
 *     step one "status" entry {from, to} (a real one would have one entry per step taken);
 *   - for steps >= 3 (reported to the coordinator): reported_at, the coordinator named on the
 *     incident (incident_orgs, reason "coordinator") as the transition does; final states get
 *     closed_at through store_incident_update (version 2);
 *   - store_audit_append "incident.create" with the record read back by store_incident_get and
 *     presented as the API presents it ("group" for the column grp), by a user of the reporting
 *     organisation, from 127.0.0.1 (the hash chain stays valid).
 * Not done: the escalation rules the API fires on creation (api_escalate_state, in api/ above the
 * store), so seeded folders have no escalation or outbox rows.
 * Text: Vietnamese titles and descriptions drawn by a PRNG (xorshift64*, --seed) from a few
 * hundred distinct words with Zipf-like frequencies, plus rare words (malware families, CVE-like
 * ids) so search terms have realistic document frequencies. Group, type, severity, status,
 * TLP and organisation are drawn with fixed weights from the preset in force and the folder's
 * organisations. detected_at spreads over the last Y years (default 3), growing with the
 * position in the run. Prints progress and the time taken. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codes.h"
#include "core/preset.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define MAX_ORGS 256
#define MAX_HELD 8
#define TEXT_CAP 8192

/* ---- PRNG: xorshift64* ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n). */
static uint64_t rng_below(uint64_t n)
{
	return n ? rng_next() % n : 0;
}

/* Index drawn by integer weights. */
static size_t rng_weighted(const unsigned *w, size_t n)
{
	uint64_t total = 0, r;

	for (size_t i = 0; i < n; i++)
		total += w[i];
	r = rng_below(total);
	for (size_t i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* ---- vocabulary ---- */

/* Words (Vietnamese syllables, some compounds) of incident reports, most frequent first: the
 * k-th is drawn with weight ~ 1/(k+3), so the head words are in most descriptions and the tail
 * words in a fraction of a percent. */
static const char *const vocab[] = {
	"hệ thống", "máy chủ", "sự cố", "tấn công", "người dùng", "dữ liệu", "phát hiện",
	"truy cập", "tài khoản", "mạng", "đơn vị", "cán bộ", "thông tin", "phần mềm", "xử lý",
	"kiểm tra", "địa chỉ", "đăng nhập", "mật khẩu", "lỗi", "dịch vụ", "máy trạm", "cập nhật",
	"bảo mật", "giám sát", "cảnh báo", "ngăn chặn", "khắc phục", "sao lưu", "khôi phục",
	"nhật ký", "tường lửa", "kết nối", "trái phép", "bất thường", "nghi ngờ", "ảnh hưởng",
	"gián đoạn", "báo cáo", "phối hợp", "ứng cứu", "điều phối", "xác minh", "phân tích",
	"lưu lượng", "cổng", "trang", "thư điện tử", "đường truyền", "thiết bị", "quản trị",
	"vận hành", "an toàn", "an ninh", "tin tặc", "mã độc", "lây nhiễm", "mã hóa", "tống tiền",
	"giả mạo", "lừa đảo", "đánh cắp", "rò rỉ", "chiếm quyền", "leo thang", "đặc quyền",
	"lỗ hổng", "vá lỗi", "bản vá", "khai thác", "dò quét", "từ chối", "quá tải", "băng thông",
	"gói tin", "tên miền", "máy ảo", "cơ sở dữ liệu", "ứng dụng", "trình duyệt", "tệp tin",
	"tệp đính kèm", "liên kết", "đường dẫn", "biểu mẫu", "giao diện", "nội dung", "hình ảnh",
	"văn bản", "hồ sơ", "công văn", "chữ ký số", "chứng thư", "khóa", "phiên", "xác thực",
	"hai lớp", "mã OTP", "điện thoại", "tin nhắn", "cuộc gọi", "nhân viên", "lãnh đạo",
	"chuyên viên", "kỹ thuật viên", "nhà cung cấp", "đối tác", "khách hàng", "công dân",
	"doanh nghiệp", "bệnh viện", "trường học", "ủy ban", "sở", "phòng", "ban", "xã",
	"phường", "huyện", "tỉnh", "trung tâm", "dữ liệu tỉnh", "cổng dịch vụ công",
	"một cửa", "điện tử", "văn phòng", "kho bạc", "ngân sách", "kế toán", "tài chính",
	"y tế", "giáo dục", "giao thông", "đất đai", "hộ tịch", "bảo hiểm", "thuế", "hải quan",
	"buổi sáng", "buổi chiều", "ban đêm", "cuối tuần", "ngày lễ", "giờ hành chính",
	"ngoài giờ", "liên tục", "nhiều lần", "đồng loạt", "hàng loạt", "nhanh chóng",
	"kịp thời", "tạm thời", "hoàn toàn", "một phần", "nghiêm trọng", "khẩn cấp",
	"ưu tiên", "theo dõi", "cách ly", "ngắt kết nối", "tắt máy", "khởi động lại",
	"cài đặt lại", "thay thế", "nâng cấp", "cấu hình", "chính sách", "quy trình",
	"phương án", "kịch bản", "diễn tập", "huấn luyện", "tuyên truyền", "nhận thức",
	"hướng dẫn", "khuyến nghị", "biện pháp", "giải pháp", "công cụ", "chữ ký", "mẫu",
	"chỉ dấu", "địa chỉ IP", "nước ngoài", "trong nước", "máy chủ điều khiển",
	"mạng botnet", "thiết bị IoT", "camera", "bộ định tuyến", "bộ chuyển mạch", "wifi",
	"VPN", "email", "website", "SQL injection", "XSS", "webshell", "backdoor", "rootkit",
	"trojan", "keylogger", "spyware", "adware", "worm", "virus", "macro", "PowerShell",
	"script", "payload", "shellcode", "exploit", "brute force", "credential", "token",
	"cookie", "session", "API", "cloud", "container", "Windows", "Linux", "Active Directory",
	"Exchange", "Office", "Apache", "Nginx", "WordPress", "Joomla", "PHP", "Java", "Oracle",
	"MySQL", "PostgreSQL", "MongoDB", "Redis", "Elasticsearch", "Docker", "Kubernetes",
	"ổ cứng", "ổ đĩa", "RAID", "nguồn điện", "máy phát", "điều hòa", "nhiệt độ", "cháy",
	"chập điện", "mưa lớn", "ngập", "sét", "bão", "lũ", "động đất", "mất điện",
	"đứt cáp", "cáp quang", "nhà mạng", "VNPT", "Viettel", "FPT", "MobiFone",
	"tường lửa ứng dụng", "IDS", "IPS", "SIEM", "EDR", "antivirus", "sandbox",
	"hộp thư", "tài liệu mật", "bí mật nhà nước", "thông tin cá nhân", "căn cước",
	"số điện thoại", "tài khoản ngân hàng", "chuyển khoản", "hóa đơn", "hợp đồng",
	"Công an tỉnh", "PA05", "Bộ Chỉ huy Quân sự", "NCSC", "VNCERT", "Cục An toàn thông tin",
	"chiến dịch", "nhóm APT", "có chủ đích", "dài hạn", "âm thầm", "tinh vi",
	"quy mô lớn", "diện rộng", "cục bộ", "riêng lẻ", "đầu tiên", "tiếp theo", "cuối cùng",
	"đã", "đang", "chưa", "sẽ", "được", "bị", "không", "có", "và", "của", "cho", "với",
	"tại", "trên", "trong", "từ", "đến", "sau", "trước", "khi", "do", "nên", "để", "theo",
};
#define NVOCAB (sizeof vocab / sizeof vocab[0])

/* Rare words: each drawn for about one description in RARE_EVERY. */
static const char *const rare[] = {
	"lockbit", "emotet", "mirai", "plugx", "cobaltstrike", "qakbot", "blackcat", "conti",
	"wannacry", "petya", "ryuk", "trickbot", "agenttesla", "formbook", "njrat", "redline",
	"raccoon", "gh0st", "shadowpad", "winnti", "lazarus", "oceanlotus", "mustang", "sidewinder",
};
#define NRARE (sizeof rare / sizeof rare[0])
#define RARE_EVERY 40

static double zipf_cum[NVOCAB];

static void zipf_init(void)
{
	double total = 0;

	for (size_t k = 0; k < NVOCAB; k++) {
		total += 1.0 / (double)(k + 3);
		zipf_cum[k] = total;
	}
	for (size_t k = 0; k < NVOCAB; k++)
		zipf_cum[k] /= total;
}

static const char *zipf_word(void)
{
	double r = (double)(rng_next() >> 11) / 9007199254740992.0;
	size_t lo = 0, hi = NVOCAB - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (zipf_cum[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return vocab[lo];
}

/* Title phrases per incident type code of the national preset; other presets' types get the
 * generic ones. */
static const struct {
	const char *type;
	const char *phrases[3];
} type_titles[] = {
	{"ddos", {"Tấn công từ chối dịch vụ vào", "Lưu lượng bất thường làm quá tải",
		  "Tấn công DDoS làm gián đoạn"}},
	{"phishing", {"Thư điện tử giả mạo nhắm vào", "Trang web giả mạo", "Lừa đảo qua tin nhắn"}},
	{"malware", {"Phát hiện mã độc trên", "Máy trạm nhiễm mã độc tại", "Mã độc lây lan qua"}},
	{"intrusion", {"Truy cập trái phép vào", "Dò quét mật khẩu, đăng nhập trái phép",
		       "Chiếm quyền điều khiển"}},
	{"defacement", {"Thay đổi giao diện", "Chèn nội dung lạ vào", "Trang chủ bị thay đổi"}},
	{"ransomware", {"Mã độc tống tiền mã hóa dữ liệu", "Ransomware tấn công",
			"Dữ liệu bị mã hóa đòi tiền chuộc tại"}},
	{"destruction", {"Phá hoại dữ liệu", "Xóa dữ liệu trái phép trên", "Phá hoại phần mềm"}},
	{"data_theft", {"Rò rỉ dữ liệu", "Đánh cắp thông tin từ", "Lộ lọt tài liệu của"}},
	{"other_attack", {"Tấn công mạng vào", "Hoạt động bất thường trên", "Nghi ngờ tấn công"}},
	{"system_fault", {"Lỗi phần cứng", "Lỗi phần mềm làm ngừng", "Hỏng thiết bị lưu trữ"}},
	{"operator_error", {"Cấu hình sai làm gián đoạn", "Xóa nhầm dữ liệu", "Lỗi vận hành"}},
	{"storm", {"Bão làm mất điện", "Bão làm gián đoạn", "Mưa bão làm hỏng"}},
	{"flood", {"Ngập lụt làm ngừng", "Lũ làm đứt cáp", "Nước tràn vào phòng máy"}},
	{"earthquake", {"Động đất làm hỏng", "Rung chấn làm ngừng", "Động đất ảnh hưởng"}},
	{"fire", {"Cháy phòng máy chủ", "Chập điện gây cháy", "Hỏa hoạn ảnh hưởng"}},
};

static const char *const targets[] = {
	"cổng thông tin điện tử", "hệ thống quản lý văn bản và điều hành", "máy chủ thư điện tử",
	"cổng dịch vụ công trực tuyến", "phần mềm một cửa điện tử", "cơ sở dữ liệu hộ tịch",
	"hệ thống thông tin bệnh viện", "phần mềm quản lý ngân sách", "máy chủ web",
	"máy trạm của cán bộ", "hệ thống hội nghị truyền hình", "trung tâm dữ liệu tỉnh",
	"mạng nội bộ", "hệ thống camera giám sát", "phần mềm kế toán", "cơ sở dữ liệu ngành",
	"trang thông tin điện tử", "hệ thống sao lưu", "máy chủ tên miền", "đường truyền số liệu",
};

/* ---- the folder ---- */

struct org {
	int64_t id;
	char name[160];
	int64_t user_id;
	char username[64];
	unsigned weight;
};

struct seedctx {
	struct store *st;
	struct preset *p;
	struct org orgs[MAX_ORGS];
	size_t norgs;
	int64_t coordinator;
	const struct preset_item *initial;
};

struct resolver {
	struct store *st;
	char *held[MAX_HELD];
	size_t nheld;
};

static int resolve_store(void *ctx, const char *name, const char **text, size_t *len)
{
	struct resolver *r = ctx;
	char *body;

	if (r->nheld >= MAX_HELD || store_preset_get(r->st, name, &body, len) != STORE_OK)
		return -1;
	r->held[r->nheld++] = body;
	*text = body;
	return 0;
}

static int load_preset(struct seedctx *cx)
{
	struct resolver r = {.st = cx->st};
	struct preset_err err;
	char name[64];
	const char *text;
	size_t len;
	int rc = -1;

	memset(&err, 0, sizeof err);
	if (store_meta_get(cx->st, "preset", name, sizeof name) != STORE_OK ||
	    resolve_store(&r, name, &text, &len) != 0)
		fprintf(stderr, "seed: no preset in the database (run `ungcuu init` first)\n");
	else if (preset_parse(name, text, len, resolve_store, &r, &cx->p, &err) != 0)
		fprintf(stderr, "seed: preset %s: %s\n", name, err.msg);
	else
		rc = 0;
	for (size_t i = 0; i < r.nheld; i++)
		free(r.held[i]);
	return rc;
}

static bool has_role(const json_t *roles, const char *code)
{
	const json_t *v;
	size_t i;

	json_array_foreach(roles, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), code) == 0)
			return true;
	return false;
}

/* Organisations of the folder, each with a user who reports for it (officer or reporter of the
 * organisation; else the first user of the folder). */
static int load_orgs(struct seedctx *cx)
{
	json_t *orgs = NULL, *users = NULL, *o, *u;
	int64_t fallback_id = 0;
	const char *fallback_name = "";
	char v[32];
	size_t i, k;
	int rc = -1;

	if (store_meta_get(cx->st, "coordinator_org_id", v, sizeof v) != STORE_OK ||
	    str_to_i64(v, 1, INT64_MAX, &cx->coordinator) != 0 ||
	    store_org_list(cx->st, NULL, &orgs) != STORE_OK ||
	    store_user_list(cx->st, 0, &users) != STORE_OK)
		goto out;
	json_array_foreach(users, k, u) {
		if (fallback_id == 0) {
			fallback_id = json_integer_value(json_object_get(u, "id"));
			fallback_name = json_string_value(json_object_get(u, "username"));
		}
	}
	if (fallback_id == 0) {
		fprintf(stderr, "seed: the folder has no user\n");
		goto out;
	}
	json_array_foreach(orgs, i, o) {
		struct org *g;

		if (cx->norgs == MAX_ORGS)
			break;
		g = &cx->orgs[cx->norgs++];
		memset(g, 0, sizeof *g);
		g->id = json_integer_value(json_object_get(o, "id"));
		if (str_copy(g->name, sizeof g->name, json_string_value(json_object_get(o, "name"))))
			g->name[0] = '\0';
		/* the coordinator and the member organisations report most */
		g->weight = g->id == cx->coordinator ? 6 : 3;
		json_array_foreach(users, k, u) {
			json_t *roles = json_object_get(u, "roles");

			if (json_integer_value(json_object_get(u, "org_id")) == g->id &&
			    (has_role(roles, "officer") || has_role(roles, "reporter"))) {
				g->user_id = json_integer_value(json_object_get(u, "id"));
				str_copy(g->username, sizeof g->username,
					 json_string_value(json_object_get(u, "username")));
				break;
			}
		}
		if (g->user_id == 0) {
			g->user_id = fallback_id;
			str_copy(g->username, sizeof g->username, fallback_name);
			g->weight = 1;
		}
	}
	rc = cx->norgs > 0 ? 0 : -1;
out:
	json_decref(orgs);
	json_decref(users);
	return rc;
}

/* ---- one incident ---- */

static void add_words(struct buf *b, int n)
{
	for (int i = 0; i < n; i++) {
		buf_puts(b, zipf_word());
		buf_puts(b, i + 1 < n ? " " : "");
	}
}

static void make_title(struct buf *b, const char *type, const char *org_name)
{
	const char *phrase = NULL;

	for (size_t i = 0; i < sizeof type_titles / sizeof type_titles[0]; i++)
		if (strcmp(type_titles[i].type, type) == 0)
			phrase = type_titles[i].phrases[rng_below(3)];
	if (phrase == NULL)
		phrase = "Sự cố an toàn thông tin mạng tại";
	buf_printf(b, "%s %s", phrase, targets[rng_below(sizeof targets / sizeof targets[0])]);
	if (rng_below(2) == 0)
		buf_printf(b, " của %s", org_name);
}

static void make_description(struct buf *b)
{
	int sentences = 2 + (int)rng_below(4);

	for (int s = 0; s < sentences; s++) {
		add_words(b, 6 + (int)rng_below(12));
		if (rng_below(RARE_EVERY) == 0)
			buf_printf(b, " %s", rare[rng_below(NRARE)]);
		if (rng_below(8) == 0)
			buf_printf(b, " từ địa chỉ 203.%u.%u.%u", (unsigned)rng_below(256),
				   (unsigned)rng_below(256), (unsigned)rng_below(256));
		if (rng_below(30) == 0)
			buf_printf(b, " CVE-20%02u-%05u", (unsigned)(19 + rng_below(8)),
				   (unsigned)rng_below(60000));
		buf_puts(b, ". ");
	}
}

/* Weights of the national preset's codes; a code of another preset gets weight 1. */
static unsigned weight_of(const char *code, const char *const *codes, const unsigned *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return w[i];
	return 1;
}

static const struct preset_item *pick_item(const struct preset_item *items, size_t n,
					   const char *const *codes, const unsigned *w, size_t nw)
{
	unsigned weights[64];
	size_t m = n < 64 ? n : 64;

	for (size_t i = 0; i < m; i++)
		weights[i] = weight_of(items[i].code, codes, w, nw);
	return &items[rng_weighted(weights, m)];
}

static const char *const type_codes[] = {"ddos", "phishing", "malware", "intrusion",
					 "defacement", "ransomware", "destruction", "data_theft",
					 "other_attack", "system_fault", "operator_error", "storm",
					 "flood", "earthquake", "fire"};
static const unsigned type_w[] = {8, 20, 18, 14, 8, 5, 2, 5, 6, 8, 3, 1, 1, 1, 1};
static const char *const sev_codes[] = {"low", "medium", "high", "serious", "critical"};
static const unsigned sev_w[] = {30, 35, 22, 10, 3};
static const char *const state_codes[] = {"new", "internal", "reported", "coordinated",
					  "resolved", "closed"};
static const unsigned state_w[] = {10, 8, 12, 10, 15, 45};
static const unsigned tlp_w[] = {10, 30, 50, 5, 5}; /* clear green amber amber+strict red */

static int seed_one(struct seedctx *cx, int64_t detected, int64_t now, struct buf *title,
		    struct buf *desc)
{
	const struct org *g;
	const struct preset_item *type, *sev, *state;
	unsigned ow[MAX_ORGS];
	json_t *row, *inc = NULL, *data;
	int64_t id, reported = 0, closed = 0;
	int rc;

	for (size_t i = 0; i < cx->norgs; i++)
		ow[i] = cx->orgs[i].weight;
	g = &cx->orgs[rng_weighted(ow, cx->norgs)];
	type = pick_item(cx->p->types, cx->p->ntypes, type_codes, type_w,
			 sizeof type_w / sizeof type_w[0]);
	sev = pick_item(cx->p->severities, cx->p->nseverities, sev_codes, sev_w,
			sizeof sev_w / sizeof sev_w[0]);
	state = pick_item(cx->p->states, cx->p->nstates, state_codes, state_w,
			  sizeof state_w / sizeof state_w[0]);
	buf_reset(title);
	buf_reset(desc);
	make_title(title, type->code, g->name);
	make_description(desc);
	if (state->rank >= 3) {
		reported = detected + 600 + (int64_t)rng_below(3 * 86400);
		if (reported > now)
			reported = now;
	}
	if (state->final) {
		closed = (reported ? reported : detected) + 3600 + (int64_t)rng_below(20 * 86400);
		if (closed > now)
			closed = now;
	}
	row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:b, s:I, s:I, s:s, s:s, s:s, "
			"s:{}, s:I}",
			"org_id", (json_int_t)g->id, "title", title->p, "grp", type->parent, "type",
			type->code, "severity", sev->code, "severity_rank", sev->rank, "status",
			state->code, "tlp", (int)rng_weighted(tlp_w, 5), "is_drill",
			rng_below(33) == 0, "detected_at", (json_int_t)detected, "reported_at",
			(json_int_t)reported, "description", desc->p, "impact",
			rng_below(3) == 0 ? "Gián đoạn dịch vụ trong vài giờ" : "", "actions_taken",
			rng_below(2) == 0 ? "Đã cách ly máy bị ảnh hưởng và đổi mật khẩu" : "", "form",
			"created_by", (json_int_t)g->user_id);
	if (row == NULL)
		return STORE_EIO;
	rc = store_incident_create(cx->st, row, &id, NULL);
	json_decref(row);
	if (rc == STORE_OK)
		rc = store_journal_add(cx->st, id, "created", g->user_id, g->id, "", NULL, NULL);
	if (rc == STORE_OK && state != cx->initial) {
		data = json_pack("{s:s, s:s}", "from", cx->initial->code, "to", state->code);
		rc = store_journal_add(cx->st, id, "status", g->user_id, g->id, "", data, NULL);
		json_decref(data);
	}
	if (rc == STORE_OK && state->rank >= 3)
		rc = store_incident_add_org(cx->st, id, cx->coordinator, "coordinator");
	if (rc == STORE_OK && closed) {
		json_t *f = json_pack("{s:I}", "closed_at", (json_int_t)closed);

		rc = store_incident_update(cx->st, id, 0, f);
		json_decref(f);
	}
	if (rc == STORE_OK)
		rc = store_incident_get(cx->st, id, &inc);
	if (rc == STORE_OK) {
		/* the API audits the record as it presents it: "group", not the column name "grp" */
		json_t *grp = json_object_get(inc, "grp");

		if (grp != NULL) {
			json_object_set(inc, "group", grp);
			json_object_del(inc, "grp");
		}
	}
	if (rc == STORE_OK) {
		struct store_audit e = {.user_id = g->user_id, .username = g->username,
					.ip = "127.0.0.1", .action = "incident.create",
					.object_type = "incident", .object_id = id, .after = inc};

		rc = store_audit_append(cx->st, &e, now);
	}
	json_decref(inc);
	return rc;
}

/* Every connection this process opens gets a bigger page cache, so a batch of B incidents is
 * written to the WAL once at its commit instead of spilling pages mid-transaction. Only the
 * seeder's own connection is affected; the server keeps its settings. */
static int cache_pragma(sqlite3 *db, const char **err, const struct sqlite3_api_routines *api)
{
	(void)err;
	(void)api;
	sqlite3_exec(db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	return SQLITE_OK;
}

static double mono_s(void)
{
	return (double)tm_mono_us() / 1e6;
}

static int usage(void)
{
	fprintf(stderr, "usage: seed --data DIR --count N [--seed S] [--batch B] [--years Y]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	int64_t count = -1, seed = 1, batch = 10000, years = 3;
	struct seedctx cx;
	struct buf title, desc;
	double t0, tb;
	int64_t now, span, done = 0;
	int rc = STORE_OK;

	memset(&cx, 0, sizeof cx);
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--data") == 0 && v)
			dir = v;
		else if (strcmp(argv[i], "--count") == 0 && str_to_i64(v ? v : "", 0, 100000000, &count) == 0)
			;
		else if (strcmp(argv[i], "--seed") == 0 && str_to_i64(v ? v : "", 0, INT64_MAX, &seed) == 0)
			;
		else if (strcmp(argv[i], "--batch") == 0 && str_to_i64(v ? v : "", 1, 1000000, &batch) == 0)
			;
		else if (strcmp(argv[i], "--years") == 0 && str_to_i64(v ? v : "", 1, 50, &years) == 0)
			;
		else
			return usage();
		i++;
	}
	if (dir == NULL || count < 0)
		return usage();
	rng_state ^= (uint64_t)seed * 0xBF58476D1CE4E5B9ULL;
	if (rng_state == 0)
		rng_state = 1;
	zipf_init();
	sqlite3_auto_extension((void (*)(void))cache_pragma);
	if (crypto_init() != 0 || store_open(dir, 0, &cx.st) != STORE_OK)
		return 1;
	if (load_preset(&cx) != 0 || load_orgs(&cx) != 0) {
		store_close(cx.st);
		preset_free(cx.p);
		return 1;
	}
	cx.initial = preset_initial_state(cx.p);
	buf_init(&title, TEXT_CAP);
	buf_init(&desc, TEXT_CAP);
	now = tm_now();
	span = years * 365 * 86400;
	t0 = tb = mono_s();
	while (done < count && rc == STORE_OK) {
		int64_t n = count - done < batch ? count - done : batch;

		rc = store_begin(cx.st);
		for (int64_t i = 0; i < n && rc == STORE_OK; i++) {
			/* grows with the position; a few hours of jitter keep it from being sorted */
			int64_t detected = now - span + (span * (done + i)) / (count ? count : 1) -
					   (int64_t)rng_below(6 * 3600) - 120;

			rc = seed_one(&cx, detected, now, &title, &desc);
		}
		if (rc == STORE_OK)
			rc = store_commit(cx.st);
		else
			store_rollback(cx.st);
		if (rc != STORE_OK)
			break;
		done += n;
		if (done % 100000 == 0 || done == count) {
			double t = mono_s();

			fprintf(stderr, "seed: %lld incidents, %.1f s (%.0f/s over the last %lld)\n",
				(long long)done, t - t0, (double)(done % 100000 ? done % 100000 : 100000) / (t - tb),
				(long long)(done % 100000 ? done % 100000 : 100000));
			tb = t;
		}
	}
	if (rc == STORE_OK) {
		double t = mono_s() - t0;

		printf("seeded=%lld seconds=%.2f rate=%.0f\n", (long long)done, t,
		       t > 0 ? (double)done / t : 0.0);
	} else {
		fprintf(stderr, "seed: failed after %lld incidents (store error %d)\n", (long long)done, rc);
	}
	buf_free(&title);
	buf_free(&desc);
	store_close(cx.st);
	preset_free(cx.p);
	return rc == STORE_OK ? 0 : 1;
}
