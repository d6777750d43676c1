/* log.c - one-line logs to stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include "tm.h"

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level lv)
{
	min_level = lv;
}

void log_msg(enum log_level lv, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char ts[TM_ISO_MAX], line[1024];
	va_list ap;

	if (lv < min_level)
		return;
	if (tm_format_iso(tm_now(), ts, sizeof ts) != 0)
		ts[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %s %s\n", ts, names[lv], line);
}
