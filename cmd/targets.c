/* targets.c: mirage targets, what is installed and usable here. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../lib/diag.h"
#include "cmd.h"

int cmd_targets(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, OPT_JSON}, {"help", no_argument, NULL, 'h'}, {0}};
	struct common_opts o = {0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h')
			return command_help("targets");
		if (c == OPT_JSON)
			o.json = true;
		else
			return usage_error("targets");
	}
	if (optind != argc)
		return usage_error("targets");
	common_start(&o);
	char *datadir = project_datadir();
	if (!datadir)
		return finish(&o, EXIT_ERROR, NULL);
	char *root = path_join(datadir, "targets");
	struct strlist names = STRLIST_INIT;
	target_list(root, &names);
	struct json *report = o.json ? json_object() : NULL;
	struct json *list = o.json ? json_array() : NULL;
	int rc = EXIT_OK;
	for (size_t i = 0; i < names.len; i++) {
		struct target t;
		if (target_load(&t, root, names.items[i]) < 0) {
			rc = EXIT_ERROR;
			continue;
		}
		struct json *jt = NULL, *jarches = NULL, *jdevs = NULL;
		if (o.json) {
			jt = json_object();
			json_set_str(jt, "name", t.name);
			json_set_str(jt, "doc", t.doc);
			jarches = json_array();
			jdevs = json_object();
		} else {
			printf("%s: %s\n", t.name, t.doc);
		}
		for (size_t k = 0; k < t.narches; k++) {
			const struct target_arch *a = &t.arches[k];
			bool have = program_exists(a->cc) &&
				    (!a->run.len || program_exists(a->run.items[0]));
			if (o.json) {
				struct json *ja = json_object();
				json_set_str(ja, "arch", a->name);
				json_set_str(ja, "cc", a->cc);
				json_set_bool(ja, "toolchain_present", have);
				json_push(jarches, ja);
			} else {
				printf("  %-8s %-24s %s\n", a->name, a->cc,
				       have ? "toolchain present" : "toolchain missing");
			}
		}
		for (size_t k = 0; k < t.ndevices; k++) {
			if (o.json)
				json_set_str(jdevs, t.devices[k].type->name, t.devices[k].impl);
			else
				printf("  %-8s -> %s\n", t.devices[k].type->name,
				       t.devices[k].impl);
		}
		if (o.json) {
			json_set(jt, "arches", jarches);
			json_set(jt, "devices", jdevs);
			json_push(list, jt);
		}
		target_release(&t);
	}
	if (report)
		json_set(report, "targets", list);
	strlist_release(&names);
	free(root);
	free(datadir);
	return finish(&o, rc, report);
}
