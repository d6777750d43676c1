/* fields.c - the resources' field declarations (fields.h). */
#include "fields.h"

#include <string.h>

#define C FIELD_CREATE
#define U FIELD_UPDATE
#define R FIELD_REQUIRED
#define S FIELD_SHOWN
#define RESOURCE(name, f) {name, f, sizeof f / sizeof f[0], false}
#define BODY(name, f) {name, f, sizeof f / sizeof f[0], true}

static const struct field incident[] = {
	{"title", "title", FIELD_TEXT, 300, C | U | R | S, "Tiêu đề", "title"},
	{"group", "grp", FIELD_CODE, 48, C | U | R | S,
	 "Nhóm sự cố của quy chế (001 Đ15.2)", "the preset's incident group"},
	{"type", "type", FIELD_CODE, 48, C | U | R | S, "Loại sự cố", "incident type"},
	{"severity", "severity", FIELD_CODE, 48, C | U | R | S,
	 "Mức độ (001 Đ15.3)", "severity"},
	{"detected_at", "detected_at", FIELD_TIME, 0, C | U | R | S,
	 "Thời điểm phát hiện, không ở tương lai", "detection time, not in the future"},
	{"description", "description", FIELD_TEXTAREA, 20000, C | U | R | S,
	 "Mô tả", "description"},
	{"impact", "impact", FIELD_TEXTAREA, 20000, C | U | S, "Ảnh hưởng", "impact"},
	{"actions_taken", "actions_taken", FIELD_TEXTAREA, 20000, C | U | S,
	 "Biện pháp đã thực hiện", "actions taken"},
	{"tlp", "tlp", FIELD_TLP, 0, C | U | S,
	 "Nhãn chia sẻ TLP, mặc định amber (000 Đ4.4)", "sharing label, amber by default"},
	{"is_drill", "is_drill", FIELD_BOOL, 0, C | U | S, "Diễn tập", "a drill"},
	{"systems", "systems", FIELD_IDS, 50, C | U | S,
	 "Hệ thống bị ảnh hưởng (mã số)", "affected systems (ids)"},
	{"form", "form", FIELD_OBJECT, 0, C | U | S,
	 "Biểu mẫu của quy chế {mã: {trường: giá trị}}", "the preset's forms"},
	{"observables", NULL, FIELD_LIST, 1000, C | FIELD_INPUT,
	 "Dấu hiệu kỹ thuật [{kind, value}]", "observables"},
	{"extract", NULL, FIELD_BOOL, 0, C | FIELD_INPUT,
	 "Trích dấu hiệu từ mô tả", "extract observables from the description"},
	{"id", "id", FIELD_INT, 0, S, "Mã số", "id"},
	{"ref", "ref", FIELD_TEXT, 32, S, "Số hiệu UC-năm-số", "reference"},
	{"status", "status", FIELD_CODE, 0, S, "Trạng thái của quy trình", "procedure state"},
	{"org_id", "org_id", FIELD_INT, 0, S, "Đơn vị báo cáo", "reporting organisation"},
	{"reported_at", "reported_at", FIELD_TIME, 0, S,
	 "Thời điểm báo cáo cơ quan điều phối", "reported to the coordinator at"},
	{"closed_at", "closed_at", FIELD_TIME, 0, S, "Thời điểm kết thúc", "closed at"},
	{"flags", "flags", FIELD_LIST, 0, S, "Dấu hiệu đã ghi nhận", "raised flags"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag)", "version (ETag)"},
};

const struct resource fields_incident = RESOURCE("Incident", incident);

static const struct field warning[] = {
	{"title", "title", FIELD_TEXT, 300, C | U | R | S, "Tiêu đề", "title"},
	{"description", "description", FIELD_TEXTAREA, 20000, C | U | S, "Nội dung", "description"},
	{"severity", "severity", FIELD_CODE, 48, C | U | R | S, "Mức độ của quy chế", "severity"},
	{"tlp", "tlp", FIELD_TLP, 0, C | U | S,
	 "Nhãn TLP, mặc định amber", "TLP, amber by default"},
	{"legal_basis", "legal_basis", FIELD_TEXTAREA, 1000, C | U | S,
	 "Căn cứ (000 Đ7.4)", "legal basis"},
	{"refs", "refs", FIELD_LIST, 100, C | U | S,
	 "Tham chiếu [{type: cve|url|..., value}]", "references"},
	{"products", "products", FIELD_LIST, 100, C | U | S,
	 "Sản phẩm bị ảnh hưởng [{vendor, product, versions}]", "affected products"},
	{"actions", "actions", FIELD_TEXTAREA, 20000, C | U | S,
	 "Việc các đơn vị phải làm", "what the targets must do"},
	{"due_at", "due_at", FIELD_TIME, 0, C | U | S, "Hạn trả lời", "answer due"},
	{"target", "target", FIELD_OBJECT, 0, C | U | S,
	 "Đơn vị nhận {mode: match|all|roles|orgs, ...}", "targets"},
	{"indicators", "indicators", FIELD_LIST, 1000, C | U | S,
	 "Chỉ báo [{kind, value}]", "indicators"},
	{"id", "id", FIELD_INT, 0, S, "Mã số", "id"},
	{"ref", "ref", FIELD_TEXT, 32, S, "Số hiệu", "reference"},
	{"status", "status", FIELD_CODE, 0, S, "Trạng thái: draft, issued, closed, withdrawn",
	 "the state: draft, issued, closed, withdrawn"},
	{"issuer_org_id", "issuer_org_id", FIELD_INT, 0, S, "Đơn vị phát", "issuer"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag)", "version (ETag)"},
};

const struct resource fields_warning = RESOURCE("Warning", warning);

static const struct field system_[] = {
	{"name", "name", FIELD_TEXT, 256, C | U | R | S, "Tên hệ thống", "name"},
	{"description", "description", FIELD_TEXTAREA, 4000, C | U | S, "Mô tả", "description"},
	{"level", "level", FIELD_INT, 5, C | U | R | S,
	 "Cấp độ an toàn 1-5 (Nghị định 85/2016)", "security level 1-5"},
	{"central_hosted", "central_hosted", FIELD_BOOL, 0, C | U | S,
	 "Đặt tại trung tâm dữ liệu tỉnh (001 Đ15.4a)", "hosted at the provincial data centre"},
	{"critical", "critical", FIELD_BOOL, 0, C | U | S,
	 "Thuộc danh mục hệ thống quan trọng (002 Đ5)", "on the critical list"},
	{"owner_org_id", "owner_org_id", FIELD_INT, 0, C | U | S,
	 "Đơn vị chủ quản, mặc định đơn vị mình", "owner, one's own by default"},
	{"operator_org_id", "operator_org_id", FIELD_INT, 0, C | U | S,
	 "Đơn vị vận hành, mặc định đơn vị mình", "operator, one's own by default"},
	{"assets", "assets", FIELD_LIST, 200, C | U | S,
	 "Tài sản [{kind: domain|cidr|url|ipv4|ipv6, value}]", "assets"},
	{"products", "products", FIELD_LIST, 100, C | U | S,
	 "Sản phẩm [{vendor, product, version}]", "products"},
	{"id", "id", FIELD_INT, 0, S, "Mã số", "id"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag)", "version (ETag)"},
};

const struct resource fields_system = RESOURCE("System", system_);

const struct field *fields_find(const struct resource *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

static const struct field org[] = {
	{"name", "name", FIELD_TEXT, 256, C | U | R | S, "Tên đơn vị", "name"},
	{"code", "code", FIELD_CODE, 32, C | U | R | S, "Mã đơn vị a-z 0-9 - _", "code"},
	{"role", "role", FIELD_CODE, 32, C | U | R | S,
	 "Vai trò trong quy chế (coordinator, police, member...)", "role in the regulation"},
	{"parent_id", "parent_id", FIELD_INT, 0, C | U | S,
	 "Cơ quan cấp trên trực tiếp (001 Đ15.5)", "the superior body"},
	{"address", "address", FIELD_TEXT, 300, C | U | S, "Địa chỉ", "address"},
	{"phone", "phone", FIELD_TEXT, 32, C | U | S, "Điện thoại", "phone"},
	{"fax", "fax", FIELD_TEXT, 32, C | U | S, "Fax", "fax"},
	{"email", "email", FIELD_TEXT, 128, C | U | S, "Thư điện tử đầu mối", "contact e-mail"},
	{"hotline", "hotline", FIELD_TEXT, 32, C | U | S, "Đường dây nóng", "hotline"},
	{"hotline_247", "hotline_247", FIELD_BOOL, 0, C | U | S,
	 "Trực 24/7 (000 Đ6.4a)", "on call 24/7"},
	{"contact_name", "contact_name", FIELD_TEXT, 128, C | U | S, "Người đầu mối", "contact"},
	{"id", "id", FIELD_INT, 0, S, "Mã số", "id"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag)", "version (ETag)"},
};

const struct resource fields_org = RESOURCE("Org", org);

static const struct field user[] = {
	{"username", "username", FIELD_TEXT, 64, C | R | S,
	 "Tên đăng nhập 3-64 ký tự a-z 0-9 . _ -", "username"},
	{"full_name", "full_name", FIELD_TEXT, 128, C | U | R | S, "Họ tên", "full name"},
	{"email", "email", FIELD_TEXT, 128, C | U | S, "Thư điện tử", "e-mail"},
	{"phone", "phone", FIELD_TEXT, 32, C | U | S, "Điện thoại", "phone"},
	{"position", "position", FIELD_TEXT, 128, C | U | S, "Chức vụ", "position"},
	{"org_id", "org_id", FIELD_INT, 0, C | U | R | S, "Đơn vị", "organisation"},
	{"roles", "roles", FIELD_LIST, 6, C | U | R | S,
	 "Vai trò: reporter, officer, leader, operator, auditor, admin", "roles"},
	{"pw_hash", "pw_hash", FIELD_TEXT, 0, FIELD_SECRET, "argon2id", "argon2id"},
	{"id", "id", FIELD_INT, 0, S, "Mã số", "id"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag)", "version (ETag)"},
};

const struct resource fields_user = RESOURCE("User", user);

/* ---- bodies of actions (fields.h) ---- */

static const struct field transition[] = {
	{"action", NULL, FIELD_CODE, 48, C | R, "Bước của quy trình (mã của quy chế)", "the step"},
	{"note", NULL, FIELD_TEXTAREA, 20000, C, "Ghi chú", "note"},
	{"form", NULL, FIELD_OBJECT, 0, C,
	 "Biểu mẫu bước này cần {mã: {trường: giá trị}}", "the form the step needs"},
};
const struct resource fields_transition = BODY("Transition", transition);

static const struct field flag[] = {
	{"flag", NULL, FIELD_CODE, 48, C | R,
	 "Dấu hiệu của quy chế (vượt khả năng, vi phạm pháp luật...)", "the preset's flag"},
	{"note", NULL, FIELD_TEXTAREA, 20000, C, "Ghi chú", "note"},
};
const struct resource fields_flag = BODY("Flag", flag);

static const struct field comment[] = {
	{"body", NULL, FIELD_TEXTAREA, 10000, C | R, "Nội dung ghi chú", "the comment"},
};
const struct resource fields_comment = BODY("Comment", comment);

static const struct field told[] = {
	{"org_id", NULL, FIELD_INT, 0, C | R, "Đơn vị đã được báo", "the organisation told"},
	{"how", NULL, FIELD_CODE, 16, C | R, "Cách báo: letter, fax, phone, email, meeting",
	 "by what: letter, fax, phone, email, meeting"},
	{"ref", NULL, FIELD_TEXT, 64, C, "Số công văn (bắt buộc với công văn)",
	 "the letter's number (required for a letter)"},
	{"told_at", NULL, FIELD_TIME, 0, C | R, "Thời điểm báo", "when it was told"},
	{"note", NULL, FIELD_TEXTAREA, 2000, C, "Ghi chú", "a note"},
	{"attachment_id", NULL, FIELD_INT, 0, C, "Bằng chứng: tệp đính kèm của sự cố (bản quét công văn)",
	 "the evidence: a file attached to the incident (the letter, scanned)"},
};
const struct resource fields_told = BODY("Told", told);

static const struct field request[] = {
	{"org_id", NULL, FIELD_INT, 0, C | R, "Đơn vị được đề nghị", "the organisation asked"},
	{"kind", NULL, FIELD_CODE, 20, C | R, "Loại đề nghị", "kind of request"},
	{"body", NULL, FIELD_TEXTAREA, 4000, C | R, "Nội dung đề nghị", "what is asked"},
	{"due_at", NULL, FIELD_TIME, 0, C, "Hạn trả lời", "answer due"},
};
const struct resource fields_request = BODY("RequestNew", request);

static const struct field answer[] = {
	{"status", NULL, FIELD_CODE, 20, C | R,
	 "Trạng thái mới của đề nghị: accepted, declined, in_progress, done",
	 "the request's new state: accepted, declined, in_progress, done"},
	{"answer", NULL, FIELD_TEXTAREA, 4000, C | R, "Trả lời", "the answer"},
};
const struct resource fields_answer = BODY("Answer", answer);

static const struct field duty_done[] = {
	{"note", NULL, FIELD_TEXTAREA, 4000, C | R, "Việc đã làm", "what was done"},
};
const struct resource fields_duty_done = BODY("DutyDone", duty_done);

static const struct field finding_status[] = {
	{"status", NULL, FIELD_CODE, 32, C | R,
	 "Trạng thái mới của lỗ hổng: open, in_progress, fixed, accepted, false_positive",
	 "the finding's new status: open, in_progress, fixed, accepted, false_positive"},
	{"note", NULL, FIELD_TEXTAREA, 4000, C, "Ghi chú", "note"},
};
const struct resource fields_finding_status = BODY("FindingStatus", finding_status);

static const struct field mail_decision[] = {
	{"note", NULL, FIELD_TEXTAREA, 1000, C, "Lý do", "why"},
};
const struct resource fields_mail_decision = BODY("MailDecision", mail_decision);

static const struct field handover[] = {
	{"preset", NULL, FIELD_CODE, 48, C, "Quy chế mới", "the new preset"},
	{"coordinator_org_id", NULL, FIELD_INT, 0, C,
	 "Cơ quan chủ trì mới", "the new lead body"},
	{"note", NULL, FIELD_TEXTAREA, 2000, C, "Căn cứ, ghi chú", "basis, note"},
};
const struct resource fields_handover = BODY("Handover", handover);

static const struct field warning_close[] = {
	{"withdraw", NULL, FIELD_BOOL, 0, C, "Thu hồi thay vì đóng", "withdraw instead of close"},
};
const struct resource fields_warning_close = BODY("WarningClose", warning_close);

static const struct field remediation[] = {
	{"status", NULL, FIELD_CODE, 20, C | R,
	 "Tình trạng khắc phục của hệ thống", "the system's remediation status"},
	{"note", NULL, FIELD_TEXTAREA, 4000, C, "Ghi chú", "note"},
};
const struct resource fields_remediation = BODY("Remediation", remediation);

static const struct field spawn[] = {
	{"title", NULL, FIELD_TEXT, 300, C, "Tiêu đề, mặc định của cảnh báo", "title"},
	{"group", NULL, FIELD_CODE, 48, C, "Nhóm sự cố", "incident group"},
	{"type", NULL, FIELD_CODE, 48, C, "Loại sự cố", "incident type"},
	{"severity", NULL, FIELD_CODE, 48, C, "Mức độ", "severity"},
	{"tlp", NULL, FIELD_TLP, 0, C, "Nhãn TLP", "TLP"},
	{"description", NULL, FIELD_TEXTAREA, 20000, C, "Mô tả", "description"},
};
const struct resource fields_spawn = BODY("Spawn", spawn);

static const struct field observables[] = {
	{"observables", NULL, FIELD_LIST, 1000, C,
	 "Dấu hiệu [{kind, value}] hoặc chuỗi", "observables, objects or strings"},
	{"extract", NULL, FIELD_BOOL, 0, C,
	 "Trích dấu hiệu từ mô tả", "extract observables from the description"},
};
const struct resource fields_observables = BODY("Observables", observables);

static const struct field indicator_check[] = {
	{"values", NULL, FIELD_LIST, 1000, C | R, "Các dòng cần nhận dạng", "lines to check"},
};
const struct resource fields_indicator_check = BODY("IndicatorCheck", indicator_check);

static const struct field login[] = {
	{"username", NULL, FIELD_TEXT, 64, C | R, "Tên đăng nhập", "username"},
	{"password", NULL, FIELD_TEXT, 1024, C | R | FIELD_SECRET, "Mật khẩu", "password"},
	{"totp", NULL, FIELD_TEXT, 10, C, "Mã TOTP khi bắt buộc", "TOTP code when required"},
};
const struct resource fields_login = BODY("Login", login);

static const struct field password[] = {
	{"current_password", NULL, FIELD_TEXT, 1024, C | R | FIELD_SECRET,
	 "Mật khẩu hiện tại", "current password"},
	{"new_password", NULL, FIELD_TEXT, 1024, C | R | FIELD_SECRET,
	 "Mật khẩu mới theo chính sách", "new password, as the policy says"},
};
const struct resource fields_password = BODY("PasswordChange", password);

static const struct field totp_code[] = {
	{"code", NULL, FIELD_TEXT, 10, C | R, "Mã TOTP 6 chữ số", "the 6-digit TOTP code"},
};
const struct resource fields_totp_code = BODY("TotpCode", totp_code);

static const struct field notify_prefs[] = {
	{"events", NULL, FIELD_OBJECT, 0, C | R,
	 "{sự kiện: immediate|digest|off}", "{event: immediate|digest|off}"},
};
const struct resource fields_notify_prefs = BODY("NotificationPrefs", notify_prefs);

static const struct field security[] = {
	{"totp_required_roles", NULL, FIELD_LIST, 6, C,
	 "Vai trò bắt buộc TOTP", "roles that must use TOTP"},
	{"totp_enforce", NULL, FIELD_BOOL, 0, C,
	 "Bắt buộc ngay, không chờ đăng ký", "enforce now"},
};
const struct resource fields_security = BODY("SecuritySettings", security);

static const struct field webhook[] = {
	{"url", NULL, FIELD_TEXT, 500, C | R, "Địa chỉ https:// nhận sự kiện", "the https:// URL"},
	{"active", NULL, FIELD_BOOL, 0, C, "Đang dùng", "active"},
	{"rotate_secret", NULL, FIELD_BOOL, 0, C, "Tạo bí mật ký mới", "make a new signing secret"},
};
const struct resource fields_webhook = BODY("Webhook", webhook);
