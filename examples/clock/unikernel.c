/* clock: sleeps --sleeps times for --ms milliseconds and checks, with the
 * monotonic clock, that each sleep lasted at least that long. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)dev;
	uint64_t wall = mirage_clock_wall();
	/* 2020-01-01: a wall clock before that is not set */
	if (wall < UINT64_C(1577836800) * 1000000000) {
		printf("clock: the wall clock is not set (%" PRIu64 ")\n", wall);
		return 1;
	}
	uint64_t want = (uint64_t)args->ms * 1000000;
	uint64_t t0 = mirage_clock_monotonic();
	for (int64_t i = 0; i < args->sleeps; i++) {
		uint64_t before = mirage_clock_monotonic();
		mirage_sleep(want);
		uint64_t slept = mirage_clock_monotonic() - before;
		printf("clock: sleep %lld: %" PRIu64 ".%03" PRIu64 " ms\n", (long long)(i + 1),
		       slept / 1000000, slept / 1000 % 1000);
		if (slept < want) {
			printf("clock: FAIL: slept less than %lld ms\n", (long long)args->ms);
			return 1;
		}
	}
	uint64_t total = mirage_clock_monotonic() - t0;
	printf("clock: %lld sleeps of %lld ms took %" PRIu64 " ms in all\n",
	       (long long)args->sleeps, (long long)args->ms, total / 1000000);
	return 0;
}
