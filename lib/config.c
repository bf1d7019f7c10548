/* config.c: reads mirage.yaml into the model of config.h and checks it. */
#include "config.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "schema.h"

static const char *const top_keys[] = {"version", "name",    "sources",	  "include",
				       "cflags",  "devices", "arguments", "targets",
				       "images",  "fetch",   NULL};
static const char *const arg_keys[] = {"type", "default", "doc", NULL};
static const char *const arg_types[] = {"string", "int", "bool", NULL};

/* Names that would not compile as C struct fields. */
static const char *const c_keywords[] = {
    "auto",	"break",  "case",   "char",	"const",    "continue", "default",  "do",
    "double",	"else",	  "enum",   "extern",	"float",    "for",	"goto",	    "if",
    "inline",	"int",	  "long",   "register", "restrict", "return",	"short",    "signed",
    "sizeof",	"static", "struct", "switch",	"typedef",  "union",	"unsigned", "void",
    "volatile", "while",  "bool",   "true",	"false",    "_Bool",	"asm",	    NULL};

#define NAME_MAX_LEN 63

const char *arg_type_name(enum arg_type type)
{
	return arg_types[type];
}

/* [a-z][a-z0-9_]* (and '-' where allowed), at most NAME_MAX_LEN long. */
static bool valid_name(const char *s, bool dash)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	size_t n = 0;
	for (; *s; s++, n++) {
		bool ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
			  (dash && *s == '-');
		if (!ok)
			return false;
	}
	return n <= NAME_MAX_LEN;
}

static bool is_keyword(const char *s)
{
	for (size_t i = 0; c_keywords[i]; i++)
		if (!strcmp(s, c_keywords[i]))
			return true;
	return false;
}

static int check_c_name(const struct ynode *key, const char *what)
{
	if (!valid_name(key->str, false))
		return error_at(&key->pos,
				"%s name '%s' is not valid (lowercase letters, digits and '_', "
				"starting with a letter, at most %d characters)",
				what, key->str, NAME_MAX_LEN);
	if (is_keyword(key->str))
		return error_at(&key->pos, "%s name '%s' is a C keyword", what, key->str);
	return 0;
}

static bool has_glob_chars(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool is_source_file(const char *s)
{
	return str_ends(s, ".c") || str_ends(s, ".S");
}

static int expand_sources(struct config *c, const struct ynode *node)
{
	struct strlist patterns = STRLIST_INIT;
	if (schema_strings(node, "sources", &patterns) < 0) {
		strlist_release(&patterns);
		return -1;
	}
	if (patterns.len == 0)
		return error_at(&node->pos, "sources: at least one C source is required");
	int rc = 0;
	for (size_t i = 0; i < patterns.len; i++) {
		const struct ynode *item = node->kind == YNODE_SEQ ? node->items[i] : node;
		const char *pat = patterns.items[i];
		char *full = path_join(c->dir, pat);
		size_t prefix = strlen(full) - strlen(pat);
		glob_t g;
		int grc = glob(full, 0, NULL, &g);
		if (grc == GLOB_NOMATCH || (grc == 0 && g.gl_pathc == 0)) {
			if (has_glob_chars(pat))
				rc = error_at(&item->pos, "sources: '%s' matches no file", pat);
			else
				rc = error_at(&item->pos, "sources: '%s' does not exist", pat);
		} else if (grc != 0) {
			rc = error_at(&item->pos, "sources: cannot expand '%s'", pat);
		} else {
			for (size_t j = 0; j < g.gl_pathc; j++) {
				const char *rel = g.gl_pathv[j] + prefix;
				if (is_dir(g.gl_pathv[j])) {
					if (!has_glob_chars(pat))
						rc = error_at(&item->pos,
							      "sources: '%s' is a directory, not a "
							      "C file",
							      rel);
					continue;
				}
				if (!is_source_file(rel)) {
					if (!has_glob_chars(pat))
						rc =
						    error_at(&item->pos,
							     "sources: '%s' is not a C source (.c) "
							     "or assembly (.S) file",
							     rel);
					continue;
				}
				if (!strlist_has(&c->sources, rel))
					strlist_push(&c->sources, rel);
			}
		}
		if (grc == 0)
			globfree(&g);
		free(full);
	}
	strlist_release(&patterns);
	return rc;
}

static int check_dirs(struct config *c, const struct ynode *node, const char *path,
		      struct strlist *out)
{
	if (schema_strings(node, path, out) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < out->len; i++) {
		const struct ynode *item = node->kind == YNODE_SEQ ? node->items[i] : node;
		char *full = path_join(c->dir, out->items[i]);
		if (!is_dir(full))
			rc = error_at(&item->pos, "%s: '%s' is not a directory", path,
				      out->items[i]);
		free(full);
	}
	return rc;
}

/* The node naming the type in a device or argument spec: the spec itself when
 * it is a string (the shorthand), else its `type` key. NULL (reported) when
 * the spec is a list or lacks `type`. */
static const struct ynode *spec_type(const struct ynode *spec, const char *path, const char *what)
{
	if (spec->kind == YNODE_SCALAR)
		return spec;
	if (spec->kind == YNODE_SEQ) {
		error_at(&spec->pos, "%s: expected %s type or a mapping with 'type', found a list",
			 path, what);
		return NULL;
	}
	const struct ynode *type = ynode_get(spec, "type");
	if (!type)
		error_at(&spec->pos, "%s: missing required key 'type'", path);
	return type;
}

/* Finds the type named by node among names (NULL-terminated). Returns its
 * index, or -1 after reporting it as unknown for owner ("device 'net0'"). */
static int find_type(const struct ynode *node, const char *path, const char *owner,
		     const char *const *names)
{
	const char *name;
	if (schema_string(node, path, &name) < 0)
		return -1;
	size_t n = 0;
	for (; names[n]; n++)
		if (!strcmp(name, names[n]))
			return (int)n;
	const char *hint = str_suggest(name, names, n);
	if (hint) {
		error_at(&node->pos, "%s: type '%s' is unknown (did you mean '%s'?)", owner, name,
			 hint);
	} else {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", names[i]);
		error_at(&node->pos, "%s: type '%s' is unknown (known: %s)", owner, name, sb.buf);
		strbuf_release(&sb);
	}
	return -1;
}

static int parse_device(struct config *c, struct device *d, const struct ynode *key,
			const struct ynode *spec)
{
	int rc = 0;
	d->name = key->str;
	d->pos = key->pos;
	if (check_c_name(key, "device") < 0)
		rc = -1;
	char *path = schema_path("devices", key->str);
	char *owner = xasprintf("device '%s'", key->str);
	const struct ynode *type = spec_type(spec, path, "a device");
	if (!type) {
		free(owner);
		free(path);
		return -1;
	}
	char *tpath = spec == type ? xstrdup(path) : schema_path(path, "type");
	int t = find_type(type, tpath, owner, devtype_names());
	if (t < 0) {
		rc = -1;
	} else {
		d->type_pos = type->pos;
		d->type = devtype_find(devtype_names()[t]);
	}
	free(tpath);
	free(owner);
	if (spec->kind == YNODE_MAP) {
		static const char *const with_source[] = {"type", "source", "after", NULL};
		static const char *const plain[] = {"type", "after", NULL};
		if (schema_known_keys(spec, path,
				      d->type && d->type->has_source ? with_source : plain) < 0)
			rc = -1;
		const struct ynode *after = ynode_get(spec, "after");
		if (after) {
			char *apath = schema_path(path, "after");
			if (schema_strings(after, apath, &d->after) < 0) {
				strlist_release(&d->after); /* no half lists */
				rc = -1;
			} else {
				d->after_pos = xcalloc(d->after.len, sizeof(*d->after_pos));
				for (size_t i = 0; i < d->after.len; i++)
					d->after_pos[i] = after->kind == YNODE_SEQ
							      ? after->items[i]->pos
							      : after->pos;
			}
			free(apath);
		}
	}
	if (d->type && d->type->has_source) {
		const struct ynode *src = ynode_get(spec, "source");
		const char *s;
		char *spath = schema_path(path, "source");
		if (!src) {
			rc = error_at(&spec->pos,
				      "device '%s': a %s device needs 'source: DIRECTORY'", d->name,
				      d->type->name);
		} else if (schema_string(src, spath, &s) == 0) {
			d->source = xstrdup(s);
			d->source_pos = src->pos;
			char *full = path_join(c->dir, s);
			if (!is_dir(full))
				rc = error_at(&src->pos,
					      "device '%s': source '%s' is not a directory",
					      d->name, s);
			free(full);
		} else {
			rc = -1;
		}
		free(spath);
	}
	free(path);
	return rc;
}

static int parse_devices(struct config *c, const struct ynode *node)
{
	if (schema_expect(node, "devices", YNODE_MAP) < 0)
		return -1;
	c->devices = xcalloc(node->n, sizeof(*c->devices));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++) {
		if (parse_device(c, &c->devices[c->ndevices++], node->keys[i], node->items[i]) < 0)
			rc = -1;
	}
	/* `after` must name declared devices */
	for (size_t i = 0; i < c->ndevices; i++) {
		struct device *d = &c->devices[i];
		for (size_t j = 0; j < d->after.len; j++) {
			const char *dep = d->after.items[j];
			if (config_device(c, dep))
				continue;
			const char **names = xcalloc(c->ndevices + 1, sizeof(*names));
			for (size_t k = 0; k < c->ndevices; k++)
				names[k] = c->devices[k].name;
			const char *hint = str_suggest(dep, names, c->ndevices);
			if (hint)
				rc = error_at(
				    &d->after_pos[j],
				    "device '%s': after '%s': no such device (did you mean "
				    "'%s'?)",
				    d->name, dep, hint);
			else
				rc = error_at(&d->after_pos[j],
					      "device '%s': after '%s': no such device", d->name,
					      dep);
			free(names);
		}
	}
	return rc;
}

static int parse_arg(struct arg *a, const struct ynode *key, const struct ynode *spec)
{
	int rc = 0;
	a->name = key->str;
	a->pos = key->pos;
	if (check_c_name(key, "argument") < 0)
		rc = -1;
	else if (!strcmp(key->str, "help"))
		rc = error_at(&key->pos, "argument name 'help' is reserved (--help lists the "
					 "arguments)");
	char *path = schema_path("arguments", key->str);
	if (spec->kind == YNODE_MAP && schema_known_keys(spec, path, arg_keys) < 0)
		rc = -1;
	const struct ynode *type = spec_type(spec, path, "an argument");
	if (!type) {
		free(path);
		return -1;
	}
	char *owner = xasprintf("argument '%s'", key->str);
	char *tpath = spec == type ? xstrdup(path) : schema_path(path, "type");
	int t = find_type(type, tpath, owner, arg_types);
	bool typed = t >= 0;
	if (typed)
		a->type = (enum arg_type)t;
	else
		rc = -1;
	free(tpath);
	free(owner);
	if (spec->kind == YNODE_MAP) {
		const struct ynode *doc = ynode_get(spec, "doc");
		char *dpath = schema_path(path, "doc");
		if (doc && schema_string(doc, dpath, &a->doc) < 0)
			rc = -1;
		free(dpath);
		const struct ynode *def = ynode_get(spec, "default");
		char *fpath = schema_path(path, "default");
		if (def && typed) {
			int r = 0;
			switch (a->type) {
			case ARG_STRING:
				if (def->kind == YNODE_SCALAR &&
				    !(def->plain && !strcmp(def->str, "~")))
					a->def_string = def->str;
				else
					r = schema_string(def, fpath, &a->def_string);
				break;
			case ARG_INT:
				r = schema_int(def, fpath, &a->def_int);
				break;
			case ARG_BOOL:
				r = schema_bool(def, fpath, &a->def_bool);
				break;
			}
			if (r < 0)
				rc = -1;
			else
				a->has_default = true;
		}
		free(fpath);
	}
	free(path);
	return rc;
}

static int parse_args(struct config *c, const struct ynode *node)
{
	if (schema_expect(node, "arguments", YNODE_MAP) < 0)
		return -1;
	c->args = xcalloc(node->n, sizeof(*c->args));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++)
		if (parse_arg(&c->args[c->nargs++], node->keys[i], node->items[i]) < 0)
			rc = -1;
	return rc;
}

static int parse_fetch(struct fetch *f, const struct ynode *spec, size_t index)
{
	static const char *const keys[] = {"url", "sha256", "sources", "include", NULL};
	char *path = xasprintf("fetch[%zu]", index);
	f->pos = spec->pos;
	int rc = 0;
	if (schema_expect(spec, path, YNODE_MAP) < 0) {
		free(path);
		return -1;
	}
	if (schema_known_keys(spec, path, keys) < 0)
		rc = -1;
	const struct ynode *n;
	char *kp;
	if (!(n = ynode_get(spec, "url"))) {
		rc = error_at(&spec->pos, "%s: missing required key 'url'", path);
	} else {
		kp = schema_path(path, "url");
		if (schema_string(n, kp, &f->url) < 0)
			rc = -1;
		else if (!str_starts(f->url, "https://") && !str_starts(f->url, "http://") &&
			 !str_starts(f->url, "ftp://") && !str_starts(f->url, "file://"))
			rc = error_at(&n->pos, "%s: '%s' is not an http, https, ftp or file URL",
				      kp, f->url);
		f->url_pos = n->pos;
		free(kp);
	}
	if (!(n = ynode_get(spec, "sha256"))) {
		rc = error_at(&spec->pos,
			      "%s: missing required key 'sha256' (the archive's digest)", path);
	} else {
		kp = schema_path(path, "sha256");
		if (schema_string(n, kp, &f->sha256) < 0) {
			rc = -1;
		} else {
			bool hex = strlen(f->sha256) == 64;
			for (const char *q = f->sha256; hex && *q; q++)
				hex = (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f');
			if (!hex)
				rc = error_at(&n->pos, "%s: expected 64 lowercase hex digits", kp);
		}
		f->sha256_pos = n->pos;
		free(kp);
	}
	if (!(n = ynode_get(spec, "sources"))) {
		rc = error_at(&spec->pos, "%s: missing required key 'sources'", path);
	} else {
		kp = schema_path(path, "sources");
		if (schema_strings(n, kp, &f->sources) < 0) {
			strlist_release(&f->sources);
			rc = -1;
		} else {
			f->sources_pos = xcalloc(f->sources.len + 1, sizeof(*f->sources_pos));
			for (size_t i = 0; i < f->sources.len; i++)
				f->sources_pos[i] =
				    n->kind == YNODE_SEQ ? n->items[i]->pos : n->pos;
			if (f->sources.len == 0)
				rc = error_at(&n->pos, "%s: at least one source is required", kp);
		}
		free(kp);
	}
	if ((n = ynode_get(spec, "include"))) {
		kp = schema_path(path, "include");
		if (schema_strings(n, kp, &f->include) < 0)
			rc = -1;
		free(kp);
	}
	free(path);
	return rc;
}

static int parse_fetches(struct config *c, const struct ynode *node)
{
	if (schema_expect(node, "fetch", YNODE_SEQ) < 0)
		return -1;
	c->fetches = xcalloc(node->n ? node->n : 1, sizeof(*c->fetches));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++)
		if (parse_fetch(&c->fetches[c->nfetches++], node->items[i], i) < 0)
			rc = -1;
	return rc;
}

static int parse_targets(struct config *c, const struct ynode *node)
{
	if (schema_strings(node, "targets", &c->targets) < 0)
		return -1;
	c->targets_pos = xcalloc(c->targets.len, sizeof(*c->targets_pos));
	for (size_t i = 0; i < c->targets.len; i++)
		c->targets_pos[i] = node->kind == YNODE_SEQ ? node->items[i]->pos : node->pos;
	return 0;
}

static int validate(struct config *c)
{
	const struct ynode *root = c->yaml.root;
	if (!root) {
		struct pos p = {c->yaml.file, 1, 1};
		return error_at(&p, "the description is empty (it needs at least 'name' and "
				    "'sources')");
	}
	if (schema_expect(root, "", YNODE_MAP) < 0)
		return -1;
	int rc = schema_known_keys(root, "", top_keys);

	const struct ynode *n = ynode_get(root, "version");
	int64_t version;
	if (n && schema_int(n, "version", &version) == 0 && version != 1)
		rc = error_at(&n->pos,
			      "version: format version %lld is not supported (this "
			      "mirage reads version 1)",
			      (long long)version);
	else if (n && n->kind != YNODE_SCALAR)
		rc = -1;

	n = ynode_get(root, "name");
	if (!n) {
		rc = error_at(&root->pos, "missing required key 'name'");
	} else if (schema_string(n, "name", &c->name) < 0) {
		rc = -1;
	} else {
		c->name_pos = n->pos;
		if (!valid_name(c->name, true))
			rc = error_at(&n->pos,
				      "name: '%s' is not valid (lowercase letters, digits, '_' and "
				      "'-', starting with a letter, at most %d characters)",
				      c->name, NAME_MAX_LEN);
	}

	n = ynode_get(root, "sources");
	if (!n)
		rc = error_at(&root->pos, "missing required key 'sources'");
	else if (expand_sources(c, n) < 0)
		rc = -1;

	if ((n = ynode_get(root, "include")) && check_dirs(c, n, "include", &c->include) < 0)
		rc = -1;
	if ((n = ynode_get(root, "cflags")) && schema_strings(n, "cflags", &c->cflags) < 0)
		rc = -1;
	if ((n = ynode_get(root, "devices")) && parse_devices(c, n) < 0)
		rc = -1;
	if ((n = ynode_get(root, "arguments")) && parse_args(c, n) < 0)
		rc = -1;
	if ((n = ynode_get(root, "fetch")) && parse_fetches(c, n) < 0)
		rc = -1;
	if ((n = ynode_get(root, "images"))) {
		if (schema_strings(n, "images", &c->images) < 0) {
			rc = -1;
		} else {
			c->images_pos = xcalloc(c->images.len, sizeof(*c->images_pos));
			for (size_t i = 0; i < c->images.len; i++) {
				const char *k = c->images.items[i];
				c->images_pos[i] = n->kind == YNODE_SEQ ? n->items[i]->pos : n->pos;
				bool known = false;
				for (size_t j = 0; image_kinds[j]; j++)
					known |= !strcmp(image_kinds[j], k);
				const char *hint = known ? NULL : str_suggest(k, image_kinds, 4);
				if (!known && hint)
					rc = error_at(
					    &c->images_pos[i],
					    "images: unknown image '%s' (did you mean '%s'?)", k,
					    hint);
				else if (!known)
					rc = error_at(
					    &c->images_pos[i],
					    "images: unknown image '%s' (known: kernel, iso, "
					    "disk)",
					    k);
			}
		}
	}
	if ((n = ynode_get(root, "targets"))) {
		c->targets_key_pos = n->pos;
		if (parse_targets(c, n) < 0)
			rc = -1;
	}
	/* a device and an argument share no namespace in C, but one name for two
	 * things is a likely mistake in --help and the manifest: keep them apart */
	for (size_t i = 0; i < c->nargs; i++)
		if (config_device(c, c->args[i].name))
			rc = error_at(&c->args[i].pos, "argument '%s' has the name of a device",
				      c->args[i].name);
	return rc;
}

int config_parse(struct config *c, const char *path, const char *buf, size_t len, const char *dir)
{
	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	c->dir = xstrdup(dir);
	if (ydoc_parse(&c->yaml, path, buf, len) < 0) {
		config_release(c);
		return -1;
	}
	diag_hold();
	int rc = validate(c);
	diag_release_sorted();
	if (rc < 0) {
		config_release(c);
		return -1;
	}
	return 0;
}

int config_load(struct config *c, const char *path)
{
	size_t len;
	char *buf = file_read(path, &len);
	if (!buf) {
		memset(c, 0, sizeof(*c));
		return error("cannot read the description %s:", path);
	}
	char *dir = path_dirname(path);
	int rc = config_parse(c, path, buf, len, dir);
	free(dir);
	free(buf);
	return rc;
}

void config_release(struct config *c)
{
	for (size_t i = 0; i < c->ndevices; i++) {
		free(c->devices[i].source);
		strlist_release(&c->devices[i].after);
		free(c->devices[i].after_pos);
	}
	free(c->devices);
	free(c->args);
	for (size_t i = 0; i < c->nfetches; i++) {
		strlist_release(&c->fetches[i].sources);
		strlist_release(&c->fetches[i].include);
		free(c->fetches[i].sources_pos);
	}
	free(c->fetches);
	strlist_release(&c->sources);
	strlist_release(&c->include);
	strlist_release(&c->cflags);
	strlist_release(&c->targets);
	free(c->targets_pos);
	strlist_release(&c->images);
	free(c->images_pos);
	ydoc_release(&c->yaml);
	free(c->path);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}

const struct device *config_device(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->ndevices; i++)
		if (!strcmp(c->devices[i].name, name))
			return &c->devices[i];
	return NULL;
}
