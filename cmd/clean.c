/* clean.c: mirage clean. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../lib/diag.h"
#include "cmd.h"

int cmd_clean(int argc, char **argv)
{
	static const struct option longopts[] = {{"file", required_argument, NULL, 'f'},
						 {"help", no_argument, NULL, 'h'},
						 {"verbose", no_argument, NULL, 'v'},
						 {0}};
	const char *file = "mirage.yaml";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:hv", longopts, NULL)) != -1) {
		if (c == 'h')
			return command_help("clean");
		if (c == 'f')
			file = optarg;
		else if (c != 'v')
			return usage_error("clean");
	}
	if (optind != argc)
		return usage_error("clean");
	char *dir = path_dirname(file);
	char *build = path_join(dir, "_build");
	int rc = remove_tree(build) < 0 ? EXIT_ERROR : EXIT_OK;
	if (rc == EXIT_OK)
		printf("removed %s\n", build);
	free(build);
	free(dir);
	return fflush(stdout) ? EXIT_ERROR : rc;
}
