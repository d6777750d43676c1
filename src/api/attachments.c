/* attachments.c - files on an incident, stored once by SHA-256 under DATA/files/, size-limited
 * by the HTTP layer while they stream in; the hash is shown so a copy can be checked. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "core/codes.h"
#include "ops/attachment.h"
#include "util/log.h"
#include "util/str.h"

#define MIME_MAX 100

/* DATA/files/<sha256>; the file is named by its content, so a second upload is free. */
static int file_path(const char *sha, char *out, size_t outsz)
{
	return snprintf(out, outsz, "%s/files/%s", api_env.data_dir, sha) >= (int)outsz ? -1 : 0;
}

int api_upload_name(const struct http_req *req, struct http_res *res, const char **out)
{
	const char *field = "file", *name;
	size_t len = 0;

	*out = NULL;
	if (req->upload_name[0] || req->upload_name_long) {
		name = req->upload_name;
		len = strlen(name);
	} else {
		field = "name";
		name = http_query_n(req, "name", &len);
		if (name == NULL || len == 0)
			return 0;
	}
	/* a NUL (%00) would end the name early: "a.txt%00.exe" stored as "a.txt" */
	if (req->upload_name_long || strlen(name) != len || !codes_file_name_ok(name))
		return http_res_problem(res, 422, "Invalid file name", field,
					M_attachment_name_invalid, MN("max", CODES_FILE_NAME_MAX)),
		       -1;
	*out = name;
	return 1;
}

int api_file_keep(const struct http_req *req, char *dst, size_t dstsz, bool *placed)
{
	int dfd;
	char dir[1100];

	*placed = false;
	if (file_path(req->upload_sha256, dst, dstsz) != 0)
		return -1;
	if (access(dst, F_OK) == 0)
		return 0;
	if (rename(req->upload_path, dst) != 0) {
		log_err("attachment %s: %s", dst, strerror(errno));
		return -1;
	}
	*placed = true;
	/* the rename must survive a crash once the row is committed */
	snprintf(dir, sizeof dir, "%s/files", api_env.data_dir);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int api_attachments_add(struct http_req *req, struct http_res *res)
{
	/* a multipart upload names its file in the part; a raw one in ?name= */
	const char *name = NULL;
	const char *ct = req->upload_name[0] ? req->upload_type : http_header(req, "Content-Type");
	char path[1200], loc[64];
	struct ac_incident ai;
	json_t *row = NULL;
	struct ops_file f;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	bool placed;
	int64_t id, aid;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_COMMENT, &ai) != 0)
		return 0;
	switch (api_upload_name(req, res, &name)) {
	case -1: return 0;
	case 0:
		return http_res_problem(res, 422, "Invalid parameter", "name",
					M_attachment_name_required, MN("max", CODES_FILE_NAME_MAX));
	default: break;
	}
	if (ct == NULL || ct[0] == '\0' || strlen(ct) > MIME_MAX || !str_utf8_valid(ct, strlen(ct)))
		ct = "application/octet-stream";
	if (req->upload_len == 0)
		return http_res_problem(res, 422, "Empty file", "file", M_upload_empty);
	/* a replayed Idempotency-Key answers before anything is placed */
	if (api_tx_begin(req, res, &tx, true))
		return 0;
	if (api_file_keep(req, path, sizeof path, &placed) != 0) {
		api_tx_abort(&tx);
		return api_store_error(res, STORE_EIO);
	}
	f = (struct ops_file){.sha256 = req->upload_sha256, .name = name, .content_type = ct,
			      .size = (int64_t)req->upload_len};
	api_ops_ctx(req, tx.st, &c);
	if (ops_attachment_add(&c, id, &f, &aid, &row, &err) != OPS_OK) {
		api_tx_abort(&tx);
		if (placed)
			unlink(path);
		return api_ops_error(res, &err);
	}
	snprintf(loc, sizeof loc, "/api/v1/attachments/%lld", (long long)aid);
	http_res_header(res, "Location", loc);
	http_res_json(res, 201, row);
	if (api_tx_commit(&tx, req, res) != 0 && placed)
		unlink(path);
	return 0;
}

int api_attachments_list(struct http_req *req, struct http_res *res)
{
	return api_incident_items(req, res, store_attachment_list, NULL);
}

/* Content-Disposition with the UTF-8 name percent-encoded (RFC 6266 / 8187). */
static void disposition(struct http_res *res, const char *name)
{
	char v[512];
	size_t n = 0;
	int w = snprintf(v, sizeof v, "attachment; filename*=UTF-8''");

	n = (size_t)w;
	for (const unsigned char *p = (const unsigned char *)name; *p && n + 4 < sizeof v; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(".-_~", *p))
			v[n++] = (char)*p;
		else
			n += (size_t)snprintf(v + n, sizeof v - n, "%%%02X", *p);
	}
	v[n] = '\0';
	http_res_header(res, "Content-Disposition", v);
}

int api_file_send(struct http_res *res, const char *sha, const char *name)
{
	char path[1200];
	struct stat sb;
	int fd;

	if (sha == NULL || sha[0] == '\0' || file_path(sha, path, sizeof path) != 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return http_res_problem(res, 410, "Gone", NULL, M_attachment_gone);
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return api_store_error(res, STORE_EIO);
	}
	res->status = 200;
	res->fd = fd;
	res->fd_len = (uint64_t)sb.st_size;
	str_copy(res->content_type, sizeof res->content_type, "application/octet-stream");
	http_res_header(res, "X-Content-SHA256", sha);
	disposition(res, name ? name : sha);
	return 0;
}

int api_attachments_get(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *row = NULL;
	int64_t aid;
	int rc;

	if (api_param_id(req, 0, res, &aid) != 0)
		return 0;
	rc = store_attachment_get(api_store(), aid, &row);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	if (api_incidents_access(req, res, json_integer_value(json_object_get(row, "incident_id")),
				 AC_READ, &ai) == 0)
		api_file_send(res, json_string_value(json_object_get(row, "sha256")),
			      json_string_value(json_object_get(row, "name")));
	json_decref(row);
	return 0;
}
