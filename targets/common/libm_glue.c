/* libm_glue.c: what newlib's libm needs from a C library, given by mirage's.
 * Compiled with newlib's headers (libm.yaml), not mirage's: errno reaches
 * mirage's variable through __errno(), and the gamma functions keep the
 * sign of their last result (signgam) in newlib's reentrancy structure, of
 * which a unikernel, with one thread, has one. */
#include <errno.h>
#include <math.h>
#include <reent.h>

#undef errno
extern int errno; /* mirage's (common/libc/stdlib.c) */

int *__errno(void)
{
	return &errno;
}

static struct _reent reent;
struct _reent *_impure_ptr = &reent;

/* math.h's signgam is (*__signgam()) in newlib's headers and mirage's */
int *__signgam(void)
{
	return &_REENT_SIGNGAM(_REENT);
}

/* Functions of float whose newlib versions are less accurate than their
 * double ones rounded (tests/libm): computed through those, with errno as
 * the float result asks (overflow and underflow of float's own range). */
static float narrow(double r)
{
	float f = (float)r;
	if ((isinf(f) && !isinf(r)) || (f == 0 && r != 0))
		errno = ERANGE;
	return f;
}

float cbrtf(float x)
{
	return (float)cbrt(x);
}

float erff(float x)
{
	return (float)erf(x);
}

float erfcf(float x)
{
	return narrow(erfc(x));
}

float tgammaf(float x)
{
	return narrow(tgamma(x));
}
