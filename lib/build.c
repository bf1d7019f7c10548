/* build.c: incremental, parallel execution of a plan. */
#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "proc.h"

/* The command as recorded beside an output: arguments separated by NUL. */
static char *command_text(const struct step *s, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < s->argv.len; i++)
		strbuf_add(&sb, s->argv.items[i], strlen(s->argv.items[i]) + 1);
	*len = sb.len;
	return strbuf_detach(&sb);
}

static char *cmd_path(const struct step *s)
{
	return xasprintf("%s.cmd", s->out);
}

/* Prerequisites listed in a make-style depfile ("out: a b \\\n c"), relative
 * paths taken from cwd. */
static void read_depfile(const char *path, const char *cwd, struct strlist *out)
{
	char *text = file_read(path, NULL);
	if (!text)
		return;
	char *p = strchr(text, ':');
	/* skip "out:" (an output path may hold no ':' here: we choose it) */
	p = p ? p + 1 : text + strlen(text);
	struct strbuf word = STRBUF_INIT;
	for (;; p++) {
		if (*p == '\\' && p[1] == '\n') {
			p++;
			continue;
		}
		if (*p == '\\' && p[1] == ' ') {
			strbuf_addc(&word, ' ');
			p++;
			continue;
		}
		if (*p == '\0' || *p == ' ' || *p == '\n' || *p == '\t') {
			if (word.len) {
				strlist_push_owned(out, path_join(cwd, word.buf));
				word.len = 0;
				word.buf[0] = '\0';
			}
			if (*p == '\0' || (*p == '\n' && p[1] && p[1] != ' '))
				break; /* -MP phony targets follow: not needed */
			continue;
		}
		strbuf_addc(&word, *p);
	}
	strbuf_release(&word);
	free(text);
}

static bool newer_than(const char *input, int64_t t)
{
	int64_t m = file_mtime_ns(input);
	return m < 0 || m > t;
}

/* Whether s must run: its output is missing or older than an input, its
 * recorded command differs, or a step it depends on runs. */
static bool stale(const struct plan *p, size_t i, const bool *dirty)
{
	const struct step *s = &p->steps[i];
	for (size_t j = 0; j < i; j++)
		if (dirty[j] && strlist_has(&s->inputs, p->steps[j].out))
			return true;
	int64_t t = file_mtime_ns(s->out);
	if (t < 0)
		return true;
	char *cp = cmd_path(s);
	size_t len, old_len;
	char *want = command_text(s, &len);
	char *old = file_read(cp, &old_len);
	bool changed = !old || old_len != len || memcmp(old, want, len);
	free(cp);
	free(want);
	free(old);
	if (changed)
		return true;
	for (size_t j = 0; j < s->inputs.len; j++)
		if (newer_than(s->inputs.items[j], t))
			return true;
	if (s->depfile) {
		struct strlist deps = STRLIST_INIT;
		read_depfile(s->depfile, s->cwd, &deps);
		bool any = deps.len == 0; /* no depfile: cannot know, so rebuild */
		for (size_t j = 0; j < deps.len && !any; j++)
			any = newer_than(deps.items[j], t);
		strlist_release(&deps);
		if (any)
			return true;
	}
	return false;
}

/* The step as a shell would run it. */
static void print_step(FILE *f, const struct step *s)
{
	if (s->cwd)
		fprintf(f, "cd %s && ", s->cwd);
	proc_print(f, s->argv.items);
}

struct job {
	pid_t pid;
	const struct step *step;
};

static int start_step(const struct step *s, const struct build_opts *o, size_t n, size_t total,
		      pid_t *pid)
{
	char *dir = path_dirname(s->out);
	int rc = mkdir_p(dir);
	free(dir);
	if (rc < 0)
		return -1;
	/* no record while the output is being replaced: an interrupted step
	 * runs again next time */
	char *cp = cmd_path(s);
	unlink(cp);
	free(cp);
	if (o->verbose)
		print_step(stderr, s);
	else if (o->progress)
		fprintf(stderr, "[%zu/%zu] %s\n", n, total, s->label);
	*pid = proc_start_in(s->argv.items, s->cwd);
	return *pid < 0 ? -1 : 0;
}

static int finish_step(const struct step *s, int status)
{
	if (status != 0) {
		unlink(s->tmp);
		if (s->kind == STEP_COMPILE)
			return error("%s failed (the compiler's messages are above)", s->label);
		return error("%s failed (exit status %d)", s->label, status);
	}
	if (rename(s->tmp, s->out) < 0)
		return error("rename %s:", s->tmp);
	size_t len;
	char *text = command_text(s, &len);
	char *cp = cmd_path(s);
	int rc = file_write_atomic(cp, text, len, 0644);
	free(cp);
	free(text);
	return rc;
}

int build_run(const struct plan *p, const struct build_opts *o)
{
	bool *dirty = xcalloc(p->n, sizeof(*dirty));
	size_t total = 0;
	for (size_t i = 0; i < p->n; i++) {
		dirty[i] = stale(p, i, dirty);
		total += dirty[i];
	}
	if (o->dry_run) {
		for (size_t i = 0; i < p->n; i++)
			if (dirty[i])
				print_step(stdout, &p->steps[i]);
		free(dirty);
		return (int)total;
	}
	int jobs = o->jobs > 0 ? o->jobs : 1;
	struct job *running = xcalloc((size_t)jobs, sizeof(*running));
	size_t nrunning = 0, started = 0;
	int rc = 0;
	/* compiles run in parallel; the archive and the link each wait for
	 * everything before them */
	for (size_t i = 0; i <= p->n && rc == 0; i++) {
		bool barrier = i == p->n || p->steps[i].kind != STEP_COMPILE;
		while (nrunning && (barrier || nrunning == (size_t)jobs)) {
			/* the oldest is likely the first to finish */
			struct job done = running[0];
			memmove(running, running + 1, --nrunning * sizeof(*running));
			const struct step *s = done.step;
			int status = proc_wait(done.pid);
			if (finish_step(s, status) < 0)
				rc = -1;
		}
		if (i == p->n || rc < 0)
			break;
		if (!dirty[i])
			continue;
		pid_t pid;
		if (start_step(&p->steps[i], o, ++started, total, &pid) < 0) {
			rc = -1;
			break;
		}
		running[nrunning].pid = pid;
		running[nrunning].step = &p->steps[i];
		nrunning++;
	}
	/* after a failure, let the compiles already started finish quietly */
	while (nrunning) {
		nrunning--;
		int status = proc_wait(running[nrunning].pid);
		if (status == 0)
			finish_step(running[nrunning].step, 0);
		else
			unlink(running[nrunning].step->tmp);
	}
	free(running);
	free(dirty);
	return rc < 0 ? -1 : (int)total;
}
