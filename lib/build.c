/* build.c: incremental, parallel execution of a plan. */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "depfile.h"
#include "diag.h"
#include "proc.h"
#include "sha256.h"
#include "strmap.h"
#include "sysheader.h"

/* The command as recorded beside an output: arguments separated by NUL;
 * for outputs in the cache, then their sha256, checked at the next build. */
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

/* The prerequisites of a depfile on disk (none when it is missing). */
static void read_depfile(const char *path, struct strlist *out)
{
	char *text = file_read(path, NULL);
	if (text)
		depfile_parse(text, out);
	free(text);
}

static bool newer_than(const char *input, int64_t t)
{
	int64_t m = file_mtime_ns(input);
	return m < 0 || m > t;
}

/* An output outside the build directory lives in the cache, shared by every
 * project: it is trusted only with the digest recorded when it was made. */
static bool in_cache(const struct plan *p, const struct step *s)
{
	return !path_under(s->out, p->builddir);
}

/* What identifies a file's content short of reading it: its size, time and
 * inode ("" when it is missing). */
static void file_stamp(const char *path, char out[64])
{
	struct stat st;
	if (stat(path, &st) < 0)
		out[0] = '\0';
	else
		snprintf(out, 64, "%lld:%lld.%09ld:%llu", (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
			 (unsigned long long)st.st_ino);
}

/* The record of an output made: its command; for an output in the cache,
 * then its sha256 and its stamp (so that an unchanged file is not read
 * again to be trusted). */
static char *record_text(const struct plan *p, const struct step *s, size_t *len)
{
	char *text = command_text(s, len);
	if (!in_cache(p, s))
		return text;
	char hex[65], stamp[64];
	if (sha256_file(s->out, hex) < 0)
		memset(hex, '-', 64), hex[64] = '\0';
	file_stamp(s->out, stamp);
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, text, *len);
	strbuf_add(&sb, hex, 65);
	strbuf_add(&sb, stamp, strlen(stamp) + 1);
	free(text);
	*len = sb.len;
	return strbuf_detach(&sb);
}

/* Whether s's output is there with the record it was made with: the same
 * command, and for the cache the same digest (read again only when the
 * stamp changed). */
static bool recorded(const struct plan *p, const struct step *s)
{
	if (file_mtime_ns(s->out) < 0)
		return false;
	char *cp = cmd_path(s);
	size_t len, old_len;
	char *want = command_text(s, &len);
	char *old = file_read(cp, &old_len);
	free(cp);
	bool same = old && old_len >= len && !memcmp(old, want, len);
	if (same && in_cache(p, s)) {
		/* then HEX\0STAMP\0 */
		const char *hex = old + len;
		const char *stamp = old_len >= len + 65 ? hex + 65 : NULL;
		same = stamp && hex[64] == '\0' && old[old_len - 1] == '\0' &&
		       strlen(stamp) + 1 == old_len - len - 65;
		char now[64], digest[65];
		file_stamp(s->out, now);
		if (same && strcmp(now, stamp))
			same = sha256_file(s->out, digest) == 0 && !strcmp(digest, hex);
	} else if (same) {
		same = old_len == len;
	}
	free(want);
	free(old);
	return same;
}

/* Whether s must run: its output is missing or older than an input, its
 * record differs, or a step making one of its inputs runs. */
static bool stale(const struct plan *p, size_t i, const bool *dirty, const struct strmap *outs)
{
	const struct step *s = &p->steps[i];
	for (size_t j = 0; j < s->inputs.len; j++) {
		size_t k;
		if (strmap_get(outs, s->inputs.items[j], &k) && dirty[k])
			return true;
	}
	if (!recorded(p, s))
		return true;
	int64_t t = file_mtime_ns(s->out);
	for (size_t j = 0; j < s->inputs.len; j++)
		if (newer_than(s->inputs.items[j], t))
			return true;
	if (s->depfile) {
		struct strlist deps = STRLIST_INIT;
		read_depfile(s->depfile, &deps);
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
	if (s->cwd) {
		struct strbuf sb = STRBUF_INIT;
		shell_quote(&sb, s->cwd);
		fprintf(f, "cd %s && ", sb.buf);
		strbuf_release(&sb);
	}
	proc_print(f, s->argv.items);
}

struct job {
	size_t step;
	pid_t pid;
	int fd;	   /* its output, until it ends */
	char *tmp; /* its temporary output, this process's own */
	struct strbuf out;
};

static int start_job(const struct step *s, size_t index, const struct build_opts *o, size_t n,
		     size_t total, struct job *j)
{
	memset(j, 0, sizeof(*j));
	j->step = index;
	j->fd = -1;
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
	static unsigned serial;
	j->tmp = xasprintf("%s.%ld.%u", s->tmp, (long)getpid(), serial++);
	char **argv = xcalloc(s->argv.len + 1, sizeof(*argv));
	for (size_t i = 0; i < s->argv.len; i++)
		argv[i] = !strcmp(s->argv.items[i], s->tmp) ? j->tmp : s->argv.items[i];
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		free(argv);
		return error("pipe:");
	}
	struct proc_opts po = {s->cwd, NULL, fds[1], false};
	j->pid = proc_spawn(argv, &po);
	free(argv);
	close(fds[1]);
	if (j->pid < 0) {
		close(fds[0]);
		return -1;
	}
	j->fd = fds[0];
	return 0;
}

/* A job's messages, with the step's paths as the user wrote them. */
static char *shown_output(const struct step *s, const struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *text = out->buf ? out->buf : "";
	size_t n = s->shown_from ? strlen(s->shown_from) : 0;
	for (const char *at; n && (at = strstr(text, s->shown_from)); text = at + n) {
		strbuf_add(&sb, text, (size_t)(at - text));
		strbuf_adds(&sb, s->shown_as);
	}
	strbuf_adds(&sb, text);
	return strbuf_detach(&sb);
}

/* Why a compile failed when it is a system header mirage's C library does
 * not have: "FILE:LINE:COL: fatal error: NAME: No such file or directory"
 * (gcc). Records the error at that position; returns whether it did. */
static bool missing_header(const char *text)
{
	static const char what[] = ": fatal error: ", tail[] = ": No such file or directory";
	bool found = false;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = xstrndup(line, len);
		char *f = strstr(l, what), *t = f ? strstr(f, tail) : NULL;
		if (t) {
			*f = '\0';
			*t = '\0';
			const char *header = f + strlen(what);
			struct pos p = {l, 0, 0};
			char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (c1 && c2) {
				*c1 = *c2 = '\0';
				p.line = atoi(c1 + 1);
				p.col = atoi(c2 + 1);
			}
			if (sysheader_known(header)) {
				error_at(
				    p.line ? &p : NULL,
				    "'%s' is not part of mirage's C library; see README: C library",
				    header);
				found = true;
			}
		}
		free(l);
		line += len + (end != NULL);
	}
	return found;
}

/* The symbols a failed link lacks ("undefined reference to `NAME'"),
 * recorded in one error; returns whether there were any. */
static bool undefined_symbols(const struct step *s, const char *text)
{
	static const char what[] = "undefined reference to `";
	struct strlist syms = STRLIST_INIT;
	for (const char *at = text; (at = strstr(at, what));) {
		at += strlen(what);
		size_t n = strcspn(at, "'\n");
		char *sym = xstrndup(at, n);
		if (!strlist_has(&syms, sym))
			strlist_push(&syms, sym);
		free(sym);
	}
	if (!syms.len)
		return false;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < syms.len; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", syms.items[i]);
	error("%s failed: undefined: %s (defined by no source of the unikernel and no library "
	      "of the target; see README: C library)",
	      s->label, sb.buf);
	strbuf_release(&sb);
	strlist_release(&syms);
	return true;
}

/* For a report (--json): each "FILE:LINE:COL: error: ..." (or warning,
 * fatal error) line of a step's output, recorded at its position; then,
 * when the step failed, the whole output with the failure. */
static void record_tool_messages(const struct step *s, const char *text, bool step_failed)
{
	char *copy = xstrdup(text);
	for (char *line = copy, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *c1 = strchr(line, ':'), *end;
		long ln = c1 ? strtol(c1 + 1, &end, 10) : 0;
		long col = ln > 0 && *end == ':' ? strtol(end + 1, &end, 10) : 0;
		if (c1 && ln > 0 && col > 0 && *end == ':' && end[1] == ' ' &&
		    (!strncmp(end + 2, "error: ", 7) || !strncmp(end + 2, "warning: ", 9) ||
		     !strncmp(end + 2, "fatal error: ", 13))) {
			*c1 = '\0';
			struct pos pos = {line, (int)ln, (int)col};
			error_at(&pos, "%s", end + 2);
		}
		if (!nl)
			break;
	}
	free(copy);
	if (step_failed)
		error("%s failed; its messages:\n%s", s->label, text);
}

/* Says why step s failed: a missing header or undefined symbols explained;
 * in a report (--json) the tool's messages recorded, as they are not
 * printed then. */
static void report_failure(const struct step *s, const struct proc_status *st, const char *text)
{
	bool collecting = diag_collecting();
	if (collecting)
		record_tool_messages(s, text, true);
	if (s->kind == STEP_COMPILE && missing_header(text))
		return;
	if (s->kind == STEP_LINK && undefined_symbols(s, text))
		return;
	if (collecting)
		return; /* the failure was recorded with the messages */
	if (s->kind == STEP_COMPILE)
		error("%s failed (the compiler's messages are above)", s->label);
	else if (st->exited)
		error("%s failed (exit status %d)", s->label, st->code);
	else
		error("%s failed (killed by signal %d)", s->label, st->signal);
}

static int finish_job(const struct plan *p, struct job *j, bool quiet)
{
	const struct step *s = &p->steps[j->step];
	struct proc_status st;
	int rc = proc_wait(j->pid, 0, 0, &st, NULL);
	char *text = shown_output(s, &j->out);
	bool ok = rc == 0 && st.exited && st.code == 0;
	if (!diag_collecting())
		fputs(text, stderr);
	else if (ok && *text)
		record_tool_messages(s, text, false); /* its warnings, in the report */
	if (rc == 0 && !(st.exited && st.code == 0)) {
		rc = -1;
		if (!quiet)
			report_failure(s, &st, text);
	}
	free(text);
	if (rc == 0 && rename(j->tmp, s->out) < 0)
		rc = error("rename %s:", j->tmp);
	if (rc < 0)
		unlink(j->tmp);
	if (rc == 0) {
		size_t len;
		char *record = record_text(p, s, &len);
		char *cp = cmd_path(s);
		rc = file_write_atomic(cp, record, len, 0644);
		free(cp);
		free(record);
	}
	free(j->tmp);
	strbuf_release(&j->out);
	return rc;
}

/* Reads what the running jobs wrote; returns the index of one that ended
 * (its output closed), or -1 when none did yet. */
static int wait_output(struct job *running, size_t n)
{
	struct pollfd *pfd = xcalloc(n, sizeof(*pfd));
	for (size_t i = 0; i < n; i++)
		pfd[i] = (struct pollfd){.fd = running[i].fd, .events = POLLIN};
	int ended = -1;
	if (poll(pfd, n, -1) > 0) {
		for (size_t i = 0; i < n && ended < 0; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[8192];
			ssize_t r = read(running[i].fd, buf, sizeof(buf));
			if (r > 0) {
				strbuf_add(&running[i].out, buf, (size_t)r);
			} else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
				close(running[i].fd);
				running[i].fd = -1;
				ended = (int)i;
			}
		}
	}
	free(pfd);
	return ended;
}

int build_run(const struct plan *p, const struct build_opts *o)
{
	/* builds sharing the runtime's cache entry wait for each other */
	int lock = -1;
	if (!o->dry_run) {
		if (mkdir_p(p->rtdir) < 0)
			return failed(FAIL_BUILD);
		char *lp = path_join(p->rtdir, ".lock");
		lock = lock_file(lp, "the runtime cache");
		free(lp);
		if (lock < 0)
			return failed(FAIL_BUILD);
	}
	struct strmap outs = STRMAP_INIT;
	for (size_t i = 0; i < p->n; i++)
		strmap_add(&outs, p->steps[i].out, i);
	bool *dirty = xcalloc(p->n, sizeof(*dirty));
	bool *done = xcalloc(p->n, sizeof(*done));
	bool *intact = xcalloc(p->n, sizeof(*intact)); /* sealing archives, made */
	for (size_t i = 0; i < p->n; i++)
		intact[i] = p->steps[i].seals && recorded(p, &p->steps[i]);
	size_t total = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];
		dirty[i] = intact[i] || (s->seal && intact[s->seal - 1])
			       ? false
			       : stale(p, i, dirty, &outs);
		done[i] = !dirty[i];
		total += dirty[i];
	}
	if (o->dry_run) {
		for (size_t i = 0; i < p->n; i++)
			if (dirty[i])
				print_step(stdout, &p->steps[i]);
		strmap_release(&outs);
		free(dirty);
		free(done);
		free(intact);
		return (int)total;
	}
	size_t jobs = o->jobs > 0 ? (size_t)o->jobs : 1;
	struct job *running = xcalloc(jobs, sizeof(*running));
	bool *started = xcalloc(p->n, sizeof(*started));
	size_t nrunning = 0, nstarted = 0, next = 0;
	int rc = 0;
	for (;;) {
		/* start what is ready, in plan order, while slots are free */
		for (size_t i = next; rc == 0 && nrunning < jobs && i < p->n; i++) {
			if (done[i] || started[i])
				continue;
			bool ready = true;
			const struct step *s = &p->steps[i];
			for (size_t k = 0, j; k < s->inputs.len && ready; k++)
				if (strmap_get(&outs, s->inputs.items[k], &j) && !done[j])
					ready = false;
			if (!ready)
				continue;
			started[i] = true;
			if (start_job(s, i, o, ++nstarted, total, &running[nrunning]) < 0) {
				rc = -1;
				break;
			}
			nrunning++;
		}
		while (next < p->n && (done[next] || started[next]))
			next++;
		if (!nrunning)
			break;
		int e = wait_output(running, nrunning);
		if (e < 0)
			continue;
		struct job j = running[e];
		running[e] = running[--nrunning];
		/* after a failure, the steps already started end, their messages shown */
		if (finish_job(p, &j, false) < 0)
			rc = -1;
		else
			done[j.step] = true;
	}
	close(lock);
	free(running);
	free(started);
	free(dirty);
	free(done);
	free(intact);
	strmap_release(&outs);
	return rc < 0 ? failed(FAIL_BUILD) : (int)total;
}
