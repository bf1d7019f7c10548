/* math.h: mirage's C library. The C99 functions in double and float; they
 * are newlib's libm (targets/common/libm.yaml), linked by every unikernel.
 * Classification is the compiler's (builtins: no call). The long double
 * functions are not provided. */
#ifndef _MATH_H
#define _MATH_H

typedef float float_t;
typedef double double_t;

#define HUGE_VAL  (__builtin_huge_val())
#define HUGE_VALF (__builtin_huge_valf())
#define HUGE_VALL (__builtin_huge_vall())
#define INFINITY  (__builtin_inff())
#define NAN	  (__builtin_nanf(""))

#define FP_NAN	     0
#define FP_INFINITE  1
#define FP_ZERO	     2
#define FP_SUBNORMAL 3
#define FP_NORMAL    4
#define FP_ILOGB0    (-__INT_MAX__ - 1)
#define FP_ILOGBNAN  (-__INT_MAX__ - 1)

#define MATH_ERRNO	 1
#define MATH_ERREXCEPT	 2
#define math_errhandling MATH_ERRNO

#define fpclassify(x)	     __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
#define isfinite(x)	     __builtin_isfinite(x)
#define isinf(x)	     __builtin_isinf_sign(x)
#define isnan(x)	     __builtin_isnan(x)
#define isnormal(x)	     __builtin_isnormal(x)
#define signbit(x)	     __builtin_signbit(x)
#define isgreater(x, y)	     __builtin_isgreater(x, y)
#define isgreaterequal(x, y) __builtin_isgreaterequal(x, y)
#define isless(x, y)	     __builtin_isless(x, y)
#define islessequal(x, y)    __builtin_islessequal(x, y)
#define islessgreater(x, y)  __builtin_islessgreater(x, y)
#define isunordered(x, y)    __builtin_isunordered(x, y)

/* the XSI constants */
#define M_E	   2.7182818284590452354
#define M_LOG2E	   1.4426950408889634074
#define M_LOG10E   0.43429448190325182765
#define M_LN2	   0.69314718055994530942
#define M_LN10	   2.30258509299404568402
#define M_PI	   3.14159265358979323846
#define M_PI_2	   1.57079632679489661923
#define M_PI_4	   0.78539816339744830962
#define M_1_PI	   0.31830988618379067154
#define M_2_PI	   0.63661977236758134308
#define M_2_SQRTPI 1.12837916709551257390
#define M_SQRT2	   1.41421356237309504880
#define M_SQRT1_2  0.70710678118654752440

/* lgamma's sign of its last result */
extern int *__signgam(void);
#define signgam (*__signgam())

double acos(double x);
double asin(double x);
double atan(double x);
double atan2(double y, double x);
double cos(double x);
double sin(double x);
double tan(double x);
double acosh(double x);
double asinh(double x);
double atanh(double x);
double cosh(double x);
double sinh(double x);
double tanh(double x);
double exp(double x);
double exp2(double x);
double expm1(double x);
double frexp(double x, int *e);
int ilogb(double x);
double ldexp(double x, int e);
double log(double x);
double log10(double x);
double log1p(double x);
double log2(double x);
double logb(double x);
double modf(double x, double *ip);
double scalbn(double x, int n);
double scalbln(double x, long n);
double cbrt(double x);
double fabs(double x);
double hypot(double x, double y);
double pow(double x, double y);
double sqrt(double x);
double erf(double x);
double erfc(double x);
double lgamma(double x);
double lgamma_r(double x, int *sign);
double tgamma(double x);
double ceil(double x);
double floor(double x);
double nearbyint(double x);
double rint(double x);
long lrint(double x);
long long llrint(double x);
double round(double x);
long lround(double x);
long long llround(double x);
double trunc(double x);
double fmod(double x, double y);
double remainder(double x, double y);
double remquo(double x, double y, int *quo);
double copysign(double x, double y);
double nan(const char *tag);
double nextafter(double x, double y);
double fdim(double x, double y);
double fmax(double x, double y);
double fmin(double x, double y);
double fma(double x, double y, double z);
double j0(double x);
double j1(double x);
double jn(int n, double x);
double y0(double x);
double y1(double x);
double yn(int n, double x);
void sincos(double x, double *s, double *c);
double exp10(double x);

float acosf(float x);
float asinf(float x);
float atanf(float x);
float atan2f(float y, float x);
float cosf(float x);
float sinf(float x);
float tanf(float x);
float acoshf(float x);
float asinhf(float x);
float atanhf(float x);
float coshf(float x);
float sinhf(float x);
float tanhf(float x);
float expf(float x);
float exp2f(float x);
float expm1f(float x);
float frexpf(float x, int *e);
int ilogbf(float x);
float ldexpf(float x, int e);
float logf(float x);
float log10f(float x);
float log1pf(float x);
float log2f(float x);
float logbf(float x);
float modff(float x, float *ip);
float scalbnf(float x, int n);
float scalblnf(float x, long n);
float cbrtf(float x);
float fabsf(float x);
float hypotf(float x, float y);
float powf(float x, float y);
float sqrtf(float x);
float erff(float x);
float erfcf(float x);
float lgammaf(float x);
float lgammaf_r(float x, int *sign);
float tgammaf(float x);
float ceilf(float x);
float floorf(float x);
float nearbyintf(float x);
float rintf(float x);
long lrintf(float x);
long long llrintf(float x);
float roundf(float x);
long lroundf(float x);
long long llroundf(float x);
float truncf(float x);
float fmodf(float x, float y);
float remainderf(float x, float y);
float remquof(float x, float y, int *quo);
float copysignf(float x, float y);
float nanf(const char *tag);
float nextafterf(float x, float y);
float fdimf(float x, float y);
float fmaxf(float x, float y);
float fminf(float x, float y);
float fmaf(float x, float y, float z);
float j0f(float x);
float j1f(float x);
float jnf(int n, float x);
float y0f(float x);
float y1f(float x);
float ynf(int n, float x);
void sincosf(float x, float *s, float *c);
float exp10f(float x);

#endif
