/* init.c: mirage init, a starter unikernel. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/diag.h"
#include "../lib/proc.h"
#include "../lib/template.h"
#include "cmd.h"

/* A valid unikernel name from a directory name: "My App" -> "my-app",
 * "9lives" -> "u9lives" (a name starts with a letter). */
static char *name_from(const char *dir)
{
	char real[PATH_MAX];
	const char *base = realpath(dir, real) ? path_basename(real) : path_basename(dir);
	struct strbuf sb = STRBUF_INIT;
	for (const char *s = base; *s && sb.len < 62; s++) {
		char ch = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')
			strbuf_addc(&sb, ch);
		else if (sb.len && sb.buf[sb.len - 1] != '-')
			strbuf_addc(&sb, '-');
	}
	while (sb.len && (sb.buf[sb.len - 1] == '-'))
		sb.buf[--sb.len] = '\0';
	if (!sb.len) {
		strbuf_release(&sb);
		return xstrdup("unikernel");
	}
	if (!(sb.buf[0] >= 'a' && sb.buf[0] <= 'z')) {
		char *named = xasprintf("u%s", sb.buf);
		strbuf_release(&sb);
		return named;
	}
	return strbuf_detach(&sb);
}

static bool valid_name(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z') || strlen(s) > 63)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(s);
}

static int init(struct cmd *c)
{
	const char *dir = c->nargs ? c->args[0] : ".";
	if (c->name && !valid_name(c->name)) {
		error("--name %s: not a valid unikernel name (lowercase letters, digits, '_' and "
		      "'-', starting with a letter, at most 63 characters)",
		      c->name);
		return failed(FAIL_USAGE);
	}
	if (mkdir_p(dir) < 0)
		return failed(FAIL_ERROR);
	char *datadir = project_datadir();
	if (!datadir)
		return failed(FAIL_ERROR);
	char *name = c->name ? xstrdup(c->name) : name_from(dir);
	const char *vars[] = {"NAME", name, NULL};
	static const char *const files[] = {"mirage.yaml", "unikernel.c"};
	int rc = 0;
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		char *path = path_join(dir, files[i]);
		if (access(path, F_OK) == 0)
			rc = error("%s already exists: not overwritten", path);
		free(path);
	}
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		char *tmpl = xasprintf("init/%s", files[i]);
		char *text = template_render(datadir, tmpl, vars);
		char *path = path_join(dir, files[i]);
		if (!text || file_write_atomic(path, text, strlen(text), 0644) < 0)
			rc = -1;
		else
			printf("wrote %s\n", path);
		free(path);
		free(text);
		free(tmpl);
	}
	if (rc == 0 && !c->name) {
		char real[PATH_MAX];
		const char *base = realpath(dir, real) ? path_basename(real) : path_basename(dir);
		if (strcmp(base, name))
			printf("the unikernel is named '%s' (--name chooses another)\n", name);
	}
	if (rc == 0) {
		struct strbuf cd = STRBUF_INIT;
		if (strcmp(dir, ".")) {
			strbuf_adds(&cd, "cd ");
			shell_quote(&cd, dir);
			strbuf_adds(&cd, " && ");
		}
		printf("next: %smirage build && mirage run\n", cd.buf ? cd.buf : "");
		strbuf_release(&cd);
	}
	free(name);
	free(datadir);
	return rc < 0 ? failed(FAIL_ERROR) : 0;
}

static int set_name(struct cmd *c, const char *arg)
{
	c->name = arg;
	return 0;
}

static const struct cmd_option options[] = {
    {"name", 0, "NAME", "the unikernel's name (default: from the directory's name)", set_name},
    {0}};

const struct command cmd_init = {
    .name = "init",
    .fn = init,
    .options = options,
    .max_args = 1,
    .args = "[DIR]",
    .summary = "write a starter mirage.yaml and unikernel.c",
    .help = "Writes a commented starter mirage.yaml and unikernel.c into DIR (default: the\n"
	    "current directory; created when missing). Existing files are never\n"
	    "overwritten.\n",
};
