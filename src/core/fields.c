/* fields.c - the resources' field declarations (fields.h). */
#include "fields.h"

#include <string.h>

#define C FIELD_CREATE
#define U FIELD_UPDATE
#define R FIELD_REQUIRED
#define S FIELD_SHOWN

static const struct field incident[] = {
	{"title", "title", FIELD_TEXT, 300, C | U | R | S, "Tiêu đề / title"},
	{"group", "grp", FIELD_CODE, 0, C | U | R | S,
	 "Nhóm sự cố của quy chế (001 Đ15.2) / the preset's incident group"},
	{"type", "type", FIELD_CODE, 0, C | U | R | S, "Loại sự cố / incident type"},
	{"severity", "severity", FIELD_CODE, 0, C | U | R | S,
	 "Mức độ (001 Đ15.3) / severity"},
	{"detected_at", "detected_at", FIELD_TIME, 0, C | U | R | S,
	 "Thời điểm phát hiện, không ở tương lai / detection time, not in the future"},
	{"description", "description", FIELD_TEXTAREA, 20000, C | U | R | S, "Mô tả / description"},
	{"impact", "impact", FIELD_TEXTAREA, 20000, C | U | S, "Ảnh hưởng / impact"},
	{"actions_taken", "actions_taken", FIELD_TEXTAREA, 20000, C | U | S,
	 "Biện pháp đã thực hiện / actions taken"},
	{"tlp", "tlp", FIELD_TLP, 0, C | U | S,
	 "Nhãn chia sẻ TLP, mặc định amber (000 Đ4.4) / sharing label, amber by default"},
	{"is_drill", "is_drill", FIELD_BOOL, 0, C | U | S, "Diễn tập / a drill"},
	{"systems", "systems", FIELD_IDS, 50, C | U | S,
	 "Hệ thống bị ảnh hưởng (mã số) / affected systems (ids)"},
	{"form", "form", FIELD_OBJECT, 0, C | U | S,
	 "Biểu mẫu của quy chế {mã: {trường: giá trị}} / the preset's forms"},
	{"observables", NULL, FIELD_LIST, 1000, C | FIELD_INPUT,
	 "Dấu hiệu kỹ thuật [{kind, value}] / observables"},
	{"extract", NULL, FIELD_BOOL, 0, C | FIELD_INPUT,
	 "Trích dấu hiệu từ mô tả / extract observables from the description"},
	{"id", "id", FIELD_INT, 0, S, "Mã số / id"},
	{"ref", "ref", FIELD_TEXT, 32, S, "Số hiệu UC-năm-số / reference"},
	{"status", "status", FIELD_CODE, 0, S, "Trạng thái của quy trình / procedure state"},
	{"org_id", "org_id", FIELD_INT, 0, S, "Đơn vị báo cáo / reporting organisation"},
	{"reported_at", "reported_at", FIELD_TIME, 0, S,
	 "Thời điểm báo cáo cơ quan điều phối / reported to the coordinator at"},
	{"closed_at", "closed_at", FIELD_TIME, 0, S, "Thời điểm kết thúc / closed at"},
	{"flags", "flags", FIELD_LIST, 0, S, "Dấu hiệu đã ghi nhận / raised flags"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag) / version (ETag)"},
};

const struct resource fields_incident = {"Incident", incident, sizeof incident / sizeof incident[0]};

static const struct field warning[] = {
	{"title", "title", FIELD_TEXT, 300, C | U | R | S, "Tiêu đề / title"},
	{"description", "description", FIELD_TEXTAREA, 20000, C | U | S, "Nội dung / description"},
	{"severity", "severity", FIELD_CODE, 0, C | U | R | S, "Mức độ của quy chế / severity"},
	{"tlp", "tlp", FIELD_TLP, 0, C | U | S, "Nhãn TLP, mặc định amber / TLP, amber by default"},
	{"legal_basis", "legal_basis", FIELD_TEXTAREA, 1000, C | U | S,
	 "Căn cứ (000 Đ7.4) / legal basis"},
	{"refs", "refs", FIELD_LIST, 100, C | U | S,
	 "Tham chiếu [{type: cve|url|..., value}] / references"},
	{"products", "products", FIELD_LIST, 100, C | U | S,
	 "Sản phẩm bị ảnh hưởng [{vendor, product, versions}] / affected products"},
	{"actions", "actions", FIELD_TEXTAREA, 20000, C | U | S,
	 "Việc các đơn vị phải làm / what the targets must do"},
	{"due_at", "due_at", FIELD_TIME, 0, C | U | S, "Hạn trả lời / answer due"},
	{"target", "target", FIELD_OBJECT, 0, C | U | S,
	 "Đơn vị nhận {mode: match|all|roles|orgs, ...} / targets"},
	{"indicators", "indicators", FIELD_LIST, 1000, C | U | S,
	 "Chỉ báo [{kind, value}] / indicators"},
	{"id", "id", FIELD_INT, 0, S, "Mã số / id"},
	{"ref", "ref", FIELD_TEXT, 32, S, "Số hiệu / reference"},
	{"status", "status", FIELD_CODE, 0, S, "draft, issued, closed, withdrawn"},
	{"issuer_org_id", "issuer_org_id", FIELD_INT, 0, S, "Đơn vị phát / issuer"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag) / version (ETag)"},
};

const struct resource fields_warning = {"Warning", warning, sizeof warning / sizeof warning[0]};

static const struct field system_[] = {
	{"name", "name", FIELD_TEXT, 256, C | U | R | S, "Tên hệ thống / name"},
	{"description", "description", FIELD_TEXTAREA, 4000, C | U | S, "Mô tả / description"},
	{"level", "level", FIELD_INT, 0, C | U | R | S,
	 "Cấp độ an toàn 1-5 (Nghị định 85/2016) / security level 1-5"},
	{"central_hosted", "central_hosted", FIELD_BOOL, 0, C | U | S,
	 "Đặt tại trung tâm dữ liệu tỉnh (001 Đ15.4a) / hosted at the provincial data centre"},
	{"critical", "critical", FIELD_BOOL, 0, C | U | S,
	 "Thuộc danh mục hệ thống quan trọng (002 Đ5) / on the critical list"},
	{"owner_org_id", "owner_org_id", FIELD_INT, 0, C | U | S,
	 "Đơn vị chủ quản, mặc định đơn vị mình / owner, one's own by default"},
	{"operator_org_id", "operator_org_id", FIELD_INT, 0, C | U | S,
	 "Đơn vị vận hành, mặc định đơn vị mình / operator, one's own by default"},
	{"assets", "assets", FIELD_LIST, 200, C | U | S,
	 "Tài sản [{kind: domain|cidr|url|ipv4|ipv6, value}] / assets"},
	{"products", "products", FIELD_LIST, 100, C | U | S,
	 "Sản phẩm [{vendor, product, version}] / products"},
	{"id", "id", FIELD_INT, 0, S, "Mã số / id"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag) / version (ETag)"},
};

const struct resource fields_system = {"System", system_, sizeof system_ / sizeof system_[0]};

const struct field *fields_find(const struct resource *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

int fields_keys(const struct resource *r, unsigned mode, const char **keys, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nfields; i++) {
		if (!(r->fields[i].flags & mode))
			continue;
		if (n + 1 >= max)
			return -1;
		keys[n++] = r->fields[i].name;
	}
	keys[n] = NULL;
	return (int)n;
}

static const struct field org[] = {
	{"name", "name", FIELD_TEXT, 256, C | U | R | S, "Tên đơn vị / name"},
	{"code", "code", FIELD_CODE, 32, C | U | R | S, "Mã đơn vị a-z 0-9 - _ / code"},
	{"role", "role", FIELD_CODE, 32, C | U | R | S,
	 "Vai trò trong quy chế (coordinator, police, member...) / role in the regulation"},
	{"parent_id", "parent_id", FIELD_INT, 0, C | U | S,
	 "Cơ quan cấp trên trực tiếp (001 Đ15.5) / the superior body"},
	{"address", "address", FIELD_TEXT, 300, C | U | S, "Địa chỉ / address"},
	{"phone", "phone", FIELD_TEXT, 32, C | U | S, "Điện thoại / phone"},
	{"fax", "fax", FIELD_TEXT, 32, C | U | S, "Fax"},
	{"email", "email", FIELD_TEXT, 128, C | U | S, "Thư điện tử đầu mối / contact e-mail"},
	{"hotline", "hotline", FIELD_TEXT, 32, C | U | S, "Đường dây nóng / hotline"},
	{"hotline_247", "hotline_247", FIELD_BOOL, 0, C | U | S, "Trực 24/7 (000 Đ6.4a) / 24/7"},
	{"contact_name", "contact_name", FIELD_TEXT, 128, C | U | S, "Người đầu mối / contact"},
	{"id", "id", FIELD_INT, 0, S, "Mã số / id"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag) / version (ETag)"},
};

const struct resource fields_org = {"Org", org, sizeof org / sizeof org[0]};

static const struct field user[] = {
	{"username", "username", FIELD_TEXT, 64, C | R | S,
	 "Tên đăng nhập 3-64 ký tự a-z 0-9 . _ - / username"},
	{"full_name", "full_name", FIELD_TEXT, 128, C | U | R | S, "Họ tên / full name"},
	{"email", "email", FIELD_TEXT, 128, C | U | S, "Thư điện tử / e-mail"},
	{"phone", "phone", FIELD_TEXT, 32, C | U | S, "Điện thoại / phone"},
	{"position", "position", FIELD_TEXT, 128, C | U | S, "Chức vụ / position"},
	{"org_id", "org_id", FIELD_INT, 0, C | U | R | S, "Đơn vị / organisation"},
	{"roles", "roles", FIELD_LIST, 6, C | U | R | S,
	 "Vai trò: reporter, officer, leader, operator, auditor, admin / roles"},
	{"pw_hash", "pw_hash", FIELD_TEXT, 0, FIELD_SECRET, "argon2id"},
	{"id", "id", FIELD_INT, 0, S, "Mã số / id"},
	{"version", "version", FIELD_INT, 0, S, "Phiên bản (ETag) / version (ETag)"},
};

const struct resource fields_user = {"User", user, sizeof user / sizeof user[0]};
