/* unit.h: a minimal unit-test harness. CHECK records a failure with its line
 * and goes on; each TEST prints "ok NAME" or "FAIL NAME: ...". */
#ifndef MIRAGE_UNIT_H
#define MIRAGE_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures;
static int unit_test_failed;
static const char *unit_test_name;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			if (!unit_test_failed)                                                     \
				printf("FAIL %s: %s:%d: %s\n", unit_test_name, __FILE__, __LINE__, \
				       #cond);                                                     \
			unit_test_failed = 1;                                                      \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_)) {                                                \
			if (!unit_test_failed)                                                     \
				printf("FAIL %s: %s:%d: '%s' != '%s'\n", unit_test_name, __FILE__, \
				       __LINE__, a_ ? a_ : "(null)", b_ ? b_ : "(null)");          \
			unit_test_failed = 1;                                                      \
		}                                                                                  \
	} while (0)

#define TEST(name)                                \
	static void test_##name(void);            \
	static void run_##name(void)              \
	{                                         \
		unit_test_name = #name;           \
		unit_test_failed = 0;             \
		test_##name();                    \
		if (unit_test_failed)             \
			unit_failures++;          \
		else                              \
			printf("ok %s\n", #name); \
	}                                         \
	static void test_##name(void)

#define RUN(name) run_##name()

#endif
