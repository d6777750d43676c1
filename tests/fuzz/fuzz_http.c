/* fuzz_http.c - the whole server in this process: each input is sent over loopback as the body of
 * a request chosen by its first byte (JSON creates and updates, raw and multipart uploads, a raw
 * request line and headers). The server must answer every one with a status below 500 and keep
 * running; ASan and UBSan watch the rest. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "util/crypto.h"

static volatile sig_atomic_t stop;
static struct http_opts opts;
static char token[CRYPTO_TOKEN_CHARS];
static uint16_t port;

static void *serve(void *arg)
{
	(void)arg;
	http_serve(&opts, &stop);
	return NULL;
}

static void setup_data(const char *dir)
{
	char *argv[] = {"init", "--data", (char *)dir, "--preset", "national", "--demo", NULL};
	char h[CRYPTO_HASH_HEX];
	struct store_user_auth u;
	struct store *st;
	int64_t id;

	if (cli_init(6, argv) != 0 || cli_open(dir, false, &st) != 0)
		abort();
	if (store_user_auth_by_name(st, "dieuphoi", &u) != STORE_OK)
		abort();
	crypto_token(token);
	crypto_blake2b_hex(h, token, strlen(token));
	struct preset *p;

	if (store_token_create(st, h, u.id, "fuzz", &id) != STORE_OK || cli_preset_from_store(st, &p) != 0)
		abort();
	api_preset_swap(p);
	store_close(st);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[] = "/tmp/ungcuu-fuzz-XXXXXX";
	static char data[sizeof dir + 8], uploads[sizeof dir + 16];
	pthread_t t;

	(void)argc;
	(void)argv;
	setenv("UNGCUU_FAST_HASH", "1", 1);
	if (crypto_init() != 0 || mkdtemp(dir) == NULL)
		abort();
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(uploads, sizeof uploads, "%s/data/tmp", dir);
	setup_data(data);
	snprintf(api_env.data_dir, sizeof api_env.data_dir, "%s", data);
	api_auth_init();
	port = (uint16_t)(20000 + getpid() % 20000);
	opts = (struct http_opts){.addr = "127.0.0.1", .port = port, .threads = 1,
				  .max_body = 1 << 20, .max_upload = 1 << 20, .upload_dir = uploads,
				  .routes = api_routes, .nroutes = api_nroutes,
				  .before = api_before};
	signal(SIGPIPE, SIG_IGN);
	pthread_create(&t, NULL, serve, NULL);
	usleep(300 * 1000);
	return 0;
}

/* Sends one request and returns the status code of the answer (0 if none). */
static int roundtrip(const char *head, const uint8_t *body, size_t n)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	char resp[64] = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = 0;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
		if (write(fd, head, strlen(head)) >= 0 && (n == 0 || write(fd, body, n) >= 0) &&
		    read(fd, resp, sizeof resp - 1) > 12)
			status = atoi(resp + 9);
	}
	close(fd);
	return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const targets[] = {
		"POST /api/v1/incidents HTTP/1.1\r\nContent-Type: application/json\r\n",
		"PATCH /api/v1/incidents/1 HTTP/1.1\r\nContent-Type: application/json\r\n",
		"POST /api/v1/incidents/1/transitions HTTP/1.1\r\nContent-Type: application/json\r\n",
		"POST /api/v1/incidents/1/attachments?name=f.bin HTTP/1.1\r\nContent-Type: "
		"application/octet-stream\r\n",
		"POST /api/v1/incidents/1/attachments HTTP/1.1\r\nContent-Type: multipart/form-data; "
		"boundary=XyZ\r\n",
		"POST /api/v1/systems HTTP/1.1\r\nContent-Type: application/json\r\n",
	};
	char head[512];
	int status;

	if (size < 1)
		return 0;
	snprintf(head, sizeof head,
		 "%sHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %zu\r\nConnection: "
		 "close\r\n\r\n",
		 targets[data[0] % (sizeof targets / sizeof targets[0])], token, size - 1);
	status = roundtrip(head, data + 1, size - 1);
	if (status == 0 || status >= 500) {
		fprintf(stderr, "server answered %d\n", status);
		abort();
	}
	return 0;
}
