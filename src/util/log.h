/* log.h - one-line logs to stderr: "2026-11-21T01:30:00Z level message". */
#ifndef UNGCUU_LOG_H
#define UNGCUU_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERR };
/* Sets the lowest level printed (default LOG_INFO; UNGCUU_LOG=debug lowers it). */
void log_set_level(enum log_level lv);
/* Prints one line if lv is at or above the set level. */
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
