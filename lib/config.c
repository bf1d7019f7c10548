/* config.c: reads mirage.yaml into the model of config.h and checks it. */
#include "config.h"

#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "mirage_note.h"
#include "mirage_rt.h"
#include "schema.h"

static const char *const top_keys[] = {"version", "name",   "sources", "include",
				       "cflags",  "libs",   "devices", "arguments",
				       "targets", "images", "fetch",   NULL};
static const char *const arg_keys[] = {"type", "default", "doc", NULL};
static const char *const arg_types[] = {"string", "int", "bool", NULL};

/* the manifest note holds names of MIRAGE_NAME_MAX bytes, NUL included */
#define NAME_MAX_LEN (MIRAGE_NAME_MAX - 1)

/* The build directories live here; globs and kv_ro sources never look in it. */
#define BUILD_DIR "_build"

/* Names that cannot be fields of the generated structs, with why. */
static const struct {
	const char *name, *why;
} reserved[] = {
#define KEYWORD(w) {w, "a C keyword"},
    KEYWORD("auto") KEYWORD("break") KEYWORD("case") KEYWORD("char") KEYWORD("const") KEYWORD(
	"continue") KEYWORD("default") KEYWORD("do") KEYWORD("double") KEYWORD("else")
	KEYWORD("enum") KEYWORD("extern") KEYWORD("float") KEYWORD("for") KEYWORD("goto") KEYWORD(
	    "if") KEYWORD("inline") KEYWORD("int") KEYWORD("long") KEYWORD("register")
	    KEYWORD("restrict") KEYWORD("return") KEYWORD("short") KEYWORD("signed") KEYWORD(
		"sizeof") KEYWORD("static") KEYWORD("struct") KEYWORD("switch") KEYWORD("typedef")
		KEYWORD("union") KEYWORD("unsigned") KEYWORD("void") KEYWORD("volatile")
		    KEYWORD("while") KEYWORD("asm") KEYWORD("typeof") KEYWORD("typeof_unqual")
			KEYWORD("bool") KEYWORD("true") KEYWORD("false") KEYWORD("nullptr")
			    KEYWORD("constexpr") KEYWORD("static_assert") KEYWORD("thread_local")
				KEYWORD("alignas") KEYWORD("alignof")
#undef KEYWORD
				    {"linux", "a macro the compiler predefines (as 1) on Linux"},
    {"unix", "a macro the compiler predefines (as 1) on Linux"},
    {"i386", "a macro the compiler predefines on 32-bit x86"},
    {"errno", "a macro of the C library (errno.h)"},
    {"assert", "a macro of the C library (assert.h)"},
    {"stdin", "a macro of the C library (stdio.h)"},
    {"stdout", "a macro of the C library (stdio.h)"},
    {"stderr", "a macro of the C library (stdio.h)"},
    {"noreturn", "a macro of the C library (stdnoreturn.h)"},
    {"complex", "a macro of the C library (complex.h)"},
    {"imaginary", "a macro of the C library (complex.h)"},
    {"math_errhandling", "a macro of the C library (math.h)"},
    {"offsetof", "a macro of the C library (stddef.h)"},
    {"setjmp", "a macro of the C library (setjmp.h)"},
    {"va_arg", "a macro of the C library (stdarg.h)"},
    {"va_copy", "a macro of the C library (stdarg.h)"},
    {"va_end", "a macro of the C library (stdarg.h)"},
    {"va_start", "a macro of the C library (stdarg.h)"},
};

const char *config_reserved(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++)
		if (!strcmp(name, reserved[i].name))
			return reserved[i].why;
	return NULL;
}

/* Compiler flags a description may not give unless the user allows it
 * (--allow-unsafe-flags): by prefix. */
static const struct {
	const char *prefix, *why;
} unsafe_flags[] = {
    {"-wrapper", "runs a program of its choice around every compiler pass"},
    {"-fplugin", "loads a compiler plugin"},
    {"-iplugindir", "chooses where compiler plugins are loaded from"},
    {"-specs", "reads a specs file, which can run any program"},
    {"--specs", "reads a specs file, which can run any program"},
    {"-B", "chooses where the compiler's own programs are taken from"},
    {"@", "reads more options from a file"},
    {"-Wa,", "passes options to the assembler (which can write files)"},
    {"-Xassembler", "passes options to the assembler (which can write files)"},
    {"-Wp,", "passes options to the preprocessor (which can write files)"},
    {"-Xpreprocessor", "passes options to the preprocessor (which can write files)"},
    {"-Wl,", "passes options to the linker (cflags are the compiler's)"},
    {"-Xlinker", "passes options to the linker (cflags are the compiler's)"},
    {"-o", "names the output (the tool does)"},
    {"-M", "writes dependency files (the tool does)"},
    {"-save-temps", "writes files beside the sources"},
    {"-fdump-", "writes files of its choice"},
    {"-dumpdir", "writes files of its choice"},
    {"-dumpbase", "writes files of its choice"},
    {"-aux-info", "writes a file of its choice"},
};

const char *config_unsafe_flag(const char *flag)
{
	for (size_t i = 0; i < ARRAY_SIZE(unsafe_flags); i++)
		if (str_starts(flag, unsafe_flags[i].prefix))
			return unsafe_flags[i].why;
	return NULL;
}

static int check_flags(const struct strlist *flags, const struct pos *pos, const char *path,
		       const struct config_env *env)
{
	int rc = 0;
	for (size_t i = 0; i < flags->len && !(env && env->allow_unsafe_flags); i++) {
		const char *why = config_unsafe_flag(flags->items[i]);
		if (why)
			rc = error_at(&pos[i],
				      "%s: '%s' %s: refused (--allow-unsafe-flags allows it)", path,
				      flags->items[i], why);
	}
	return rc;
}

const char *arg_type_name(enum arg_type type)
{
	return arg_types[type];
}

static bool valid_name(const char *s, bool dash)
{
	return str_is_name(s, dash, NAME_MAX_LEN);
}

static int check_c_name(const struct ynode *key, const char *what)
{
	if (!valid_name(key->str, false))
		return error_at(&key->pos,
				"%s name '%s' is not valid (lowercase letters, digits and '_', "
				"starting with a letter, at most %d characters)",
				what, key->str, NAME_MAX_LEN);
	const char *why = config_reserved(key->str);
	if (why)
		return error_at(&key->pos, "%s name '%s' is reserved: it is %s", what, key->str,
				why);
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

/* Whether a relative path has a ".." component. */
static bool climbs(const char *p)
{
	for (const char *s = p; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return true;
		s += n;
		while (*s == '/')
			s++;
	}
	return false;
}

/* A path the description names, relative to `base` ("the description",
 * "the archive"): not absolute and without "..". Returns 0 or -1 (recorded
 * at pos). */
static int check_relative(const struct pos *pos, const char *what, const char *p, const char *base)
{
	if (*p == '/')
		return error_at(pos, "%s: '%s' is an absolute path: paths are relative to %s", what,
				p, base);
	if (climbs(p))
		return error_at(pos, "%s: '%s' leaves %s ('..')", what, p, base);
	return 0;
}

/* "rel" with ./ and repeated slashes removed, so that "a.c", "./a.c" and
 * ".//a.c" are one file. Returns a new string. */
static char *normal_path(const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *s = rel; *s;) {
		size_t n = strcspn(s, "/");
		if (n && !(n == 1 && s[0] == '.')) {
			if (sb.len)
				strbuf_addc(&sb, '/');
			strbuf_add(&sb, s, n);
		}
		s += n;
		while (*s == '/')
			s++;
	}
	return sb.len ? strbuf_detach(&sb) : (strbuf_release(&sb), xstrdup("."));
}

/* Whether dir/rel, resolved (links followed), lies inside the project. */
static bool resolves_inside(const struct config *c, const char *rel)
{
	char *full = path_join(c->dir, rel);
	char *real = realpath(full, NULL);
	free(full);
	if (!real)
		return true; /* does not exist: reported as such */
	size_t n = strlen(c->realdir);
	bool inside = !strncmp(real, c->realdir, n) &&
		      (real[n] == '/' || real[n] == '\0' || !strcmp(c->realdir, "/"));
	free(real);
	return inside;
}

static bool in_build_dir(const char *rel)
{
	return !strcmp(rel, BUILD_DIR) || str_starts(rel, BUILD_DIR "/");
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
	struct strmap seen = STRMAP_INIT;
	int rc = 0;
	for (size_t i = 0; i < patterns.len; i++) {
		const struct ynode *item = node->kind == YNODE_SEQ ? node->items[i] : node;
		char *pat = normal_path(patterns.items[i]);
		if (check_relative(&item->pos, "sources", patterns.items[i], "the description") <
		    0) {
			rc = -1;
			free(pat);
			continue;
		}
		char *full = path_join(c->dir, pat);
		size_t prefix = strlen(full) - strlen(pat);
		glob_t g;
		int grc = glob(full, 0, NULL, &g);
		size_t found = 0;
		if (grc == 0) {
			for (size_t j = 0; j < g.gl_pathc; j++) {
				const char *rel = g.gl_pathv[j] + prefix;
				if (in_build_dir(rel) && has_glob_chars(pat))
					continue; /* the build's own files are never sources */
				found++;
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
				if (!resolves_inside(c, rel)) {
					rc = error_at(&item->pos,
						      "sources: '%s' is a link that leaves the "
						      "description's directory",
						      rel);
					continue;
				}
				if (strmap_get(&seen, rel, NULL))
					continue;
				strlist_push(&c->sources, rel);
				strmap_add(&seen, c->sources.items[c->sources.len - 1], 0);
			}
		}
		if (grc == GLOB_NOMATCH || (grc == 0 && found == 0)) {
			if (has_glob_chars(pat))
				rc = error_at(&item->pos, "sources: '%s' matches no file", pat);
			else
				rc = error_at(&item->pos, "sources: '%s' does not exist", pat);
		} else if (grc != 0) {
			rc = error_at(&item->pos, "sources: cannot expand '%s'", pat);
		}
		if (grc == 0)
			globfree(&g);
		free(full);
		free(pat);
	}
	strmap_release(&seen);
	strlist_release(&patterns);
	return rc;
}

/* A directory of the project: relative, inside, existing. */
static int check_dir(struct config *c, const struct pos *pos, const char *what, const char *rel)
{
	if (check_relative(pos, what, rel, "the description") < 0)
		return -1;
	char *full = path_join(c->dir, rel);
	int rc = 0;
	if (!is_dir(full))
		rc = error_at(pos, "%s: '%s' is not a directory", what, rel);
	else if (!resolves_inside(c, rel))
		rc = error_at(pos, "%s: '%s' is a link that leaves the description's directory",
			      what, rel);
	free(full);
	return rc;
}

/* libs: archives and objects of the project, linked after the unikernel's
 * objects and before the target's libraries. "-lm" and "-lc" name what
 * every unikernel links already; no other library of the host can be. */
static int parse_libs(struct config *c, const struct ynode *node)
{
	struct strlist all = STRLIST_INIT;
	if (schema_strings(node, "libs", &all) < 0) {
		strlist_release(&all);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < all.len; i++) {
		const struct pos *pos = node->kind == YNODE_SEQ ? &node->items[i]->pos : &node->pos;
		const char *lib = all.items[i];
		if (!strcmp(lib, "-lm") || !strcmp(lib, "-lc"))
			continue;
		if (str_starts(lib, "-l")) {
			rc = error_at(
			    pos,
			    "libs: '%s': a unikernel links no library of the host (it is "
			    "freestanding): name an archive of the project (lib%s.a), or build "
			    "the library from its sources (fetch: in mirage.yaml)",
			    lib, lib + 2);
			continue;
		}
		if (lib[0] == '-') {
			rc = error_at(pos,
				      "libs: '%s' is a flag: libs names archives (.a) and objects "
				      "(.o) of the project",
				      lib);
			continue;
		}
		if (check_relative(pos, "libs", lib, "the description") < 0) {
			rc = -1;
			continue;
		}
		char *full = path_join(c->dir, lib);
		if (!str_ends(lib, ".a") && !str_ends(lib, ".o"))
			rc = error_at(pos, "libs: '%s' is not an archive (.a) or an object (.o)",
				      lib);
		else if (!is_file(full))
			rc = error_at(pos, "libs: '%s' does not exist", lib);
		else if (!resolves_inside(c, lib))
			rc = error_at(pos,
				      "libs: '%s' is a link that leaves the description's "
				      "directory",
				      lib);
		else
			strlist_push_owned(&c->libs, normal_path(lib));
		free(full);
	}
	strlist_release(&all);
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
		if (check_dir(c, &item->pos, path, out->items[i]) < 0)
			rc = -1;
	}
	return rc;
}

/* The positions of the items of a string-or-list node that gave n strings. */
static struct pos *item_positions(const struct ynode *node, size_t n)
{
	struct pos *pos = xcalloc(n + 1, sizeof(*pos));
	for (size_t i = 0; i < n; i++)
		pos[i] = node->kind == YNODE_SEQ ? node->items[i]->pos : node->pos;
	return pos;
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
	if (schema_word(node, path, &name) < 0)
		return -1;
	for (size_t n = 0; names[n]; n++)
		if (!strcmp(name, names[n]))
			return (int)n;
	char *hint = suggestion(name, names, 0);
	error_at(&node->pos, "%s: type '%s' is unknown (%s)", owner, name, hint);
	free(hint);
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
	if (find_type(type, tpath, owner, devtype_names()) < 0) {
		rc = -1;
	} else {
		d->type_pos = type->pos;
		d->type = devtype_find(type->str);
	}
	free(tpath);
	free(owner);
	bool with_source = d->type && d->type->init_arg == DEVTYPE_INIT_SOURCE;
	bool with_link = d->type && d->type->init_arg == DEVTYPE_INIT_STACK;
	if (spec->kind == YNODE_MAP) {
		static const char *const source_keys[] = {"type", "source", "after", NULL};
		static const char *const link_keys[] = {"type", "network", "after", NULL};
		static const char *const plain[] = {"type", "after", NULL};
		if (schema_known_keys(spec, path,
				      with_source ? source_keys
				      : with_link ? link_keys
						  : plain) < 0)
			rc = -1;
		const struct ynode *after = ynode_get(spec, "after");
		if (after) {
			char *apath = schema_path(path, "after");
			if (schema_strings(after, apath, &d->after) < 0) {
				strlist_release(&d->after); /* no half lists */
				rc = -1;
			} else if (d->after.len > MIRAGE_MAX_DEVICES) {
				strlist_release(&d->after);
				rc = error_at(&after->pos,
					      "%s: more names than devices (%d at most)", apath,
					      MIRAGE_MAX_DEVICES);
			} else {
				d->after_pos = item_positions(after, d->after.len);
			}
			free(apath);
		}
	}
	if (with_link) {
		const struct ynode *net = ynode_get(spec, "network");
		char *npath = schema_path(path, "network");
		if (!net)
			rc = error_at(&spec->pos,
				      "device '%s': a %s device needs 'network: DEVICE' (a network "
				      "device of the description)",
				      d->name, d->type->name);
		else if (schema_word(net, npath, &d->link) == 0)
			d->link_pos = net->pos;
		else
			rc = -1;
		free(npath);
	}
	if (with_source) {
		const struct ynode *src = ynode_get(spec, "source");
		const char *s;
		char *spath = schema_path(path, "source");
		if (!src) {
			rc = error_at(&spec->pos,
				      "device '%s': a %s device needs 'source: DIRECTORY'", d->name,
				      d->type->name);
		} else if (schema_word(src, spath, &s) == 0) {
			d->source = normal_path(s);
			d->source_pos = src->pos;
			char *what = xasprintf("device '%s': source", d->name);
			if (check_dir(c, &src->pos, what, s) < 0)
				rc = -1;
			free(what);
		} else {
			rc = -1;
		}
		free(spath);
	}
	free(path);
	return rc;
}

enum { WHITE, GREY, BLACK };

/* Depth-first search for a cycle through `after`; reports it once, at the
 * device where it closes, with the whole path. */
static int find_cycle(const struct config *c, size_t i, int *color, size_t *path, size_t depth)
{
	color[i] = GREY;
	path[depth] = i;
	const struct device *d = &c->devices[i];
	for (size_t k = 0; k < d->after.len; k++) {
		size_t j = d->after_index[k];
		if (j == SIZE_MAX)
			continue;
		if (color[j] == GREY) {
			struct strbuf sb = STRBUF_INIT;
			size_t start = depth;
			while (path[start] != j)
				start--;
			for (size_t m = start; m <= depth; m++)
				strbuf_addf(&sb, "'%s' -> ", c->devices[path[m]].name);
			strbuf_addf(&sb, "'%s'", c->devices[j].name);
			error_at(&d->after_pos[k], "device '%s': cycle in 'after': %s", d->name,
				 sb.buf);
			strbuf_release(&sb);
			return -1;
		}
		if (color[j] == WHITE && find_cycle(c, j, color, path, depth + 1) < 0)
			return -1;
	}
	color[i] = BLACK;
	return 0;
}

static int parse_devices(struct config *c, const struct ynode *node)
{
	if (schema_expect(node, "devices", YNODE_MAP) < 0)
		return -1;
	if (node->n > MIRAGE_MAX_DEVICES)
		return error_at(&node->pos, "devices: %zu devices (a unikernel has at most %d)",
				node->n, MIRAGE_MAX_DEVICES);
	c->devices = xcalloc(node->n, sizeof(*c->devices));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++) {
		if (parse_device(c, &c->devices[c->ndevices++], node->keys[i], node->items[i]) < 0)
			rc = -1;
		strmap_add(&c->device_index, c->devices[i].name, i);
	}
	/* `after` must name declared devices */
	const char **names = xcalloc(c->ndevices + 1, sizeof(*names));
	for (size_t k = 0; k < c->ndevices; k++)
		names[k] = c->devices[k].name;
	for (size_t i = 0; i < c->ndevices; i++) {
		struct device *d = &c->devices[i];
		d->after_index = xcalloc(d->after.len + 1, sizeof(*d->after_index));
		for (size_t j = 0; j < d->after.len; j++) {
			const char *dep = d->after.items[j];
			if (strmap_get(&c->device_index, dep, &d->after_index[j]))
				continue;
			d->after_index[j] = SIZE_MAX;
			char *hint = suggestion(dep, names, c->ndevices);
			rc = error_at(&d->after_pos[j],
				      "device '%s': after '%s': no such device (%s)", d->name, dep,
				      hint);
			free(hint);
		}
	}
	/* a tcpip device's network: a network device, initialised before it */
	for (size_t i = 0; i < c->ndevices; i++) {
		struct device *d = &c->devices[i];
		if (!d->link)
			continue;
		size_t k;
		if (!strmap_get(&c->device_index, d->link, &k)) {
			char *hint = suggestion(d->link, names, c->ndevices);
			rc =
			    error_at(&d->link_pos, "device '%s': network '%s': no such device (%s)",
				     d->name, d->link, hint);
			free(hint);
			d->link = NULL;
			continue;
		}
		const struct devtype *net = devtype_find("network");
		if (c->devices[k].type && c->devices[k].type != net) {
			rc = error_at(
			    &d->link_pos,
			    "device '%s': network '%s' is a %s device, not a network device",
			    d->name, d->link, c->devices[k].type->name);
			d->link = NULL;
			continue;
		}
		d->link_index = k;
		if (!strlist_has(&d->after, d->link)) {
			strlist_push(&d->after, d->link);
			d->after_pos = xrealloc(d->after_pos, d->after.len * sizeof(*d->after_pos));
			d->after_pos[d->after.len - 1] = d->link_pos;
			d->after_index =
			    xrealloc(d->after_index, (d->after.len + 1) * sizeof(size_t));
			d->after_index[d->after.len - 1] = k;
		}
	}
	free(names);
	int *color = xcalloc(c->ndevices, sizeof(*color));
	size_t *path = xcalloc(c->ndevices + 1, sizeof(*path));
	for (size_t i = 0; i < c->ndevices; i++)
		if (color[i] == WHITE && find_cycle(c, i, color, path, 0) < 0) {
			rc = -1;
			break;
		}
	free(path);
	free(color);
	return rc;
}

static int parse_default(struct arg *a, const struct ynode *def, const char *fpath)
{
	switch (a->type) {
	case ARG_STRING:
		/* "" is a string; a plain empty value, ~ or null is none */
		if (def->kind == YNODE_SCALAR && !def->plain && !def->len) {
			a->def_string = def->str;
			return 0;
		}
		return schema_string(def, fpath, &a->def_string);
	case ARG_INT:
		return schema_int(def, fpath, &a->def_int);
	case ARG_BOOL:
		return schema_bool(def, fpath, &a->def_bool);
	}
	return -1;
}

static int parse_arg(struct arg *a, const struct ynode *key, const struct ynode *spec)
{
	int rc = 0;
	a->name = key->str;
	a->field = key->str;
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
			if (parse_default(a, def, fpath) < 0)
				rc = -1;
			else
				a->has_default = true;
		}
		free(fpath);
	}
	free(path);
	return rc;
}

/* The boot arguments of each tcpip device N: --N-ipv4=ADDR/PREFIX and
 * --N-gateway=ADDR, strings with the default "" (DHCP; no gateway). */
static int add_stack_args(struct config *c)
{
	int rc = 0;
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		if (!d->type || d->type->init_arg != DEVTYPE_INIT_STACK)
			continue;
		static const char *const what[][2] = {
		    {"ipv4", "the address and prefix length, A.B.C.D/N (default: from DHCP)"},
		    {"gateway", "the gateway's address (default: from DHCP, else none)"}};
		for (size_t k = 0; k < ARRAY_SIZE(what); k++) {
			char *name = xasprintf("%s-%s", d->name, what[k][0]);
			char *field = xasprintf("%s_%s", d->name, what[k][0]);
			for (size_t j = 0; j < c->nargs; j++)
				if (!strcmp(c->args[j].name, field) ||
				    !strcmp(c->args[j].name, name))
					rc = error_at(
					    &c->args[j].pos,
					    "argument '%s' is the name of the boot argument "
					    "--%s of the tcpip device '%s'",
					    c->args[j].name, name, d->name);
			if (c->nargs == MIRAGE_MAX_ARGUMENTS) {
				rc = error_at(&d->pos, "device '%s': more than %d boot arguments",
					      d->name, MIRAGE_MAX_ARGUMENTS);
				free(name);
				free(field);
				break;
			}
			c->args = xrealloc(c->args, (c->nargs + 1) * sizeof(*c->args));
			struct arg *a = &c->args[c->nargs++];
			memset(a, 0, sizeof(*a));
			a->name = name;
			a->field = field;
			a->type = ARG_STRING;
			a->has_default = true;
			a->def_string = "";
			a->doc = what[k][1];
			a->pos = d->pos;
			a->device = d->name;
			strlist_push_owned(&c->made, name);
			strlist_push_owned(&c->made, field);
		}
	}
	return rc;
}

static int parse_args(struct config *c, const struct ynode *node)
{
	if (schema_expect(node, "arguments", YNODE_MAP) < 0)
		return -1;
	if (node->n > MIRAGE_MAX_ARGUMENTS)
		return error_at(&node->pos, "arguments: %zu arguments (a unikernel has at most %d)",
				node->n, MIRAGE_MAX_ARGUMENTS);
	c->args = xcalloc(node->n, sizeof(*c->args));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++)
		if (parse_arg(&c->args[c->nargs++], node->keys[i], node->items[i]) < 0)
			rc = -1;
	return rc;
}

/* Patterns and directories inside a fetched archive stay inside it. */
static int fetch_paths(const struct ynode *n, const char *path, struct strlist *out,
		       struct pos **positions)
{
	if (schema_strings(n, path, out) < 0) {
		strlist_release(out);
		return -1;
	}
	int rc = 0;
	struct pos *pos = item_positions(n, out->len);
	for (size_t i = 0; i < out->len; i++)
		if (check_relative(&pos[i], path, out->items[i], "the archive") < 0)
			rc = -1;
	if (positions)
		*positions = pos;
	else
		free(pos);
	return rc;
}

/* A file:// URL (without a host) naming a file in the project. */
static bool file_url_inside(const struct config *c, const char *url)
{
	const char *path = url + 7;
	if (*path != '/' || strchr(path, '%') || strchr(path, '?') || strchr(path, '#'))
		return false;
	/* the file may not exist (yet): its directory must, inside */
	char *dir = path_dirname(path);
	char *real = realpath(dir, NULL);
	bool inside = real && path_under(real, c->realdir) && !climbs(path_basename(path));
	free(real);
	free(dir);
	if (inside && (real = realpath(path, NULL))) { /* and a link must not leave */
		inside = path_under(real, c->realdir);
		free(real);
	}
	return inside;
}

static int parse_fetch(struct config *c, struct fetch *f, const struct ynode *spec, size_t index,
		       const struct config_env *env)
{
	static const char *const keys[] = {"url", "sha256", "sources", "include", "cflags", NULL};
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
		if (schema_word(n, kp, &f->url) < 0)
			rc = -1;
		else if (!str_starts(f->url, "https://") && !str_starts(f->url, "http://") &&
			 !str_starts(f->url, "ftp://") && !str_starts(f->url, "file://"))
			rc = error_at(&n->pos, "%s: '%s' is not an http, https, ftp or file URL",
				      kp, f->url);
		else if (str_starts(f->url, "file://") && !file_url_inside(c, f->url))
			rc = error_at(&n->pos,
				      "%s: '%s' names a file outside the description's directory",
				      kp, f->url);
		f->url_pos = n->pos;
		free(kp);
	}
	if (!(n = ynode_get(spec, "sha256"))) {
		rc = error_at(&spec->pos,
			      "%s: missing required key 'sha256' (the archive's digest)", path);
	} else {
		kp = schema_path(path, "sha256");
		if (schema_word(n, kp, &f->sha256) < 0) {
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
		if (fetch_paths(n, kp, &f->sources, &f->sources_pos) < 0)
			rc = -1;
		else if (f->sources.len == 0)
			rc = error_at(&n->pos, "%s: at least one source is required", kp);
		free(kp);
	}
	if ((n = ynode_get(spec, "include"))) {
		kp = schema_path(path, "include");
		if (fetch_paths(n, kp, &f->include, NULL) < 0)
			rc = -1;
		free(kp);
	}
	if ((n = ynode_get(spec, "cflags"))) {
		kp = schema_path(path, "cflags");
		if (schema_strings(n, kp, &f->cflags) < 0)
			rc = -1;
		else if (f->cflags_pos = item_positions(n, f->cflags.len),
			 check_flags(&f->cflags, f->cflags_pos, kp, env) < 0)
			rc = -1;
		free(kp);
	}
	free(path);
	return rc;
}

static int parse_fetches(struct config *c, const struct ynode *node, const struct config_env *env)
{
	if (schema_expect(node, "fetch", YNODE_SEQ) < 0)
		return -1;
	c->fetches = xcalloc(node->n ? node->n : 1, sizeof(*c->fetches));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++)
		if (parse_fetch(c, &c->fetches[c->nfetches++], node->items[i], i, env) < 0)
			rc = -1;
	return rc;
}

/* A target name of the description: one of the installed targets. */
static int check_target_name(const struct config_env *env, const struct pos *pos, const char *path,
			     const char *name)
{
	if (!env || !env->targets || strlist_has(env->targets, name))
		return 0;
	return error_suggest(pos, path, "target", name, (const char *const *)env->targets->items,
			     env->targets->len);
}

static int parse_targets(struct config *c, const struct ynode *node, const struct config_env *env)
{
	if (schema_strings(node, "targets", &c->targets) < 0)
		return -1;
	c->targets_pos = item_positions(node, c->targets.len);
	int rc = 0;
	for (size_t i = 0; i < c->targets.len; i++)
		if (check_target_name(env, &c->targets_pos[i], "targets", c->targets.items[i]) < 0)
			rc = -1;
	return rc;
}

/* One list of image kinds: every kind known, none twice. */
static int image_list(struct config_images *im, const struct ynode *node, const char *path)
{
	struct strlist kinds = STRLIST_INIT;
	if (schema_strings(node, path, &kinds) < 0) {
		strlist_release(&kinds);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < kinds.len; i++) {
		const struct pos *pos = node->kind == YNODE_SEQ ? &node->items[i]->pos : &node->pos;
		if (!image_kind_find(kinds.items[i]))
			rc = error_suggest(pos, path, "image kind", kinds.items[i],
					   image_kind_names(), 0);
		else if (!strlist_has(&im->kinds, kinds.items[i]))
			strlist_push(&im->kinds, kinds.items[i]);
	}
	strlist_release(&kinds);
	return rc;
}

/* images: a list (for every target that makes them) or a mapping from
 * target to list. */
static int parse_images(struct config *c, const struct ynode *node, const struct config_env *env)
{
	if (node->kind != YNODE_MAP) {
		c->images = xcalloc(1, sizeof(*c->images));
		c->nimages = 1;
		c->images[0].pos = node->pos;
		return image_list(&c->images[0], node, "images");
	}
	c->images = xcalloc(node->n, sizeof(*c->images));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++) {
		struct config_images *im = &c->images[c->nimages++];
		im->target = node->keys[i]->str;
		im->pos = node->keys[i]->pos;
		char *path = schema_path("images", im->target);
		if (check_target_name(env, &im->pos, "images", im->target) < 0 ||
		    image_list(im, node->items[i], path) < 0)
			rc = -1;
		free(path);
	}
	return rc;
}

static int validate(struct config *c, const struct config_env *env)
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
	if (n && schema_int(n, "version", &version) < 0)
		rc = -1;
	else if (n && version != 1)
		rc = error_at(&n->pos,
			      "version: format version %lld is not supported (this "
			      "mirage reads version 1)",
			      (long long)version);

	n = ynode_get(root, "name");
	if (!n) {
		rc = error_at(&root->pos, "missing required key 'name'");
	} else if (schema_word(n, "name", &c->name) < 0) {
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
	if ((n = ynode_get(root, "cflags"))) {
		if (schema_strings(n, "cflags", &c->cflags) < 0)
			rc = -1;
		else if (c->cflags_pos = item_positions(n, c->cflags.len),
			 check_flags(&c->cflags, c->cflags_pos, "cflags", env) < 0)
			rc = -1;
	}
	if ((n = ynode_get(root, "libs")) && parse_libs(c, n) < 0)
		rc = -1;
	if ((n = ynode_get(root, "devices")) && parse_devices(c, n) < 0)
		rc = -1;
	if ((n = ynode_get(root, "arguments")) && parse_args(c, n) < 0)
		rc = -1;
	if ((n = ynode_get(root, "fetch")) && parse_fetches(c, n, env) < 0)
		rc = -1;
	if ((n = ynode_get(root, "images")) && parse_images(c, n, env) < 0)
		rc = -1;
	if ((n = ynode_get(root, "targets"))) {
		c->targets_key_pos = n->pos;
		if (parse_targets(c, n, env) < 0)
			rc = -1;
	}
	if (add_stack_args(c) < 0)
		rc = -1;
	/* a device and an argument share no namespace in C, but one name for two
	 * things is a likely mistake in --help and the manifest: keep them apart */
	for (size_t i = 0; i < c->nargs; i++)
		if (config_device(c, c->args[i].name))
			rc = error_at(&c->args[i].pos, "argument '%s' has the name of a device",
				      c->args[i].name);
	return rc;
}

int config_parse(struct config *c, const char *path, const char *buf, size_t len, const char *dir,
		 const struct config_env *env)
{
	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	c->dir = xstrdup(dir);
	c->realdir = realpath(dir, NULL);
	if (!c->realdir) {
		error("cannot resolve the description's directory %s:", dir);
		return failed(FAIL_DESCRIPTION);
	}
	diag_hold(); /* the tree's errors (duplicate keys) among the model's, in order */
	if (ydoc_parse(&c->yaml, path, buf, len) < 0) {
		diag_release_sorted();
		return failed(FAIL_DESCRIPTION);
	}
	int rc = validate(c, env);
	diag_release_sorted();
	if (rc < 0 || c->yaml.errors)
		return failed(FAIL_DESCRIPTION);
	c->valid = true;
	return 0;
}

int config_load(struct config *c, const char *path, const struct config_env *env)
{
	size_t len;
	char *buf = file_read(path, &len);
	if (!buf) {
		memset(c, 0, sizeof(*c));
		error("cannot read the description %s:", path);
		return failed(FAIL_DESCRIPTION);
	}
	char *dir = path_dirname(path);
	int rc = config_parse(c, path, buf, len, dir, env);
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
		free(c->devices[i].after_index);
	}
	free(c->devices);
	strmap_release(&c->device_index);
	free(c->args);
	for (size_t i = 0; i < c->nfetches; i++) {
		strlist_release(&c->fetches[i].sources);
		strlist_release(&c->fetches[i].include);
		strlist_release(&c->fetches[i].cflags);
		free(c->fetches[i].sources_pos);
		free(c->fetches[i].cflags_pos);
	}
	free(c->fetches);
	for (size_t i = 0; i < c->nimages; i++)
		strlist_release(&c->images[i].kinds);
	free(c->images);
	strlist_release(&c->sources);
	strlist_release(&c->include);
	strlist_release(&c->cflags);
	strlist_release(&c->libs);
	strlist_release(&c->made);
	free(c->cflags_pos);
	strlist_release(&c->targets);
	free(c->targets_pos);
	ydoc_release(&c->yaml);
	free(c->path);
	free(c->dir);
	free(c->realdir);
	memset(c, 0, sizeof(*c));
}

const struct device *config_device(const struct config *c, const char *name)
{
	size_t i;
	return strmap_get(&c->device_index, name, &i) ? &c->devices[i] : NULL;
}

const struct strlist *config_images(const struct config *c, const char *target)
{
	const struct strlist *all = NULL;
	for (size_t i = 0; i < c->nimages; i++) {
		if (c->images[i].target && !strcmp(c->images[i].target, target))
			return &c->images[i].kinds;
		if (!c->images[i].target)
			all = &c->images[i].kinds;
	}
	return all;
}
