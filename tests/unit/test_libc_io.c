/* test_libc_io.c: mirage's C library on the host (libc_host.h): files and
 * directories over kv_ro devices, streams, the console, time and strftime
 * (against glibc in UTC), multibyte characters (against glibc's C.UTF-8),
 * locale, signals and atexit. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "libc_host.h"
#include "unit.h"

/* mirage's struct stat, struct dirent and struct tm (its headers are not
 * the host's): the fields the tests read, laid out the same */
struct m_timespec {
	long tv_sec, tv_nsec;
};
struct m_stat {
	unsigned long st_dev, st_ino;
	unsigned st_mode;
	unsigned long st_nlink;
	unsigned st_uid, st_gid;
	unsigned long st_rdev;
	long st_size, st_blksize, st_blocks;
	struct m_timespec st_atim, st_mtim, st_ctim;
};
struct m_dirent {
	unsigned long d_ino;
	unsigned char d_type;
	char d_name[256];
};
struct m_tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
	long tm_gmtoff;
	const char *tm_zone;
};

static const char *const site[] = {"css/site.css",
				   "body { color: red; }\n",
				   "css/x/deep.txt",
				   "deep",
				   "index.html",
				   "<h1>hi</h1>\nline two\nthree",
				   "notes.txt",
				   "",
				   NULL};
static const char *const other[] = {"a", "A", NULL};

TEST(files)
{
	TL_FILE *f = tl_fopen("/site/index.html", "r");
	CHECK(f != NULL);
	char line[64];
	CHECK_STR(tl_fgets(line, sizeof(line), f), "<h1>hi</h1>\n");
	CHECK(tl_fgetc(f) == 'l' && tl_getc(f) == 'i');
	CHECK(tl_ungetc('X', f) == 'X' && tl_fgetc(f) == 'X');
	CHECK(tl_ftell(f) == 14);
	CHECK_STR(tl_fgets(line, sizeof(line), f), "ne two\n");
	char rest[16] = {0};
	CHECK(tl_fread(rest, 1, sizeof(rest), f) == 5 && !strcmp(rest, "three"));
	CHECK(tl_feof(f) && !tl_ferror(f) && tl_fgetc(f) == EOF);
	CHECK(tl_fseek(f, -5, SEEK_END) == 0 && !tl_feof(f) && tl_fgetc(f) == 't');
	tl_rewind(f);
	CHECK(tl_ftell(f) == 0 && tl_fgetc(f) == '<');
	CHECK(tl_fseek(f, -1, SEEK_SET) == -1 && tl_errno == EINVAL);
	char *l = NULL;
	size_t cap = 0;
	tl_rewind(f);
	CHECK(tl_getline(&l, &cap, f) == 12 && !strcmp(l, "<h1>hi</h1>\n"));
	tl_free(l);
	int n = 0;
	char word[16];
	tl_rewind(f);
	CHECK(tl_fscanf(f, "<h%d>%2s", &n, word) == 2 && n == 1 && !strcmp(word, "hi"));
	CHECK(tl_fputs("no", f) == EOF && tl_ferror(f));
	CHECK(tl_fclose(f) == 0);
	/* paths: . and .., relative to /, the empty file */
	f = tl_fopen("site/./css/../notes.txt", "rb");
	CHECK(f && tl_fgetc(f) == EOF && tl_feof(f));
	tl_fclose(f);
	/* what cannot be */
	CHECK(tl_fopen("/site/missing", "r") == NULL && tl_errno == ENOENT);
	CHECK(tl_fopen("/nodevice/x", "r") == NULL && tl_errno == ENOENT);
	CHECK(tl_fopen("/site/index.html", "w") == NULL && tl_errno == EROFS);
	CHECK(tl_fopen("/site/new.txt", "a") == NULL && tl_errno == EROFS);
	CHECK(tl_fopen("/site/index.html", "r+") == NULL && tl_errno == EROFS);
	CHECK(tl_fopen("/site/index.html", "q") == NULL && tl_errno == EINVAL);
	/* descriptors */
	int fd = tl_open("/site/css/site.css", O_RDONLY);
	CHECK(fd >= 3);
	char buf[8];
	CHECK(tl_read(fd, buf, 4) == 4 && !memcmp(buf, "body", 4));
	CHECK(tl_lseek(fd, 0, SEEK_END) == 21 && tl_read(fd, buf, 4) == 0);
	CHECK(tl_write(fd, "x", 1) == -1 && tl_errno == EBADF);
	CHECK(tl_close(fd) == 0 && tl_close(fd) == -1 && tl_errno == EBADF);
	CHECK(tl_open("/site/css", O_RDONLY) >= 3);
	CHECK(tl_open("/site", O_WRONLY) == -1 && tl_errno == EISDIR);
	struct m_stat st;
	CHECK(tl_stat("/site/css/site.css", &st) == 0 && (st.st_mode & 0170000) == 0100000 &&
	      st.st_size == 21);
	CHECK(tl_stat("/site/css", &st) == 0 && (st.st_mode & 0170000) == 0040000);
	CHECK(tl_stat("/", &st) == 0 && (st.st_mode & 0170000) == 0040000);
	CHECK(tl_stat("/site/cs", &st) == -1 && tl_errno == ENOENT);
	CHECK(tl_access("/site/index.html", R_OK) == 0);
	CHECK(tl_access("/site/index.html", W_OK) == -1 && tl_errno == EROFS);
	/* stdin reads nothing; the console is written at once */
	CHECK(tl_fgetc(tl_stdin) == EOF && tl_feof(tl_stdin));
	CHECK(tl_read(0, buf, 1) == 0);
	fake_console_len = 0;
	tl_fputs("out ", tl_stdout);
	tl_fputc('!', tl_stderr);
	tl_fwrite("xyz", 1, 2, tl_stdout);
	tl_fprintf(tl_stderr, "%d", 5);
	tl_errno = ENOENT;
	tl_perror("open");
	CHECK_STR(fake_console, "out !xy5open: No such file or directory\n");
}

/* The names a directory lists, joined by spaces. */
static void list(const char *path, char *out, size_t n)
{
	out[0] = '\0';
	TL_DIR *d = tl_opendir(path);
	if (!d) {
		snprintf(out, n, "error %d", tl_errno);
		return;
	}
	for (struct m_dirent *e; (e = tl_readdir(d));) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s%s", len ? " " : "", e->d_name,
			 e->d_type == 4 ? "/" : "");
	}
	tl_closedir(d);
}

TEST(directories)
{
	char out[256];
	list("/", out, sizeof(out));
	CHECK_STR(out, "site/ other/");
	list("/site", out, sizeof(out));
	CHECK_STR(out, "css/ index.html notes.txt");
	list("/site/css/", out, sizeof(out));
	CHECK_STR(out, "site.css x/");
	list("/site/index.html", out, sizeof(out));
	CHECK_STR(out, "error 20");
	list("/site/nothing", out, sizeof(out));
	CHECK_STR(out, "error 2");
}

TEST(time)
{
	fake_wall_ns = 1700000000ULL * 1000000000ULL + 250000000ULL;
	fake_monotonic_ns = 3500000000ULL;
	CHECK(tl_time(NULL) == 1700000000);
	CHECK(tl_clock() == 3500000);
	CHECK(tl_difftime(10, 4) == 6.0);
	struct {
		long s, us;
	} tv;
	CHECK(tl_gettimeofday(&tv, NULL) == 0 && tv.s == 1700000000 && tv.us == 250000);
	struct m_timespec req = {1, 500}, rem;
	CHECK(tl_nanosleep(&req, &rem) == 0 && fake_monotonic_ns == 4500000500ULL);
	/* gmtime, timegm and strftime against glibc over a wide range */
	static const char *const fmts[] = {
	    "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %m %M %n %p %r %R %S %t %T %u %U %V "
	    "%w %W %x %X %y %Y %%",
	    "%Ec %EY %Od %k %l %P %s", "plain", "%Q unknown", "%"};
	uint64_t r = 12345;
	for (int i = 0; i < 20000 && !unit_test_failed; i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		time_t t = (time_t)(int64_t)(r >> 20) % 20000000000LL - 5000000000LL;
		if (i < 400) /* around the turns of years, weeks and leap days */
			t = (time_t)(i / 4 * 365.2425 * 86400) + (i % 4 - 2) * 86400 - 1;
		struct tm want;
		struct m_tm got;
		gmtime_r(&t, &want);
		CHECK(tl_gmtime_r(&t, &got) != NULL);
		CHECK(got.tm_year == want.tm_year && got.tm_mon == want.tm_mon &&
		      got.tm_mday == want.tm_mday && got.tm_hour == want.tm_hour &&
		      got.tm_min == want.tm_min && got.tm_sec == want.tm_sec &&
		      got.tm_wday == want.tm_wday && got.tm_yday == want.tm_yday);
		CHECK(tl_timegm(&got) == t);
		got.tm_zone = want.tm_zone; /* glibc calls UTC "GMT" */
		for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
			char a[512], b[512];
			size_t na = strftime(a, sizeof(a), fmts[k], &want);
			size_t nb = tl_strftime(b, sizeof(b), fmts[k], &got);
			CHECK(na == nb);
			CHECK_STR(b, a);
		}
	}
	/* timegm and mktime carry fields out of their ranges */
	struct m_tm tm = {.tm_year = 100, .tm_mon = 13, .tm_mday = 31, .tm_hour = 25, .tm_min = -1};
	struct tm want = {.tm_year = 100, .tm_mon = 13, .tm_mday = 31, .tm_hour = 25, .tm_min = -1};
	time_t t = tl_mktime(&tm);
	CHECK(t == timegm(&want) && tm.tm_year == 101 && tm.tm_mon == 2 && tm.tm_mday == 4 &&
	      tm.tm_hour == 0 && tm.tm_min == 59 && tm.tm_wday == want.tm_wday);
	char small[4];
	CHECK(tl_strftime(small, sizeof(small), "%Y", &tm) == 0);
}

TEST(multibyte)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	wchar_t w1[8], w2[8];
	CHECK(mbstowcs(w1, s, 8) == 4 && tl_mbstowcs(w2, s, 8) == 4 &&
	      !memcmp(w1, w2, sizeof(w1[0]) * 5));
	char b1[16], b2[16];
	CHECK(wcstombs(b1, w1, sizeof(b1)) == tl_wcstombs(b2, w2, sizeof(b2)) && !strcmp(b1, b2));
	/* every byte sequence of up to 4 bytes from a set that covers the
	 * boundaries: the same verdict and value as glibc */
	const unsigned char bytes[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
				       0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
				       0xed, 0xee, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
	size_t nb = sizeof(bytes);
	for (size_t i = 0; i < nb * nb * nb && !unit_test_failed; i++) {
		char in[4] = {(char)bytes[i % nb], (char)bytes[i / nb % nb],
			      (char)bytes[i / nb / nb], (char)0x80};
		mbstate_t whole;
		memset(&whole, 0, sizeof(whole));
		wchar_t value = 0;
		size_t verdict = mbrtowc(&value, in, 4, &whole); /* with all four bytes */
		if (verdict <= 4 && (unsigned)value > 0x10ffff) {
			/* glibc decodes past Unicode's last code point: mirage refuses */
			unsigned st[2] = {0, 0};
			CHECK(tl_mbrtowc(NULL, in, 4, st) == (size_t)-1);
			continue;
		}
		for (size_t len = 1; len <= 4; len++) {
			mbstate_t st1;
			unsigned st2[2] = {0, 0};
			memset(&st1, 0, sizeof(st1));
			wchar_t a = 0, b = 0;
			size_t ra = mbrtowc(&a, in, len, &st1), rb = tl_mbrtowc(&b, in, len, st2);
			/* glibc finds an invalid form (overlong, past U+10FFFF) when it
			 * is whole; mirage as soon as a byte makes it one */
			if (ra == (size_t)-2 && rb == (size_t)-1 && verdict == (size_t)-1)
				ra = rb;
			CHECK(ra == rb && (ra > 4 || a == b));
		}
	}
	for (wchar_t c = 0; c < 0x110000 && !unit_test_failed; c += 7) {
		char x[8], y[8];
		size_t ra = wcrtomb(x, c, NULL), rb = tl_wcrtomb(y, c, NULL);
		CHECK(ra == rb && (ra > 4 || !memcmp(x, y, ra)));
	}
}

static int handled;
static void on_signal(int sig)
{
	handled = sig;
}

static int order[4], norder;
static void first(void)
{
	order[norder++] = 1;
}
static void second(void)
{
	order[norder++] = 2;
}

TEST(locale_signal_exit)
{
	CHECK_STR(tl_setlocale(6, ""), "C");
	CHECK_STR(tl_setlocale(6, NULL), "C");
	CHECK(tl_setlocale(6, "de_DE.UTF-8") == NULL);
	CHECK_STR(*(char **)tl_localeconv(), ".");
	CHECK(tl_signal(2, on_signal) == NULL);
	CHECK(tl_raise(2) == 0 && handled == 2);
	CHECK(tl_signal(15, (void (*)(int))1) == NULL && tl_raise(15) == 0);
	if (!setjmp(fake_on_exit))
		tl_raise(2); /* the handler was reset: the default ends the program */
	CHECK(strstr(fake_exit_msg, "raise(2)") != NULL);
	CHECK(strcmp(tl_strerror(EROFS), "Read-only file system") == 0);
	CHECK(!strcmp(tl_strerror(EILSEQ), strerror(EILSEQ)) && !strcmp(tl_strerror(0), "Success"));
	CHECK(tl_strcasecmp("HeLLo", "hello") == 0 && tl_strncasecmp("abcX", "ABCy", 3) == 0);
	CHECK(tl_strcasecmp("a", "B") < 0 && tl_strcoll("a", "b") < 0);
	char x[8];
	CHECK(tl_strxfrm(x, "abc", sizeof(x)) == 3 && !strcmp(x, "abc"));
	tl_atexit(first);
	tl_atexit(second);
	CHECK(norder == 0);
}

TEST(exit_runs_atexit)
{
	void tl_exit(int);
	if (!setjmp(fake_on_exit))
		tl_exit(3);
	CHECK_STR(fake_exit_msg, "exit 3");
	CHECK(norder == 2 && order[0] == 2 && order[1] == 1);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	setenv("TZ", "UTC", 1);
	tzset();
	fake_kv_add("site", site);
	fake_kv_add("other", other);
	RUN(files);
	RUN(directories);
	RUN(time);
	RUN(multibyte);
	RUN(locale_signal_exit);
	RUN(exit_runs_atexit);
	return unit_failures != 0;
}
