/* batch.c - group commit. Each write that commits alone writes its pages to the WAL and closes
 * a transaction (for FTS5, a new index segment) on its own; under load most of a create's time
 * went there. HTTP_DEFER routes (reporting an incident, a journal comment) are queued instead;
 * one thread takes everything queued, runs each request as a savepoint of ONE transaction, commits
 * it, and only then lets the requests be answered: nothing is acknowledged before it is durable,
 * and a request that fails rolls back its own part only. With no load a batch is one request,
 * so nothing waits for company. */
#include <pthread.h>
#include <stdbool.h>

#include "api.h"
#include "util/log.h"

#define BATCH_MAX 256 /* requests per transaction; the rest wait for the next one */

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;
static struct http_job *qhead, *qtail;
static bool stopping, started;
static pthread_t thread;

void api_batch_defer(struct http_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&qlock);
	if (qtail)
		qtail->next = job;
	else
		qhead = job;
	qtail = job;
	pthread_cond_signal(&qcond);
	pthread_mutex_unlock(&qlock);
}

/* Takes up to BATCH_MAX queued jobs; waits for one unless stopping. NULL: stop. */
static struct http_job *take(void)
{
	struct http_job *first, *last;
	int n = 1;

	pthread_mutex_lock(&qlock);
	while (qhead == NULL && !stopping)
		pthread_cond_wait(&qcond, &qlock);
	first = qhead;
	if (first) {
		for (last = first; last->next && n < BATCH_MAX; last = last->next)
			n++;
		qhead = last->next;
		if (qhead == NULL)
			qtail = NULL;
		last->next = NULL;
	}
	pthread_mutex_unlock(&qlock);
	return first;
}

/* The commit failed: requests that had succeeded are answered with the error instead. */
static void fail_all(struct http_job *jobs, int rc)
{
	for (struct http_job *j = jobs; j; j = j->next)
		if (j->res->status < 400) {
			j->res->nheaders = 0;
			buf_reset(&j->res->body);
			api_store_error(j->res, rc);
		}
}

static void run(struct http_job *jobs)
{
	struct store *st = api_store();
	struct http_job *j, *next;
	int rc = st ? STORE_OK : STORE_EIO;

	api_writer_lock(true);
	if (rc == STORE_OK)
		rc = store_begin(st);
	if (rc == STORE_OK) {
		for (j = jobs; j; j = j->next)
			j->fn(j->req, j->res);
		rc = store_commit(st);
		if (rc != STORE_OK)
			store_rollback(st);
	}
	api_writer_unlock();
	if (rc != STORE_OK) {
		log_err("batch: a group commit failed; its requests are answered with the error");
		fail_all(jobs, rc);
	}
	for (j = jobs; j; j = next) {
		next = j->next; /* the job belongs to its connection again after done */
		http_job_done(j);
	}
}

static void *batch_main(void *arg)
{
	struct http_job *jobs;

	(void)arg;
	while ((jobs = take()) != NULL)
		run(jobs);
	return NULL;
}

int api_batch_start(void)
{
	if (pthread_create(&thread, NULL, batch_main, NULL) != 0)
		return -1;
	started = true;
	return 0;
}

void api_batch_stop(void)
{
	if (!started)
		return;
	pthread_mutex_lock(&qlock);
	stopping = true;
	pthread_cond_broadcast(&qcond);
	pthread_mutex_unlock(&qlock);
	pthread_join(thread, NULL); /* take() hands out what is queued before it returns NULL */
	started = false;
}
