/* sqlite_idem.c - stored responses of creates, by Idempotency-Key (store_idem_*). */
#include "sqlite_priv.h"

#include <stdlib.h>
#include <string.h>

int store_idem_get(struct store *st, int64_t user_id, const char *key, int *status, char **body,
		   char *location, char *request_hash)
{
	sqlite3_stmt *s;
	const char *t;
	int rc, n;

	*status = 0;
	*body = NULL;
	location[0] = '\0';
	request_hash[0] = '\0';
	rc = sq_stmt(st, SQ_IDEM_GET,
		     "SELECT status, body, location, request_hash FROM idempotency "
		     "WHERE user_id = ?1 AND key = ?2", &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, user_id);
	sq_bind_text(st, s, 2, key);
	rc = sq_step_row(st, s, "idempotency get");
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 2, location, 256);
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 3, request_hash, 65);
	if (rc != STORE_OK)
		goto out;
	*status = sqlite3_column_int(s, 0);
	t = (const char *)sqlite3_column_text(s, 1);
	n = sqlite3_column_bytes(s, 1);
	*body = malloc((size_t)n + 1);
	if (*body == NULL) {
		rc = STORE_EIO;
		goto out;
	}
	if (n > 0)
		memcpy(*body, t, (size_t)n);
	(*body)[n] = '\0';
out:
	if (rc != STORE_OK) {
		*status = 0;
		location[0] = '\0';
		request_hash[0] = '\0';
	}
	sq_done(s);
	return rc;
}

int store_idem_put(struct store *st, int64_t user_id, const char *key, const char *request_hash,
		   int status, const char *location, const char *body, int64_t now)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_IDEM_PUT,
			 "INSERT INTO idempotency(user_id, key, request_hash, status, location, body, "
			 "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, user_id);
	sq_bind_text(st, s, 2, key);
	sq_bind_text(st, s, 3, request_hash);
	sq_bind_int(st, s, 4, status);
	sq_bind_text(st, s, 5, location);
	sq_bind_text(st, s, 6, body);
	sq_bind_int(st, s, 7, now);
	rc = sq_step_done(st, s, "idempotency put");
	sq_done(s);
	return rc;
}
