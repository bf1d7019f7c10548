/* fuzz_gen.c: libFuzzer target for the generator. A description is read,
 * resolved for the unix target, planned and written into a build directory;
 * what was generated must parse as intended, whatever the description held:
 * main.c and kv_*.S compile (gcc) and define only the symbols the runtime
 * expects, and the Makefile holds only the expected rules (and make reads
 * it). Slow (it runs gcc and make): smoke-run with few inputs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "gen.h"
#include "plan.h"
#include "proc.h"
#include "strmap.h"
#include "target.h"
#include "library.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dir, *builddir, *datadir;
static struct target target;
static struct strlist installed = STRLIST_INIT;

static void setup(void)
{
	const char *d = getenv("MIRAGE_DATADIR");
	datadir = realpath(d ? d : ".", NULL);
	char tmpl[] = "/tmp/mirage-fuzz-gen-XXXXXX";
	dir = xstrdup(mkdtemp(tmpl));
	builddir = path_join(dir, "_build/out");
	const char *files[] = {"unikernel.c",	  "src/a.c",	     "data/x.txt",
			       "data/*/y\"z.txt", "data/sub/a b\\c", "inc.h"};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *p = path_join(dir, files[i]);
		char *parent = path_dirname(p);
		mkdir_p(parent);
		file_write_atomic(p, "x", 1, 0644);
		free(parent);
		free(p);
	}
	diag_set_collect(true);
	char *root = path_join(datadir, "targets");
	if (target_load(&target, root, "unix") < 0)
		abort();
	free(root);
	/* the libraries' sources, which the Makefile's rules name */
	char *cache = path_join(dir, "cache");
	for (size_t i = 0; i < target.nlibraries; i++)
		if (target.libraries[i].archive && library_unpack(&target.libraries[i], cache) < 0)
			abort();
	free(cache);
	strlist_push(&installed, "unix");
}

/* Runs argv in dir, its output thrown away; its exit status. */
static int run(char *const *argv, const char *cwd, const char *out)
{
	FILE *f = fopen(out ? out : "/dev/null", "w");
	struct proc_opts o = {cwd, NULL, fileno(f)};
	pid_t pid = proc_spawn(argv, &o);
	fclose(f);
	struct proc_status st;
	if (pid < 0 || proc_wait(pid, 0, 0, &st, NULL) < 0)
		abort();
	return proc_status_code(&st);
}

/* Compiles src in the build directory and checks its global symbols. */
static void compile(const char *src, const struct strmap *allowed)
{
	char *inc = xasprintf("-I%s/targets/common/include", datadir);
	char *obj = path_join(builddir, "check.o"), *syms = path_join(builddir, "check.syms");
	char *argv[] = {"gcc", "-std=gnu11", "-c", inc, "-I.", (char *)src, "-o", obj, NULL};
	if (run(argv, builddir, NULL) != 0) {
		fprintf(stderr, "fuzz_gen: %s does not compile\n", src);
		abort();
	}
	char *nm[] = {"nm", "-g", "--defined-only", obj, NULL};
	if (run(nm, builddir, syms) != 0)
		abort();
	char *text = file_read(syms, NULL);
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *name = strrchr(line, ' ');
		if (name && !strmap_get(allowed, name + 1, NULL)) {
			fprintf(stderr, "fuzz_gen: %s defines '%s'\n", src, name + 1);
			abort();
		}
	}
	free(text);
	free(inc);
	free(obj);
	free(syms);
}

/* The name a Makefile rule line starts with, unescaped. */
static char *rule_target(const char *line)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *s = line; *s && *s != ':'; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '$' && s[1] == '$')
			s++;
		strbuf_addc(&sb, *s);
	}
	return strbuf_detach(&sb);
}

static void check_makefile(const struct plan *p)
{
	struct strmap rules = STRMAP_INIT;
	strmap_add(&rules, "all", 0);
	strmap_add(&rules, "clean", 0);
	strmap_add(&rules, ".PHONY", 0);
	strmap_add(&rules, ".DELETE_ON_ERROR", 0);
	for (size_t i = 0; i < p->n; i++)
		strmap_add(&rules, p->steps[i].out, 0);
	char *path = path_join(builddir, "Makefile");
	char *text = file_read(path, NULL);
	bool in_rule = false;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(line);
		if (n && line[n - 1] == '\\')
			abort(); /* a continued line */
		if (!n || line[0] == '#' || str_starts(line, "-include ")) {
			in_rule = false;
			continue;
		}
		if (line[0] == '\t') {
			if (!in_rule)
				abort(); /* a recipe outside a rule */
			continue;
		}
		/* the flags shared by compile rules: FLAGS_N = ... */
		if (str_starts(line, "FLAGS_") && strspn(line + 6, "0123456789") &&
		    str_starts(line + 6 + strspn(line + 6, "0123456789"), " = ")) {
			in_rule = false;
			continue;
		}
		char *t = rule_target(line);
		if (!strmap_get(&rules, t, NULL)) {
			fprintf(stderr, "fuzz_gen: the Makefile has a rule for '%s'\n", t);
			abort();
		}
		free(t);
		in_rule = true;
	}
	free(text);
	char *argv[] = {"make", "-n", "-s", "-f", path, "all", NULL};
	if (run(argv, builddir, NULL) != 0) {
		fprintf(stderr, "fuzz_gen: make cannot read the Makefile\n");
		abort();
	}
	free(path);
	strmap_release(&rules);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir)
		setup();
	struct config c;
	struct config_env env = {&installed, false};
	if (config_parse(&c, "mirage.yaml", (const char *)data, size, dir, &env) < 0 ||
	    c.nfetches) {
		config_release(&c);
		diag_reset();
		return 0;
	}
	struct graph g;
	if (graph_resolve(&g, &c, &target, "x86_64", NULL) == 0) {
		const char *none[1] = {NULL};
		char *cache = path_join(dir, "cache");
		struct plan p;
		remove_tree(builddir);
		mkdir_p(builddir);
		if (plan_make(&p, &g, builddir, cache, none) == 0 &&
		    gen_write(&g, &p, datadir) >= 0) {
			struct strmap allowed = STRMAP_INIT;
			strmap_add(&allowed, "mirage_main", 0);
			strmap_add(&allowed, "mirage_manifest", 0);
			compile("main.c", &allowed);
			strmap_release(&allowed);
			for (size_t i = 0; i < g.n; i++) {
				const struct device *d = g.order[i].dev;
				if (d->type->init_arg != DEVTYPE_INIT_SOURCE)
					continue;
				char *sym = xasprintf("mirage_kv_%s", d->name);
				char *src = xasprintf("kv_%s.S", d->name);
				strmap_add(&allowed, sym, 0);
				compile(src, &allowed);
				strmap_release(&allowed);
				free(sym);
				free(src);
			}
			check_makefile(&p);
		}
		plan_release(&p);
		free(cache);
		graph_release(&g);
	}
	config_release(&c);
	diag_reset();
	return 0;
}
