#include <mirage.h>
#include <stdio.h>

int other(void);

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev, (void)args;
	printf("user main.c, other says %d\n", other());
	return 0;
}
