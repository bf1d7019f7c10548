/* hello: prints a greeting a number of times, in capitals when --loud. */
#include <ctype.h>
#include <mirage.h>
#include <stdio.h>
#include <string.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	char line[128];
	snprintf(line, sizeof(line), "%s from mirage", args->greeting);
	if (args->loud)
		for (char *p = line; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	for (int64_t i = 0; i < args->times; i++)
		printf("%s (%lld/%lld)\n", line, (long long)(i + 1), (long long)args->times);
	mirage_console_write(dev->console, "bye\n", 4);
	return 0;
}
