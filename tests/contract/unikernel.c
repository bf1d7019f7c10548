#include <mirage.h>
#include <ctype.h>
#include <stdio.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	char who[32];
	snprintf(who, sizeof who, "%s", args->who);
	if (args->upper)
		for (char *p = who; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	printf("CONTRACT hello %s code=%lld upper=%d\n", who, (long long)args->code, args->upper ? 1 : 0);
	return (int)args->code;
}
