/* test_util.c: strings, lists, paths, files, SHA-256, templates, JSON. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "gen.h"
#include "json.h"
#include "proc.h"
#include "strmap.h"
#include "sha256.h"
#include "template.h"
#include "unit.h"
#include "util.h"

TEST(strbuf)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	CHECK(sb.len == 2000);
	strbuf_adds(&sb, "end");
	CHECK(!strcmp(sb.buf + 2000, "end"));
	char *s = strbuf_detach(&sb);
	CHECK(sb.buf == NULL && sb.len == 0);
	free(s);
	s = strbuf_detach(&sb);
	CHECK_STR(s, "");
	free(s);
}

TEST(strlist)
{
	struct strlist l = STRLIST_INIT;
	strlist_push(&l, "b");
	strlist_push(&l, "a");
	strlist_pushf(&l, "c%d", 1);
	strlist_sort(&l);
	CHECK(l.len == 3);
	CHECK_STR(l.items[0], "a");
	CHECK_STR(l.items[2], "c1");
	CHECK(l.items[3] == NULL);
	CHECK(strlist_has(&l, "b") && !strlist_has(&l, "d"));
	strlist_release(&l);
	CHECK(l.len == 0);
}

TEST(suggest)
{
	const char *keys[] = {"sources", "devices", "arguments", "name"};
	CHECK_STR(str_suggest("soruces", keys, 4), "sources");
	CHECK_STR(str_suggest("device", keys, 4), "devices");
	CHECK_STR(str_suggest("nmae", keys, 4), "name");
	CHECK(str_suggest("zzzzzz", keys, 4) == NULL);
	CHECK(str_distance("kitten", "sitting", 10) == 3);
	CHECK(str_distance("abc", "abc", 0) == 0);
	CHECK(str_distance("abcdef", "ghijkl", 2) == 3);
}

TEST(paths)
{
	char *s = path_join("a/b", "c");
	CHECK_STR(s, "a/b/c");
	free(s);
	s = path_join(".", "c");
	CHECK_STR(s, "c");
	free(s);
	s = path_join("a", "/abs");
	CHECK_STR(s, "/abs");
	free(s);
	s = path_dirname("x/y/z.c");
	CHECK_STR(s, "x/y");
	free(s);
	s = path_dirname("z.c");
	CHECK_STR(s, ".");
	free(s);
	CHECK_STR(path_basename("x/y/z.c"), "z.c");
}

TEST(write_if_changed)
{
	char dir[] = "/tmp/mirage-unit-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *sub = xasprintf("%s/a/b", dir);
	CHECK(mkdir_p(sub) == 0);
	char *f = xasprintf("%s/file", sub);
	CHECK(file_write_if_changed(f, "one", 3) == 1);
	struct timespec old = {1000000000, 0};
	struct timespec times[2] = {old, old};
	utimensat(AT_FDCWD, f, times, 0);
	CHECK(file_write_if_changed(f, "one", 3) == 0);
	CHECK(file_mtime_ns(f) == 1000000000LL * 1000000000LL);
	CHECK(file_write_if_changed(f, "two", 3) == 1);
	size_t len;
	char *data = file_read(f, &len);
	CHECK(data && len == 3 && !strcmp(data, "two"));
	free(data);
	CHECK(remove_tree(dir) == 0);
	CHECK(!is_dir(dir));
	CHECK(remove_tree(dir) == 0); /* missing is fine */
	free(f);
	free(sub);
}

static void sha(const char *in, size_t len, char hex[65])
{
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, in, len);
	sha256_final_hex(&s, hex);
}

TEST(sha256)
{
	char hex[65];
	sha("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha(two, strlen(two), hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a', fed in uneven pieces */
	struct sha256 s;
	sha256_init(&s);
	char block[997];
	memset(block, 'a', sizeof(block));
	size_t left = 1000000;
	while (left) {
		size_t n = left < sizeof(block) ? left : sizeof(block);
		sha256_update(&s, block, n);
		left -= n;
	}
	sha256_final_hex(&s, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(template)
{
	const char *vars[] = {"NAME", "hello", "N", "3", NULL};
	char *out = template_fill("t", "x @NAME@ y @N@ z@@w", vars);
	CHECK_STR(out, "x hello y 3 z@w");
	free(out);
	diag_set_collect(true);
	CHECK(template_fill("t", "line\n@NOPE@", vars) == NULL);
	CHECK(template_fill("t", "@NAME", vars) == NULL);
	size_t n;
	const struct diag *d = diag_list(&n);
	CHECK(n == 2);
	CHECK(n >= 1 && d[0].line == 2 && strstr(d[0].message, "unknown placeholder @NOPE@"));
	/* the column counts from the start of the line, not of the file */
	CHECK(n >= 2 && d[1].line == 1 && d[1].col == 1);
	diag_reset();
	CHECK(template_fill("t", "ab\ncd @X\n", vars) == NULL);
	d = diag_list(&n);
	CHECK(n == 1 && d[0].line == 2 && d[0].col == 4);
	diag_reset();
	diag_set_collect(false);
}

TEST(json)
{
	struct json *o = json_object();
	json_set_str(o, "name", "a\"b");
	json_set_int(o, "size", 1234567);
	struct json *a = json_array();
	json_push(a, json_bool(true));
	json_set(o, "list", a);
	char *text = json_render(o, false);
	CHECK_STR(text, "{\"name\":\"a\\\"b\",\"size\":1234567,\"list\":[true]}");
	struct json *back = json_parse(text);
	CHECK(back != NULL);
	CHECK_STR(json_str(json_get(back, "name")), "a\"b");
	CHECK(json_num(json_get(back, "size"), 0) == 1234567);
	CHECK(json_len(json_get(back, "list")) == 1);
	CHECK(json_parse("{nope") == NULL);
	free(text);
	text = json_render(o, true);
	CHECK(strstr(text, "\n  \"name\": \"a\\\"b\",\n") != NULL);
	free(text);
	json_free(back);
	json_free(o);
	/* every 64-bit integer exactly, not through a double */
	o = json_object();
	json_set_int(o, "big", 9007199254740993LL);
	json_set_int(o, "min", INT64_MIN);
	json_set_int(o, "max", INT64_MAX);
	text = json_render(o, false);
	CHECK_STR(text, "{\"big\":9007199254740993,\"min\":-9223372036854775808,"
			"\"max\":9223372036854775807}");
	CHECK(json_num(json_get(o, "big"), 0) == 9007199254740993LL);
	struct json *copy = json_dup(o);
	free(text);
	text = json_render(copy, true);
	CHECK(strstr(text, "\"big\": 9007199254740993,") != NULL);
	free(text);
	json_free(copy);
	json_free(o);
}

TEST(strmap)
{
	struct strmap m = STRMAP_INIT;
	char keys[1000][8];
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		CHECK(strmap_add(&m, keys[i], (size_t)i));
	}
	CHECK(!strmap_add(&m, "k7", 99));
	size_t v;
	CHECK(strmap_get(&m, "k7", &v) && v == 7);
	CHECK(strmap_get(&m, "k999", &v) && v == 999);
	CHECK(!strmap_get(&m, "k1000", NULL));
	strmap_release(&m);
	CHECK(!strmap_get(&m, "k1", NULL));
}

TEST(quoting)
{
	struct strbuf sb = STRBUF_INIT;
	shell_quote(&sb, "plain-1.c");
	strbuf_adds(&sb, " ");
	shell_quote(&sb, "it's a $x");
	strbuf_adds(&sb, " ");
	shell_quote(&sb, "");
	CHECK_STR(sb.buf, "plain-1.c 'it'\\''s a $x' ''");
	strbuf_release(&sb);
	gen_make_quote(&sb, "a $b");
	CHECK_STR(sb.buf, "'a $$b'");
	strbuf_release(&sb);
	gen_make_name(&sb, "a b:c#$%");
	CHECK_STR(sb.buf, "a\\ b\\:c\\#$$\\%");
	strbuf_release(&sb);
	/* backslashes are literal to make but before an escaped character or
	 * the end */
	gen_make_name(&sb, "a b\\c d\\\\e f\\ g\\");
	CHECK_STR(sb.buf, "a\\ b\\c\\ d\\\\e\\ f\\\\\\ g\\\\");
	strbuf_release(&sb);
	gen_c_comment(&sb, "a */ b /* c \\\r\n d\x01");
	CHECK_STR(sb.buf, "a * / b / * c /?? d?");
	strbuf_release(&sb);
	gen_asm_string(&sb, "a\"b\\c\n\xff");
	CHECK_STR(sb.buf, "\"a\\\"b\\\\c\\012\\377\"");
	strbuf_release(&sb);
	gen_c_string(&sb, "a\"?\?/\n");
	CHECK_STR(sb.buf, "\"a\\\"\\?\\?/\\012\"");
	strbuf_release(&sb);
	char *s = suggestion("buidl", (const char *const[]){"build", "run", NULL}, 0);
	CHECK_STR(s, "did you mean 'build'?");
	free(s);
	s = suggestion("zzz", (const char *const[]){"build", "run", NULL}, 0);
	CHECK_STR(s, "known: build, run");
	free(s);
	char *n = path_normalize("/a/./b//../c/");
	CHECK_STR(n, "/a/c");
	free(n);
	n = path_normalize("/..");
	CHECK_STR(n, "/");
	free(n);
	CHECK(path_under("/a/b/c", "/a/b") && path_under("/a/b", "/a/b") &&
	      !path_under("/a/bc", "/a/b") && path_under("/a/b/c", "/a/b/"));
}

int main(void)
{
	RUN(strbuf);
	RUN(strlist);
	RUN(suggest);
	RUN(paths);
	RUN(write_if_changed);
	RUN(sha256);
	RUN(template);
	RUN(json);
	RUN(strmap);
	RUN(quoting);
	return unit_failures != 0;
}
