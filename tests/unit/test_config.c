/* test_config.c: the YAML tree, the description's model and its errors, the
 * device graph. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "graph.h"
#include "target.h"
#include "unit.h"
#include "util.h"
#include "yamldoc.h"

static char dir[] = "/tmp/mirage-config-XXXXXX";

static void touch(const char *rel, const char *content)
{
	char *p = path_join(dir, rel);
	char *d = path_dirname(p);
	mkdir_p(d);
	file_write_atomic(p, content, strlen(content), 0644);
	free(d);
	free(p);
}

/* Parses text as mirage.yaml in dir; returns the number of errors. */
static size_t parse(struct config *c, const char *text)
{
	diag_reset();
	diag_set_collect(true);
	struct strlist targets = STRLIST_INIT;
	strlist_push(&targets, "unix");
	strlist_push(&targets, "virtio");
	struct config_env env = {&targets, false};
	int rc = config_parse(c, "mirage.yaml", text, strlen(text), dir, &env);
	strlist_release(&targets);
	size_t n = diag_count();
	if (rc == 0 && n != 0)
		printf("# config_parse returned 0 with errors\n");
	if (rc != 0)
		config_release(c);
	return rc == 0 ? 0 : (n ? n : 1000);
}

/* Whether diagnostic i is at line:col and contains text. */
static int diag_is(size_t i, int line, int col, const char *text)
{
	size_t n;
	const struct diag *d = diag_list(&n);
	if (i >= n)
		return 0;
	if (d[i].line != line || d[i].col != col || !strstr(d[i].message, text)) {
		printf("# diag %zu: %d:%d: %s\n", i, d[i].line, d[i].col, d[i].message);
		return 0;
	}
	return 1;
}

TEST(yaml_positions)
{
	struct ydoc doc;
	const char *text = "a: 1\nb:\n  - x\n  - {c: 'q'}\n";
	CHECK(ydoc_parse(&doc, "f.yaml", text, strlen(text)) == 0);
	struct ynode *b = ynode_get(doc.root, "b");
	CHECK(b && b->kind == YNODE_SEQ && b->n == 2);
	CHECK(b && b->items[0]->pos.line == 3 && b->items[0]->pos.col == 5);
	struct ynode *c = b ? ynode_get(b->items[1], "c") : NULL;
	CHECK(c && !c->plain && !strcmp(c->str, "q"));
	CHECK(ynode_get(doc.root, "a")->plain);
	ydoc_release(&doc);
}

TEST(yaml_errors)
{
	struct ydoc doc;
	diag_reset();
	diag_set_collect(true);
	/* a duplicate key is an error, but the tree is built (the first stays)
	 * so that the other errors can be found in the same run */
	const char *dup = "a: 1\nb: 2\na: {c: 3}\n";
	CHECK(ydoc_parse(&doc, "f.yaml", dup, strlen(dup)) == 0);
	CHECK(doc.errors == 1 && doc.root->n == 2);
	CHECK_STR(ynode_get(doc.root, "a")->str, "1");
	CHECK(diag_is(0, 3, 1, "duplicate key 'a' (first at line 1)"));
	ydoc_release(&doc);
	diag_reset();
	/* tags are refused, NULs are refused; both keep the tree */
	const char *tags = "a: !!binary aGk=\nb: !!str 5\nc: \"x\\0y\"\n";
	CHECK(ydoc_parse(&doc, "f.yaml", tags, strlen(tags)) == 0);
	CHECK(doc.errors == 3);
	CHECK(diag_is(0, 1, 4, "YAML tag 'tag:yaml.org,2002:binary' is not supported"));
	CHECK(diag_is(1, 2, 4, "YAML tag 'tag:yaml.org,2002:str' is not supported"));
	CHECK(diag_is(2, 3, 4, "a value holds a NUL character"));
	ydoc_release(&doc);
	diag_reset();
	/* a mapping with many keys: its duplicate check is linear */
	struct strbuf big = STRBUF_INIT;
	for (int i = 0; i < 60000; i++)
		strbuf_addf(&big, "k%d: %d\n", i, i);
	strbuf_adds(&big, "k17: again\n");
	CHECK(ydoc_parse(&doc, "f.yaml", big.buf, big.len) == 0);
	CHECK(doc.errors == 1 && doc.root->n == 60000);
	ydoc_release(&doc);
	strbuf_release(&big);
	diag_reset();
	const char *bad = "a: [1, 2\n";
	CHECK(ydoc_parse(&doc, "f.yaml", bad, strlen(bad)) < 0);
	CHECK(diag_count() == 1);
	diag_reset();
	const char *self = "a: &x [1, *x]\n";
	CHECK(ydoc_parse(&doc, "f.yaml", self, strlen(self)) < 0);
	CHECK(diag_is(0, 1, 11, "unknown anchor 'x'"));
	diag_reset();
	struct strbuf deep = STRBUF_INIT;
	for (int i = 0; i < 100; i++)
		strbuf_adds(&deep, "[");
	CHECK(ydoc_parse(&doc, "f.yaml", deep.buf, deep.len) < 0);
	CHECK(diag_count() == 1);
	strbuf_release(&deep);
	diag_reset();
	const char *two = "a: 1\n---\nb: 2\n";
	CHECK(ydoc_parse(&doc, "f.yaml", two, strlen(two)) < 0);
	CHECK(diag_is(0, 2, 1, "only one YAML document"));
	diag_reset();
	/* aliases share nodes: a billion laughs stays small */
	const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n"
			     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
	CHECK(ydoc_parse(&doc, "f.yaml", laughs, strlen(laughs)) == 0);
	CHECK(doc.nall < 100);
	ydoc_release(&doc);
	diag_set_collect(false);
}

TEST(config_full)
{
	struct config c;
	const char *text = "name: web-1\n"
			   "sources: ['*.c']\n"
			   "include: [inc]\n"
			   "cflags: -O1\n"
			   "devices:\n"
			   "  console: console\n"
			   "  net0: {type: network}\n"
			   "  files: {type: kv_ro, source: htdocs, after: [net0]}\n"
			   "arguments:\n"
			   "  greeting: {type: string, default: 'Hi \"you\"', doc: what}\n"
			   "  times: {type: int, default: -0x10}\n"
			   "  loud: {type: bool, default: true}\n"
			   "  port: int\n"
			   "targets: [unix]\n";
	CHECK(parse(&c, text) == 0);
	CHECK_STR(c.name, "web-1");
	CHECK(c.sources.len == 2);
	CHECK_STR(c.sources.items[0], "a.c");
	CHECK_STR(c.sources.items[1], "b.c");
	CHECK(c.ndevices == 3 && c.nargs == 4);
	CHECK_STR(c.devices[2].source, "htdocs");
	CHECK(c.devices[2].after.len == 1);
	CHECK_STR(c.args[0].def_string, "Hi \"you\"");
	CHECK(c.args[1].def_int == -16);
	CHECK(c.args[2].def_bool);
	CHECK(!c.args[3].has_default && c.args[3].type == ARG_INT);
	CHECK(c.targets.len == 1);
	config_release(&c);
}

TEST(config_many_errors)
{
	struct config c;
	const char *text = "name: Bad_Name\n"			/* 1: bad name */
			   "soruces: [a.c]\n"			/* 2: unknown key */
			   "devices:\n"				/* 3 */
			   "  net0: {type: netwrk}\n"		/* 4: unknown type */
			   "  int: console\n"			/* 5: C keyword */
			   "  files: {type: kv_ro}\n"		/* 6: missing source */
			   "arguments:\n"			/* 7 */
			   "  n: {type: int, default: x}\n"	/* 8: wrong type */
			   "  b: {type: bool, default: yes}\n"; /* 9: not true/false */
	size_t n = parse(&c, text);
	CHECK(n == 8);
	if (n != 8) {
		const struct diag *d = diag_list(&n);
		for (size_t i = 0; i < n; i++)
			printf("# %d:%d: %s\n", d[i].line, d[i].col, d[i].message);
	}
	CHECK(diag_is(0, 1, 1, "missing required key 'sources'"));
	CHECK(diag_is(1, 1, 7, "name: 'Bad_Name' is not valid"));
	CHECK(diag_is(2, 2, 1, "unknown key 'soruces' (did you mean 'sources'?)"));
	CHECK(diag_is(3, 4, 16, "type 'netwrk' is unknown (did you mean 'network'?)"));
	CHECK(diag_is(4, 5, 3, "device name 'int' is reserved: it is a C keyword"));
	CHECK(diag_is(5, 6, 10, "a kv_ro device needs 'source: DIRECTORY'"));
	CHECK(diag_is(6, 8, 27, "arguments.n.default: expected an integer"));
	CHECK(diag_is(7, 9, 28, "arguments.b.default: expected true or false, found 'yes'"));
	diag_reset();
}

TEST(config_sources)
{
	struct config c;
	CHECK(parse(&c, "name: x\nsources: [nope.c]\n") == 1);
	CHECK(diag_is(0, 2, 11, "sources: 'nope.c' does not exist"));
	CHECK(parse(&c, "name: x\nsources: ['z*.c']\n") == 1);
	CHECK(diag_is(0, 2, 11, "'z*.c' matches no file"));
	CHECK(parse(&c, "name: x\nsources: [inc/x.h]\n") == 1);
	CHECK(diag_is(0, 2, 11, "is not a C source"));
	CHECK(parse(&c, "name: x\nsources: []\n") == 1);
	CHECK(parse(&c, "name: x\nsources: {a: 1}\n") == 1);
	CHECK(diag_is(0, 2, 10, "expected a string or a list of strings, found a mapping"));
	CHECK(parse(&c, "") == 1);
	CHECK(diag_is(0, 1, 1, "the description is empty"));
	CHECK(parse(&c, "- a\n") == 1);
	CHECK(parse(&c, "name: x\nsources: a.c\nversion: 2\n") == 1);
	CHECK(diag_is(0, 3, 10, "format version 2 is not supported"));
	CHECK(parse(&c, "name: x\nsources: a.c\nversion: \"1\"\n") == 1);
	CHECK(diag_is(0, 3, 10, "version: expected an integer, found the string \"1\""));
	CHECK(parse(&c, "name: x\nsources: a.c\nversion: 99999999999999999999\n") == 1);
	/* paths stay in the description's directory; one file once */
	CHECK(parse(&c, "name: x\nsources: [/etc/x.c, ../x.c, a.c]\n") == 2);
	CHECK(diag_is(0, 2, 11, "sources: '/etc/x.c' is an absolute path"));
	CHECK(diag_is(1, 2, 21, "sources: '../x.c' leaves the description ('..')"));
	CHECK(parse(&c, "name: x\nsources: [a.c, ./a.c, .//a.c, '*.c']\n") == 0);
	CHECK(c.sources.len == 2);
	config_release(&c);
	CHECK(parse(&c, "name: x\nsources: a.c\ninclude: [/usr/include]\n") == 1);
	CHECK(parse(&c, "name: x\nsources: a.c\ncflags: ['']\n") == 1);
	CHECK(diag_is(0, 3, 10, "cflags[0]: expected a string, found an empty one"));
	diag_reset();
}

TEST(config_strings)
{
	struct config c;
	/* control characters in any string: refused */
	CHECK(
	    parse(&c, "name: x\nsources: a.c\narguments:\n  s: {type: string, doc: \"a\\rb\"}\n") ==
	    1);
	CHECK(diag_is(0, 4, 26, "arguments.s.doc: a control character (0x0d) is not allowed"));
	CHECK(parse(&c, "name: x\nsources: a.c\ncflags: [\"-DX\\n\\tall:\"]\n") == 1);
	/* a default of a string type: "" is one, null is none */
	CHECK(
	    parse(&c, "name: x\nsources: a.c\narguments:\n  s: {type: string, default: \"\"}\n") ==
	    0);
	CHECK(c.args[0].has_default && !strcmp(c.args[0].def_string, ""));
	config_release(&c);
	CHECK(
	    parse(&c, "name: x\nsources: a.c\narguments:\n  s: {type: string, default: null}\n") ==
	    1);
	CHECK(diag_is(0, 4, 30, "arguments.s.default: expected a string, found nothing"));
	CHECK(parse(&c, "name: x\nsources: a.c\narguments:\n  n: {type: int, default: \"7\"}\n") ==
	      1);
	CHECK(diag_is(0, 4, 27, "expected an integer, found the string \"7\""));
	/* names the compiler or the C library already gives a meaning */
	CHECK(parse(&c, "name: x\nsources: a.c\ndevices:\n  linux: console\n  errno: console\n"
			"arguments:\n  typeof: int\n  static_assert: int\n") == 4);
	CHECK(diag_is(0, 4, 3, "device name 'linux' is reserved: it is a macro the compiler"));
	CHECK(diag_is(1, 5, 3, "device name 'errno' is reserved: it is a macro of the C library"));
	CHECK(diag_is(2, 7, 3, "argument name 'typeof' is reserved: it is a C keyword"));
	CHECK(diag_is(3, 8, 3, "argument name 'static_assert' is reserved"));
	/* flags that run programs, unless allowed */
	CHECK(parse(&c, "name: x\nsources: a.c\ncflags: [-O2, -wrapper, \"/bin/sh,-c,x\", "
			"-fplugin=x.so, -B/tmp, '@opts']\n") == 4);
	CHECK(diag_is(0, 3, 15, "cflags: '-wrapper' runs a program of its choice"));
	CHECK(diag_is(1, 3, 41, "cflags: '-fplugin=x.so' loads a compiler plugin"));
	CHECK(config_unsafe_flag("-O2") == NULL && config_unsafe_flag("-DX=1") == NULL);
	CHECK(config_unsafe_flag("-specs=x") && config_unsafe_flag("-Wp,-MD,/x"));
	diag_reset();
}

TEST(config_one_run)
{
	/* a duplicate key, a cycle and an unknown target, all in one run */
	struct config c;
	size_t n =
	    parse(&c, "name: x\nsources: a.c\nname: y\ndevices:\n"
		      "  a: {type: console, after: b}\n  b: {type: console, after: a}\n"
		      "targets: [unix, xen0]\nimages: {virtio: [iso, isoo], vrtio: [disk]}\n");
	CHECK(n == 5);
	CHECK(diag_is(0, 3, 1, "duplicate key 'name' (first at line 1)"));
	CHECK(diag_is(1, 6, 29, "cycle in 'after'"));
	CHECK(diag_is(2, 7, 17, "targets: target 'xen0' is unknown (known: unix, virtio)"));
	CHECK(
	    diag_is(3, 8, 24, "images.virtio: image kind 'isoo' is unknown (did you mean 'iso'?)"));
	CHECK(diag_is(4, 8, 31, "images: target 'vrtio' is unknown (did you mean 'virtio'?)"));
	/* images: a list for every target, or per target */
	CHECK(parse(&c, "name: x\nsources: a.c\nimages: {virtio: [iso, disk]}\n") == 0);
	CHECK(config_images(&c, "virtio") && config_images(&c, "virtio")->len == 2);
	CHECK(config_images(&c, "unix") == NULL);
	config_release(&c);
	CHECK(parse(&c, "name: x\nsources: a.c\nimages: [qcow2]\n") == 0);
	CHECK(config_images(&c, "unix") && config_images(&c, "unix")->len == 1);
	config_release(&c);
	/* limits */
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "name: x\nsources: a.c\ndevices:\n");
	for (int i = 0; i < 40; i++)
		strbuf_addf(&sb, "  d%d: console\n", i);
	CHECK(parse(&c, sb.buf) == 1);
	CHECK(diag_is(0, 4, 3, "devices: 40 devices (a unikernel has at most 32)"));
	strbuf_release(&sb);
	diag_reset();
}

static int load_target(struct target *t)
{
	touch("targets/t1/target.yaml", "name: t1\ndoc: test\nrun: exec\n"
					"arches: {x86_64: {cc: gcc, ar: ar}}\n"
					"devices:\n"
					"  console: {impl: out, doc: d}\n"
					"  kv_ro: {impl: embed, doc: d}\n");
	char *root = path_join(dir, "targets");
	int rc = target_load(t, root, "t1");
	free(root);
	return rc;
}

TEST(graph)
{
	struct target t;
	diag_reset();
	diag_set_collect(true);
	CHECK(load_target(&t) == 0);
	struct config c;
	CHECK(parse(&c, "name: x\nsources: a.c\ndevices:\n"
			"  a: {type: console, after: c}\n"
			"  b: console\n"
			"  c: {type: console, after: [b]}\n") == 0);
	struct graph g;
	CHECK(graph_resolve(&g, &c, &t, "x86_64", NULL) == 0);
	CHECK(g.n == 3);
	CHECK_STR(g.order[0].dev->name, "b");
	CHECK_STR(g.order[1].dev->name, "c");
	CHECK_STR(g.order[2].dev->name, "a");
	CHECK_STR(g.order[0].impl->impl, "out");
	graph_release(&g);
	CHECK(graph_resolve(&g, &c, &t, "riscv64", NULL) < 0);
	CHECK(
	    strstr(diag_list(&(size_t){0})[0].message, "does not support architecture 'riscv64'"));
	config_release(&c);
	diag_reset();

	CHECK(parse(&c, "name: x\nsources: a.c\ndevices:\n"
			"  a: {type: console, after: c}\n"
			"  b: {type: console, after: a}\n"
			"  c: {type: console, after: b}\n") == 1);
	CHECK(diag_is(0, 5, 29, "device 'b': cycle in 'after': 'a' -> 'c' -> 'b' -> 'a'"));
	diag_reset();

	CHECK(parse(&c, "name: x\nsources: a.c\ntargets: [virtio]\ndevices:\n  d: block\n") == 0);
	CHECK(graph_resolve(&g, &c, &t, "x86_64", NULL) < 0);
	CHECK(diag_is(0, 3, 10, "does not support target 't1' (it lists: virtio)"));
	CHECK(diag_is(1, 5, 6, "target 't1' cannot serve a block device"));
	config_release(&c);
	target_release(&t);
	diag_reset();
	diag_set_collect(false);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	touch("a.c", "");
	touch("b.c", "");
	touch("inc/x.h", "");
	touch("htdocs/index.html", "hi");
	RUN(yaml_positions);
	RUN(yaml_errors);
	RUN(config_full);
	RUN(config_many_errors);
	RUN(config_sources);
	RUN(config_strings);
	RUN(config_one_run);
	RUN(graph);
	remove_tree(dir);
	return unit_failures != 0;
}
