/* sweep: math.h over a sweep of inputs, printed bit for bit:
 *     NAME X [Y] RESULT     (hexadecimal bits; float functions end in f)
 * The inputs are spread over each function's interesting range, evenly
 * and at random (a fixed generator): the same on every target. */
#include <math.h>
#include <mirage.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t state = 0x243f6a8885a308d3ULL;

static double uniform(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (double)(state >> 11) * 0x1p-53;
}

static uint64_t bits(double x)
{
	uint64_t b;
	memcpy(&b, &x, sizeof(b));
	return b;
}

static uint32_t fbits(float x)
{
	uint32_t b;
	memcpy(&b, &x, sizeof(b));
	return b;
}

/* An input of [lo, hi]: half evenly spaced, half random; log-spaced over a
 * range of positive numbers that spans decades. */
static double input(double lo, double hi, int64_t i, int64_t n, int logscale)
{
	double t = i % 2 ? uniform() : (double)i / (double)n;
	if (logscale)
		return exp(log(lo) + t * (log(hi) - log(lo)));
	return lo + t * (hi - lo);
}

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);
typedef float (*fn1f)(float);
typedef float (*fn2f)(float, float);

struct one {
	const char *name;
	fn1 d;
	fn1f f;
	double lo, hi;
	int logscale;
};
struct two {
	const char *name;
	fn2 d;
	fn2f f;
	double lo, hi, lo2, hi2;
	int logscale;
};

static const struct one ones[] = {
    {"sin", sin, sinf, -20, 20, 0},
    {"cos", cos, cosf, -20, 20, 0},
    {"tan", tan, tanf, -1.5, 1.5, 0},
    {"asin", asin, asinf, -1, 1, 0},
    {"acos", acos, acosf, -1, 1, 0},
    {"atan", atan, atanf, -50, 50, 0},
    {"sinh", sinh, sinhf, -20, 20, 0},
    {"cosh", cosh, coshf, -20, 20, 0},
    {"tanh", tanh, tanhf, -10, 10, 0},
    {"asinh", asinh, asinhf, -1e6, 1e6, 0},
    {"acosh", acosh, acoshf, 1, 1e6, 1},
    {"atanh", atanh, atanhf, -0.999, 0.999, 0},
    {"exp", exp, expf, -700, 700, 0},
    {"exp2", exp2, exp2f, -1000, 1000, 0},
    {"expm1", expm1, expm1f, -5, 5, 0},
    {"log", log, logf, 1e-300, 1e300, 1},
    {"log2", log2, log2f, 1e-300, 1e300, 1},
    {"log10", log10, log10f, 1e-300, 1e300, 1},
    {"log1p", log1p, log1pf, -0.99, 100, 0},
    {"sqrt", sqrt, sqrtf, 1e-300, 1e300, 1},
    {"cbrt", cbrt, cbrtf, -1e6, 1e6, 0},
    {"floor", floor, floorf, -1e6, 1e6, 0},
    {"ceil", ceil, ceilf, -1e6, 1e6, 0},
    {"trunc", trunc, truncf, -1e6, 1e6, 0},
    {"round", round, roundf, -1e6, 1e6, 0},
    {"rint", rint, rintf, -1e6, 1e6, 0},
    {"erf", erf, erff, -5, 5, 0},
    {"erfc", erfc, erfcf, -5, 25, 0},
    {"tgamma", tgamma, tgammaf, 0.01, 30, 0},
    {"lgamma", lgamma, lgammaf, 0.01, 1e5, 1},
    {"logb", logb, logbf, 1e-300, 1e300, 1},
    {"j0", j0, j0f, 0.01, 50, 0},
};
static const struct two twos[] = {
    {"atan2", atan2, atan2f, -10, 10, -10, 10, 0},
    {"pow", pow, powf, 0.01, 100, -30, 30, 0},
    {"hypot", hypot, hypotf, -1e5, 1e5, -1e5, 1e5, 0},
    {"fmod", fmod, fmodf, -1e6, 1e6, -100, 100, 0},
    {"remainder", remainder, remainderf, -1e6, 1e6, -100, 100, 0},
    {"fdim", fdim, fdimf, -100, 100, -100, 100, 0},
    {"copysign", copysign, copysignf, -100, 100, -100, 100, 0},
};

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	int64_t n = args->points;
	for (size_t k = 0; k < sizeof(ones) / sizeof(ones[0]); k++) {
		const struct one *o = &ones[k];
		for (int64_t i = 0; i < n; i++) {
			double x = input(o->lo, o->hi, i, n, o->logscale);
			printf("%s %016llx %016llx\n", o->name, (unsigned long long)bits(x),
			       (unsigned long long)bits(o->d(x)));
			/* within float's range */
			double lo = o->logscale ? fmax(o->lo, 1e-30) : fmax(o->lo, -1e30);
			float xf = (float)input(lo, fmin(o->hi, 1e30), i, n, o->logscale);
			printf("%sf %08x %08x\n", o->name, fbits(xf), fbits(o->f(xf)));
		}
	}
	for (size_t k = 0; k < sizeof(twos) / sizeof(twos[0]); k++) {
		const struct two *t = &twos[k];
		for (int64_t i = 0; i < n; i++) {
			double x = input(t->lo, t->hi, i, n, 0),
			       y = t->lo2 + uniform() * (t->hi2 - t->lo2);
			printf("%s %016llx %016llx %016llx\n", t->name, (unsigned long long)bits(x),
			       (unsigned long long)bits(y), (unsigned long long)bits(t->d(x, y)));
			float xf = (float)x, yf = (float)y;
			printf("%sf %08x %08x %08x\n", t->name, fbits(xf), fbits(yf),
			       fbits(t->f(xf, yf)));
		}
	}
	return 0;
}
