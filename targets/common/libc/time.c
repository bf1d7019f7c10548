/* time.c: time.h and sys/time.h of mirage's C library. The wall clock is
 * the platform's; there are no time zones (UTC everywhere: localtime is
 * gmtime, mktime is timegm); clock() counts from the unikernel's start.
 * Built with floating point (libc.yaml: fp): difftime returns a double. */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "mirage_platform.h"

char *tzname[2] = {"UTC", "UTC"};
long timezone;
int daylight;

void tzset(void)
{
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns;
	switch (id) {
	case CLOCK_REALTIME:
		ns = plat_clock_wall();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ns = plat_clock_monotonic();
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}

int clock_getres(clockid_t id, struct timespec *ts)
{
	if (id < CLOCK_REALTIME || id > CLOCK_THREAD_CPUTIME_ID) {
		errno = EINVAL;
		return -1;
	}
	if (ts) {
		ts->tv_sec = 0;
		ts->tv_nsec = 1;
	}
	return 0;
}

int timespec_get(struct timespec *ts, int base)
{
	return base == TIME_UTC && clock_gettime(CLOCK_REALTIME, ts) == 0 ? base : 0;
}

time_t time(time_t *t)
{
	time_t now = (time_t)(plat_clock_wall() / 1000000000u);
	if (t)
		*t = now;
	return now;
}

clock_t clock(void)
{
	return (clock_t)(plat_clock_monotonic() / (1000000000u / CLOCKS_PER_SEC));
}

double difftime(time_t end, time_t start)
{
	return (double)end - (double)start;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	uint64_t ns = plat_clock_wall();
	if (tv) {
		tv->tv_sec = (time_t)(ns / 1000000000u);
		tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	}
	if (tz)
		memset(tz, 0, sizeof(struct timezone));
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ns = (uint64_t)req->tv_sec > UINT64_MAX / 1000000000u - 1
			  ? UINT64_MAX
			  : (uint64_t)req->tv_sec * 1000000000u + (uint64_t)req->tv_nsec;
	mirage_sleep(ns);
	if (rem)
		rem->tv_sec = 0, rem->tv_nsec = 0;
	return 0;
}

unsigned sleep(unsigned seconds)
{
	mirage_sleep((uint64_t)seconds * 1000000000u);
	return 0;
}

int usleep(useconds_t usec)
{
	mirage_sleep((uint64_t)usec * 1000u);
	return 0;
}

/* --- calendar: the proleptic Gregorian calendar, UTC --- */

/* Days from 1970-01-01 to y-m-d (m from 1); any year. After Howard
 * Hinnant's days_from_civil. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict tm)
{
	int64_t secs = *t;
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0)
		rem += 86400, days--;
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y - 1900 > INT_MAX || y - 1900 < INT_MIN) {
		errno = EOVERFLOW;
		return NULL;
	}
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = (int)(m - 1);
	tm->tm_mday = (int)d;
	tm->tm_hour = (int)(rem / 3600);
	tm->tm_min = (int)(rem % 3600 / 60);
	tm->tm_sec = (int)(rem % 60);
	tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "UTC";
	return tm;
}

struct tm *gmtime(const time_t *t)
{
	static struct tm tm;
	return gmtime_r(t, &tm);
}

struct tm *localtime_r(const time_t *restrict t, struct tm *restrict tm)
{
	return gmtime_r(t, tm);
}

struct tm *localtime(const time_t *t)
{
	return gmtime(t);
}

time_t timegm(struct tm *tm)
{
	/* the fields may lie outside their ranges: months carry into years,
	 * the rest into seconds */
	int64_t mon = tm->tm_mon;
	int64_t year = (int64_t)tm->tm_year + 1900 + mon / 12;
	mon %= 12;
	if (mon < 0)
		mon += 12, year--;
	int64_t days = days_from_civil(year, mon + 1, 1) + tm->tm_mday - 1;
	int64_t t =
	    days * 86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 + tm->tm_sec;
	time_t r = (time_t)t;
	if (!gmtime_r(&r, tm)) /* normalises the fields */
		return (time_t)-1;
	return r;
}

time_t mktime(struct tm *tm)
{
	return timegm(tm);
}

/* --- formatting --- */

static const char *const wday_name[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
					"Thursday", "Friday", "Saturday"};
static const char *const mon_name[] = {"January",   "February", "March",    "April",
				       "May",	    "June",	"July",	    "August",
				       "September", "October",	"November", "December"};

char *asctime_r(const struct tm *restrict tm, char *restrict buf)
{
	/* the format C gives, in 26 bytes for years of four digits */
	snprintf(buf, 26, "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n",
		 tm->tm_wday >= 0 && tm->tm_wday < 7 ? wday_name[tm->tm_wday] : "???",
		 tm->tm_mon >= 0 && tm->tm_mon < 12 ? mon_name[tm->tm_mon] : "???", tm->tm_mday,
		 tm->tm_hour, tm->tm_min, tm->tm_sec, 1900 + tm->tm_year);
	return buf;
}

char *asctime(const struct tm *tm)
{
	static char buf[64];
	return asctime_r(tm, buf);
}

char *ctime_r(const time_t *t, char *buf)
{
	struct tm tm;
	return gmtime_r(t, &tm) ? asctime_r(&tm, buf) : NULL;
}

char *ctime(const time_t *t)
{
	struct tm tm;
	return gmtime_r(t, &tm) ? asctime(&tm) : NULL;
}

/* ISO 8601 week-based year and week of tm (for %G %g %V). */
static void iso_week(const struct tm *tm, int64_t *year, int *week)
{
	int64_t y = (int64_t)tm->tm_year + 1900;
	int wday = (tm->tm_wday + 6) % 7; /* Monday 0 */
	int yday = tm->tm_yday;
	/* the week holding the year's first Thursday is week 1 */
	int w = (yday - wday + 10) / 7;
	if (w < 1) {
		y--;
		int prev_days = leap(y) ? 366 : 365;
		w = (yday + prev_days - wday + 10) / 7;
	} else if (w == 53) {
		int days = leap(y) ? 366 : 365;
		if (yday - wday + 3 >= days) { /* that Thursday is next year's */
			y++;
			w = 1;
		}
	}
	*year = y;
	*week = w;
}

struct out {
	char *s;
	size_t max, n;
	bool full;
};

static void put(struct out *o, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (o->n + 1 >= o->max) {
			o->full = true;
			return;
		}
		o->s[o->n++] = s[i];
	}
}

static void putf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct out *o, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void format(struct out *o, const char *fmt, const struct tm *tm)
{
	int wday = tm->tm_wday, mon = tm->tm_mon;
	const char *wname = wday >= 0 && wday < 7 ? wday_name[wday] : "?";
	const char *mname = mon >= 0 && mon < 12 ? mon_name[mon] : "?";
	long long year = (long long)tm->tm_year + 1900;
	for (; *fmt && !o->full; fmt++) {
		if (*fmt != '%') {
			put(o, fmt, 1);
			continue;
		}
		fmt++;
		if (*fmt == 'E' || *fmt == 'O') /* the C locale has no alternatives */
			fmt++;
		int64_t iy;
		int iw;
		switch (*fmt) {
		case 'a':
			put(o, wname, 3);
			break;
		case 'A':
			put(o, wname, strlen(wname));
			break;
		case 'b':
		case 'h':
			put(o, mname, 3);
			break;
		case 'B':
			put(o, mname, strlen(mname));
			break;
		case 'c':
			format(o, "%a %b %e %H:%M:%S %Y", tm);
			break;
		case 'C': /* as glibc: the century, not padded to two digits */
			putf(o, "%lld", year / 100 - (year % 100 < 0));
			break;
		case 'd':
			putf(o, "%02d", tm->tm_mday);
			break;
		case 'D':
			format(o, "%m/%d/%y", tm);
			break;
		case 'e':
			putf(o, "%2d", tm->tm_mday);
			break;
		case 'F':
			format(o, "%Y-%m-%d", tm);
			break;
		case 'g':
			iso_week(tm, &iy, &iw);
			putf(o, "%02lld", (long long)((iy % 100 + 100) % 100));
			break;
		case 'G':
			iso_week(tm, &iy, &iw);
			putf(o, "%lld", (long long)iy);
			break;
		case 'H':
			putf(o, "%02d", tm->tm_hour);
			break;
		case 'I':
			putf(o, "%02d", tm->tm_hour % 12 ? tm->tm_hour % 12 : 12);
			break;
		case 'j':
			putf(o, "%03d", tm->tm_yday + 1);
			break;
		case 'm':
			putf(o, "%02d", tm->tm_mon + 1);
			break;
		case 'M':
			putf(o, "%02d", tm->tm_min);
			break;
		case 'n':
			put(o, "\n", 1);
			break;
		case 'p':
			put(o, tm->tm_hour < 12 ? "AM" : "PM", 2);
			break;
		case 'r':
			format(o, "%I:%M:%S %p", tm);
			break;
		case 'R':
			format(o, "%H:%M", tm);
			break;
		case 's': {
			struct tm copy = *tm;
			putf(o, "%lld", (long long)timegm(&copy));
			break;
		}
		case 'S':
			putf(o, "%02d", tm->tm_sec);
			break;
		case 't':
			put(o, "\t", 1);
			break;
		case 'T':
			format(o, "%H:%M:%S", tm);
			break;
		case 'u':
			putf(o, "%d", wday == 0 ? 7 : wday);
			break;
		case 'U':
			putf(o, "%02d", (tm->tm_yday + 7 - wday) / 7);
			break;
		case 'V':
			iso_week(tm, &iy, &iw);
			putf(o, "%02d", iw);
			break;
		case 'w':
			putf(o, "%d", wday);
			break;
		case 'W':
			putf(o, "%02d", (tm->tm_yday + 7 - (wday + 6) % 7) / 7);
			break;
		case 'x':
			format(o, "%m/%d/%y", tm);
			break;
		case 'X':
			format(o, "%H:%M:%S", tm);
			break;
		case 'y':
			putf(o, "%02lld", (year % 100 + 100) % 100);
			break;
		case 'Y':
			putf(o, "%lld", year);
			break;
		case 'z': {
			long off = tm->tm_gmtoff;
			long a = off < 0 ? -off : off;
			putf(o, "%c%02ld%02ld", off < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
			break;
		}
		case 'Z':
			put(o, tm->tm_zone ? tm->tm_zone : "UTC",
			    strlen(tm->tm_zone ? tm->tm_zone : "UTC"));
			break;
		case 'k':
			putf(o, "%2d", tm->tm_hour);
			break;
		case 'l':
			putf(o, "%2d", tm->tm_hour % 12 ? tm->tm_hour % 12 : 12);
			break;
		case 'P':
			put(o, tm->tm_hour < 12 ? "am" : "pm", 2);
			break;
		case '%':
			put(o, "%", 1);
			break;
		case '\0':
			fmt--;
			put(o, "%", 1);
			break;
		default: /* unknown: as written */
			put(o, fmt - 1, 2);
			break;
		}
	}
}

size_t strftime(char *restrict s, size_t max, const char *restrict fmt,
		const struct tm *restrict tm)
{
	struct out o = {s, max, 0, false};
	format(&o, fmt, tm);
	if (o.full || max == 0)
		return 0;
	s[o.n] = '\0';
	return o.n;
}
