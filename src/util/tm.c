/* tm.c - time without the TZ database (see tm.h).
 * Vietnam has been UTC+7 without daylight saving since 1975, so local time is plain arithmetic.
 * localtime()/setenv("TZ") would read process-global state and race between server threads;
 * everything here is pure integer arithmetic on the proleptic Gregorian calendar instead. */
#include "tm.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "str.h"

#define TM_DAY 86400
#define TM_YEAR_MIN 1970 /* bounds of what tm_parse_iso accepts */
#define TM_YEAR_MAX 9999
/* The formatters print four-digit years, so they accept 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z
 * (minus the local offset for the local forms, checked after shifting). */
#define TM_T_MIN (-62135596800LL)
#define TM_T_MAX 253402300799LL

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant, "chrono-compatible
 * low-level date algorithms"). March-based years put the leap day last, so the day of year is a
 * linear formula of the month. */
int64_t tm_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Inverse of tm_days_from_civil. */
void tm_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tm_days_in_month(int year, int month)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && is_leap(year) ? 29 : dim[month - 1];
}

/* Reads UNGCUU_FAKE_NOW: "T" (the clock stands at T) or "T@R" (the clock read T when the real
 * clock read R, and runs from there). Returns 1 and sets *t, or 0 when unset or malformed. */
static int fake_now(int64_t real, int64_t *t)
{
	const char *fake = getenv("UNGCUU_FAKE_NOW");
	const char *at;
	int64_t start, anchor;

	if (fake == NULL)
		return 0;
	at = strchr(fake, '@');
	if (at == NULL)
		return str_to_i64(fake, TM_T_MIN, TM_T_MAX, t) == 0;
	if (str_to_i64n(fake, (size_t)(at - fake), TM_T_MIN, TM_T_MAX, &start) != 0 ||
	    str_to_i64(at + 1, TM_T_MIN, TM_T_MAX, &anchor) != 0)
		return 0;
	*t = start + (real - anchor);
	return 1;
}

int64_t tm_now(void)
{
	struct timespec ts;
	int64_t t;

	clock_gettime(CLOCK_REALTIME, &ts);
	/* tests pin the clock (standing or running from a fixed instant); a malformed value is
	 * ignored rather than freezing time at 0 */
	if (fake_now((int64_t)ts.tv_sec, &t))
		return t;
	return (int64_t)ts.tv_sec;
}

int64_t tm_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Reads exactly n ASCII digits at *p, advancing it. Returns the value or -1. */
static int take_digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

/* Parses the offset after the time: "Z", "+07:00", "+0700", "-05:00" or nothing (Vietnam).
 * Sets *off in seconds east of UTC. Returns 0 when the whole rest of the string was consumed. */
static int parse_offset(const char *p, int *off)
{
	int sign, hh, mm;

	*off = TM_VN_OFFSET;
	if (*p == '\0')
		return 0;
	if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') {
		*off = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((hh = take_digits(&p, 2)) < 0 || hh > 23)
		return -1;
	if (*p == ':')
		p++;
	if ((mm = take_digits(&p, 2)) < 0 || mm > 59 || *p != '\0')
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* Parses "HH:MM[:SS[.fraction]]" at *p into seconds of the day, advancing *p. Returns -1 if bad.
 * Hour 24 and leap second 60 are refused: nothing we store needs them and they break ordering. */
static int parse_clock(const char **p)
{
	int hh, mi, ss = 0;

	if ((hh = take_digits(p, 2)) < 0 || hh > 23 || **p != ':')
		return -1;
	(*p)++;
	if ((mi = take_digits(p, 2)) < 0 || mi > 59)
		return -1;
	if (**p == ':') {
		(*p)++;
		if ((ss = take_digits(p, 2)) < 0 || ss > 59)
			return -1;
		if (**p == '.') {
			const char *f = ++(*p);

			/* Unix seconds: the fraction is validated, then dropped */
			while (**p >= '0' && **p <= '9')
				(*p)++;
			if (*p == f || *p - f > 9)
				return -1;
		}
	}
	return hh * 3600 + mi * 60 + ss;
}

int tm_parse_iso(const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d, secs = 0, off = TM_VN_OFFSET;

	if ((y = take_digits(&p, 4)) < 0 || *p++ != '-')
		return -1;
	if ((mo = take_digits(&p, 2)) < 0 || *p++ != '-')
		return -1;
	if ((d = take_digits(&p, 2)) < 0)
		return -1;
	if (y < TM_YEAR_MIN || y > TM_YEAR_MAX || d < 1 || d > tm_days_in_month(y, mo))
		return -1;
	/* RFC 3339 allows a space instead of 'T' (spreadsheets and CSV imports write it so) */
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if ((secs = parse_clock(&p)) < 0 || parse_offset(p, &off) != 0)
			return -1;
	} else if (*p != '\0') {
		return -1; /* a date alone takes no offset: "2026-11-21Z" names no instant */
	}
	*out = tm_days_from_civil(y, mo, d) * TM_DAY + secs - off;
	return 0;
}

/* Splits t shifted by off seconds into calendar fields. Floor division keeps times before 1970
 * on the right day. The formatters check t is in range first; tm_vn_fields trusts its caller. */
static void split(int64_t t, int off, int64_t *y, int *mo, int *d, int *h, int *mi, int *s)
{
	int64_t days = t / TM_DAY, sod = t % TM_DAY;

	if (sod < 0) {
		sod += TM_DAY;
		days--;
	}
	/* add the offset to the second of the day, not to t, so t near INT64_MAX cannot overflow */
	sod += off;
	if (sod >= TM_DAY) {
		sod -= TM_DAY;
		days++;
	} else if (sod < 0) {
		sod += TM_DAY;
		days--;
	}
	tm_civil_from_days(days, y, mo, d);
	*h = (int)(sod / 3600);
	*mi = (int)(sod / 60 % 60);
	*s = (int)(sod % 60);
}

/* The formatters write four-digit years only; returns false for t whose local year is not one. */
static bool local_in_range(int64_t t)
{
	return t >= TM_T_MIN - TM_VN_OFFSET && t <= TM_T_MAX - TM_VN_OFFSET;
}

/* snprintf's return turned into our status: -1 when it failed or did not fit. */
static int fit(int n, size_t outsz)
{
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* Writes v as exactly n decimal digits, leading zeros included. */
static void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Digits written by hand rather than by snprintf: every time in every JSON answer passes here
 * (a sixth of the store's row conversion in a profile of GET /api/v1/incidents/{id}). */
int tm_format_iso(int64_t t, char *out, size_t outsz)
{
	static const char shape[] = "0000-00-00T00:00:00Z";
	int64_t y;
	int mo, d, h, mi, s;

	if (t < TM_T_MIN || t > TM_T_MAX || outsz < sizeof shape)
		return -1;
	split(t, 0, &y, &mo, &d, &h, &mi, &s); /* years 1-9999 in this range: four digits */
	memcpy(out, shape, sizeof shape);
	put_digits(out, (int)y, 4);
	put_digits(out + 5, mo, 2);
	put_digits(out + 8, d, 2);
	put_digits(out + 11, h, 2);
	put_digits(out + 14, mi, 2);
	put_digits(out + 17, s, 2);
	return 0;
}

int tm_format_vn_date(int64_t t, char *out, size_t outsz)
{
	int64_t y;
	int mo, d, h, mi, s;

	if (!local_in_range(t))
		return -1;
	split(t, TM_VN_OFFSET, &y, &mo, &d, &h, &mi, &s);
	return fit(snprintf(out, outsz, "%02d/%02d/%04d", d, mo, (int)y), outsz);
}

int tm_format_vn_datetime(int64_t t, char *out, size_t outsz)
{
	int64_t y;
	int mo, d, h, mi, s;

	if (!local_in_range(t))
		return -1;
	split(t, TM_VN_OFFSET, &y, &mo, &d, &h, &mi, &s);
	return fit(snprintf(out, outsz, "%02d:%02d %02d/%02d/%04d", h, mi, d, mo, (int)y), outsz);
}

int tm_format_vn_words(int64_t t, char *out, size_t outsz)
{
	int64_t y;
	int mo, d, h, mi, s;

	if (!local_in_range(t))
		return -1;
	split(t, TM_VN_OFFSET, &y, &mo, &d, &h, &mi, &s);
	/* UTF-8: "ngày" 5 bytes, "tháng" 6, "năm" 4; 28 bytes in all plus the NUL */
	return fit(snprintf(out, outsz, "ng\xc3\xa0y %02d th\xc3\xa1ng %02d n\xc4\x83m %04d", d, mo,
			    (int)y),
		   outsz);
}

void tm_vn_fields(int64_t t, int *year, int *month, int *day, int *hour, int *min, int *sec)
{
	int64_t y;

	split(t, TM_VN_OFFSET, &y, month, day, hour, min, sec);
	*year = (int)y;
}

int64_t tm_vn_midnight(int year, int month, int day)
{
	if (year < 1 || year > TM_YEAR_MAX || day < 1 || day > tm_days_in_month(year, month))
		return -1;
	return tm_days_from_civil(year, month, day) * TM_DAY - TM_VN_OFFSET;
}
