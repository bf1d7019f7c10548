/* target.c: reads targets/<name>/target.yaml. */
#include "target.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "image.h"
#include "library.h"
#include "run.h"
#include "schema.h"

static const char *const top_keys[] = {
    "name", "doc",     "runtime", "include", "cflags", "runtime_cflags", "runtime_fp", "ldscript",
    "libs", "ldflags", "devices", "arches",  "run",    "images_note",	 "libraries",  NULL};
static const char *const arch_keys[] = {
    "cc",      "ar",	   "cflags",	   "ldflags",	    "run",	   "packages",
    "runtime", "ldscript", "objcopy",	   "images",	    "images_note", "constants",
    "devices", "qemu",	   "host_include", "images_always", NULL};
static const char *const device_keys[] = {"impl", "doc", "init", "link", NULL};
static const char *const qemu_keys[] = {"machines", "args", "status", NULL};
static const char *const machine_keys[] = {"doc",      "args",	 "kernel_args", "devices",
					   "pci_slot", "images", NULL};

static int opt_string(const struct ynode *map, const char *key, const char *path, const char **out)
{
	const struct ynode *n = ynode_get(map, key);
	if (!n)
		return 0;
	char *p = schema_path(path, key);
	int rc = schema_string(n, p, out);
	free(p);
	return rc;
}

static int req_string(const struct ynode *map, const char *key, const char *path, const char **out)
{
	const struct ynode *n = ynode_get(map, key);
	char *p = schema_path(path, key);
	int rc;
	if (!n)
		rc = error_at(&map->pos, "%s: missing required key '%s'", *path ? path : "target",
			      key);
	else
		rc = schema_string(n, p, out);
	free(p);
	return rc;
}

/* One implementation: {impl, doc, init, link}. */
static int parse_impl(struct target_device *d, const struct ynode *spec, const char *path)
{
	if (schema_expect(spec, path, YNODE_MAP) < 0 ||
	    schema_known_keys(spec, path, device_keys) < 0 ||
	    req_string(spec, "impl", path, &d->impl) < 0 ||
	    req_string(spec, "doc", path, &d->doc) < 0 ||
	    opt_string(spec, "init", path, &d->init) < 0)
		return -1;
	/* both reach generated code and the command line */
	if (!str_is_name(d->impl, true, 31))
		return error_at(&ynode_get(spec, "impl")->pos,
				"%s.impl: '%s' is not a name ([a-z][a-z0-9_-]*)", path, d->impl);
	if (d->init && !str_is_identifier(d->init))
		return error_at(&ynode_get(spec, "init")->pos,
				"%s.init: '%s' is not a C identifier", path, d->init);
	d->link = true;
	const struct ynode *link = ynode_get(spec, "link");
	if (link) {
		char *lp = schema_path(path, "link");
		int rc = schema_bool(link, lp, &d->link);
		free(lp);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The rows of a `devices:` mapping: type -> {impl, doc, init, link}, or a
 * list of them (the first the default). */
static int parse_devices(const struct ynode *devices, const char *path, struct target_device **out,
			 size_t *n)
{
	if (schema_expect(devices, path, YNODE_MAP) < 0)
		return -1;
	*out = xcalloc(devices->n, sizeof(**out));
	int rc = 0;
	for (size_t i = 0; i < devices->n; i++) {
		const struct ynode *key = devices->keys[i], *spec = devices->items[i];
		struct target_device *d = &(*out)[(*n)++];
		d->pos = key->pos;
		d->type = devtype_find(key->str);
		if (!d->type) {
			rc = error_suggest(&key->pos, path, "device type", key->str,
					   devtype_names(), devtype_count());
			continue;
		}
		char *dpath = schema_path(path, key->str);
		if (spec->kind == YNODE_SEQ && spec->n > 0) {
			if (parse_impl(d, spec->items[0], dpath) < 0)
				rc = -1;
			d->others = xcalloc(spec->n, sizeof(*d->others));
			for (size_t k = 1; k < spec->n; k++) {
				struct target_device *o = &d->others[d->nothers++];
				o->type = d->type;
				o->pos = spec->items[k]->pos;
				if (parse_impl(o, spec->items[k], dpath) < 0)
					rc = -1;
			}
		} else if (parse_impl(d, spec, dpath) < 0) {
			rc = -1;
		}
		free(dpath);
	}
	return rc;
}

static bool valid_constant(const char *s)
{
	if (!(*s >= 'A' && *s <= 'Z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int parse_constants(struct target_arch *a, const struct ynode *m, const char *path)
{
	if (schema_expect(m, path, YNODE_MAP) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < m->n; i++) {
		const char *v;
		char *p = schema_path(path, m->keys[i]->str);
		if (!valid_constant(m->keys[i]->str))
			rc = error_at(&m->keys[i]->pos, "%s: a constant is named [A-Z][A-Z0-9_]*",
				      p);
		else if (schema_string(m->items[i], p, &v) < 0)
			rc = -1;
		else if (strspn(v, "0123456789abcdefABCDEFx") != strlen(v))
			rc = error_at(&m->items[i]->pos, "%s: a constant is a number", p);
		else
			strlist_pushf(&a->constants, "%s=%s", m->keys[i]->str, v);
		free(p);
	}
	return rc;
}

static int parse_machine(struct qemu_machine *q, const char *name, const struct ynode *m,
			 const char *path)
{
	if (schema_expect(m, path, YNODE_MAP) < 0 || schema_known_keys(m, path, machine_keys) < 0)
		return -1;
	int rc = 0;
	q->name = name;
	q->pci_slot = -1;
	const struct ynode *img = ynode_get(m, "images");
	if (schema_opt_strings(m, "args", path, &q->args) < 0 ||
	    schema_opt_strings(m, "kernel_args", path, &q->kernel_args) < 0 ||
	    opt_string(m, "doc", path, &q->doc) < 0)
		rc = -1;
	if (img) {
		char *p = schema_path(path, "images");
		if (schema_bool(img, p, &q->images) < 0)
			rc = -1;
		free(p);
	}
	if (!q->args.len)
		rc = error_at(&m->pos, "%s: missing required key 'args'", path);
	const struct ynode *slot = ynode_get(m, "pci_slot");
	int64_t v;
	if (slot) {
		char *p = schema_path(path, "pci_slot");
		if (schema_int(slot, p, &v) < 0 || v < 0 || v > 31)
			rc = slot->kind == YNODE_SCALAR && schema_int(slot, p, &v) == 0
				 ? error_at(&slot->pos, "%s: a slot from 0 to 31", p)
				 : -1;
		else
			q->pci_slot = (int)v;
		free(p);
	}
	const struct ynode *devs = ynode_get(m, "devices");
	if (devs) {
		char *p = schema_path(path, "devices");
		if (schema_expect(devs, p, YNODE_MAP) < 0) {
			rc = -1;
		} else {
			for (size_t i = 0; i < devs->n; i++) {
				const struct devtype *t = devtype_find(devs->keys[i]->str);
				char *dp = schema_path(p, devs->keys[i]->str);
				if (!t || !t->attach_flag)
					rc = error_at(&devs->keys[i]->pos,
						      "%s: not a device type that is attached", dp);
				else if (schema_string(devs->items[i], dp, &q->devices[t->value]) <
					 0)
					rc = -1;
				free(dp);
			}
		}
		free(p);
	}
	return rc;
}

static int parse_qemu(struct target_qemu *q, const struct ynode *m, const char *path)
{
	if (schema_expect(m, path, YNODE_MAP) < 0 || schema_known_keys(m, path, qemu_keys) < 0)
		return -1;
	int rc = 0;
	if (schema_opt_strings(m, "args", path, &q->args) < 0 ||
	    opt_string(m, "status", path, &q->status) < 0)
		rc = -1;
	if (!q->status)
		rc = error_at(&m->pos, "%s: missing required key 'status'", path);
	const struct ynode *ms = ynode_get(m, "machines");
	char *p = schema_path(path, "machines");
	if (!ms) {
		rc = error_at(&m->pos, "%s: missing required key 'machines'", path);
	} else if (schema_expect(ms, p, YNODE_MAP) < 0) {
		rc = -1;
	} else if (!ms->n) {
		rc = error_at(&ms->pos, "%s: at least one machine", p);
	} else {
		q->machines = xcalloc(ms->n, sizeof(*q->machines));
		q->nmachines = ms->n;
		for (size_t i = 0; i < ms->n; i++) {
			char *mp = schema_path(p, ms->keys[i]->str);
			if (parse_machine(&q->machines[i], ms->keys[i]->str, ms->items[i], mp) < 0)
				rc = -1;
			free(mp);
		}
	}
	free(p);
	return rc;
}

const struct qemu_machine *target_qemu_machine(const struct target_qemu *q, const char *name,
					       bool image)
{
	for (size_t i = 0; i < q->nmachines; i++)
		if (name ? !strcmp(q->machines[i].name, name) : !image || q->machines[i].images)
			return &q->machines[i];
	return NULL;
}

static int parse_arch(struct target_arch *a, const struct ynode *key, const struct ynode *spec)
{
	a->name = key->str;
	char *path = schema_path("arches", key->str);
	int rc = 0;
	if (schema_expect(spec, path, YNODE_MAP) < 0) {
		free(path);
		return -1;
	}
	if (schema_known_keys(spec, path, arch_keys) < 0)
		rc = -1;
	if (req_string(spec, "cc", path, &a->cc) < 0)
		rc = -1;
	if (req_string(spec, "ar", path, &a->ar) < 0)
		rc = -1;
	if (schema_opt_strings(spec, "cflags", path, &a->cflags) < 0 ||
	    schema_opt_strings(spec, "ldflags", path, &a->ldflags) < 0 ||
	    schema_opt_strings(spec, "run", path, &a->run) < 0 ||
	    schema_opt_strings(spec, "packages", path, &a->packages) < 0 ||
	    schema_opt_strings(spec, "runtime", path, &a->runtime) < 0 ||
	    schema_opt_strings(spec, "host_include", path, &a->host_include) < 0 ||
	    schema_opt_strings(spec, "images", path, &a->images) < 0 ||
	    schema_opt_strings(spec, "images_always", path, &a->images_always) < 0 ||
	    opt_string(spec, "ldscript", path, &a->ldscript) < 0 ||
	    opt_string(spec, "objcopy", path, &a->objcopy) < 0 ||
	    opt_string(spec, "images_note", path, &a->images_note) < 0)
		rc = -1;
	const struct ynode *imgs = ynode_get(spec, "images");
	for (size_t i = 0; i < a->images.len; i++)
		if (!image_kind_find(a->images.items[i]) || !strcmp(a->images.items[i], "kernel"))
			rc = error_at(imgs->kind == YNODE_SEQ ? &imgs->items[i]->pos : &imgs->pos,
				      "%s.images: '%s' is not an image kind besides the kernel",
				      path, a->images.items[i]);
	const struct ynode *always = ynode_get(spec, "images_always");
	for (size_t i = 0; i < a->images_always.len; i++)
		if (!strlist_has(&a->images, a->images_always.items[i]))
			rc = error_at(always->kind == YNODE_SEQ ? &always->items[i]->pos
								: &always->pos,
				      "%s.images_always: '%s' is not one of its images:", path,
				      a->images_always.items[i]);
	const struct ynode *n;
	char *p;
	if ((n = ynode_get(spec, "constants"))) {
		p = schema_path(path, "constants");
		if (parse_constants(a, n, p) < 0)
			rc = -1;
		free(p);
	}
	if ((n = ynode_get(spec, "devices"))) {
		p = schema_path(path, "devices");
		if (parse_devices(n, p, &a->devices, &a->ndevices) < 0)
			rc = -1;
		free(p);
	}
	if ((n = ynode_get(spec, "qemu"))) {
		p = schema_path(path, "qemu");
		a->has_qemu = true;
		if (parse_qemu(&a->qemu, n, p) < 0)
			rc = -1;
		free(p);
	}
	free(path);
	return rc;
}

static int check_file(const struct target *t, const struct ynode *at, const char *what,
		      const char *rel)
{
	char *p = path_join(t->root, rel);
	int rc = is_file(p) ? 0 : error_at(&at->pos, "%s: '%s' does not exist", what, rel);
	free(p);
	return rc;
}

static int validate(struct target *t, const char *name)
{
	const struct ynode *root = t->yaml.root;
	if (!root) {
		struct pos p = {t->yaml.file, 1, 1};
		return error_at(&p, "the target description is empty");
	}
	if (schema_expect(root, "", YNODE_MAP) < 0)
		return -1;
	int rc = schema_known_keys(root, "", top_keys);
	if (req_string(root, "name", "", &t->name) < 0)
		rc = -1;
	else if (strcmp(t->name, name))
		rc = error_at(&ynode_get(root, "name")->pos,
			      "name: '%s' does not match its directory '%s'", t->name, name);
	if (req_string(root, "doc", "", &t->doc) < 0 || req_string(root, "run", "", &t->runner) < 0)
		rc = -1;
	else if (!runner_find(t->runner))
		rc = error_suggest(&ynode_get(root, "run")->pos, "run", "runner", t->runner,
				   runner_names(), 0);
	if (schema_opt_strings(root, "runtime", "", &t->runtime) < 0 ||
	    schema_opt_strings(root, "include", "", &t->include) < 0 ||
	    schema_opt_strings(root, "cflags", "", &t->cflags) < 0 ||
	    schema_opt_strings(root, "runtime_cflags", "", &t->runtime_cflags) < 0 ||
	    schema_opt_strings(root, "runtime_fp", "", &t->runtime_fp) < 0 ||
	    schema_opt_strings(root, "libs", "", &t->libs) < 0 ||
	    schema_opt_strings(root, "ldflags", "", &t->ldflags) < 0 ||
	    opt_string(root, "ldscript", "", &t->ldscript) < 0 ||
	    opt_string(root, "images_note", "", &t->images_note) < 0)
		rc = -1;
	if (!t->for_run && t->ldscript &&
	    check_file(t, ynode_get(root, "ldscript"), "ldscript", t->ldscript) < 0)
		rc = -1;
	for (size_t i = 0; !t->for_run && i < t->runtime.len; i++)
		if (check_file(t, ynode_get(root, "runtime"), "runtime", t->runtime.items[i]) < 0)
			rc = -1;

	const struct ynode *arches = ynode_get(root, "arches");
	if (!arches)
		rc = error_at(&root->pos, "missing required key 'arches'");
	else if (schema_expect(arches, "arches", YNODE_MAP) < 0)
		rc = -1;
	else {
		t->arches = xcalloc(arches->n, sizeof(*t->arches));
		for (size_t i = 0; i < arches->n; i++)
			if (parse_arch(&t->arches[t->narches++], arches->keys[i],
				       arches->items[i]) < 0)
				rc = -1;
	}
	/* runtime_fp names runtime files; each architecture's files exist */
	for (size_t i = 0; i < t->runtime_fp.len; i++) {
		bool found = strlist_has(&t->runtime, t->runtime_fp.items[i]);
		for (size_t k = 0; k < t->narches && !found; k++)
			found = strlist_has(&t->arches[k].runtime, t->runtime_fp.items[i]);
		if (!found)
			rc = error_at(&ynode_get(root, "runtime_fp")->pos,
				      "runtime_fp: '%s' is not in runtime", t->runtime_fp.items[i]);
	}
	for (size_t k = 0; k < t->narches; k++) {
		const struct target_arch *a = &t->arches[k];
		char *what = xasprintf("arches.%s", a->name);
		for (size_t i = 0; !t->for_run && i < a->runtime.len; i++)
			if (check_file(t, arches, what, a->runtime.items[i]) < 0)
				rc = -1;
		if (!t->for_run && a->ldscript && check_file(t, arches, what, a->ldscript) < 0)
			rc = -1;
		if (t->runner && !strcmp(t->runner, "qemu") && (!a->has_qemu || !a->run.len))
			rc = error_at(&arches->pos, "%s: the qemu runner needs 'qemu:' and 'run:'",
				      what);
		/* every ${NAME} of the qemu strings names a constant */
		struct strlist qs = STRLIST_INIT;
		strlist_add_all(&qs, &a->qemu.args);
		if (a->qemu.status)
			strlist_push(&qs, a->qemu.status);
		for (size_t m = 0; m < a->qemu.nmachines; m++) {
			strlist_add_all(&qs, &a->qemu.machines[m].args);
			strlist_add_all(&qs, &a->qemu.machines[m].kernel_args);
		}
		{
			for (size_t i = 0; i < qs.len; i++) {
				const char *str = qs.items[i];
				for (const char *o = str ? strstr(str, "${") : NULL; o;
				     o = strstr(o + 2, "${")) {
					const char *e = strchr(o, '}');
					bool known = false;
					for (size_t m = 0; e && m < a->constants.len && !known; m++)
						known = !strncmp(a->constants.items[m], o + 2,
								 (size_t)(e - o - 2)) &&
							a->constants.items[m][e - o - 2] == '=';
					if (!known)
						rc = error_at(&arches->pos,
							      "%s.qemu: '%s' names no constant",
							      what, str);
				}
			}
		}
		strlist_release(&qs);
		free(what);
	}
	const struct ynode *devices = ynode_get(root, "devices");
	if (devices && parse_devices(devices, "devices", &t->devices, &t->ndevices) < 0)
		rc = -1;
	struct strlist libs = STRLIST_INIT;
	if (schema_opt_strings(root, "libraries", "", &libs) < 0)
		rc = -1;
	t->libraries = xcalloc(libs.len + 1, sizeof(*t->libraries));
	for (size_t i = 0; !t->for_run && i < libs.len; i++) {
		if (strstr(libs.items[i], "..") || libs.items[i][0] == '/')
			rc = error_at(&ynode_get(root, "libraries")->pos,
				      "libraries: '%s' is not a file of the targets directory",
				      libs.items[i]);
		else if (library_load(&t->libraries[t->nlibraries++], t->root, libs.items[i]) < 0)
			rc = -1;
	}
	strlist_release(&libs);
	return rc;
}

static int parse(struct target *t, const char *root, const char *name, const char *buf, size_t len,
		 bool for_run)
{
	memset(t, 0, sizeof(*t));
	t->for_run = for_run;
	t->root = xstrdup(root);
	t->dir = path_join(root, name);
	char *file = path_join(t->dir, "target.yaml");
	int rc = ydoc_parse(&t->yaml, file, buf, len);
	if (rc == 0 && t->yaml.errors)
		rc = -1;
	if (rc == 0)
		rc = validate(t, name);
	free(file);
	if (rc < 0) {
		target_release(t);
		failed(FAIL_ERROR); /* a broken installation */
	}
	return rc;
}

int target_parse(struct target *t, const char *root, const char *name, const char *buf, size_t len)
{
	return parse(t, root, name, buf, len, false);
}

static int load(struct target *t, const char *root, const char *name, bool for_run)
{
	char *dir = path_join(root, name);
	char *file = path_join(dir, "target.yaml");
	size_t len;
	char *buf = file_read(file, &len);
	int rc;
	if (!buf) {
		memset(t, 0, sizeof(*t));
		rc = error("read %s:", file);
		failed(FAIL_ERROR);
	} else {
		rc = parse(t, root, name, buf, len, for_run);
	}
	free(buf);
	free(file);
	free(dir);
	return rc;
}

int target_load(struct target *t, const char *root, const char *name)
{
	return load(t, root, name, false);
}

int target_load_for_run(struct target *t, const char *root, const char *name)
{
	return load(t, root, name, true);
}

void target_release(struct target *t)
{
	for (size_t i = 0; i < t->narches; i++) {
		struct target_arch *a = &t->arches[i];
		strlist_release(&a->cflags);
		strlist_release(&a->ldflags);
		strlist_release(&a->run);
		strlist_release(&a->packages);
		strlist_release(&a->runtime);
		strlist_release(&a->host_include);
		strlist_release(&a->images);
		strlist_release(&a->images_always);
		strlist_release(&a->constants);
		for (size_t k = 0; k < a->qemu.nmachines; k++) {
			strlist_release(&a->qemu.machines[k].args);
			strlist_release(&a->qemu.machines[k].kernel_args);
		}
		free(a->qemu.machines);
		strlist_release(&a->qemu.args);
		for (size_t k = 0; k < a->ndevices; k++)
			free(a->devices[k].others);
		free(a->devices);
	}
	free(t->arches);
	for (size_t k = 0; k < t->ndevices; k++)
		free(t->devices[k].others);
	free(t->devices);
	for (size_t i = 0; i < t->nlibraries; i++)
		library_release(&t->libraries[i]);
	free(t->libraries);
	strlist_release(&t->runtime);
	strlist_release(&t->include);
	strlist_release(&t->cflags);
	strlist_release(&t->runtime_cflags);
	strlist_release(&t->runtime_fp);
	strlist_release(&t->libs);
	strlist_release(&t->ldflags);
	ydoc_release(&t->yaml);
	free(t->dir);
	free(t->root);
	memset(t, 0, sizeof(*t));
}

void target_list(const char *root, struct strlist *names)
{
	DIR *d = opendir(root);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *dir = path_join(root, e->d_name);
		char *file = path_join(dir, "target.yaml");
		if (is_file(file))
			strlist_push(names, e->d_name);
		free(file);
		free(dir);
	}
	closedir(d);
	strlist_sort(names);
}

void target_runtime(const struct target *t, const struct target_arch *a, struct strlist *out)
{
	for (size_t i = 0; i < t->runtime.len; i++)
		strlist_push(out, t->runtime.items[i]);
	for (size_t i = 0; a && i < a->runtime.len; i++)
		strlist_push(out, a->runtime.items[i]);
}

const char *target_ldscript(const struct target *t, const struct target_arch *a)
{
	return a && a->ldscript ? a->ldscript : t->ldscript;
}

const struct target_arch *target_find_arch(const struct target *t, const char *arch)
{
	for (size_t i = 0; i < t->narches; i++)
		if (!strcmp(t->arches[i].name, arch))
			return &t->arches[i];
	return NULL;
}

const struct target_device *target_find_device(const struct target *t, const struct target_arch *a,
					       const struct devtype *type)
{
	for (size_t i = 0; a && i < a->ndevices; i++)
		if (a->devices[i].type == type)
			return &a->devices[i];
	for (size_t i = 0; i < t->ndevices; i++)
		if (t->devices[i].type == type)
			return &t->devices[i];
	return NULL;
}

const struct target_device *target_find_impl(const struct target *t, const struct target_arch *a,
					     const struct devtype *type, const char *impl)
{
	const struct target_device *d = target_find_device(t, a, type);
	if (!d)
		return NULL;
	if (!strcmp(d->impl, impl))
		return d;
	for (size_t i = 0; i < d->nothers; i++)
		if (!strcmp(d->others[i].impl, impl))
			return &d->others[i];
	return NULL;
}

bool target_makes_image(const struct target_arch *a, const char *kind)
{
	return !strcmp(kind, "kernel") || strlist_has(&a->images, kind);
}

const char *target_images_note(const struct target *t, const struct target_arch *a)
{
	if (a && a->images_note)
		return a->images_note;
	if (t->images_note)
		return t->images_note;
	return "it makes no such image";
}

char *target_expand(const struct target_arch *a, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	while (*s) {
		const char *open = strstr(s, "${");
		if (!open) {
			strbuf_adds(&sb, s);
			break;
		}
		strbuf_add(&sb, s, (size_t)(open - s));
		const char *close = strchr(open, '}');
		if (!close)
			BUG("target data: unterminated ${");
		size_t n = (size_t)(close - open - 2);
		const char *value = NULL;
		for (size_t i = 0; i < a->constants.len && !value; i++) {
			const char *c = a->constants.items[i];
			if (!strncmp(c, open + 2, n) && c[n] == '=')
				value = c + n + 1;
		}
		if (!value)
			BUG("target data: ${NAME} names no constant of the architecture");
		strbuf_adds(&sb, value);
		s = close + 1;
	}
	return strbuf_detach(&sb);
}

const char *host_arch(void)
{
	static struct utsname u;
	if (uname(&u) < 0)
		return "x86_64";
	if (!strcmp(u.machine, "arm64"))
		return "aarch64";
	return u.machine;
}

char *program_path(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = xstrdup(path);
	char *found = NULL;
	for (char *save, *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = path_join(dir, name);
		if (access(p, X_OK) == 0 && is_file(p))
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

bool program_exists(const char *name)
{
	char *p = program_path(name);
	free(p);
	return p != NULL;
}
