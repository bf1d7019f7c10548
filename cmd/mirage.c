/* mirage.c: the command table and dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "cmd.h"
#include "help.h"

#ifndef MIRAGE_VERSION
#define MIRAGE_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
    {"init", cmd_init},	      {"configure", cmd_configure}, {"build", cmd_build},
    {"run", cmd_run},	      {"describe", cmd_describe},   {"query", cmd_query},
    {"targets", cmd_targets}, {"clean", cmd_clean},	    {"help", cmd_help},
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *names[ARRAY_SIZE(commands)];
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	const char *hint = str_suggest(name, names, ARRAY_SIZE(commands));
	if (hint)
		fprintf(stderr, "mirage: '%s' is not a mirage command (did you mean '%s'?)\n", name,
			hint);
	else
		fprintf(stderr, "mirage: '%s' is not a mirage command (see 'mirage help')\n", name);
	return EXIT_USAGE;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		fputs(help_overview(), stdout);
		return fflush(stdout) ? EXIT_ERROR : EXIT_OK;
	}
	if (!find_command(argv[1]))
		return unknown_command(argv[1]);
	command_help(argv[1]);
	return fflush(stdout) ? EXIT_ERROR : EXIT_OK;
}

int main(int argc, char **argv)
{
	bool verbose = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("mirage %s\n", MIRAGE_VERSION);
			return fflush(stdout) ? EXIT_ERROR : EXIT_OK;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(help_overview(), stdout);
			return fflush(stdout) ? EXIT_ERROR : EXIT_OK;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else {
			fprintf(stderr, "mirage: unknown option '%s' (see 'mirage help')\n",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		fputs(help_overview(), stderr);
		return EXIT_USAGE;
	}
	const struct command *c = find_command(argv[i]);
	if (!c)
		return unknown_command(argv[i]);
	/* `mirage -v CMD ...` is `mirage CMD -v ...` */
	int n = argc - i;
	char **args = xcalloc((size_t)n + 2, sizeof(*args));
	/* getopt's messages name the command: "mirage build: ..." */
	char *name = xasprintf("mirage %s", c->name);
	args[0] = name;
	int k = 1;
	if (verbose && strcmp(c->name, "help") && strcmp(c->name, "init"))
		args[k++] = "-v";
	for (int j = i + 1; j < argc; j++)
		args[k++] = argv[j];
	int rc = c->fn(k, args);
	free(args);
	free(name);
	return rc;
}
