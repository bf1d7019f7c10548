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
			say("%s: unknown boot argument '--%.*s' (try --help)\n", unikernel,
			    (int)len, name);
			return MIRAGE_ARGS_ERROR;
		}
		seen[idx] = true;
		switch (s->type) {
		case MIRAGE_ARG_STRING:
			if (!value) {
				say("%s: boot argument --%s needs a value (--%s=STRING)\n",
				    unikernel, s->name, s->name);
				return MIRAGE_ARGS_ERROR;
			}
			*(const char **)(base + s->offset) = value;
			break;
		case MIRAGE_ARG_INT: {
			int64_t v;
			if (!value || parse_int(value, &v) < 0) {
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
