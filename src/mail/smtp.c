/* smtp.c - delivers one built message over SMTP with libcurl, and reads the mail configuration
 * from the environment (docs/mail.md). */
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "util/str.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void mail_curl_init(void)
{
	pthread_once(&curl_once, curl_start);
}

/* Copies env var name into out when set; MAIL_EINVAL when it does not fit. */
static int env_copy(const char *name, char *out, size_t outsz, const char *def)
{
	const char *v = getenv(name);

	if (v == NULL || v[0] == '\0')
		v = def;
	return str_copy(out, outsz, v) == 0 ? MAIL_OK : MAIL_EINVAL;
}

int mail_config_env(struct mail_config *c)
{
	const char *v;
	int64_t n;

	memset(c, 0, sizeof *c);
	c->timeout = 30;
	if (env_copy("UNGCUU_SMTP_URL", c->url, sizeof c->url, "") != MAIL_OK ||
	    env_copy("UNGCUU_SMTP_FROM", c->from, sizeof c->from, "ungcuu@localhost") != MAIL_OK ||
	    env_copy("UNGCUU_SMTP_USER", c->user, sizeof c->user, "") != MAIL_OK ||
	    env_copy("UNGCUU_SMTP_PASSWORD", c->password, sizeof c->password, "") != MAIL_OK ||
	    env_copy("UNGCUU_SMTP_CAINFO", c->cainfo, sizeof c->cainfo, "") != MAIL_OK ||
	    env_copy("UNGCUU_MAIL_TEMPLATES", c->templates, sizeof c->templates,
		     "templates/mail") != MAIL_OK ||
	    env_copy("UNGCUU_MAIL_LANG", c->lang, sizeof c->lang, "vi") != MAIL_OK ||
	    env_copy("UNGCUU_PUBLIC_URL", c->public_url, sizeof c->public_url, "") != MAIL_OK)
		return MAIL_EINVAL;
	v = getenv("UNGCUU_SMTP_STARTTLS");
	c->starttls = v != NULL && (strcmp(v, "1") == 0 || str_ieq(v, "yes") || str_ieq(v, "true"));
	v = getenv("UNGCUU_SMTP_TIMEOUT");
	if (v != NULL && v[0] != '\0') {
		if (str_to_i64(v, 1, 600, &n) != 0)
			return MAIL_EINVAL;
		c->timeout = (long)n;
	}
	return mail_config_check(c);
}

int mail_config_check(const struct mail_config *c)
{
	if (c->url[0] != '\0' && !str_starts(c->url, "smtp://") && !str_starts(c->url, "smtps://"))
		return MAIL_EINVAL;
	if (!mail_addr_ok(c->from))
		return MAIL_EINVAL;
	return MAIL_OK;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;

	if (n > r->left)
		n = r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

int mail_smtp_send(const struct mail_config *c, const char *from, const char *to,
		   const char *data, size_t len, char *err, size_t errsz)
{
	struct curl_slist *rcpt = NULL;
	struct reader r = {data, len};
	char cerr[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURL *h = NULL;
	CURLcode cc;
	int rc = MAIL_ESEND;

	if (errsz)
		err[0] = '\0';
	if (c->url[0] == '\0' || !mail_addr_ok(from) || !mail_addr_ok(to)) {
		snprintf(err, errsz, "mail not configured or bad address");
		return MAIL_EINVAL;
	}
	mail_curl_init();
	h = curl_easy_init();
	if (h == NULL || (rcpt = curl_slist_append(NULL, to)) == NULL) {
		snprintf(err, errsz, "out of memory");
		rc = MAIL_ENOMEM;
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (c->starttls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (c->cainfo[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cainfo);
	if (c->user[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (cc == CURLE_OK) {
		rc = MAIL_OK;
		goto out;
	}
	snprintf(err, errsz, "%s (%ld): %s", curl_easy_strerror(cc), code,
		 cerr[0] ? cerr : "-");
	/* a 5xx reply to RCPT or DATA is permanent; anything else is worth a retry */
	rc = code >= 500 && code < 600 ? MAIL_EREJECT : MAIL_ESEND;
out:
	curl_slist_free_all(rcpt);
	if (h)
		curl_easy_cleanup(h);
	return rc;
}
