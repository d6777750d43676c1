/* tm.h - time: Unix seconds (UTC) inside the program, ISO 8601 at the edges, Asia/Ho_Chi_Minh
 * (UTC+7, no daylight saving since 1975) for what people read, Vietnamese date words for documents. */
#ifndef UNGCUU_TM_H
#define UNGCUU_TM_H
#include <stddef.h>
#include <stdint.h>

#define TM_VN_OFFSET (7 * 3600)
#define TM_ISO_MAX 32 /* buffer size for any string tm_* writes */

/* Current time in Unix seconds. Honours UNGCUU_FAKE_NOW when set, for tests: "T" stands at T;
 * "T@R" runs from T, as if the real clock's R were T (the test suite's clock: fixed start, real
 * seconds passing, whatever the machine's date). */
int64_t tm_now(void);
/* Current time in microseconds (monotonic clock), for measuring durations. */
int64_t tm_mono_us(void);
/* Parses ISO 8601 / RFC 3339: "2026-11-21", "2026-11-21T08:30", "2026-11-21T08:30:15",
 * optional ".fraction", then "Z", "+07:00", "+0700" or nothing. A string without an offset is
 * taken as Asia/Ho_Chi_Minh local time; a date alone is its local midnight. Rejects impossible
 * dates (2026-02-30), years outside 1970..9999, trailing text. Returns 0 and sets *out, or -1. */
int tm_parse_iso(const char *s, int64_t *out);
/* Writes "2026-11-21T01:30:00Z" (UTC) into out (size >= TM_ISO_MAX). Returns 0 or -1. */
int tm_format_iso(int64_t t, char *out, size_t outsz);
/* Writes the Vietnam-local date "21/11/2026" (dd/mm/yyyy). Returns 0 or -1. */
int tm_format_vn_date(int64_t t, char *out, size_t outsz);
/* Writes the Vietnam-local "08:30 21/11/2026". Returns 0 or -1. */
int tm_format_vn_datetime(int64_t t, char *out, size_t outsz);
/* Writes the administrative date line words: "ngày 21 tháng 11 năm 2026" (day and month below 10
 * with a leading zero as the Vietnamese documents write them: "ngày 05 tháng 02 năm 2026").
 * Returns 0 or -1 (out too small). */
int tm_format_vn_words(int64_t t, char *out, size_t outsz);
/* Breaks t into Vietnam-local calendar fields. */
void tm_vn_fields(int64_t t, int *year, int *month, int *day, int *hour, int *min, int *sec);
/* Unix seconds of Vietnam-local midnight of the given date; -1 if the date is impossible. */
int64_t tm_vn_midnight(int year, int month, int day);
/* Days in month (1-12) of year. */
int tm_days_in_month(int year, int month);

/* Days since 1970-01-01 of a proleptic Gregorian date (y, m 1-12, d 1-31), and back. */
int64_t tm_days_from_civil(int64_t y, int m, int d);
void tm_civil_from_days(int64_t z, int64_t *y, int *m, int *d);

#endif
