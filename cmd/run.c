/* run.c: mirage run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/diag.h"
#include "../lib/run.h"
#include "cmd.h"

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {COMMON_LONG,
						 {"timeout", required_argument, NULL, OPT_TIMEOUT},
						 {"mem", required_argument, NULL, OPT_MEM},
						 {"accel", required_argument, NULL, OPT_ACCEL},
						 {"image", required_argument, NULL, OPT_IMAGE},
						 {"dry-run", no_argument, NULL, OPT_DRY_RUN},
						 {0}};
	struct common_opts o = {0};
	o.project.use_last = true;
	o.project.download = true;
	struct run_opts ro = RUN_OPTS_INIT;
	/* --net:NAME=X and --block:NAME=X are not getopt's: take them out first */
	char **rest = xcalloc((size_t)argc + 1, sizeof(*rest));
	int nrest = 0;
	int i = 0;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strncmp(argv[i], "--net:", 6))
			strlist_push(&ro.nets, argv[i] + 6);
		else if (!strncmp(argv[i], "--block:", 8))
			strlist_push(&ro.blocks, argv[i] + 8);
		else
			rest[nrest++] = argv[i];
	}
	if (i < argc) {
		ro.args = argv + i + 1;
		ro.nargs = argc - i - 1;
	}
	int rc = EXIT_OK;
	int c;
	optind = 1;
	while (rc == EXIT_OK &&
	       (c = getopt_long(nrest, rest, COMMON_SHORT, longopts, NULL)) != -1) {
		if (c == 'h') {
			rc = -1;
		} else if (c == OPT_TIMEOUT) {
			char *end;
			ro.timeout = strtod(optarg, &end);
			if (*end || ro.timeout <= 0) {
				fprintf(stderr,
					"mirage run: --timeout takes a number of seconds\n");
				rc = EXIT_RUN_SETUP;
			}
		} else if (c == OPT_MEM) {
			char *end;
			ro.mem = strtol(optarg, &end, 10);
			if (*end || ro.mem < 4 || ro.mem > 3072) {
				fprintf(stderr, "mirage run: --mem takes a number of MiB from 4 to "
						"3072\n");
				rc = EXIT_RUN_SETUP;
			}
		} else if (c == OPT_ACCEL) {
			ro.accel = optarg;
		} else if (c == OPT_IMAGE) {
			ro.image = optarg;
		} else if (c == OPT_DRY_RUN) {
			ro.dry_run = true;
		} else if (c == OPT_JSON) {
			fprintf(stderr, "mirage run: --json is not supported: the console is the "
					"unikernel's\n");
			rc = EXIT_RUN_SETUP;
		} else if (!common_option(c, optarg, &o)) {
			usage_error("run");
			rc = EXIT_RUN_SETUP;
		}
	}
	if (rc == EXIT_OK && optind != nrest) {
		fprintf(stderr, "mirage run: unexpected '%s' (boot arguments go after '--')\n",
			rest[optind]);
		rc = EXIT_RUN_SETUP;
	}
	free(rest);
	if (rc != EXIT_OK) {
		strlist_release(&ro.nets);
		strlist_release(&ro.blocks);
		return rc < 0 ? command_help("run") : rc;
	}
	ro.verbose = o.verbose;
	struct project p;
	int steps;
	if (project_open(&p, &o.project) != EXIT_OK || run_check_attachments(&p.graph, &ro) < 0 ||
	    build_project(&p, &o, 0, false, &steps) != EXIT_OK)
		rc = EXIT_RUN_SETUP;
	else
		rc = run_unikernel(&p, &ro);
	project_release(&p);
	strlist_release(&ro.nets);
	strlist_release(&ro.blocks);
	return finish(&o, rc, NULL);
}
