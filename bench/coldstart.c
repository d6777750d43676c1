/* coldstart.c - cold start of a server (bench/run): the time from fork+exec of the command to
 * the first "200" answer of GET PATH on 127.0.0.1:PORT, polled every 100 microseconds with a
 * fresh connection. Each run ends the server with SIGTERM (SIGKILL after 5 s) and waits for it.
 * usage: coldstart --port P [--runs N] [--path /api/v1/health] -- COMMAND [ARGS...]
 * Prints one line per run ("run 3: 12.345 ms") and then "median_ms=X min_ms=Y max_ms=Z".
 * Gives up on a run after 10 s. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 100
#define GIVE_UP_NS 10000000000LL

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

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

/* One attempt: 1 if the answer's status line says 200, 0 if not (yet), -1 on a hard error. */
static int probe(uint16_t port, const char *path)
{
	struct sockaddr_in sa;
	char req[512], resp[64];
	size_t got = 0;
	int fd, n, ok = 0;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		goto out;
	n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		     path);
	if (n < 0 || (size_t)n >= sizeof req || write(fd, req, (size_t)n) != n)
		goto out;
	while (got < sizeof resp - 1) {
		ssize_t r = read(fd, resp + got, sizeof resp - 1 - got);

		if (r <= 0)
			break;
		got += (size_t)r;
		if (got >= 12)
			break;
	}
	resp[got] = '\0';
	ok = got >= 12 && strncmp(resp, "HTTP/1.", 7) == 0 && strncmp(resp + 9, "200", 3) == 0;
out:
	close(fd);
	return ok;
}

static void stop_child(pid_t pid)
{
	int64_t deadline = now_ns() + 5000000000LL;
	int status;

	kill(pid, SIGTERM);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ns() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return;
		}
		usleep(1000);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int64_t port = 0, runs = 10;
	const char *path = "/api/v1/health";
	double ms[MAX_RUNS];
	char **cmd = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--") == 0) {
			cmd = argv + i + 1;
			break;
		}
		if (strcmp(argv[i], "--port") == 0 && parse_i64(v, 1, 65535, &port) == 0)
			i++;
		else if (strcmp(argv[i], "--runs") == 0 && parse_i64(v, 1, MAX_RUNS, &runs) == 0)
			i++;
		else if (strcmp(argv[i], "--path") == 0 && v && strlen(v) < 256)
			path = argv[++i];
		else
			break;
	}
	if (port == 0 || cmd == NULL || cmd[0] == NULL) {
		fprintf(stderr, "usage: coldstart --port P [--runs N] [--path PATH] -- COMMAND [ARGS...]\n");
		return 2;
	}
	if (probe((uint16_t)port, path) == 1) {
		fprintf(stderr, "coldstart: something already answers on port %lld\n", (long long)port);
		return 1;
	}
	for (int r = 0; r < runs; r++) {
		int64_t t0 = now_ns(), t1;
		pid_t pid = fork();
		int p = 0;

		if (pid < 0)
			return 1;
		if (pid == 0) {
			int devnull = open("/dev/null", O_WRONLY);

			if (devnull >= 0) {
				dup2(devnull, 1);
				dup2(devnull, 2);
			}
			execv(cmd[0], cmd);
			_exit(127);
		}
		while ((p = probe((uint16_t)port, path)) == 0 && now_ns() - t0 < GIVE_UP_NS) {
			int status;

			if (waitpid(pid, &status, WNOHANG) == pid) {
				fprintf(stderr, "coldstart: the server exited before answering\n");
				return 1;
			}
			usleep(100);
		}
		t1 = now_ns();
		stop_child(pid);
		if (p != 1) {
			fprintf(stderr, "coldstart: no 200 from %s within 10 s\n", path);
			return 1;
		}
		ms[r] = (double)(t1 - t0) / 1e6;
		printf("run %d: %.3f ms\n", r + 1, ms[r]);
	}
	qsort(ms, (size_t)runs, sizeof ms[0], cmp_double);
	printf("median_ms=%.3f min_ms=%.3f max_ms=%.3f\n",
	       runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2, ms[0], ms[runs - 1]);
	return 0;
}
