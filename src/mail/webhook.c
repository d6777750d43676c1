/* webhook.c - notifications as signed JSON POSTs (docs/mail.md): HMAC-SHA256 over
 * "timestamp.body", sent with libcurl. */
#include <curl/curl.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "mail/mail.h"
#include "util/str.h"
#include "util/tm.h"

int mail_webhook_sign(const char *secret, int64_t ts, const char *body, size_t len, char *out,
		      size_t outsz)
{
	crypto_auth_hmacsha256_state h;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char tsbuf[32], hex[2 * sizeof mac + 1];
	int n = snprintf(tsbuf, sizeof tsbuf, "%lld.", (long long)ts);

	if (n <= 0 || (size_t)n >= sizeof tsbuf || secret == NULL || secret[0] == '\0')
		return MAIL_EINVAL;
	crypto_auth_hmacsha256_init(&h, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)tsbuf, (unsigned long long)n);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&h, mac);
	str_hex(hex, mac, sizeof mac);
	n = snprintf(out, outsz, "t=%lld,v1=%s", (long long)ts, hex);
	return n > 0 && (size_t)n < outsz ? MAIL_OK : MAIL_EINVAL;
}

static size_t discard(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

int mail_webhook_post(const char *url, const char *secret, const char *event, int64_t delivery,
		      const char *body, long timeout, long *status, char *err, size_t errsz)
{
	struct curl_slist *hdr = NULL, *tmp;
	char sig[160], line[256], cerr[CURL_ERROR_SIZE] = "";
	size_t len = strlen(body);
	CURL *h = NULL;
	CURLcode cc;
	int rc = MAIL_ESEND;

	*status = 0;
	if (errsz)
		err[0] = '\0';
	if (!str_starts(url, "https://") && !str_starts(url, "http://")) {
		snprintf(err, errsz, "webhook URL must be http(s)");
		return MAIL_EREJECT;
	}
	if (mail_webhook_sign(secret, tm_now(), body, len, sig, sizeof sig) != MAIL_OK) {
		snprintf(err, errsz, "no webhook secret");
		return MAIL_EREJECT;
	}
	mail_curl_init();
	h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errsz, "out of memory");
		return MAIL_ENOMEM;
	}
	snprintf(line, sizeof line, "X-Ungcuu-Signature: %s", sig);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (hdr && (tmp = curl_slist_append(hdr, line)) != NULL)
		hdr = tmp;
	snprintf(line, sizeof line, "X-Ungcuu-Event: %s", event);
	if (hdr && (tmp = curl_slist_append(hdr, line)) != NULL)
		hdr = tmp;
	snprintf(line, sizeof line, "X-Ungcuu-Delivery: %lld", (long long)delivery);
	if (hdr && (tmp = curl_slist_append(hdr, line)) != NULL)
		hdr = tmp;
	if (hdr == NULL) {
		snprintf(err, errsz, "out of memory");
		rc = MAIL_ENOMEM;
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ungcuu-webhook/1");
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	if (cc != CURLE_OK) {
		snprintf(err, errsz, "%s: %s", curl_easy_strerror(cc), cerr[0] ? cerr : "-");
		goto out;
	}
	if (*status >= 200 && *status < 300) {
		rc = MAIL_OK;
		goto out;
	}
	snprintf(err, errsz, "HTTP %ld", *status);
	rc = *status >= 400 && *status < 500 && *status != 408 && *status != 429 ? MAIL_EREJECT
										     : MAIL_ESEND;
out:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc;
}
