/* scan.c - Greenbone/OpenVAS and Nmap XML reports into findings (scan.h, docs/scan.md).
 *
 * The file is read as a stream (xmlTextReader): each <result> (Greenbone) or <host> (Nmap) is
 * expanded alone, turned into findings and freed, so memory follows one item, not the file.
 * Untrusted input: no DTD at all (rejected before and while parsing), no entity substitution,
 * no external entity loader, no network; a size, nesting depth and findings limit. */
#include "scan.h"

#include <arpa/inet.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/tm.h"

#define TEXT_MAX 1024

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Nothing outside the file is ever read: every external entity or DTD request fails. */
static xmlParserInputPtr no_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void scan_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(no_loader);
}

struct pctx {
	struct scan_report *r;
	size_t max_results;
	int max_depth;
	bool item_failed;       /* the current item already has an error */
	char xml_error[SCAN_ERROR_MAX];
	int xml_line;
};

static void on_xml_error(void *arg, xmlErrorPtr e)
{
	struct pctx *c = arg;
	size_t n;

	if (c->xml_error[0] != '\0' || e == NULL || e->message == NULL)
		return;
	str_copy(c->xml_error, sizeof c->xml_error, "");
	snprintf(c->xml_error, sizeof c->xml_error, "%s", e->message);
	n = strlen(c->xml_error);
	while (n > 0 && (c->xml_error[n - 1] == '\n' || c->xml_error[n - 1] == ' '))
		c->xml_error[--n] = '\0';
	c->xml_line = e->line;
}

/* Drops the end of a message that vsnprintf cut inside a UTF-8 character, or that quotes bytes
 * that are not UTF-8, so it can go into JSON. */
static void utf8_fix(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && !str_utf8_valid(s, n))
		s[--n] = '\0';
}

/* libxml2's plain messages (encoding and I/O errors) go to this thread's generic handler. */
static void on_generic(void *arg, const char *msg, ...)
{
	struct pctx *c = arg;

	(void)msg;
	if (c->xml_error[0] == '\0')
		str_copy(c->xml_error, sizeof c->xml_error, "the text is not in its declared encoding");
}

static void file_error(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void file_error(struct pctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->r->error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(c->r->error, sizeof c->r->error, fmt, ap);
	va_end(ap);
	utf8_fix(c->r->error);
}

static void item_error(struct pctx *c, xmlNodePtr n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void item_error(struct pctx *c, xmlNodePtr n, const char *fmt, ...)
{
	struct scan_item_error *e;
	va_list ap;

	if (c->item_failed)
		return;
	c->item_failed = true;
	c->r->items_bad++;
	if (c->r->nerrors >= SCAN_MAX_ERRORS)
		return;
	e = &c->r->errors[c->r->nerrors++];
	e->item = c->r->items_seen;
	e->line = n ? xmlGetLineNo(n) : 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	utf8_fix(e->msg);
}

/* snprintf that, when the text is cut, cuts it at a UTF-8 character boundary. */
static void fmt(char *out, size_t outsz, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *out, size_t outsz, const char *f, ...)
{
	va_list ap;
	int w;
	size_t o;

	va_start(ap, f);
	w = vsnprintf(out, outsz, f, ap);
	va_end(ap);
	if (w < 0) {
		out[0] = '\0';
		return;
	}
	if ((size_t)w < outsz)
		return;
	o = strlen(out);
	while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
		o--;
	if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
		o--;
	out[o] = '\0';
}

static bool is_name(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	if (n == NULL)
		return NULL;
	for (xmlNodePtr k = n->children; k; k = k->next)
		if (is_name(k, name))
			return k;
	return NULL;
}

static xmlNodePtr next_named(xmlNodePtr k, const char *name)
{
	for (; k; k = k->next)
		if (is_name(k, name))
			return k;
	return NULL;
}

/* Copies src (n bytes) into out: control characters become spaces, runs of white space one
 * space, ends trimmed; cut at a UTF-8 character boundary when it does not fit. Returns true
 * when it was cut. */
static bool clean_copy(char *out, size_t outsz, const char *src, size_t n)
{
	size_t o = 0;
	bool space = false, cut = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (ch < 0x20 || ch == 0x7f || ch == ' ') {
			space = o > 0;
			continue;
		}
		if (space) {
			if (o + 1 >= outsz) {
				cut = true;
				break;
			}
			out[o++] = ' ';
			space = false;
		}
		if (o + 1 >= outsz) {
			cut = true;
			break;
		}
		out[o++] = (char)ch;
	}
	if (cut) /* do not leave half a character */
		while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
			o--;
	if (cut && o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
		o--;
	out[o] = '\0';
	return cut;
}

/* The text directly inside element n (not of its child elements), cleaned. "" when n is NULL. */
static bool text_of(xmlNodePtr n, char *out, size_t outsz)
{
	char buf[TEXT_MAX * 4];
	size_t len = 0;
	bool cut = false;

	out[0] = '\0';
	if (n == NULL)
		return false;
	for (xmlNodePtr k = n->children; k; k = k->next) {
		size_t m;

		if ((k->type != XML_TEXT_NODE && k->type != XML_CDATA_SECTION_NODE) ||
		    k->content == NULL)
			continue;
		m = strlen((const char *)k->content);
		if (len + m >= sizeof buf) {
			m = sizeof buf - 1 - len;
			cut = true;
		}
		memcpy(buf + len, k->content, m);
		len += m;
		if (cut)
			break;
	}
	return clean_copy(out, outsz, buf, len) || cut;
}

/* An attribute, cleaned; "" when absent. Returns true when present. */
static bool attr_of(xmlNodePtr n, const char *name, char *out, size_t outsz)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;

	out[0] = '\0';
	if (v == NULL)
		return false;
	clean_copy(out, outsz, (const char *)v, strlen((const char *)v));
	xmlFree(v);
	return true;
}

/* Parses a CVSS score "7.5". Returns 0 and *out, or -1. */
static int parse_score(const char *s, double *out)
{
	char *end;
	double v;

	if (s[0] == '\0' || strlen(s) > 16)
		return -1;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Element nesting of the subtree at root, which sits at depth base (root element = 1). True
 * when it goes deeper than max. */
static bool too_deep(xmlNodePtr root, int base, int max)
{
	xmlNodePtr n = root;
	int d = base;

	while (n) {
		if (d > max)
			return true;
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			d++;
			continue;
		}
		while (n != root && n->next == NULL) {
			n = n->parent;
			d--;
		}
		if (n == root)
			break;
		n = n->next;
	}
	return false;
}

static struct finding *new_finding(struct pctx *c)
{
	struct scan_report *r = c->r;

	if (r->n >= c->max_results) {
		file_error(c, "more than %zu findings (the limit; see --max-results)", c->max_results);
		return NULL;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct finding *p;

		if (cap > c->max_results)
			cap = c->max_results;
		p = realloc(r->items, cap * sizeof *p);
		if (p == NULL) {
			file_error(c, "out of memory");
			return NULL;
		}
		r->items = p;
		r->cap = cap;
	}
	memset(&r->items[r->n], 0, sizeof r->items[r->n]);
	return &r->items[r->n++];
}

/* Appends a CVE id to a comma-separated list unless it is there or does not fit. */
static void cve_add(char *list, size_t listsz, const char *id)
{
	size_t n = strlen(list), m = strlen(id);
	const char *p = list;

	while ((p = strstr(p, id)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[m] == ',' || p[m] == '\0'))
			return;
		p += m;
	}
	if (n + m + 2 > listsz)
		return;
	if (n > 0)
		list[n++] = ',';
	memcpy(list + n, id, m + 1);
}

/* "443/tcp" -> 443, "tcp"; "general/tcp" -> 0, "tcp"; "" or "package" -> 0, "". */
static int parse_port(const char *s, int *port, char *proto, size_t protosz)
{
	const char *slash = strchr(s, '/');
	int64_t v;

	*port = 0;
	proto[0] = '\0';
	if (slash == NULL)
		return s[0] == '\0' || strspn(s, "0123456789") == 0 ? 0 : -1;
	if (strlen(slash + 1) >= protosz || strspn(slash + 1, "abcdefghijklmnopqrstuvwxyz") !=
						    strlen(slash + 1))
		return -1;
	str_copy(proto, protosz, slash + 1);
	if (s[0] >= '0' && s[0] <= '9') {
		if (str_to_i64n(s, (size_t)(slash - s), 1, 65535, &v) != 0)
			return -1;
		*port = (int)v;
	}
	return 0;
}

static bool oid_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 128 &&
	       strspn(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_:") == n;
}

/* ---- Greenbone / OpenVAS ---- */

/* The score of a result: the newest severity (CVSS v3 in GVM 21+), else the result's
 * <severity>, else the NVT's <cvss_base>. "" when none. */
static void gvm_score(xmlNodePtr res, xmlNodePtr nvt, char *out, size_t outsz)
{
	xmlNodePtr sevs = child(nvt, "severities");

	out[0] = '\0';
	for (xmlNodePtr s = sevs ? next_named(sevs->children, "severity") : NULL; s && !out[0];
	     s = next_named(s->next, "severity"))
		text_of(child(s, "score"), out, outsz);
	if (!out[0])
		text_of(child(res, "severity"), out, outsz);
	if (!out[0])
		text_of(child(nvt, "cvss_base"), out, outsz);
}

static int gvm_cves(struct pctx *c, xmlNodePtr res, xmlNodePtr nvt, struct finding *f)
{
	char id[64], legacy[TEXT_MAX];
	xmlNodePtr refs = child(nvt, "refs");

	for (xmlNodePtr k = refs ? next_named(refs->children, "ref") : NULL; k;
	     k = next_named(k->next, "ref")) {
		char type[16];

		attr_of(k, "type", type, sizeof type);
		if (strcmp(type, "cve") != 0)
			continue;
		attr_of(k, "id", id, sizeof id);
		if (!finding_cve_valid(id, strlen(id)))
			return item_error(c, res, "'%s' is not a CVE id (CVE-yyyy-nnnn)", id), -1;
		cve_add(f->cves, sizeof f->cves, id);
	}
	/* GVM before 9: <cve>CVE-2016-2183, CVE-2016-6329</cve>, or NOCVE */
	text_of(child(nvt, "cve"), legacy, sizeof legacy);
	for (char *p = legacy; *p;) {
		size_t n = strcspn(p, ", ");

		if (n > 0 && !(n == 5 && strncmp(p, "NOCVE", 5) == 0)) {
			if (n >= sizeof id || !finding_cve_valid(p, n))
				return item_error(c, res, "'%.*s' is not a CVE id (CVE-yyyy-nnnn)",
						  (int)(n < 40 ? n : 40), p),
				       -1;
			memcpy(id, p, n);
			id[n] = '\0';
			cve_add(f->cves, sizeof f->cves, id);
		}
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

static void gvm_result(struct pctx *c, xmlNodePtr res)
{
	char host[FINDING_HOST_MAX + 8], port[64], oid[160], name[FINDING_TITLE_MAX], threat[32];
	char score[32], proto[FINDING_PROTO_MAX];
	xmlNodePtr nvt = child(res, "nvt");
	struct finding *f;
	double v = 0;
	bool has = false;
	int pnum;

	if (text_of(child(res, "host"), host, sizeof host) || strlen(host) >= FINDING_HOST_MAX)
		{
		item_error(c, res, "<host> is longer than %d bytes", FINDING_HOST_MAX - 1);
		return;
	}
	if (host[0] == '\0')
		{
		item_error(c, res, "<host> is missing or empty");
		return;
	}
	text_of(child(res, "threat"), threat, sizeof threat);
	gvm_score(res, nvt, score, sizeof score);
	if (score[0]) {
		if (parse_score(score, &v) != 0)
			{
		item_error(c, res, "score '%s' is not a number", score);
		return;
	}
		has = v >= 0;
		if (v > 10.0)
			{
		item_error(c, res, "score %s is not between 0.0 and 10.0", score);
		return;
	}
	}
	/* Log and Debug results are notes of the scan, not findings; False Positive is an override
	 * already made in the scanner (severity -1) */
	if (strcmp(threat, "Log") == 0 || strcmp(threat, "Debug") == 0 ||
	    strcmp(threat, "False Positive") == 0 || strcmp(threat, "Error") == 0 ||
	    (threat[0] == '\0' && (!score[0] || v <= 0.0)) || (score[0] && v < 0)) {
		c->r->ignored++;
		return;
	}
	if (!attr_of(nvt, "oid", oid, sizeof oid) || !oid_ok(oid))
		{
		item_error(c, res, "<nvt oid=\"...\"> is missing or not an OID");
		return;
	}
	text_of(child(nvt, "name"), name, sizeof name);
	if (name[0] == '\0')
		text_of(child(res, "name"), name, sizeof name);
	if (name[0] == '\0')
		{
		item_error(c, res, "the result has no <name>");
		return;
	}
	text_of(child(res, "port"), port, sizeof port);
	if (parse_port(port, &pnum, proto, sizeof proto) != 0)
		{
		item_error(c, res, "<port> '%s' is not 'number/protocol' or 'general/protocol'",
				  port);
		return;
	}
	if ((f = new_finding(c)) == NULL)
		return;
	f->kind = FINDING_VULN;
	str_copy(f->title, sizeof f->title, name);
	str_copy(f->host, sizeof f->host, host);
	f->port = pnum;
	str_copy(f->protocol, sizeof f->protocol, proto);
	f->has_cvss = has;
	f->cvss = has ? v : 0;
	fmt(f->key, sizeof f->key, "nvt:%s|%s|%s", oid, host, port[0] ? port : "general");
	if (gvm_cves(c, res, nvt, f) != 0)
		c->r->n--;
}

/* ---- Nmap ---- */

struct nmap_port {
	const char *host;
	int port;
	char proto[FINDING_PROTO_MAX];
	char service[FINDING_SERVICE_MAX];
};

static int nmap_cve(struct pctx *c, const struct nmap_port *p, const char *id, bool has,
		    double cvss, const char *title)
{
	struct finding *f = new_finding(c);

	if (f == NULL)
		return -1;
	f->kind = FINDING_VULN;
	str_copy(f->host, sizeof f->host, p->host);
	f->port = p->port;
	str_copy(f->protocol, sizeof f->protocol, p->proto);
	str_copy(f->service, sizeof f->service, p->service);
	f->has_cvss = has;
	f->cvss = cvss;
	str_copy(f->cves, sizeof f->cves, id);
	if (title && title[0])
		fmt(f->title, sizeof f->title, "%s: %s", id, title);
	else if (p->service[0])
		fmt(f->title, sizeof f->title, "%s (%s)", id, p->service);
	else
		fmt(f->title, sizeof f->title, "%s", id);
	fmt(f->key, sizeof f->key, "cve:%s|%s|%d/%s", id, p->host, p->port, p->proto);
	return 0;
}

/* vulners in structured form: <table key="cpe:..."><table><elem key="id">CVE-...</elem>
 * <elem key="cvss">9.8</elem><elem key="type">cve</elem>... Returns 1 when tables were there,
 * 0 when not (read the output text), -1 on an error. */
static int nmap_vulners_tables(struct pctx *c, xmlNodePtr script, const struct nmap_port *p)
{
	int seen = 0;

	for (xmlNodePtr t = next_named(script->children, "table"); t; t = next_named(t->next, "table"))
		for (xmlNodePtr e = next_named(t->children, "table"); e;
		     e = next_named(e->next, "table")) {
			char key[16], id[64] = "", cvss[32] = "", type[32] = "";
			double v = 0;

			seen = 1;
			for (xmlNodePtr k = next_named(e->children, "elem"); k;
			     k = next_named(k->next, "elem")) {
				attr_of(k, "key", key, sizeof key);
				if (strcmp(key, "id") == 0)
					text_of(k, id, sizeof id);
				else if (strcmp(key, "cvss") == 0)
					text_of(k, cvss, sizeof cvss);
				else if (strcmp(key, "type") == 0)
					text_of(k, type, sizeof type);
			}
			if (strcmp(type, "cve") != 0 && strncmp(id, "CVE-", 4) != 0)
				continue; /* exploits and advisories (EDB-ID, PACKETSTORM...) */
			if (!finding_cve_valid(id, strlen(id)))
				return item_error(c, e, "vulners: '%s' is not a CVE id", id), -1;
			if (cvss[0] && (parse_score(cvss, &v) != 0 || v < 0 || v > 10.0))
				return item_error(c, e, "vulners: %s has CVSS '%s', not 0.0-10.0", id,
						  cvss),
				       -1;
			if (nmap_cve(c, p, id, cvss[0] != '\0', v, NULL) != 0)
				return -1;
		}
	return seen;
}

/* The output text of vulners ("\tCVE-2023-38408\t9.8\thttps://...") or vulscan
 * ("[CVE-2017-15906] The process_open function ..."): every CVE id, with the score that follows
 * it (vulners) or the rest of its line as title (vulscan). */
static int nmap_script_text(struct pctx *c, xmlNodePtr script, const struct nmap_port *p,
			    bool vulscan)
{
	xmlChar *out = xmlGetProp(script, (const xmlChar *)"output");
	const char *s = (const char *)out;
	int rc = 0;

	while (s && rc == 0 && (s = strstr(s, "CVE-")) != NULL) {
		size_t n = 4 + strspn(s + 4, "0123456789-"), eol = strcspn(s, "\n");
		const char *rest = s + n;
		char id[32], num[32], title[FINDING_TITLE_MAX];
		double v = 0;
		bool has = false;

		if (n >= sizeof id || !finding_cve_valid(s, n)) {
			s += 4; /* "CVE-" inside other text: not an id */
			continue;
		}
		memcpy(id, s, n);
		id[n] = '\0';
		rest += strspn(rest, "] \t");
		title[0] = '\0';
		if (vulscan) {
			clean_copy(title, sizeof title, rest, eol > n ? strcspn(rest, "\n") : 0);
		} else {
			size_t m = strspn(rest, "0123456789.");

			if (m > 0 && m < sizeof num) {
				memcpy(num, rest, m);
				num[m] = '\0';
				if (parse_score(num, &v) != 0 || v > 10.0)
					rc = (item_error(c, script, "vulners: %s has CVSS '%s', not "
							 "0.0-10.0", id, num), -1);
				has = true;
			}
		}
		if (rc == 0)
			rc = nmap_cve(c, p, id, has, v, title);
		s += eol > n ? eol : n; /* one entry a line: the URL after it repeats the id */
	}
	xmlFree(out);
	return rc;
}

static int nmap_port(struct pctx *c, xmlNodePtr port, const char *host)
{
	struct nmap_port p = {.host = host};
	char id[16], state[32], name[64], product[80], version[64];
	xmlNodePtr svc = child(port, "service");
	int64_t v;

	attr_of(port, "protocol", p.proto, sizeof p.proto);
	attr_of(port, "portid", id, sizeof id);
	if (str_to_i64(id, 1, 65535, &v) != 0)
		return item_error(c, port, "<port portid=\"%s\"> is not a port number", id), -1;
	if (p.proto[0] == '\0' || strspn(p.proto, "abcdefghijklmnopqrstuvwxyz") != strlen(p.proto))
		return item_error(c, port, "<port protocol=\"%s\"> is not a protocol", p.proto), -1;
	p.port = (int)v;
	attr_of(child(port, "state"), "state", state, sizeof state);
	if (strcmp(state, "open") != 0) {
		c->r->ignored++;
		return 0;
	}
	attr_of(svc, "name", name, sizeof name);
	attr_of(svc, "product", product, sizeof product);
	attr_of(svc, "version", version, sizeof version);
	fmt(p.service, sizeof p.service, "%s%s%s%s%s", name, product[0] ? " " : "", product,
		 version[0] ? " " : "", version);
	{
		struct finding *f = new_finding(c);

		if (f == NULL)
			return -1;
		f->kind = FINDING_OPEN_PORT;
		str_copy(f->host, sizeof f->host, host);
		f->port = p.port;
		str_copy(f->protocol, sizeof f->protocol, p.proto);
		str_copy(f->service, sizeof f->service, p.service);
		fmt(f->title, sizeof f->title, "Open port %d/%s%s%s", p.port, p.proto,
			 p.service[0] ? ": " : "", p.service);
		fmt(f->key, sizeof f->key, "port:%s|%d/%s", host, p.port, p.proto);
	}
	for (xmlNodePtr s = next_named(port->children, "script"); s;
	     s = next_named(s->next, "script")) {
		char sid[32];
		int rc = 0;

		attr_of(s, "id", sid, sizeof sid);
		if (strcmp(sid, "vulners") == 0) {
			rc = nmap_vulners_tables(c, s, &p);
			if (rc == 0)
				rc = nmap_script_text(c, s, &p, false);
		} else if (strcmp(sid, "vulscan") == 0) {
			rc = nmap_script_text(c, s, &p, true);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void nmap_host(struct pctx *c, xmlNodePtr h)
{
	char state[32], addr[FINDING_HOST_MAX + 8] = "", type[16];
	unsigned char bin[16];
	xmlNodePtr ports;
	size_t first = c->r->n;

	attr_of(child(h, "status"), "state", state, sizeof state);
	if (strcmp(state, "down") == 0) {
		c->r->ignored++;
		return;
	}
	for (xmlNodePtr a = next_named(h->children, "address"); a; a = next_named(a->next, "address")) {
		attr_of(a, "addrtype", type, sizeof type);
		if (strcmp(type, "ipv4") != 0 && strcmp(type, "ipv6") != 0)
			continue; /* mac */
		attr_of(a, "addr", addr, sizeof addr);
		if (inet_pton(strcmp(type, "ipv4") == 0 ? AF_INET : AF_INET6, addr, bin) != 1)
			{
		item_error(c, a, "<address addr=\"%.60s\"> is not an %s address", addr,
					  type);
		return;
	}
		break;
	}
	if (addr[0] == '\0')
		{
		item_error(c, h, "the host has no <address addr=\"...\" addrtype=\"ipv4|ipv6\">");
		return;
	}
	ports = child(h, "ports");
	for (xmlNodePtr p = ports ? next_named(ports->children, "port") : NULL; p;
	     p = next_named(p->next, "port"))
		if (nmap_port(c, p, addr) != 0) {
			c->r->n = first; /* nothing of a bad host */
			return;
		}
}

/* ---- the stream ---- */

static int parse_stream(struct pctx *c, xmlTextReaderPtr rd)
{
	struct scan_report *r = c->r;
	bool root = false, gvm = false;
	int ret = xmlTextReaderRead(rd);

	while (ret == 1 && r->error[0] == '\0') {
		int type = xmlTextReaderNodeType(rd), depth = xmlTextReaderDepth(rd);
		const char *name;
		xmlNodePtr n;

		if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE) {
			file_error(c, "a DTD or entity reference is not allowed in a scanner report");
			break;
		}
		if (type != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(rd);
			continue;
		}
		if (depth + 1 > c->max_depth) {
			file_error(c, "elements nested deeper than %d (line %d)", c->max_depth,
				   xmlTextReaderGetParserLineNumber(rd));
			break;
		}
		name = (const char *)xmlTextReaderConstLocalName(rd);
		if (name == NULL)
			name = "";
		if (!root) {
			root = true;
			if (strcmp(name, "report") == 0 || strcmp(name, "get_reports_response") == 0) {
				gvm = true;
				r->scanner = "greenbone";
				r->format = "gvm-report";
			} else if (strcmp(name, "nmaprun") == 0) {
				xmlChar *start = xmlTextReaderGetAttribute(rd, (const xmlChar *)"start");
				int64_t t = 0;

				r->scanner = "nmap";
				r->format = "nmap-xml";
				if (start && str_to_i64((const char *)start, 0, INT64_C(253402300799),
							&t) != 0)
					file_error(c, "<nmaprun start=\"%.40s\"> is not a Unix time",
						   (const char *)start);
				r->scanned_at = t;
				xmlFree(start);
			} else {
				file_error(c, "the root element is <%.60s>, not <report> (Greenbone/OpenVAS) "
					   "or <nmaprun> (Nmap)", name);
				break;
			}
			ret = xmlTextReaderRead(rd);
			continue;
		}
		if (gvm ? strcmp(name, "result") != 0 && strcmp(name, "scan_start") != 0
			: !(strcmp(name, "host") == 0 && depth == 1)) {
			ret = xmlTextReaderRead(rd);
			continue;
		}
		if (gvm && strcmp(name, "scan_start") == 0 && (depth > 3 || r->scanned_at != 0)) {
			ret = xmlTextReaderRead(rd);
			continue;
		}
		n = xmlTextReaderExpand(rd);
		if (n == NULL)
			break; /* the parser's error says why */
		if (gvm && strcmp(name, "result") == 0 && !is_name(n->parent, "results")) {
			ret = xmlTextReaderRead(rd); /* <result> inside another element (detection) */
			continue;
		}
		if (too_deep(n, depth + 1, c->max_depth)) {
			file_error(c, "elements nested deeper than %d (line %ld)", c->max_depth,
				   xmlGetLineNo(n));
			break;
		}
		if (strcmp(name, "scan_start") == 0) {
			char t[64];

			text_of(n, t, sizeof t);
			if (t[0] && tm_parse_iso(t, &r->scanned_at) != 0)
				file_error(c, "<scan_start> '%s' is not an ISO 8601 time", t);
		} else {
			r->items_seen++;
			c->item_failed = false;
			if (gvm)
				gvm_result(c, n);
			else
				nmap_host(c, n);
		}
		ret = xmlTextReaderNext(rd);
	}
	if (r->error[0] == '\0' && (ret < 0 || c->xml_error[0] != '\0'))
		file_error(c, "not well-formed XML (line %d): %s", c->xml_line,
			   c->xml_error[0] ? c->xml_error : "parse error");
	if (r->error[0] == '\0' && !root)
		file_error(c, "the file holds no XML element");
	return r->error[0] != '\0' ? -1 : 0;
}

int scan_parse(const char *data, size_t len, const struct scan_limits *lim, struct scan_report *out)
{
	struct pctx c = {.r = out};
	size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes : SCAN_DEFAULT_MAX_BYTES;
	xmlTextReaderPtr rd;
	int rc;

	memset(out, 0, sizeof *out);
	out->scanner = out->format = "";
	c.max_results = lim && lim->max_results ? lim->max_results : SCAN_DEFAULT_MAX_RESULTS;
	c.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : SCAN_DEFAULT_MAX_DEPTH;
	if (len > max_bytes || len > INT32_MAX) {
		file_error(&c, "the file has %zu bytes, more than the limit of %zu", len, max_bytes);
		return SCAN_ETOOBIG;
	}
	if (len == 0) {
		file_error(&c, "the file is empty");
		return SCAN_EINVAL;
	}
	/* refused before parsing: no declaration can then expand (billion laughs) or fetch
	 * anything; the parser refuses them again in other encodings */
	if (memmem(data, len, "<!DOCTYPE", 9) || memmem(data, len, "<!ENTITY", 8)) {
		file_error(&c, "a DTD (<!DOCTYPE> or <!ENTITY>) is not allowed in a scanner report");
		return SCAN_EINVAL;
	}
	pthread_once(&init_once, scan_init);
	/* every message (encoding and I/O errors come through the thread's handlers, some while
	 * the reader is made) goes into the report, none to stderr */
	xmlSetStructuredErrorFunc(&c, on_xml_error);
	xmlSetGenericErrorFunc(&c, on_generic);
	rd = xmlReaderForMemory(data, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT |
					XML_PARSE_NOCDATA);
	if (rd == NULL) {
		xmlSetStructuredErrorFunc(NULL, NULL);
		xmlSetGenericErrorFunc(NULL, NULL);
		if (c.xml_error[0] != '\0') {
			file_error(&c, "not well-formed XML: %s", c.xml_error);
			return SCAN_EINVAL;
		}
		file_error(&c, "out of memory");
		return SCAN_ENOMEM;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, on_xml_error, &c);
	rc = parse_stream(&c, rd);
	xmlFreeTextReader(rd);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	if (rc != 0)
		return strstr(out->error, "more than") == out->error ? SCAN_ETOOBIG : SCAN_EINVAL;
	return out->items_bad > 0 ? SCAN_EITEMS : SCAN_OK;
}

void scan_report_free(struct scan_report *r)
{
	free(r->items);
	r->items = NULL;
	r->n = r->cap = 0;
}

const char *scan_report_problem(const struct scan_report *r, char *out, size_t outsz)
{
	size_t o;

	if (r->error[0] != '\0' || r->nerrors == 0) {
		snprintf(out, outsz, "%s", r->error[0] ? r->error : "no problem");
		return out;
	}
	snprintf(out, outsz, "%zu of %zu items are invalid: ", r->items_bad, r->items_seen);
	for (size_t i = 0; i < r->nerrors && (o = strlen(out)) + 1 < outsz; i++)
		snprintf(out + o, outsz - o, "%s%s %zu (line %ld): %s", i ? "; " : "",
			 strcmp(r->scanner, "nmap") == 0 ? "host" : "result", r->errors[i].item,
			 r->errors[i].line, r->errors[i].msg);
	utf8_fix(out);
	return out;
}
