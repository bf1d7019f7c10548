/* ulp.c: reads the sweep unikernel's output (NAME X [Y] RESULT, in hex
 * bits) and measures, in units in the last place, how far each result lies
 * from a reference computed by glibc in a wider type and rounded (a double
 * function through glibc's long double one, a float function through its
 * double one): within a hair of the exact result. glibc's own function of
 * the same type is measured against the same reference. A function passes
 * when its largest error is at most its bound (1 ulp for the basic
 * functions) or at most glibc's own. Prints both; exits 1 when one fails. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fn {
	const char *name;
	long double (*ref1)(long double); /* reference of the double function */
	long double (*ref2)(long double, long double);
	double (*d1)(double); /* glibc's double function, and the float reference */
	double (*d2)(double, double);
	float (*f1)(float); /* glibc's float function */
	float (*f2)(float, float);
	double bound;	 /* ulps */
	double worst[2]; /* mirage's, double and float */
	double glibc[2]; /* glibc's */
	unsigned long n[2];
	char worst_at[2][80];
};

#define ONE(n, b)                                                                  \
	{                                                                          \
#n, n##l, NULL, n, NULL, n##f, NULL, b, {0, 0 }, {0, 0 }, {0, 0 }, \
		{                                                                  \
			"", ""                                                     \
		}                                                                  \
	}
#define TWO(n, b)                                                                  \
	{                                                                          \
#n, NULL, n##l, NULL, n, NULL, n##f, b, {0, 0 }, {0, 0 }, {0, 0 }, \
		{                                                                  \
			"", ""                                                     \
		}                                                                  \
	}

/* The basic functions must be within 1 ulp (or no worse than glibc); the
 * special ones within the bound given. */
static struct fn fns[] = {
    ONE(sin, 1),    ONE(cos, 1),       ONE(tan, 1),   ONE(asin, 1),    ONE(acos, 1),
    ONE(atan, 1),   ONE(sinh, 1),      ONE(cosh, 1),  ONE(tanh, 1),    ONE(asinh, 1),
    ONE(acosh, 1),  ONE(atanh, 1),     ONE(exp, 1),   ONE(exp2, 1),    ONE(expm1, 1),
    ONE(log, 1),    ONE(log2, 1),      ONE(log10, 1), ONE(log1p, 1),   ONE(sqrt, 1),
    ONE(cbrt, 1),   ONE(floor, 1),     ONE(ceil, 1),  ONE(trunc, 1),   ONE(round, 1),
    ONE(rint, 1),   ONE(logb, 1),      ONE(erf, 1),   ONE(erfc, 4),    ONE(tgamma, 160),
    ONE(lgamma, 4), ONE(j0, 16),       TWO(atan2, 1), TWO(pow, 1),     TWO(hypot, 1),
    TWO(fmod, 1),   TWO(remainder, 1), TWO(fdim, 1),  TWO(copysign, 1)};

/* The distance between two values of the same type, as ordered integers
 * (NaN to NaN is 0, NaN to a number infinite). */
static double ulps(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b) ? 0 : INFINITY;
	int64_t x, y;
	memcpy(&x, &a, 8);
	memcpy(&y, &b, 8);
	if (x < 0)
		x = INT64_MIN - x;
	if (y < 0)
		y = INT64_MIN - y;
	__int128 d = (__int128)x - y; /* in integers: a double holds 53 bits */
	return (double)(d < 0 ? -d : d);
}

static double ulpsf(float a, float b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b) ? 0 : INFINITY;
	int32_t x, y;
	memcpy(&x, &a, 4);
	memcpy(&y, &b, 4);
	if (x < 0)
		x = INT32_MIN - x;
	if (y < 0)
		y = INT32_MIN - y;
	return fabs((double)x - (double)y);
}

static struct fn *find(const char *name, int *is_float)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		size_t n = strlen(fns[i].name);
		if (!strcmp(name, fns[i].name)) {
			*is_float = 0;
			return &fns[i];
		}
		if (len == n + 1 && name[n] == 'f' && !strncmp(name, fns[i].name, n)) {
			*is_float = 1;
			return &fns[i];
		}
	}
	return NULL;
}

int main(void)
{
	char line[256], name[32];
	unsigned long long a, b, c;
	unsigned long lines = 0;
	while (fgets(line, sizeof(line), stdin)) {
		int k = sscanf(line, "%31s %llx %llx %llx", name, &a, &b, &c);
		int p;
		struct fn *f = k >= 3 ? find(name, &p) : NULL;
		if (!f || (k == 4) != (f->ref2 != NULL))
			continue;
		lines++;
		double err, gerr;
		if (!p) {
			double x, y, got;
			memcpy(&x, &a, 8);
			memcpy(&y, &b, 8);
			memcpy(&got, k == 4 ? &c : &b, 8);
			double want = (double)(f->ref2 ? f->ref2(x, y) : f->ref1(x));
			err = ulps(got, want);
			gerr = ulps(f->d2 ? f->d2(x, y) : f->d1(x), want);
		} else {
			uint32_t xa = (uint32_t)a, xb = (uint32_t)b, xc = (uint32_t)c;
			float x, y, got;
			memcpy(&x, &xa, 4);
			memcpy(&y, &xb, 4);
			memcpy(&got, k == 4 ? &xc : &xb, 4);
			float want = (float)(f->d2 ? f->d2(x, y) : f->d1(x));
			err = ulpsf(got, want);
			gerr = ulpsf(f->f2 ? f->f2(x, y) : f->f1(x), want);
		}
		f->n[p]++;
		if (gerr > f->glibc[p])
			f->glibc[p] = gerr;
		if (err > f->worst[p]) {
			f->worst[p] = err;
			char *at = f->worst_at[p];
			snprintf(at, sizeof(f->worst_at[0]), "%s %s", name, strchr(line, ' ') + 1);
			at[strcspn(at, "\n")] = '\0';
		}
	}
	int bad = 0;
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct fn *f = &fns[i];
		for (int p = 0; p < 2; p++) {
			int over =
			    (f->worst[p] > f->bound && f->worst[p] > f->glibc[p]) || !f->n[p];
			bad |= over;
			char fname[32];
			snprintf(fname, sizeof(fname), "%s%s", f->name, p ? "f" : "");
			printf("%s %-11s %5lu inputs: at most %g ulp (glibc's: %g)",
			       over ? "FAIL" : "ok  ", fname, f->n[p], f->worst[p], f->glibc[p]);
			if (f->bound > 1)
				printf(", bound %g", f->bound);
			printf("\n");
			if (over)
				printf("     worst: %s\n", f->worst_at[p]);
		}
	}
	printf("%lu results compared\n", lines);
	return bad;
}
