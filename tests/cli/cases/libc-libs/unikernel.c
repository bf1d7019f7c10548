#include <math.h>
#include <mirage.h>

int frobnicate(int x);

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	(void)args;
	return frobnicate((int)cbrt(27.0));
}
