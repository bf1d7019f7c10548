/* targets.c: mirage targets, what is installed and usable here. */
#include <stdio.h>
#include <stdlib.h>

#include "../lib/diag.h"
#include "cmd.h"

static void one_arch(const struct target *t, const struct target_arch *a, struct json *jarches)
{
	bool have = program_exists(a->cc) && (!a->run.len || program_exists(a->run.items[0]));
	struct json *ja = jarches ? json_object() : NULL;
	struct json *jdevs = ja ? json_object() : NULL;
	if (ja) {
		json_set_str(ja, "arch", a->name);
		json_set_str(ja, "cc", a->cc);
		json_set_bool(ja, "toolchain_present", have);
	} else {
		printf("  %-8s %-24s %s\n", a->name, a->cc,
		       have ? "toolchain present" : "toolchain missing");
	}
	for (size_t k = 0; k < devtype_count(); k++) {
		const struct devtype *type = devtype_of((unsigned)k);
		const struct target_device *d = target_find_device(t, a, type);
		if (!d)
			continue;
		if (jdevs) {
			struct json *jd = json_object();
			json_set_str(jd, "impl", d->impl);
			json_set_str(jd, "doc", d->doc);
			struct json *others = json_array();
			for (size_t o = 0; o < d->nothers; o++) {
				struct json *jo = json_object();
				json_set_str(jo, "impl", d->others[o].impl);
				json_set_str(jo, "doc", d->others[o].doc);
				json_push(others, jo);
			}
			json_set(jd, "others", others);
			json_set(jdevs, type->name, jd);
		} else {
			printf("    %-8s -> %s: %s\n", type->name, d->impl, d->doc);
			for (size_t o = 0; o < d->nothers; o++)
				printf("    %-8s    or %s (--impl %s=%s): %s\n", "",
				       d->others[o].impl, type->name, d->others[o].impl,
				       d->others[o].doc);
		}
	}
	if (ja) {
		struct json *imgs = json_array();
		json_push(imgs, json_string("kernel"));
		for (size_t i = 0; i < a->images.len; i++)
			json_push(imgs, json_string(a->images.items[i]));
		json_set(ja, "images", imgs);
		json_set(ja, "devices", jdevs);
		json_push(jarches, ja);
	} else if (a->images.len) {
		printf("    images:  ");
		for (size_t i = 0; i < a->images.len; i++)
			printf(" %s", a->images.items[i]);
		printf("\n");
	}
}

static int targets(struct cmd *c)
{
	char *datadir = project_datadir();
	if (!datadir)
		return failed(FAIL_ERROR);
	char *root = path_join(datadir, "targets");
	struct strlist names = STRLIST_INIT;
	target_list(root, &names);
	struct json *list = c->json ? json_array() : NULL;
	int rc = 0;
	for (size_t i = 0; i < names.len; i++) {
		struct target t;
		if (target_load(&t, root, names.items[i]) < 0) {
			rc = -1;
			continue;
		}
		struct json *jt = NULL, *jarches = NULL;
		if (list) {
			jt = json_object();
			json_set_str(jt, "name", t.name);
			json_set_str(jt, "doc", t.doc);
			json_set_str(jt, "runner", t.runner);
			jarches = json_array();
		} else {
			printf("%s: %s\n", t.name, t.doc);
		}
		for (size_t k = 0; k < t.narches; k++)
			one_arch(&t, &t.arches[k], jarches);
		if (jt) {
			json_set(jt, "arches", jarches);
			json_push(list, jt);
		}
		target_release(&t);
	}
	if (list) {
		c->report = json_object();
		json_set(c->report, "targets", list);
	}
	strlist_release(&names);
	free(root);
	free(datadir);
	return rc;
}

const struct command cmd_targets = {
    .name = "targets",
    .fn = targets,
    .flags = CMD_JSON,
    .summary = "list the targets and what they support",
    .help = "Lists the installed targets: for each architecture, whether this machine has\n"
	    "its toolchain, what serves each device type, and the images it makes.\n",
};
