/* msg_json.c - a message stored in a record and read back (msg_json.h). */
#include "msg_json.h"

int msg_json_put(json_t *obj, const struct msg *m)
{
	json_t *params = json_object();
	int rc = 0;

	if (params == NULL)
		return -1;
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		const struct msg_param *p = &m->p[i];
		json_t *v;

		if (p->is_num)
			v = json_integer((json_int_t)p->num);
		else if (p->off_en != p->off)
			v = json_pack("{s:s, s:s}", "vi", msg_value_in(m, i, MSG_VI), "en",
				      msg_value_in(m, i, MSG_EN));
		else
			v = json_string(msg_value(m, i));
		rc = v != NULL ? json_object_set_new(params, p->name, v) : -1;
	}
	if (rc == 0)
		rc = json_object_set_new(obj, "msg", json_string(msg_code(m->id)));
	if (rc == 0)
		rc = json_object_set(obj, "params", params);
	json_decref(params);
	return rc == 0 ? 0 : -1;
}

int msg_json_get(const json_t *obj, const struct msg_arg *extra, size_t n, struct msg *m)
{
	enum msg_id id = msg_find(json_string_value(json_object_get(obj, "msg")));
	struct msg_arg a[MSG_MAX_PARAMS];
	const char *name;
	json_t *v;
	size_t k = 0;

	msg_bind(m, M_none, NULL, 0);
	if (id == M_none)
		return -1;
	json_object_foreach(json_object_get(obj, "params"), name, v) {
		const char *vi = json_string_value(json_object_get(v, "vi"));

		if (k + n >= MSG_MAX_PARAMS)
			break;
		if (json_is_integer(v))
			a[k++] = (struct msg_arg)MN(name, json_integer_value(v));
		else if (json_is_string(v))
			a[k++] = (struct msg_arg)MS(name, json_string_value(v));
		else if (vi != NULL)
			a[k++] = (struct msg_arg)MSV(name, vi,
						     json_string_value(json_object_get(v, "en")));
	}
	for (size_t i = 0; i < n && k < MSG_MAX_PARAMS; i++)
		a[k++] = extra[i];
	msg_bind(m, id, a, k);
	return 0;
}
