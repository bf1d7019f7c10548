#include <assert.h>
#include <mirage.h>
#include <stdio.h>
#include <string.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	if (!strcmp(args->mode, "exit"))
		mirage_exit((int)args->code);
	if (!strcmp(args->mode, "abort"))
		mirage_abort("on purpose");
	if (!strcmp(args->mode, "assert"))
		assert(args->code == 0);
	return (int)args->code;
}
