/* ceiling.c - the ceiling the real server is compared with (bench/run): a tiny server with the
 * libmicrohttpd setup of src/http/http.c (internal epoll thread pool, one thread per core,
 * answer on the second access-handler callback) and two routes:
 *   GET /bare      -> {"ok":true,"n":1}
 *   GET /row/{id}  -> one row read by key from a SQLite table, as JSON made with jansson
 *                     (one connection per MHD thread, its prepared statement reused).
 * usage: ceiling --db FILE [--rows N] [--port P] [--threads N]
 * Creates FILE with N rows (default 100000) when it does not exist yet. Listens on 127.0.0.1
 * only. Stops on SIGINT/SIGTERM. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CONNS 64
#define PATH_MAX_LEN 1024

static const char *db_path;
static volatile sig_atomic_t stop;
static int answered_marker;

struct conn {
	sqlite3 *db;
	sqlite3_stmt *get;
};

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn conns[MAX_CONNS];
static size_t nconns;
static _Thread_local struct conn *thread_conn;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Parses a decimal number in [min, max]; returns 0 or -1. */
static int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "ceiling: %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* Creates the table with n rows shaped like an incident list row. */
static int db_fill(int64_t n)
{
	static const char *const status[] = {"new", "internal", "reported", "coordinated",
					     "resolved", "closed"};
	static const char *const sev[] = {"low", "medium", "high", "serious", "critical"};
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	int rc = -1;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		goto out;
	if (exec_sql(db, "PRAGMA journal_mode = WAL") || exec_sql(db, "PRAGMA synchronous = NORMAL") ||
	    exec_sql(db, "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, ref TEXT NOT "
			 "NULL, title TEXT NOT NULL, org_id INTEGER NOT NULL, severity TEXT NOT "
			 "NULL, status TEXT NOT NULL, tlp INTEGER NOT NULL, detected_at INTEGER NOT "
			 "NULL, created_at INTEGER NOT NULL)") ||
	    exec_sql(db, "BEGIN"))
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO rows VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			       -1, &ins, NULL) != SQLITE_OK)
		goto out;
	for (int64_t i = 1; i <= n; i++) {
		char ref[32], title[128];

		snprintf(ref, sizeof ref, "UC-2026-%06lld", (long long)i);
		snprintf(title, sizeof title, "Sự cố an toàn thông tin mạng số %lld tại đơn vị %lld",
			 (long long)i, (long long)(i % 13 + 1));
		sqlite3_bind_int64(ins, 1, i);
		sqlite3_bind_text(ins, 2, ref, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 4, i % 13 + 1);
		sqlite3_bind_text(ins, 5, sev[i % 5], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, status[i % 6], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 7, i % 5);
		sqlite3_bind_int64(ins, 8, 1767225600 + i * 60);
		sqlite3_bind_int64(ins, 9, 1767225600 + i * 60 + 300);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "ceiling: insert: %s\n", sqlite3_errmsg(db));
			goto out;
		}
		sqlite3_reset(ins);
	}
	if (exec_sql(db, "COMMIT"))
		goto out;
	rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_close_v2(db);
	return rc;
}

/* The connection of the calling MHD thread, opened on first use (like api_store()). */
static struct conn *conn_get(void)
{
	if (thread_conn)
		return thread_conn;
	pthread_mutex_lock(&conns_lock);
	if (nconns < MAX_CONNS) {
		struct conn *c = &conns[nconns];

		if (sqlite3_open_v2(db_path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
				    NULL) == SQLITE_OK &&
		    sqlite3_busy_timeout(c->db, 5000) == SQLITE_OK &&
		    sqlite3_prepare_v3(c->db,
				       "SELECT id, ref, title, org_id, severity, status, tlp, "
				       "detected_at, created_at FROM rows WHERE id = ?1",
				       -1, SQLITE_PREPARE_PERSISTENT, &c->get, NULL) == SQLITE_OK) {
			nconns++;
			thread_conn = c;
		} else {
			fprintf(stderr, "ceiling: open %s: %s\n", db_path,
				c->db ? sqlite3_errmsg(c->db) : "?");
			sqlite3_close_v2(c->db);
			c->db = NULL;
		}
	}
	pthread_mutex_unlock(&conns_lock);
	return thread_conn;
}

/* Reads row id as a JSON object, or NULL. */
static json_t *row_json(int64_t id)
{
	struct conn *c = conn_get();
	json_t *o = NULL;
	int n;

	if (c == NULL)
		return NULL;
	sqlite3_bind_int64(c->get, 1, id);
	if (sqlite3_step(c->get) == SQLITE_ROW) {
		o = json_object();
		n = sqlite3_column_count(c->get);
		for (int i = 0; o && i < n; i++) {
			const char *name = sqlite3_column_name(c->get, i);

			if (sqlite3_column_type(c->get, i) == SQLITE_INTEGER)
				json_object_set_new(o, name,
						    json_integer(sqlite3_column_int64(c->get, i)));
			else
				json_object_set_new(
					o, name,
					json_stringn((const char *)sqlite3_column_text(c->get, i),
						     (size_t)sqlite3_column_bytes(c->get, i)));
		}
	}
	sqlite3_reset(c->get);
	sqlite3_clear_bindings(c->get);
	return o;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, char *body)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (body == NULL)
		return MHD_NO;
	r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	int64_t id;

	(void)cls;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) { /* first callback: headers only; answer on the next one */
		*con_cls = &answered_marker;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0)
		return reply(c, 405, dup_str("{\"error\":\"method\"}"));
	if (strcmp(url, "/bare") == 0) {
		json_t *o = json_pack("{s:b, s:i}", "ok", 1, "n", 1);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

		json_decref(o);
		return reply(c, 200, s);
	}
	if (strncmp(url, "/row/", 5) == 0 && parse_i64(url + 5, 1, INT64_MAX, &id) == 0) {
		json_t *o = row_json(id);
		char *s;

		if (o == NULL)
			return reply(c, 404, dup_str("{\"error\":\"not found\"}"));
		s = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		return reply(c, 200, s);
	}
	return reply(c, 404, dup_str("{\"error\":\"no route\"}"));
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	*con_cls = NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: ceiling --db FILE [--rows N] [--port P] [--threads N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int64_t rows = 100000, port = 18080, threads = 0;
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	struct sigaction act;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--db") == 0 && v)
			db_path = v;
		else if (strcmp(argv[i], "--rows") == 0 && parse_i64(v, 1, 100000000, &rows) == 0)
			;
		else if (strcmp(argv[i], "--port") == 0 && parse_i64(v, 1, 65535, &port) == 0)
			;
		else if (strcmp(argv[i], "--threads") == 0 && parse_i64(v, 1, 64, &threads) == 0)
			;
		else
			return usage();
		i++;
	}
	if (db_path == NULL || strlen(db_path) >= PATH_MAX_LEN)
		return usage();
	if (access(db_path, F_OK) != 0 && db_fill(rows) != 0)
		return 1;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		threads = n > 0 ? n : 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
			     (uint16_t)port, NULL, NULL, on_request, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), /* as http.c */
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
			     MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "ceiling: cannot listen on 127.0.0.1:%lld\n", (long long)port);
		return 1;
	}
	memset(&act, 0, sizeof act);
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	fprintf(stderr, "ceiling: serving on http://127.0.0.1:%lld with %lld threads\n",
		(long long)port, (long long)threads);
	while (!stop)
		usleep(100 * 1000);
	MHD_stop_daemon(d);
	for (size_t i = 0; i < nconns; i++) {
		sqlite3_finalize(conns[i].get);
		sqlite3_close_v2(conns[i].db);
	}
	return 0;
}
