/* mirage.c: the command table, the dispatcher, the help texts and the exit
 * statuses. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/diag.h"
#include "cmd.h"

static const struct command *const commands[] = {
    &cmd_init,	&cmd_configure, &cmd_build, &cmd_run,	&cmd_describe,
    &cmd_query, &cmd_targets,	&cmd_clean, &cmd_fetch, &cmd_help,
};

/* --- the options every command of a kind takes --- */

static int set_file(struct cmd *c, const char *arg)
{
	c->popts.file = arg;
	return 0;
}

static int set_target(struct cmd *c, const char *arg)
{
	c->popts.target = arg;
	return 0;
}

static int set_arch(struct cmd *c, const char *arg)
{
	c->popts.arch = arg;
	return 0;
}

static int set_impl(struct cmd *c, const char *arg)
{
	strlist_push(&c->popts.impls, arg);
	return 0;
}

static int set_output(struct cmd *c, const char *arg)
{
	c->popts.outdir = arg;
	return 0;
}

static int set_unsafe(struct cmd *c, const char *arg)
{
	(void)arg;
	c->popts.allow_unsafe_flags = true;
	return 0;
}

static int set_json(struct cmd *c, const char *arg)
{
	(void)arg;
	c->json = true;
	return 0;
}

static int set_verbose(struct cmd *c, const char *arg)
{
	(void)arg;
	c->verbose = true;
	return 0;
}

static const struct cmd_option file_option = {
    "file", 'f', "FILE", "the description (default: mirage.yaml here or above)", set_file};
static const struct cmd_option project_options[] = {
    {"target", 't', "TARGET",
     "the target (default: $MIRAGE_TARGET, else the last configured here, else "
     "$MIRAGE_DEFAULT_TARGET, else unix)",
     set_target},
    {"arch", 0, "ARCH",
     "x86_64 or aarch64 (default: $MIRAGE_ARCH, else the one last configured for the target "
     "here, else this machine's)",
     set_arch},
    {"output", 'o', "DIR", "the build directory (default: _build/TARGET-ARCH)", set_output},
    {"impl", 0, "TYPE=IMPL",
     "serve devices of TYPE with the target's implementation IMPL (default: the one last "
     "chosen for the target here, else the target's first; see mirage targets)",
     set_impl},
    {0}};
static const struct cmd_option unsafe_option = {
    "allow-unsafe-flags", 0, NULL,
    "allow cflags that run or load host programs (-wrapper, -fplugin, -B, ...)", set_unsafe};
static int set_offline(struct cmd *c, const char *arg)
{
	(void)arg;
	c->popts.offline = true;
	return 0;
}

static const struct cmd_option offline_option = {
    "offline", 0, NULL,
    "never download: a fetch: archive missing from the cache is an error (also MIRAGE_OFFLINE=1)",
    set_offline};
static const struct cmd_option json_option = {
    "json", 0, NULL, "print a JSON report on stdout (errors included)", set_json};
static const struct cmd_option tail_options[] = {
    {"verbose", 'v', NULL, "print the commands run", set_verbose},
    {"help", 'h', NULL, "this help", NULL},
    {0}};

/* Every option cmd takes, in the order the help lists them. */
static size_t all_options(const struct command *cmd, const struct cmd_option **out)
{
	size_t n = 0;
	for (const struct cmd_option *o = cmd->options; o && o->name; o++)
		out[n++] = o;
	if (cmd->flags & (CMD_PROJECT | CMD_FILE))
		out[n++] = &file_option;
	if (cmd->flags & CMD_PROJECT)
		for (const struct cmd_option *o = project_options; o->name; o++)
			out[n++] = o;
	if (cmd->flags & CMD_UNSAFE)
		out[n++] = &unsafe_option;
	if ((cmd->flags & CMD_DOWNLOAD) && cmd != &cmd_fetch)
		out[n++] = &offline_option;
	if (cmd->flags & CMD_JSON)
		out[n++] = &json_option;
	for (const struct cmd_option *o = tail_options; o->name; o++)
		out[n++] = o;
	return n;
}

#define MAX_OPTIONS 32

/* --- help --- */

/* Appends item to the usage line, wrapping under the command. */
static void usage_item(struct strbuf *sb, size_t *width, size_t indent, const char *item)
{
	if (*width + 1 + strlen(item) > 92) {
		strbuf_addc(sb, '\n');
		for (size_t i = 0; i < indent; i++)
			strbuf_addc(sb, ' ');
		*width = indent;
	}
	strbuf_addf(sb, " %s", item);
	*width += 1 + strlen(item);
}

static void usage_line(const struct command *cmd, struct strbuf *sb)
{
	const struct cmd_option *opts[MAX_OPTIONS];
	size_t n = all_options(cmd, opts);
	strbuf_addf(sb, "mirage %s", cmd->name);
	size_t width = 7 + sb->len, indent = 7 + sb->len;
	char item[96];
	for (size_t t = 0; (cmd->flags & CMD_ATTACH) && t < MIRAGE_DEVTYPE_COUNT; t++) {
		const struct devtype *d = devtype_of((unsigned)t);
		if (!d->attach_flag)
			continue;
		snprintf(item, sizeof(item), "[--%s:NAME=%s]", d->attach_flag, d->placeholder);
		usage_item(sb, &width, indent, item);
	}
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(opts[i]->name, "help") || !strcmp(opts[i]->name, "verbose") ||
		    !opts[i]->set || !opts[i]->help)
			continue;
		if (opts[i]->short_name)
			snprintf(item, sizeof(item), "[-%c%s%s]", opts[i]->short_name,
				 opts[i]->arg ? " " : "", opts[i]->arg ? opts[i]->arg : "");
		else
			snprintf(item, sizeof(item), "[--%s%s%s]", opts[i]->name,
				 opts[i]->arg ? " " : "", opts[i]->arg ? opts[i]->arg : "");
		usage_item(sb, &width, indent, item);
	}
	if (cmd->args)
		usage_item(sb, &width, indent, cmd->args);
	if (cmd->flags & CMD_ATTACH)
		usage_item(sb, &width, indent, "[-- ARGS...]");
}

/* One option of the help: its names, then its text wrapped at 80 columns. */
static void option_line(const char *names, const char *help)
{
	enum { LEFT = 28, WIDTH = 80 };
	printf("%-*s", LEFT, names);
	size_t col = LEFT;
	if (strlen(names) >= LEFT) {
		printf("\n%*s", LEFT, "");
	}
	for (const char *w = help; *w;) {
		size_t n = strcspn(w, " ");
		if (col > LEFT && col + 1 + n > WIDTH) {
			printf("\n%*s", LEFT, "");
			col = LEFT;
		} else if (col > LEFT) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)n, w);
		col += n;
		w += n;
		while (*w == ' ')
			w++;
	}
	putchar('\n');
}

void command_help(const struct command *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	usage_line(cmd, &sb);
	printf("usage: %s\n\n%s\n", sb.buf, cmd->help);
	strbuf_release(&sb);
	const struct cmd_option *opts[MAX_OPTIONS];
	size_t n = all_options(cmd, opts);
	char left[80], help[128];
	for (size_t t = 0; (cmd->flags & CMD_ATTACH) && t < MIRAGE_DEVTYPE_COUNT; t++) {
		const struct devtype *d = devtype_of((unsigned)t);
		if (!d->attach_flag)
			continue;
		snprintf(left, sizeof(left), "      --%s:NAME=%s", d->attach_flag, d->placeholder);
		snprintf(help, sizeof(help), "attach %s device NAME to %s %s", d->name,
			 d->value == MIRAGE_DEV_NET ? "tap interface" : "file", d->placeholder);
		option_line(left, help);
	}
	for (size_t i = 0; i < n; i++) {
		if (!opts[i]->help)
			continue; /* taken only to say why it is refused */
		if (opts[i]->short_name)
			snprintf(left, sizeof(left), "  -%c, --%s%s%s", opts[i]->short_name,
				 opts[i]->name, opts[i]->arg ? " " : "",
				 opts[i]->arg ? opts[i]->arg : "");
		else
			snprintf(left, sizeof(left), "      --%s%s%s", opts[i]->name,
				 opts[i]->arg ? " " : "", opts[i]->arg ? opts[i]->arg : "");
		option_line(left, opts[i]->help);
	}
}

static void overview(FILE *f)
{
	fprintf(f, "usage: mirage [--version] [-v] COMMAND [OPTIONS]\n\n"
		   "Builds C unikernels described by mirage.yaml for unix and other targets.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-11s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f,
		"\n'mirage help COMMAND' tells more. Exit statuses: 0 ok, 1 error, 2 usage,\n"
		"3 invalid description, 4 build failed; mirage run exits with the unikernel's.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *names[ARRAY_SIZE(commands) + 1] = {NULL};
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i]->name;
	char *hint = suggestion(name, names, ARRAY_SIZE(commands));
	fprintf(stderr, "mirage: '%s' is not a mirage command (%s)\n", name, hint);
	free(hint);
	return 2;
}

static int help_fn(struct cmd *c)
{
	if (!c->nargs) {
		overview(stdout);
		return 0;
	}
	const struct command *cmd = find_command(c->args[0]);
	if (!cmd) {
		unknown_command(c->args[0]);
		return failed(FAIL_USAGE);
	}
	command_help(cmd);
	return 0;
}

const struct command cmd_help = {
    .name = "help",
    .fn = help_fn,
    .max_args = 1,
    .args = "[COMMAND]",
    .summary = "show the help of a command",
    .help = "Prints the help of COMMAND, or the overview.",
};

/* --- exit statuses: the one place categories become statuses --- */

static int exit_status(const struct command *cmd, enum failure f)
{
	if (cmd->flags & CMD_RUN_STATUS) {
		switch (f) {
		case FAIL_NOTFOUND:
			return 127; /* a program it needs is missing */
		case FAIL_NOEXEC:
			return 126; /* it could not be executed */
		default:
			return 125; /* mirage failed before the unikernel started */
		}
	}
	switch (f) {
	case FAIL_USAGE:
		return 2;
	case FAIL_DESCRIPTION:
		return 3;
	case FAIL_BUILD:
	case FAIL_FETCH:
		return 4;
	default:
		return 1;
	}
}

/* Ends a command: with --json prints the report (and the errors) on stdout;
 * checks that stdout was written. */
static int finish(struct cmd *c, const struct command *cmd, int rc)
{
	int status = rc >= 0 ? rc : exit_status(cmd, diag_failure());
	if (c->json) {
		struct json *report = c->report ? c->report : json_object();
		c->report = NULL;
		json_set_bool(report, "ok", status == 0);
		size_t n;
		const struct diag *d = diag_list(&n);
		if (n) {
			struct json *errs = json_array();
			for (size_t i = 0; i < n; i++) {
				struct json *e = json_object();
				if (d[i].file) {
					json_set_str(e, "file", d[i].file);
					json_set_int(e, "line", d[i].line);
					json_set_int(e, "col", d[i].col);
				}
				json_set_str(e, "message", d[i].message);
				json_push(errs, e);
			}
			json_set(report, "diagnostics", errs);
		}
		json_set_int(report, "exit_status", status);
		char *text = json_render(report, true);
		fputs(text, stdout);
		free(text);
		json_free(report);
	}
	if (c->report)
		json_free(c->report);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mirage: cannot write to standard output: %s\n", strerror(errno));
		return status ? status : 1;
	}
	return status;
}

/* --- the dispatcher --- */

static int usage_error(const struct command *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "mirage %s: ", cmd->name);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	failed(FAIL_USAGE);
	return -1;
}

/* An option that is none of cmd's, with the closest one. */
static int unknown_option(const struct command *cmd, const char *arg)
{
	const struct cmd_option *opts[MAX_OPTIONS];
	size_t n = all_options(cmd, opts);
	const char *names[MAX_OPTIONS + 1] = {NULL};
	char buf[MAX_OPTIONS][64];
	for (size_t i = 0; i < n; i++) {
		snprintf(buf[i], sizeof(buf[i]), "--%s", opts[i]->name);
		names[i] = buf[i];
	}
	char word[64];
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(arg, "="), arg);
	const char *hint = str_suggest(word, names, n);
	char msg[160];
	if (hint)
		snprintf(msg, sizeof(msg), "unknown option '%%s' (did you mean '%s'?)", hint);
	else
		snprintf(msg, sizeof(msg), "unknown option '%%s' (see 'mirage help %s')",
			 cmd->name);
	return usage_error(cmd, msg, arg);
}

/* Parses argv (argv[0] is the command's name) into c. Returns 0, 1 for
 * --help, or -1 (reported). */
static int parse(const struct command *cmd, int argc, char **argv, struct cmd *c)
{
	const struct cmd_option *opts[MAX_OPTIONS];
	size_t n = all_options(cmd, opts);
	struct option longopts[MAX_OPTIONS + 1];
	char shortopts[2 * MAX_OPTIONS + 2] = ":";
	size_t ns = 1;
	for (size_t i = 0; i < n; i++) {
		longopts[i] =
		    (struct option){opts[i]->name, opts[i]->arg ? required_argument : no_argument,
				    NULL, 256 + (int)i};
		if (opts[i]->short_name) {
			shortopts[ns++] = (char)opts[i]->short_name;
			if (opts[i]->arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[n] = (struct option){0};
	shortopts[ns] = '\0';
	/* attachments and boot arguments are not getopt's: taken out first */
	char **rest = xcalloc((size_t)argc + 1, sizeof(*rest));
	int nrest = 0, rc = 0;
	for (int i = 0; i < argc; i++) {
		const char *spec;
		int type = i && (cmd->flags & CMD_ATTACH)
			       ? mirage_devtype_attach_option(argv[i], &spec)
			       : -1;
		if (i && (cmd->flags & CMD_ATTACH) && !strcmp(argv[i], "--")) {
			c->run.args = argv + i + 1;
			c->run.nargs = argc - i - 1;
			break;
		}
		if (type >= 0) {
			if (run_attach(&c->run, devtype_of((unsigned)type), spec) < 0)
				rc = -1;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	opterr = 0;
	optind = 1;
	int ch;
	while (rc == 0 && (ch = getopt_long(nrest, rest, shortopts, longopts, NULL)) != -1) {
		const struct cmd_option *o = NULL;
		if (ch >= 256)
			o = opts[ch - 256];
		for (size_t i = 0; i < n && !o && ch < 256; i++)
			if (opts[i]->short_name == ch)
				o = opts[i];
		if (ch == '?') {
			rc = optopt ? usage_error(cmd, "unknown option '-%c'",
						  (char[]){(char)optopt, 0})
				    : unknown_option(cmd, rest[optind - 1]);
		} else if (ch == ':') {
			rc = usage_error(cmd, "option '%s' needs a value", rest[optind - 1]);
		} else if (!strcmp(o->name, "help")) {
			c->rest = rest;
			return 1;
		} else if (o->set(c, optarg) < 0) {
			rc = -1;
			failed(FAIL_USAGE);
		}
	}
	if (rc == 0) {
		c->args = rest + optind;
		c->nargs = nrest - optind;
		if (c->nargs < cmd->min_args || c->nargs > cmd->max_args) {
			if (c->nargs > cmd->max_args && (cmd->flags & CMD_ATTACH))
				rc = usage_error(cmd,
						 "unexpected '%s' (boot arguments go after '--')",
						 c->args[cmd->max_args]);
			else if (c->nargs > cmd->max_args)
				rc = usage_error(cmd, "unexpected '%s'", c->args[cmd->max_args]);
			else
				rc = usage_error(cmd, "%s is missing", cmd->args);
		} else if (cmd->check && cmd->check(c) < 0) {
			rc = -1;
		}
	}
	c->rest = rest; /* c->args points into it */
	return rc;
}

/* What parse made. */
static void release_parsed(struct cmd *c)
{
	run_opts_release(&c->run);
	strlist_release(&c->popts.impls);
	free(c->rest);
}

static int dispatch(const struct command *cmd, int argc, char **argv, bool verbose)
{
	struct cmd c;
	memset(&c, 0, sizeof(c));
	c.verbose = verbose;
	c.popts.use_last = (cmd->flags & CMD_USE_LAST) != 0;
	int rc = parse(cmd, argc, argv, &c);
	if (rc == 1) {
		command_help(cmd);
		release_parsed(&c);
		return fflush(stdout) ? 1 : 0;
	}
	if (rc < 0) {
		release_parsed(&c);
		return exit_status(cmd, diag_failure());
	}
	diag_set_collect(c.json);
	if (cmd == &cmd_build && build_is_matrix(&c)) {
		/* several pairs: each a build of its own */
		rc = build_matrix(&c);
		rc = finish(&c, cmd, rc);
		release_parsed(&c);
		return rc;
	}
	if ((cmd->flags & CMD_PROJECT) && fast_open(cmd, &c) == 1) {
		c.have_project = true; /* nothing changed since the last full check */
	} else if (cmd->flags & CMD_PROJECT) {
		rc = project_open(&c.p, &c.popts);
		c.have_project = true;
		c.p.offline = project_offline(&c.popts) && cmd != &cmd_fetch;
		if (rc == 0 && (cmd->flags & (CMD_FETCH | CMD_DOWNLOAD)))
			rc = project_fetch(&c.p, (cmd->flags & CMD_DOWNLOAD) && !c.p.offline);
		if (rc == 0 && (cmd->flags & CMD_PLAN))
			rc = project_plan(&c.p);
	}
	if (rc == 0)
		rc = cmd->fn(&c);
	if (c.have_project)
		project_release(&c.p);
	stamp_facts_release(&c.facts);
	rc = finish(&c, cmd, rc);
	release_parsed(&c);
	return rc;
}

int main(int argc, char **argv)
{
	bool verbose = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("mirage %s\n", MIRAGE_VERSION);
			return fflush(stdout) ? 1 : 0;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			overview(stdout);
			return fflush(stdout) ? 1 : 0;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else {
			fprintf(stderr, "mirage: unknown option '%s' (see 'mirage help')\n",
				argv[i]);
			return 2;
		}
	}
	if (i == argc) {
		overview(stderr);
		return 2;
	}
	const struct command *cmd = find_command(argv[i]);
	if (!cmd)
		return unknown_command(argv[i]);
	return dispatch(cmd, argc - i, argv + i, verbose);
}
