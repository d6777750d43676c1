/* journal.c - the incident journal: every comment, status change, request and answer. */
#include "api.h"

int api_journal_list(struct http_req *req, struct http_res *res)
{
	return api_incident_items(req, res, store_journal_list, api_journal_words);
}

int api_journal_add(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *in = NULL, *row = NULL;
	const char *body;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_COMMENT, &ai) != 0)
		return 0;
	if (api_body(req, res, &in) != 0)
		goto out;
	body = api_in_text(in, "body");
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_incident_comment(&c, id, body, &row, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	http_res_json(res, 201, row);
	row = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(row);
	return 0;
}
