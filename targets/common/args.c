/* args.c: boot arguments (--name=value) parsed against the generated table. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mirage_rt.h"

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		/* keep the end of line of a truncated message */
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	mirage_console_puts(buf);
}

static const char *type_word(enum mirage_arg_type t)
{
	switch (t) {
	case MIRAGE_ARG_STRING:
		return "STRING";
	case MIRAGE_ARG_INT:
		return "INT";
	case MIRAGE_ARG_BOOL:
		return "BOOL";
	}
	return "?";
}

static void usage(const char *unikernel, const struct mirage_arg_spec *specs, size_t n)
{
	say("usage: %s [--ARGUMENT=VALUE ...]\n", unikernel);
	if (n == 0) {
		say("%s takes no boot arguments\n", unikernel);
		return;
	}
	say("boot arguments:\n");
	for (size_t i = 0; i < n; i++) {
		const struct mirage_arg_spec *s = &specs[i];
		char left[128];
		if (s->type == MIRAGE_ARG_BOOL)
			snprintf(left, sizeof(left), "--%s[=BOOL]", s->name);
		else
			snprintf(left, sizeof(left), "--%s=%s", s->name, type_word(s->type));
		char def[160];
		if (!s->has_default)
			snprintf(def, sizeof(def), "required");
		else if (s->type == MIRAGE_ARG_STRING)
			snprintf(def, sizeof(def), "default: \"%s\"", s->def_string);
		else if (s->type == MIRAGE_ARG_INT)
			snprintf(def, sizeof(def), "default: %lld", (long long)s->def_int);
		else
			snprintf(def, sizeof(def), "default: %s", s->def_bool ? "true" : "false");
		if (s->doc)
			say("  %-24s %s (%s)\n", left, s->doc, def);
		else
			say("  %-24s (%s)\n", left, def);
	}
}

/* Edit distance between a (n bytes) and b, capped at 3: for suggestions. */
static unsigned distance(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b);
	if (n > 32 || m > 32)
		return 3;
	unsigned d[33][33];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m] < 3 ? d[n][m] : 3;
}

/* The argument closest to name (len bytes) when close enough to be a typo. */
static const char *closest(const struct mirage_arg_spec *specs, size_t n, const char *name,
			   size_t len)
{
	unsigned cap = len / 3 < 1 ? 1 : len / 3 > 2 ? 2 : (unsigned)(len / 3), best = cap + 1;
	const char *hint = NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = distance(name, len, specs[i].name);
		if (d < best)
			best = d, hint = specs[i].name;
	}
	return hint;
}

static int parse_int(const char *v, int64_t *out)
{
	if (!*v)
		return -1;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 0);
	if (errno || *end)
		return -1;
	*out = x;
	return 0;
}

int mirage_args_parse(const char *unikernel, const struct mirage_arg_spec *specs, size_t n,
		      void *out, int argc, char **argv)
{
	char *base = out;
	bool seen[MIRAGE_MAX_ARGUMENTS] = {false};
	if (n > MIRAGE_MAX_ARGUMENTS)
		n = MIRAGE_MAX_ARGUMENTS;
	for (size_t i = 0; i < n; i++) {
		const struct mirage_arg_spec *s = &specs[i];
		switch (s->type) {
		case MIRAGE_ARG_STRING:
			*(const char **)(base + s->offset) = s->has_default ? s->def_string : "";
			break;
		case MIRAGE_ARG_INT:
			*(int64_t *)(base + s->offset) = s->has_default ? s->def_int : 0;
			break;
		case MIRAGE_ARG_BOOL:
			*(bool *)(base + s->offset) = s->has_default ? s->def_bool : false;
			break;
		}
	}
	for (int a = 1; a < argc; a++) {
		const char *arg = argv[a];
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			usage(unikernel, specs, n);
			return MIRAGE_ARGS_HELP;
		}
		if (strncmp(arg, "--", 2) || !arg[2]) {
			say("%s: unexpected boot argument '%s' (arguments are --name=value; try "
			    "--help)\n",
			    unikernel, arg);
			return MIRAGE_ARGS_ERROR;
		}
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const char *value = eq ? eq + 1 : NULL;
		const struct mirage_arg_spec *s = NULL;
		size_t idx = 0;
		for (size_t i = 0; i < n && !s; i++) {
			if (strlen(specs[i].name) == len && !strncmp(specs[i].name, name, len)) {
				s = &specs[i];
				idx = i;
			}
		}
		if (!s) {
			const char *hint = closest(specs, n, name, len);
			if (hint)
				say("%s: unknown boot argument '--%.*s' (did you mean '--%s'?)\n",
				    unikernel, (int)len, name, hint);
			else
				say("%s: unknown boot argument '--%.*s' (try --help)\n", unikernel,
				    (int)len, name);
			return MIRAGE_ARGS_ERROR;
		}
		if (seen[idx]) {
			say("%s: boot argument --%s is given twice\n", unikernel, s->name);
			return MIRAGE_ARGS_ERROR;
		}
		seen[idx] = true;
		if (!value && s->type != MIRAGE_ARG_BOOL) {
			say("%s: boot argument --%s needs a value (--%s=%s)\n", unikernel, s->name,
			    s->name, type_word(s->type));
			return MIRAGE_ARGS_ERROR;
		}
		switch (s->type) {
		case MIRAGE_ARG_STRING:
			*(const char **)(base + s->offset) = value;
			break;
		case MIRAGE_ARG_INT: {
			int64_t v;
			if (parse_int(value, &v) < 0) {
				say("%s: boot argument --%s: '%s' is not a 64-bit integer\n",
				    unikernel, s->name, value ? value : "");
				return MIRAGE_ARGS_ERROR;
			}
			*(int64_t *)(base + s->offset) = v;
			break;
		}
		case MIRAGE_ARG_BOOL:
			if (!value || !strcmp(value, "true")) {
				*(bool *)(base + s->offset) = true;
			} else if (!strcmp(value, "false")) {
				*(bool *)(base + s->offset) = false;
			} else {
				say("%s: boot argument --%s: '%s' is not true or false\n",
				    unikernel, s->name, value);
				return MIRAGE_ARGS_ERROR;
			}
			break;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!specs[i].has_default && !seen[i]) {
			say("%s: missing required boot argument --%s=%s\n", unikernel,
			    specs[i].name, type_word(specs[i].type));
			return MIRAGE_ARGS_ERROR;
		}
	}
	return MIRAGE_ARGS_OK;
}

int mirage_args_split(char *cmdline, int skip, char **argv, int max)
{
	int argc = 0;
	argv[argc++] = (char *)mirage_manifest.unikernel;
	char *p = cmdline, *out;
	while (*p && argc < max) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		char *word = out = p;
		int quoted = 0;
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			else
				*out++ = *p;
			p++;
		}
		if (*p)
			p++;
		*out = '\0';
		if (skip) {
			skip = 0;
			continue;
		}
		argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}
