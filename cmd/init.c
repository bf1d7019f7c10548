/* init.c: mirage init, a starter unikernel. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/diag.h"
#include "../lib/template.h"
#include "cmd.h"

/* A valid unikernel name from a directory name: "My App" -> "my-app". */
static char *name_from(const char *dir)
{
	char real[PATH_MAX];
	const char *base = realpath(dir, real) ? path_basename(real) : path_basename(dir);
	struct strbuf sb = STRBUF_INIT;
	for (const char *s = base; *s && sb.len < 63; s++) {
		char ch = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')
			strbuf_addc(&sb, ch);
		else if (sb.len && sb.buf[sb.len - 1] != '-')
			strbuf_addc(&sb, '-');
	}
	while (sb.len && (sb.buf[sb.len - 1] == '-'))
		sb.buf[--sb.len] = '\0';
	if (!sb.len || !(sb.buf[0] >= 'a' && sb.buf[0] <= 'z')) {
		strbuf_release(&sb);
		return xstrdup("hello");
	}
	return strbuf_detach(&sb);
}

int cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h')
			return command_help("init");
		return usage_error("init");
	}
	if (argc - optind > 1)
		return usage_error("init");
	const char *dir = optind < argc ? argv[optind] : ".";
	if (mkdir_p(dir) < 0)
		return EXIT_ERROR;
	char *datadir = project_datadir();
	if (!datadir)
		return EXIT_ERROR;
	char *name = name_from(dir);
	const char *vars[] = {"NAME", name, NULL};
	static const char *const files[] = {"mirage.yaml", "unikernel.c"};
	int rc = EXIT_OK;
	for (size_t i = 0; i < 2 && rc == EXIT_OK; i++) {
		char *path = path_join(dir, files[i]);
		if (access(path, F_OK) == 0) {
			error("%s already exists: not overwritten", path);
			rc = EXIT_ERROR;
		}
		free(path);
	}
	for (size_t i = 0; i < 2 && rc == EXIT_OK; i++) {
		char *tmpl = xasprintf("init/%s", files[i]);
		char *text = template_render(datadir, tmpl, vars);
		char *path = path_join(dir, files[i]);
		if (!text || file_write_atomic(path, text, strlen(text), 0644) < 0)
			rc = EXIT_ERROR;
		else
			printf("wrote %s\n", path);
		free(path);
		free(text);
		free(tmpl);
	}
	if (rc == EXIT_OK)
		printf("next: %s%s%smirage build && mirage run\n", strcmp(dir, ".") ? "cd " : "",
		       strcmp(dir, ".") ? dir : "", strcmp(dir, ".") ? " && " : "");
	free(name);
	free(datadir);
	return fflush(stdout) ? EXIT_ERROR : rc;
}
