/* libc: a tour of mirage's C library, printing what it computes; the same
 * output on every target and architecture (expected.out). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <iso646.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <mirage.h>
#include <setjmp.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#elif defined(__ARM_NEON)
#include <arm_neon.h>
#endif

static void math(int64_t n)
{
	double sum = 0;
	for (int64_t i = 1; i <= n; i++)
		sum += 1.0 / ((double)i * (double)i);
	printf("math: basel(%" PRId64 ") = %.9f, pi from it %.6f\n", n, sum, sqrt(6 * sum));
	printf("math: sin %.10f cos %.10f tan %.10f atan2 %.10f\n", sin(1.0), cos(1.0), tan(1.0),
	       atan2(1.0, -1.0));
	printf("math: exp %.10g log %.10g log2 %.10g log10 %.10g pow %.10g\n", exp(2.5), log(10.0),
	       log2(1024.0), log10(0.001), pow(2.0, 0.5));
	printf("math: floor %g ceil %g fmod %g round %g trunc %g hypot %g cbrt %g\n", floor(-2.5),
	       ceil(-2.5), fmod(7.5, 2.0), round(2.5), trunc(-2.7), hypot(3, 4), cbrt(27));
	int e;
	double m = frexp(1000.0, &e);
	printf("math: frexp %g*2^%d ldexp %g fabs %g tgamma(5) %g erf %.8f\n", m, e, ldexp(0.75, 4),
	       fabs(-3.5), tgamma(5.0), erf(0.5));
	printf("math: float sinf %.6f sqrtf %.6f powf %.4f expf %.5f\n", (double)sinf(0.5f),
	       (double)sqrtf(2.0f), (double)powf(3.0f, 4.5f), (double)expf(1.0f));
	printf("math: %s %s %s %s HUGE_VAL %g M_PI %.15f\n", isnan(NAN) ? "nan" : "?",
	       isinf(INFINITY) ? "inf" : "?", signbit(-0.0) ? "-0" : "?",
	       fpclassify(1e-310) == FP_SUBNORMAL ? "subnormal" : "?", HUGE_VAL, M_PI);
	errno = 0;
	double bad = log(-1.0);
	printf("math: log(-1) is %s, errno %s\n", isnan(bad) ? "nan" : "a number",
	       errno == EDOM ? "EDOM" : "not set");
}

static void numbers(void)
{
	const char *hard[] = {
	    "2.2250738585072011e-308", "9007199254740993", "1e23", "0x1.8p3", "-inf", "1e-400"};
	for (size_t i = 0; i < sizeof(hard) / sizeof(hard[0]); i++) {
		errno = 0;
		double d = strtod(hard[i], NULL);
		printf("strtod: %-24s -> %.17g %a%s\n", hard[i], d, d,
		       errno == ERANGE ? " ERANGE" : "");
	}
	char buf[64];
	double x = 0.1;
	snprintf(buf, sizeof(buf), "%.17g", x);
	printf("printf: 0.1 = %.30f, %%.17g %s round-trips: %s\n", x, buf,
	       strtod(buf, NULL) == x ? "yes" : "no");
	printf("printf: %.0f %.0f %.0f %.2f %e %g %g %#x %+05d %s\n", 0.5, 1.5, 2.5, 1.005,
	       123456.789, 1e-5, 1e6, 255, 42, "end");
	printf("strtof: %.9g atof: %g strtol: %ld strtoull: %llu\n",
	       (double)strtof("3.14159274", NULL), atof("  -12.5e1x"),
	       strtol("-0x7fffffff", NULL, 16), strtoull("18446744073709551615", NULL, 10));
	char *s = NULL;
	int len = asprintf(&s, "%s has %d letters", "mirage", 6);
	printf("asprintf: '%s' (%d)\n", s, len);
	free(s);
}

static void scanning(void)
{
	FILE *f = fopen("/site/settings.conf", "r");
	int w = 0, h = 0, n = 0;
	double ratio = 0;
	char name[32] = "";
	int got =
	    f ? fscanf(f, "width=%d height=%d ratio=%lf name=%31s%n", &w, &h, &ratio, name, &n)
	      : -2;
	printf("fscanf: %d fields: %dx%d ratio %.4f name %s (%d characters)\n", got, w, h, ratio,
	       name, n);
	if (f)
		fclose(f);
	unsigned hex;
	char word[16], rest[16];
	int r = sscanf("  0x1F [tag] tail", "%x [%15[^]]] %s", &hex, word, rest);
	printf("sscanf: %d: %u '%s' '%s'; %d %d\n", r, hex, word, rest, sscanf("", "%d", &w),
	       sscanf("abc", "%d", &w));
}

static void files(void)
{
	FILE *f = fopen("/site/css/site.css", "r");
	char line[128];
	int lines = 0;
	while (f && fgets(line, sizeof(line), f))
		lines++;
	printf("files: site.css has %d lines, feof %d ferror %d\n", lines, f ? feof(f) : -1,
	       f ? ferror(f) : -1);
	if (f) {
		fseek(f, 5, SEEK_SET);
		int c = fgetc(f);
		long at = ftell(f);
		ungetc(c, f);
		int again = getc(f);
		printf("files: at %ld '%c', again '%c'\n", at, c, again);
		rewind(f);
		size_t got = fread(line, 1, 4, f);
		line[got] = '\0';
		printf("files: fread '%s'\n", line);
		fclose(f);
	}
	errno = 0;
	printf("files: write: %s; missing: %s\n",
	       fopen("/site/index.html", "w") ? "opened" : strerror(errno),
	       fopen("/site/nothing", "r") ? "opened" : strerror(errno));
	struct stat st;
	if (stat("/site/index.html", &st) == 0)
		printf("files: index.html is %s of %ld bytes\n",
		       S_ISREG(st.st_mode) ? "a file" : "?", (long)st.st_size);
	int fd = open("site/./css/../index.html", O_RDONLY);
	char head[5] = "";
	if (fd >= 0 && read(fd, head, 4) == 4)
		printf("files: open+read '%s', lseek end %ld\n", head,
		       (long)lseek(fd, 0, SEEK_END));
	close(fd);
	DIR *d = opendir("/site");
	struct dirent *e;
	printf("files: /site holds");
	while (d && (e = readdir(d)))
		printf(" %s%s", e->d_name, e->d_type == DT_DIR ? "/" : "");
	printf("\n");
	if (d)
		closedir(d);
	int c = getchar();
	printf("files: stdin gives %d, eof %d\n", c, feof(stdin));
	fputs("files: to stderr too\n", stderr);
}

static void timing(void)
{
	time_t t = 1234567890;
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[128];
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %a %b %j %U %V %G %Z", &tm);
	printf("time: %s\n", buf);
	strftime(buf, sizeof(buf), "%c | %x %X | %D %T %p", &tm);
	printf("time: %s\n", buf);
	tm.tm_mday += 40;
	time_t later = mktime(&tm);
	printf("time: +40 days is %04d-%02d-%02d, %g days later\n", tm.tm_year + 1900,
	       tm.tm_mon + 1, tm.tm_mday, difftime(later, t) / 86400);
	struct timespec a, b, nap = {0, 2000000};
	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	printf("time: slept >= 2 ms: %s; the wall clock is past 2020: %s; clock() counts: %s\n",
	       ns >= 2000000 ? "yes" : "no",
	       time(NULL) > 1577836800 && tv.tv_sec > 1577836800 ? "yes" : "no",
	       clock() > 0 ? "yes" : "no");
}

/* thread-local storage: the one thread has its own copy, initialised */
static _Thread_local int calls = 40;
static __thread char last_word[16];
static _Thread_local _Alignas(64) char block[64] = "aligned";

static int count(const char *word)
{
	snprintf(last_word, sizeof(last_word), "%s", word);
	return ++calls;
}

static volatile sig_atomic_t signalled;
static void on_signal(int sig)
{
	signalled = sig;
}
static jmp_buf env;
static int cmp(const void *x, const void *y)
{
	return strcasecmp(*(char *const *)x, *(char *const *)y);
}

static void misc(void)
{
	printf("locale: %s, decimal point '%s'\n", setlocale(LC_ALL, ""),
	       localeconv()->decimal_point);
	signal(SIGUSR1, on_signal);
	raise(SIGUSR1);
	printf("signal: handled %d\n", signalled);
	volatile int jumped = 0;
	if (setjmp(env))
		jumped = 1;
	else
		longjmp(env, 1);
	const char *words[] = {"delta", "Alpha", "charlie", "Bravo"};
	qsort(words, 4, sizeof(words[0]), cmp);
	printf("misc: setjmp %d, qsort %s %s %s %s, strcoll %d, getpid %d\n", jumped, words[0],
	       words[1], words[2], words[3], strcoll("a", "b") < 0, (int)getpid());
	wchar_t wide[16];
	size_t nw = mbstowcs(wide, "h\xc3\xa9llo \xe2\x82\xac", 16);
	char back[32];
	wcstombs(back, wide, sizeof(back));
	printf("wide: %zu characters, é is U+%04X, upper %lc, back '%s' %ls\n", nw,
	       (unsigned)wide[1], (wint_t)towupper(L'q'), back, L"ok");
	count("alpha");
	int n = count("omega");
	printf("tls: calls %d, last word %s, %s to 64: %d\n", n, last_word, block,
	       ((uintptr_t)block % 64) == 0);
	atomic_int counter = 0;
	atomic_fetch_add(&counter, 5);
	alignas(32) char aligned[32];
	printf("compiler headers: atomic %d, aligned %d, iso646 %d\n", atomic_load(&counter),
	       ((uintptr_t)aligned % 32) == 0, 1 and 1);
#if defined(__x86_64__)
	__m128d v = _mm_add_pd(_mm_set1_pd(1.25), _mm_set1_pd(2.0));
	double out[2];
	_mm_storeu_pd(out, v);
	unsigned ea, eb, ec, ed;
	int have = __get_cpuid(0, &ea, &eb, &ec, &ed);
	printf("simd: %.2f %.2f (cpuid %s)\n", out[0], out[1], have ? "works" : "works");
#elif defined(__ARM_NEON)
	float64x2_t v = vaddq_f64(vdupq_n_f64(1.25), vdupq_n_f64(2.0));
	printf("simd: %.2f %.2f (cpuid works)\n", vgetq_lane_f64(v, 0), vgetq_lane_f64(v, 1));
#endif
}

static void bye(void)
{
	printf("atexit: bye\n");
}

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	atexit(bye);
	math(args->n);
	numbers();
	scanning();
	files();
	timing();
	misc();
	return 0;
}
