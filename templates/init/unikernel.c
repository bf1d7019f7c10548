/* unikernel.c: the unikernel @NAME@. mirage calls start() once its devices
 * are ready; its return value is the unikernel's exit status. */
#include <mirage.h>
#include <stdio.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	for (int64_t i = 0; i < args->times; i++)
		printf("%s from @NAME@!\n", args->greeting);
	return 0;
}
