/* routes.c - every route of the API in one table; the OpenAPI document is made from it. */
#include "api.h"

/* Who may call each route (struct api_access, decided by api_before before the handler reads
 * its input; docs/access.md says the same in words):
 *   PUBLIC              no session needed
 *   OWN                 any signed-in account, on its own account or session
 *   ANY(text)           any signed-in account; what it sees is narrowed by a scope or rule named
 *   RULE(fn, text)      fn(subject) from core/access.c must hold (403)
 *   ON(OBJ, action)     the object of path parameter 0: not readable 404, action not allowed 403
 *   ON_HERE(OBJ, act)   the same, decided by the handler in the one read that answers it
 *   OP(text)            an object whose rule its operation (ops/) or handler decides, as named */
#define PUBLIC NULL
#define DECL(...) (&(const struct api_access){__VA_ARGS__})
#define OWN DECL(.object = API_OBJ_NONE, .action = AC_READ, .text = "chính mình / oneself")
#define ANY(t) DECL(.object = API_OBJ_NONE, .action = AC_READ, .text = t)
#define RULE(fn, t) DECL(.object = API_OBJ_NONE, .action = AC_READ, .rule = fn, .text = t)
#define ON(obj, act) DECL(.object = API_OBJ_##obj, .action = act, .text = #obj " " #act)
#define ON_HERE(obj, act)                                                                        \
	DECL(.object = API_OBJ_##obj, .action = act, .text = #obj " " #act, .in_handler = true)
#define OP(t) DECL(.object = API_OBJ_HANDLER, .action = AC_READ, .text = t)
/* The same, with the JSON body the route reads (a declaration of core/fields.c: an action's
 * body, or a resource's fields writable in mode) and the resource its answer is. Every route
 * that reads a JSON body names it here; api_before checks the body by it. */
#define BODY_OF(b) .body = &b, .mode = FIELD_CREATE
#define PUBLIC_BODY(b) DECL(.object = API_OBJ_NONE, .action = AC_READ, .public_ = true,          \
			    .text = "không cần đăng nhập / no session", BODY_OF(b))
#define OWN_BODY(b) DECL(.object = API_OBJ_NONE, .action = AC_READ, .text = "chính mình / oneself", \
			 BODY_OF(b))
#define ANY_BODY(t, b) DECL(.object = API_OBJ_NONE, .action = AC_READ, .text = t, BODY_OF(b))
#define RULE_BODY(fn, t, b)                                                                      \
	DECL(.object = API_OBJ_NONE, .action = AC_READ, .rule = fn, .text = t, BODY_OF(b))
#define ON_BODY(obj, act, b)                                                                     \
	DECL(.object = API_OBJ_##obj, .action = act, .text = #obj " " #act, BODY_OF(b))
#define OP_BODY(t, b) DECL(.object = API_OBJ_HANDLER, .action = AC_READ, .text = t, BODY_OF(b))
#define ANY_WRITES(t, res, m)                                                                    \
	DECL(.object = API_OBJ_NONE, .action = AC_READ, .text = t, .body = &res, .mode = m,        \
	     .shows = &res)
#define ON_WRITES(obj, act, res, m)                                                              \
	DECL(.object = API_OBJ_##obj, .action = act, .text = #obj " " #act, .body = &res,          \
	     .mode = m, .shows = &res)
#define RULE_WRITES(fn, t, res, m)                                                               \
	DECL(.object = API_OBJ_NONE, .action = AC_READ, .rule = fn, .text = t, .body = &res,       \
	     .mode = m, .shows = &res)
#define OP_WRITES(t, res, m)                                                                     \
	DECL(.object = API_OBJ_HANDLER, .action = AC_READ, .text = t, .body = &res, .mode = m,     \
	     .shows = &res)
#define OP_SHOWS(t, res) DECL(.object = API_OBJ_HANDLER, .action = AC_READ, .text = t, .shows = &res)
#define ON_SHOWS(obj, act, res)                                                                  \
	DECL(.object = API_OBJ_##obj, .action = act, .text = #obj " " #act, .shows = &res)
#define ON_HERE_SHOWS(obj, act, res)                                                             \
	DECL(.object = API_OBJ_##obj, .action = act, .text = #obj " " #act, .in_handler = true,    \
	     .shows = &res)

/* texts several routes share */
#define WHO_ADMINS "quản trị / admins"
#define WHO_COORD_ADMINS "quản trị của cơ quan điều phối / the coordinator's admins"
#define WHO_DIRECTORY "danh bạ: mọi tài khoản / the directory: every account"
#define WHO_ORG_EDITORS "lãnh đạo, cán bộ của đơn vị, quản trị (access_org AC_EDIT) / its leader, officer, admins"
#define WHO_USER_ADMINS "quản trị của đơn vị hoặc của cơ quan điều phối (access_user AC_ADMIN) / the organisation's or the coordinator's admins"
#define WHO_SCAN_READERS "access_scan AC_READ"
#define WHO_ISSUERS "đơn vị phát cảnh báo (000 Đ7.4) / warning issuers"
#define WHO_COMPLIANCE "cơ quan điều phối, kiểm tra viên / the coordinator's staff, auditors"
#define WHO_INCIDENT_SCOPE "phạm vi access_incident_scope / as the incidents one reads"
#define WHO_SUMMARY_READERS "báo cáo của đơn vị mình; cơ quan điều phối: theo đơn vị / one's own organisation's; the coordinator: any"
#define WHO_DOC_READERS "văn bản người hỏi được biết / documents the caller may know of"
#define WHO_EXCHANGE "tài khoản có vai trò sự cố đọc bộ sưu tập (access_exchange) / accounts with an incident role read collections"
#define WHO_MAIL_DESK "điều phối viên, quản trị của cơ quan điều phối / the coordinator's operators, admins"

const struct http_route api_routes[] = {
	{"GET", "/api/v1/health", api_meta_health, HTTP_PUBLIC, "Tình trạng máy chủ / health",
	 PUBLIC},
	{"GET", "/api/v1/openapi.json", api_meta_openapi, HTTP_PUBLIC, "OpenAPI 3.1 document",
	 PUBLIC},
	{"GET", "/api/v1/preset", api_meta_preset, 0, "Quy chế đang áp dụng / preset in force",
	 ANY("mọi tài khoản / every account")},
	{"POST", "/api/v1/auth/login", api_auth_login, HTTP_PUBLIC, "Đăng nhập / log in",
	 PUBLIC_BODY(fields_login)},
	{"POST", "/api/v1/auth/logout", api_auth_logout, 0, "Đăng xuất / log out",
	 OWN},
	{"GET", "/api/v1/auth/me", api_auth_me, 0, "Tài khoản của tôi / current account",
	 OWN},
	{"POST", "/api/v1/auth/password", api_auth_password, 0, "Đổi mật khẩu / change password",
	 OWN_BODY(fields_password)},
	{"POST", "/api/v1/auth/totp/enroll", api_auth_totp_enroll, 0,
	 "Bắt đầu đăng ký TOTP / start TOTP enrolment",
	 OWN},
	{"POST", "/api/v1/auth/totp/confirm", api_auth_totp_confirm, 0,
	 "Xác nhận TOTP / confirm TOTP enrolment",
	 OWN_BODY(fields_totp_code)},
	{"POST", "/api/v1/auth/totp/disable", api_auth_totp_disable, 0,
	 "Tắt TOTP (khi vai trò không bắt buộc) / turn TOTP off (when not required)",
	 OWN_BODY(fields_totp_code)},
	{"GET", "/api/v1/me/notifications", api_notify_get, 0,
	 "Tùy chọn thông báo của tôi / my notification preferences",
	 OWN},
	{"PUT", "/api/v1/me/notifications", api_notify_put, 0,
	 "Đặt tùy chọn thông báo (If-Match) / set my notification preferences (If-Match)",
	 OWN_BODY(fields_notify_prefs)},
	{"GET", "/api/v1/settings/security", api_settings_get, 0,
	 "Chính sách bảo mật / security settings",
	 RULE(api_access_admin, WHO_ADMINS)},
	{"PUT", "/api/v1/settings/security", api_settings_update, 0,
	 "Đặt chính sách TOTP theo vai trò / set the TOTP policy by role",
	 RULE_BODY(api_access_admin, WHO_ADMINS, fields_security)},
	{"GET", "/api/v1/admin/presets", api_admin_presets, 0,
	 "Các quy chế có sẵn / presets shipped in the binary",
	 RULE(api_access_admin, WHO_ADMINS)},
	{"POST", "/api/v1/admin/handover", api_admin_handover, 0,
	 "Chuyển quy chế hoặc cơ quan chủ trì / switch preset or lead body",
	 RULE_BODY(access_org_identity, WHO_COORD_ADMINS, fields_handover)},
	/* ---- backups (api/backups.c, docs/backup.md) ---- */
	{"GET", "/api/v1/admin/backups", api_backups_list, 0,
	 "Bản sao lưu, sao lưu hằng ngày và lần khôi phục thử gần nhất (001 Đ12.6) / backups, the "
	 "daily backup and the last restore test",
	 RULE(api_access_backup_read, "quản trị, kiểm tra viên / admins, auditors")},
	{"POST", "/api/v1/admin/backups", api_backups_create, 0,
	 "Sao lưu ngay / make a backup now",
	 RULE(api_access_admin, WHO_ADMINS)},
	{"POST", "/api/v1/admin/backups/{name}/verify", api_backups_verify, 0,
	 "Kiểm tra bản sao lưu (tệp, mã băm, chuỗi nhật ký) / verify a backup",
	 RULE(api_access_admin, WHO_ADMINS)},
	{"POST", "/api/v1/admin/backups/{name}/restore-test", api_backups_restore_test, 0,
	 "Khôi phục thử vào thư mục tạm và ghi nhận / restore test into a scratch folder, recorded",
	 RULE(api_access_admin, WHO_ADMINS)},
	/* ---- end of backups ---- */
	{"GET", "/api/v1/orgs", api_orgs_list, 0, "Danh bạ đơn vị / organisation directory",
	 ANY(WHO_DIRECTORY)},
	{"POST", "/api/v1/orgs", api_orgs_create, 0, "Thêm đơn vị / add an organisation",
	 RULE_WRITES(access_org_identity, WHO_COORD_ADMINS, fields_org, FIELD_CREATE)},
	{"GET", "/api/v1/orgs/{id}", api_orgs_get, 0, "Một đơn vị / one organisation",
	 ANY(WHO_DIRECTORY)},
	{"PATCH", "/api/v1/orgs/{id}", api_orgs_update, 0, "Sửa đơn vị / edit an organisation",
	 OP_WRITES("đầu mối: lãnh đạo, cán bộ của đơn vị; tên, mã, vai trò, cấp trên: quản trị của cơ quan điều phối (access_org, access_org_identity) / contact point: its leader, officer; identity: the coordinator's admins", fields_org, FIELD_UPDATE)},
	{"GET", "/api/v1/orgs/{id}/webhook", api_webhooks_get, 0,
	 "Webhook của đơn vị và nhật ký gửi / the organisation's webhook and deliveries",
	 OP(WHO_ORG_EDITORS)},
	{"PUT", "/api/v1/orgs/{id}/webhook", api_webhooks_set, 0,
	 "Đặt webhook (bí mật ký HMAC hiện một lần) / set the webhook (HMAC secret shown once)",
	 OP_BODY(WHO_ORG_EDITORS, fields_webhook)},
	{"GET", "/api/v1/users", api_users_list, 0, "Tài khoản / accounts",
	 ANY("quản trị, kiểm tra viên: mọi tài khoản; lãnh đạo: của đơn vị (access_user) / admins, auditors: all; a leader: its organisation's")},
	{"POST", "/api/v1/users", api_users_create, 0, "Tạo tài khoản / create an account",
	 RULE_WRITES(api_access_admin, "quản trị của đơn vị, hoặc của cơ quan điều phối (access_user) / the organisation's admins or the coordinator's", fields_user, FIELD_CREATE)},
	{"GET", "/api/v1/users/{id}", api_users_get, 0, "Một tài khoản / one account",
	 OP_SHOWS("chính mình, quản trị, kiểm tra viên, lãnh đạo của đơn vị (access_user AC_READ) / oneself, admins, auditors, its leader", fields_user)},
	{"PATCH", "/api/v1/users/{id}", api_users_update, 0, "Sửa tài khoản / edit an account",
	 OP_WRITES("chính mình (hồ sơ); quản trị của đơn vị hoặc của cơ quan điều phối (access_user AC_EDIT) / oneself; the organisation's or the coordinator's admins", fields_user, FIELD_UPDATE)},
	{"POST", "/api/v1/users/{id}/reset", api_users_reset, 0,
	 "Đặt lại mật khẩu / reset the password",
	 OP(WHO_USER_ADMINS)},
	{"POST", "/api/v1/users/{id}/disable", api_users_disable, 0,
	 "Vô hiệu hóa tài khoản / disable an account",
	 OP(WHO_USER_ADMINS)},
	{"POST", "/api/v1/users/{id}/enable", api_users_enable, 0,
	 "Kích hoạt lại tài khoản / enable an account",
	 OP(WHO_USER_ADMINS)},
	{"POST", "/api/v1/users/{id}/totp-reset", api_users_totp_reset, 0,
	 "Xóa TOTP khi mất thiết bị / clear a lost second factor",
	 OP(WHO_USER_ADMINS)},
	{"POST", "/api/v1/users/{id}/unlock", api_users_unlock, 0, "Mở khóa / unlock an account",
	 OP(WHO_USER_ADMINS)},
	{"GET", "/api/v1/tokens", api_tokens_list, 0, "Mã truy cập API / API tokens",
	 RULE(api_access_admin, WHO_ADMINS)},
	{"DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, 0, "Thu hồi mã / revoke a token",
	 RULE(api_access_admin, WHO_ADMINS)},
	{"GET", "/api/v1/systems", api_systems_list, 0, "Hệ thống thông tin / information systems",
	 ANY("phạm vi access_system_scope / the systems access_system_scope gives")},
	{"POST", "/api/v1/systems", api_systems_create, 0, "Đăng ký hệ thống / register a system",
	 OP_WRITES("cán bộ, lãnh đạo của đơn vị sở hữu/vận hành; điều phối viên, lãnh đạo của cơ "
		   "quan điều phối (access_system AC_CREATE) / owner, operator, coordinator",
		   fields_system, FIELD_CREATE)},
	{"GET", "/api/v1/systems/{id}", api_systems_get, 0, "Một hệ thống / one system",
	 OP_SHOWS("access_system AC_READ", fields_system)},
	{"PATCH", "/api/v1/systems/{id}", api_systems_update, 0, "Sửa hệ thống / edit a system",
	 OP_WRITES("access_system AC_EDIT", fields_system, FIELD_UPDATE)},
	/* ---- vulnerability scans and findings (api/scans.c, docs/scan.md) ---- */
	{"POST", "/api/v1/systems/{id}/scans", api_scans_import, HTTP_UPLOAD,
	 "Nhập kết quả quét lỗ hổng Greenbone/OpenVAS hoặc Nmap XML (?name=) / import a scanner "
	 "report",
	 OP("access_scan AC_CREATE (002 Đ7.2c)")},
	{"GET", "/api/v1/systems/{id}/scans", api_scans_list, 0,
	 "Các lần nhập kết quả quét / scanner report imports",
	 OP(WHO_SCAN_READERS)},
	{"GET", "/api/v1/systems/{id}/findings", api_findings_list, 0,
	 "Lỗ hổng phát hiện của hệ thống (?status=) / findings of a system",
	 OP(WHO_SCAN_READERS)},
	{"GET", "/api/v1/findings/{id}", api_findings_get, 0, "Một lỗ hổng / one finding",
	 OP("access_scan AC_READ, của hệ thống / as its system")},
	{"PATCH", "/api/v1/findings/{id}", api_findings_update, 0,
	 "Đổi trạng thái lỗ hổng kèm ghi chú / change a finding's status with a note",
	 OP_BODY("access_scan AC_EDIT, của hệ thống / as its system", fields_finding_status)},
	/* ---- end of scans ---- */
	{"GET", "/api/v1/incidents", api_incidents_list, 0,
	 "Danh sách sự cố (lọc, tìm kiếm, phân trang) / incidents (filter, search, keyset paging)",
	 ANY("phạm vi access_incident_scope / the incidents access_incident_scope gives")},
	{"POST", "/api/v1/incidents", api_incidents_create, HTTP_DEFER, "Báo cáo sự cố / report an incident",
	 ANY_WRITES("báo cáo sự cố của đơn vị mình (ops_incident_may_report) / report for one's own "
		    "organisation",
		    fields_incident, FIELD_CREATE)},
	{"GET", "/api/v1/incidents/{id}", api_incidents_get, 0, "Một sự cố / one incident",
	 ON_HERE_SHOWS(INCIDENT, AC_READ, fields_incident)},
	{"PATCH", "/api/v1/incidents/{id}", api_incidents_update, 0, "Sửa sự cố / edit an incident",
	 ON_WRITES(INCIDENT, AC_EDIT, fields_incident, FIELD_UPDATE)},
	{"POST", "/api/v1/incidents/{id}/transitions", api_incidents_transition, 0,
	 "Chuyển bước quy trình / take a procedure step",
	 ON_BODY(INCIDENT, AC_TRANSITION, fields_transition)},
	{"POST", "/api/v1/incidents/{id}/flags", api_incidents_flag, 0,
	 "Ghi nhận dấu hiệu (vượt khả năng, vi phạm pháp luật...) / raise a flag",
	 ON_BODY(INCIDENT, AC_EDIT, fields_flag)},
	{"GET", "/api/v1/incidents/{id}/journal", api_journal_list, 0, "Nhật ký xử lý / journal",
	 ON(INCIDENT, AC_READ)},
	{"POST", "/api/v1/incidents/{id}/journal", api_journal_add, HTTP_DEFER, "Thêm ghi chú / add a comment",
	 ON_BODY(INCIDENT, AC_COMMENT, fields_comment)},
	{"GET", "/api/v1/incidents/{id}/requests", api_requests_list, 0,
	 "Yêu cầu phối hợp / coordination requests",
	 ON(INCIDENT, AC_READ)},
	{"POST", "/api/v1/incidents/{id}/requests", api_requests_create, 0,
	 "Đề nghị hỗ trợ / ask an organisation for help",
	 ON_BODY(INCIDENT, AC_REQUEST, fields_request)},
	{"GET", "/api/v1/requests", api_requests_box, 0,
	 "Yêu cầu phối hợp đến/đi của đơn vị (?box=in|out&status=) / requests to or from my "
	 "organisation",
	 RULE(access_request_box, "nhân sự có vai trò sự cố / staff with an incident role")},
	{"POST", "/api/v1/requests/{id}/answer", api_requests_answer, 0,
	 "Trả lời đề nghị / answer a request",
	 ON_BODY(REQUEST, AC_COMMENT, fields_answer)},
	{"GET", "/api/v1/incidents/{id}/attachments", api_attachments_list, 0,
	 "Tệp đính kèm / attachments",
	 ON(INCIDENT, AC_READ)},
	{"POST", "/api/v1/incidents/{id}/attachments", api_attachments_add, HTTP_UPLOAD,
	 "Tải tệp lên (?name=) / upload a file (?name=)",
	 ON(INCIDENT, AC_COMMENT)},
	{"GET", "/api/v1/attachments/{id}", api_attachments_get, 0, "Tải tệp về / download a file",
	 ON(ATTACHMENT, AC_READ)},
	/* ---- warnings, indicators, observables (api/warnings.c, api/indicators.c) ---- */
	{"GET", "/api/v1/incidents/{id}/observables", api_observables_list, 0,
	 "Dấu hiệu kỹ thuật (IP, tên miền, URL, mã băm...) / observables",
	 ON(INCIDENT, AC_READ)},
	{"POST", "/api/v1/incidents/{id}/observables", api_observables_add, 0,
	 "Thêm dấu hiệu, hoặc trích từ mô tả (extract) / add observables or extract them",
	 ON_BODY(INCIDENT, AC_COMMENT, fields_observables)},
	{"GET", "/api/v1/incidents/{id}/related", api_incidents_related, 0,
	 "Sự cố, cảnh báo và hệ thống liên quan (vì sao) / related items and why",
	 ON(INCIDENT, AC_READ)},
	{"POST", "/api/v1/indicators/check", api_indicators_check, 0,
	 "Kiểm tra và nhận dạng chỉ báo từng dòng / check and detect indicators line by line",
	 ANY_BODY("mọi tài khoản (không ghi gì) / every account (stores nothing)",
		  fields_indicator_check)},
	{"GET", "/api/v1/warnings", api_warnings_list, 0,
	 "Cảnh báo (?status=&issuer=&severity=&mine=1&limit=&cursor=) / warnings",
	 ANY("phạm vi access_warning_scope / the warnings access_warning_scope gives")},
	{"POST", "/api/v1/warnings", api_warnings_create, 0,
	 "Soạn cảnh báo (nháp) / draft a warning",
	 RULE_WRITES(access_warning_issuer, WHO_ISSUERS, fields_warning, FIELD_CREATE)},
	{"GET", "/api/v1/warnings/{id}", api_warnings_get, 0, "Một cảnh báo / one warning",
	 ON_SHOWS(WARNING, AC_READ, fields_warning)},
	{"PATCH", "/api/v1/warnings/{id}", api_warnings_update, 0,
	 "Sửa cảnh báo nháp / edit a draft warning",
	 ON_WRITES(WARNING, AC_EDIT, fields_warning, FIELD_UPDATE)},
	{"POST", "/api/v1/warnings/{id}/issue", api_warnings_issue, 0,
	 "Phát cảnh báo: chọn đơn vị nhận, đối chiếu hệ thống / issue: targets and matching",
	 ON(WARNING, AC_EDIT)},
	{"POST", "/api/v1/warnings/{id}/close", api_warnings_close, 0,
	 "Đóng hoặc thu hồi cảnh báo / close or withdraw a warning",
	 ON_BODY(WARNING, AC_EDIT, fields_warning_close)},
	{"POST", "/api/v1/warnings/{id}/ack", api_warnings_ack, 0,
	 "Xác nhận đã nhận cảnh báo / acknowledge a warning",
	 ON(WARNING, AC_COMMENT)},
	{"PUT", "/api/v1/warnings/{id}/systems/{system_id}", api_warnings_report, 0,
	 "Báo cáo tình trạng khắc phục của hệ thống / report a system's status",
	 ON_BODY(WARNING, AC_COMMENT, fields_remediation)},
	{"POST", "/api/v1/warnings/{id}/systems/{system_id}/evidence", api_warnings_evidence_add,
	 HTTP_UPLOAD, "Tải minh chứng khắc phục (?name=) / upload evidence (?name=)",
	 ON(WARNING, AC_COMMENT)},
	{"GET", "/api/v1/warnings/{id}/systems/{system_id}/evidence", api_warnings_evidence_get, 0,
	 "Tải minh chứng về / download the evidence",
	 ON(WARNING, AC_READ)},
	{"POST", "/api/v1/warnings/{id}/systems/{system_id}/incident", api_warnings_spawn, 0,
	 "Tạo sự cố từ cảnh báo cho hệ thống bị ảnh hưởng / open an incident from the warning",
	 ON_BODY(WARNING, AC_COMMENT, fields_spawn)},
	{"GET", "/api/v1/warnings/{id}/tracking", api_warnings_tracking, 0,
	 "Bảng theo dõi phản hồi của các đơn vị / live tracking table",
	 ON(WARNING, AC_TRANSITION)},
	{"GET", "/api/v1/warnings/{id}/related", api_warnings_related, 0,
	 "Sự cố, cảnh báo và hệ thống liên quan / related items",
	 ON(WARNING, AC_READ)},
	{"GET", "/api/v1/duties", api_duties_list, 0,
	 "Lịch nhiệm vụ định kỳ (?org=&status=&duty=&from=&to=) / periodic duties",
	 ANY("của đơn vị mình; cơ quan điều phối: tất cả (access_duty) / one's own; the coordinator: all")},
	{"GET", "/api/v1/duties/compliance", api_duties_compliance, 0,
	 "Bảng tuân thủ theo đơn vị / compliance by organisation",
	 RULE(access_compliance, WHO_COMPLIANCE)},
	{"GET", "/api/v1/duties/{id}", api_duties_get, 0, "Một nhiệm vụ / one duty instance",
	 OP("access_duty AC_READ")},
	{"POST", "/api/v1/duties/{id}/done", api_duties_done, 0,
	 "Đánh dấu hoàn thành kèm ghi chú / mark done with a note",
	 OP_BODY("access_duty AC_EDIT", fields_duty_done)},
	{"POST", "/api/v1/duties/{id}/evidence", api_duties_evidence, HTTP_UPLOAD,
	 "Tải minh chứng (?name=) / upload evidence (?name=)",
	 OP("access_duty AC_COMMENT")},
	{"GET", "/api/v1/stats/summary", api_stats_summary, 0,
	 "Thống kê sự cố (?from=&to=&drill=) / incident statistics",
	 ANY(WHO_INCIDENT_SCOPE)},
	{"GET", "/api/v1/stats/monthly.svg", api_stats_monthly_svg, 0,
	 "Biểu đồ sự cố theo tháng (SVG, ?months=&lang=) / monthly chart (SVG)",
	 ANY(WHO_INCIDENT_SCOPE)},
	/* ---- official documents (api/documents.c) ---- */
	{"GET", "/api/v1/incidents/{id}/documents", api_documents_list, 0,
	 "Văn bản đã tạo của sự cố / documents generated for an incident",
	 ON(INCIDENT, AC_READ)},
	{"GET", "/api/v1/incidents/{id}/documents/report.pdf", api_documents_report, 0,
	 "Báo cáo ban đầu sự cố (Mẫu 03 TT 20/2017, mẫu số 01), PDF / initial incident report",
	 ON(INCIDENT, AC_READ)},
	{"GET", "/api/v1/incidents/{id}/documents/closing.pdf", api_documents_closing, 0,
	 "Báo cáo kết thúc ứng phó sự cố (Mẫu 04, mẫu số 02), PDF / closing report",
	 ON(INCIDENT, AC_READ)},
	{"GET", "/api/v1/reports/summary.pdf", api_reports_summary_pdf, 0,
	 "Báo cáo tổng hợp 6 tháng/năm (Mẫu 05), PDF (?from=&to=&org=) / half-year or yearly summary",
	 ANY(WHO_SUMMARY_READERS)},
	{"GET", "/api/v1/reports/summary.xlsx", api_reports_summary_xlsx, 0,
	 "Báo cáo tổng hợp (Mẫu 05), XLSX (?from=&to=&org=) / summary as a spreadsheet",
	 ANY(WHO_SUMMARY_READERS)},
	{"GET", "/api/v1/reports/summary.csv", api_reports_summary_csv, 0,
	 "Báo cáo tổng hợp (Mẫu 05), CSV UTF-8 (?from=&to=&org=) / summary table as CSV",
	 ANY(WHO_SUMMARY_READERS)},
	{"GET", "/api/v1/reports/bulletin.pdf", api_reports_bulletin_pdf, 0,
	 "Bản tin hằng quý của cơ quan điều phối, PDF (?year=&quarter=) / quarterly bulletin",
	 RULE(access_compliance, WHO_COMPLIANCE)},
	{"GET", "/api/v1/reports/bulletin.xlsx", api_reports_bulletin_xlsx, 0,
	 "Bản tin hằng quý, XLSX (?year=&quarter=) / quarterly bulletin as a spreadsheet",
	 RULE(access_compliance, WHO_COMPLIANCE)},
	{"GET", "/api/v1/documents/verify", api_documents_verify, 0,
	 "Kiểm tra văn bản theo mã in trên trang (?ref=) hoặc SHA-256 (?sha256=) / verify a document",
	 ANY(WHO_DOC_READERS)},
	{"GET", "/api/v1/documents/{sha256}", api_documents_get, 0,
	 "Văn bản có SHA-256 này / the document with this SHA-256",
	 ANY(WHO_DOC_READERS)},
	/* ---- end of official documents ---- */
	/* ---- STIX 2.1 / MISP / TAXII 2.1 exchange (docs/stix.md) ---- */
	{"GET", "/api/v1/warnings/{id}/stix", api_warnings_stix, 0,
	 "Cảnh báo dạng gói STIX 2.1 / the warning as a STIX 2.1 bundle",
	 ON(WARNING, AC_READ)},
	{"GET", "/api/v1/incidents/{id}/stix", api_incidents_stix, 0,
	 "Sự cố dạng gói STIX 2.1 / the incident as a STIX 2.1 bundle",
	 ON(INCIDENT, AC_READ)},
	{"POST", "/api/v1/imports/stix", api_imports_stix, HTTP_UPLOAD,
	 "Nhập gói STIX 2.1 thành cảnh báo nháp / import a STIX 2.1 bundle as a draft warning",
	 RULE(access_warning_issuer, WHO_ISSUERS)},
	{"POST", "/api/v1/imports/misp", api_imports_misp, HTTP_UPLOAD,
	 "Nhập sự kiện MISP thành cảnh báo nháp / import a MISP event as a draft warning",
	 RULE(access_warning_issuer, WHO_ISSUERS)},
	{"GET", "/taxii2/", api_taxii_discovery, 0, "TAXII 2.1 discovery",
	 ANY(WHO_EXCHANGE)},
	{"GET", "/taxii2/api1/", api_taxii_root, 0, "TAXII 2.1 API root",
	 ANY(WHO_EXCHANGE)},
	{"GET", "/taxii2/api1/collections/", api_taxii_collections, 0, "TAXII 2.1 collections",
	 ANY(WHO_EXCHANGE)},
	{"GET", "/taxii2/api1/collections/{id}/", api_taxii_collection, 0,
	 "TAXII 2.1 collection (id or alias)",
	 ANY(WHO_EXCHANGE)},
	{"GET", "/taxii2/api1/collections/{id}/objects/", api_taxii_objects, 0,
	 "TAXII 2.1 objects (?added_after=&limit=&next=&match[type]=&match[id]=)",
	 ANY(WHO_EXCHANGE)},
	{"GET", "/taxii2/api1/collections/{id}/objects/{object_id}/", api_taxii_object, 0,
	 "TAXII 2.1 one object",
	 ANY(WHO_EXCHANGE)},
	{"GET", "/taxii2/api1/collections/{id}/manifest/", api_taxii_manifest, 0,
	 "TAXII 2.1 manifest (same parameters as objects)",
	 ANY(WHO_EXCHANGE)},
	/* ---- end of exchange ---- */
	/* ---- the mail quarantine (api/mailq.c, docs/mail.md "Who may write in") ---- */
	{"GET", "/api/v1/mail/quarantine", api_mailq_list, 0,
	 "Thư chờ duyệt: thư không lưu được vì người gửi chưa xác thực hoặc không có quyền "
	 "(?status=pending|accepted|rejected|all&limit=&cursor=) / the mail quarantine",
	 RULE(access_mail_quarantine, WHO_MAIL_DESK)},
	{"GET", "/api/v1/mail/quarantine/{id}", api_mailq_get, 0,
	 "Một thư chờ duyệt, với nội dung / one quarantined message, with its text",
	 RULE(access_mail_quarantine, WHO_MAIL_DESK)},
	{"POST", "/api/v1/mail/quarantine/{id}/accept", api_mailq_accept, 0,
	 "Chấp nhận: lưu thư như khi người gửi được phép / accept: store it as if it had been "
	 "allowed",
	 RULE_BODY(access_mail_quarantine, WHO_MAIL_DESK, fields_mail_decision)},
	{"POST", "/api/v1/mail/quarantine/{id}/reject", api_mailq_reject, 0,
	 "Từ chối: giữ lại, đánh dấu đã từ chối / reject: kept, marked rejected",
	 RULE_BODY(access_mail_quarantine, WHO_MAIL_DESK, fields_mail_decision)},
	{"GET", "/api/v1/audit", api_audit_list, 0, "Nhật ký kiểm toán / audit trail",
	 RULE(access_audit, "kiểm tra viên, quản trị; từng mục theo quyền đọc đối tượng / auditors, admins; each entry as its object")},
	{"GET", "/api/v1/audit/verify", api_audit_verify, 0,
	 "Kiểm tra chuỗi băm / verify the hash chain",
	 RULE(access_audit, "kiểm tra viên, quản trị / auditors, admins")},
};

const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];
