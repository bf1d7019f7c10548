/* fuzz_strtod.c: libFuzzer target for strtod and strtof of mirage's C
 * library against glibc's: the same value (bit for bit), the same end, the
 * same ERANGE, for any string. */
#include <errno.h>
#include <math.h>

#include "fuzz_libc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = {data, size < 4096 ? size : 4096};
	char *s = rest(&b);
	char *e1, *e2;
	errno = 0;
	tl_errno = 0;
	double a = strtod(s, &e1), m = tl_strtod(s, &e2);
	if ((memcmp(&a, &m, sizeof(a)) && !(isnan(a) && isnan(m))) || e1 != e2 ||
	    (errno == ERANGE) != (tl_errno == ERANGE))
		DIFFER("strtod('%s'): glibc %a end %td errno %d, mirage %a end %td errno %d", s, a,
		       e1 - s, errno, m, e2 - s, tl_errno);
	errno = 0;
	tl_errno = 0;
	float fa = strtof(s, &e1), fm = tl_strtof(s, &e2);
	if ((memcmp(&fa, &fm, sizeof(fa)) && !(isnan(fa) && isnan(fm))) || e1 != e2 ||
	    (errno == ERANGE) != (tl_errno == ERANGE))
		DIFFER("strtof('%s'): glibc %a end %td, mirage %a end %td", s, (double)fa, e1 - s,
		       (double)fm, e2 - s);
	free(s);
	return 0;
}
