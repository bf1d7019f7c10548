/* target.c: reads targets/<name>/target.yaml. */
#include "target.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "schema.h"

static const char *const top_keys[] = {
    "name",	      "doc",	    "runtime",	"include", "cflags",
    "runtime_cflags", "runtime_fp", "ldscript", "libs",	   "ldflags",
    "devices",	      "arches",	    "run",	NULL};
static const char *const arch_keys[] = {"cc",	    "ar",      "cflags",   "ldflags", "run",
					"packages", "runtime", "ldscript", "objcopy", NULL};
static const char *const device_keys[] = {"impl", "doc", NULL};
static const char *const runners[] = {"exec", "hvt", "qemu", NULL};

static int opt_strings(const struct ynode *map, const char *key, const char *path,
		       struct strlist *out)
{
	const struct ynode *n = ynode_get(map, key);
	if (!n)
		return 0;
	char *p = schema_path(path, key);
	int rc = schema_strings(n, p, out);
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
	if (opt_strings(spec, "cflags", path, &a->cflags) < 0 ||
	    opt_strings(spec, "ldflags", path, &a->ldflags) < 0 ||
	    opt_strings(spec, "run", path, &a->run) < 0 ||
	    opt_strings(spec, "packages", path, &a->packages) < 0 ||
	    opt_strings(spec, "runtime", path, &a->runtime) < 0)
		rc = -1;
	const struct ynode *ld = ynode_get(spec, "ldscript");
	if (ld) {
		char *lp = schema_path(path, "ldscript");
		if (schema_string(ld, lp, &a->ldscript) < 0)
			rc = -1;
		free(lp);
	}
	const struct ynode *oc = ynode_get(spec, "objcopy");
	if (oc) {
		char *op = schema_path(path, "objcopy");
		if (schema_string(oc, op, &a->objcopy) < 0)
			rc = -1;
		free(op);
	}
	free(path);
	return rc;
}

static int parse_device(struct target_device *d, const struct ynode *key, const struct ynode *spec)
{
	d->pos = key->pos;
	d->type = devtype_find(key->str);
	if (!d->type) {
		const char *hint = str_suggest(key->str, devtype_names(), 4);
		if (hint)
			return error_at(&key->pos,
					"devices: unknown device type '%s' (did you mean "
					"'%s'?)",
					key->str, hint);
		return error_at(&key->pos, "devices: unknown device type '%s'", key->str);
	}
	char *path = schema_path("devices", key->str);
	int rc = 0;
	if (schema_expect(spec, path, YNODE_MAP) < 0) {
		free(path);
		return -1;
	}
	if (schema_known_keys(spec, path, device_keys) < 0)
		rc = -1;
	if (req_string(spec, "impl", path, &d->impl) < 0 ||
	    req_string(spec, "doc", path, &d->doc) < 0)
		rc = -1;
	free(path);
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
	else {
		bool known = false;
		for (size_t i = 0; runners[i]; i++)
			known |= !strcmp(runners[i], t->runner);
		if (!known)
			rc = error_at(&ynode_get(root, "run")->pos, "run: unknown runner '%s'",
				      t->runner);
	}
	if (opt_strings(root, "runtime", "", &t->runtime) < 0 ||
	    opt_strings(root, "include", "", &t->include) < 0 ||
	    opt_strings(root, "cflags", "", &t->cflags) < 0 ||
	    opt_strings(root, "runtime_cflags", "", &t->runtime_cflags) < 0 ||
	    opt_strings(root, "runtime_fp", "", &t->runtime_fp) < 0 ||
	    opt_strings(root, "libs", "", &t->libs) < 0 ||
	    opt_strings(root, "ldflags", "", &t->ldflags) < 0)
		rc = -1;
	const struct ynode *ld = ynode_get(root, "ldscript");
	if (ld && schema_string(ld, "ldscript", &t->ldscript) < 0) {
		rc = -1;
	} else if (ld) {
		char *p = path_join(t->root, t->ldscript);
		if (!is_file(p))
			rc = error_at(&ld->pos, "ldscript: '%s' does not exist", t->ldscript);
		free(p);
	}
	for (size_t i = 0; i < t->runtime.len; i++) {
		char *p = path_join(t->root, t->runtime.items[i]);
		if (!is_file(p))
			rc = error_at(&ynode_get(root, "runtime")->pos,
				      "runtime: '%s' does not exist", t->runtime.items[i]);
		free(p);
	}

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
		for (size_t i = 0; i <= a->runtime.len; i++) {
			const char *f = i < a->runtime.len ? a->runtime.items[i] : a->ldscript;
			if (!f)
				continue;
			char *p = path_join(t->root, f);
			if (!is_file(p))
				rc = error_at(&arches->pos, "arches.%s: '%s' does not exist",
					      a->name, f);
			free(p);
		}
	}
	const struct ynode *devices = ynode_get(root, "devices");
	if (devices && schema_expect(devices, "devices", YNODE_MAP) < 0)
		rc = -1;
	else if (devices) {
		t->devices = xcalloc(devices->n, sizeof(*t->devices));
		for (size_t i = 0; i < devices->n; i++)
			if (parse_device(&t->devices[t->ndevices++], devices->keys[i],
					 devices->items[i]) < 0)
				rc = -1;
	}
	return rc;
}

int target_load(struct target *t, const char *root, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->root = xstrdup(root);
	t->dir = path_join(root, name);
	char *file = path_join(t->dir, "target.yaml");
	int rc = ydoc_load(&t->yaml, file, file);
	if (rc == 0)
		rc = validate(t, name);
	free(file);
	if (rc < 0)
		target_release(t);
	return rc;
}

void target_release(struct target *t)
{
	for (size_t i = 0; i < t->narches; i++) {
		strlist_release(&t->arches[i].cflags);
		strlist_release(&t->arches[i].ldflags);
		strlist_release(&t->arches[i].run);
		strlist_release(&t->arches[i].packages);
		strlist_release(&t->arches[i].runtime);
	}
	free(t->arches);
	free(t->devices);
	strlist_release(&t->runtime);
	strlist_release(&t->include);
	strlist_release(&t->cflags);
	strlist_release(&t->runtime_cflags);
	strlist_release(&t->runtime_fp);
	strlist_release(&t->libs);
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

const struct target_device *target_find_device(const struct target *t, const struct devtype *type)
{
	for (size_t i = 0; i < t->ndevices; i++)
		if (t->devices[i].type == type)
			return &t->devices[i];
	return NULL;
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

bool program_exists(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = xstrdup(path);
	bool found = false;
	for (char *save, *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = path_join(dir, name);
		found = access(p, X_OK) == 0 && is_file(p);
		free(p);
	}
	free(copy);
	return found;
}
