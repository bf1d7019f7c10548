/* ccinc.c: asking the compiler where its own headers are, once. */
#include "ccinc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "proc.h"
#include "sha256.h"
#include "target.h"
#include "util.h"

/* The directory the compiler at path prints, or NULL. */
static char *ask(const char *path)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return NULL;
	char *argv[] = {(char *)path, "-print-file-name=include", NULL};
	struct proc_opts po = {NULL, NULL, fds[1], false};
	pid_t pid = proc_spawn(argv, &po);
	close(fds[1]);
	struct strbuf out = STRBUF_INIT;
	char buf[512];
	ssize_t n;
	while (pid > 0 && (n = read(fds[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out.len > 4096)
			break;
		strbuf_add(&out, buf, (size_t)n);
	}
	close(fds[0]);
	struct proc_status st = {0};
	bool ok = pid > 0 && proc_wait(pid, 0, 0, &st, NULL) == 0 && st.exited && st.code == 0;
	char *dir = strbuf_detach(&out);
	dir[strcspn(dir, "\n")] = '\0';
	if (!ok) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* A directory named include below the compiler's prefix. */
static bool plausible(const char *dir, const char *prefix)
{
	return dir[0] == '/' && !strstr(dir, "/..") && !strchr(dir, '\n') &&
	       str_starts(dir, prefix) && dir[strlen(prefix)] == '/' && str_ends(dir, "/include") &&
	       is_dir(dir);
}

char *cc_include_dir(const char *cc, const char *cachedir)
{
	char *real = NULL, *path = program_path(cc);
	struct stat st;
	if (!path || !(real = realpath(path, NULL)) || stat(real, &st) < 0) {
		free(path);
		free(real);
		return NULL;
	}
	struct sha256 h;
	sha256_init(&h);
	sha256_update(&h, cc, strlen(cc) + 1);
	sha256_update(&h, real, strlen(real) + 1);
	int64_t facts[] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec,
			   (int64_t)st.st_mtim.tv_nsec, (int64_t)st.st_ino};
	sha256_update(&h, facts, sizeof(facts));
	char key[65];
	sha256_final_hex(&h, key);
	char *file = xasprintf("%s/cc/%.32s", cachedir, key);
	/* the cache is not trusted to name any directory: only an include
	 * directory of the compiler's installation (/usr/bin/gcc: /usr/...) */
	char *bindir = path_dirname(real), *prefix = path_dirname(bindir);
	free(bindir);
	free(real);
	char *dir = file_read(file, NULL);
	if (dir && plausible(dir, prefix)) {
		free(prefix);
		free(path);
		free(file);
		return dir;
	}
	free(dir);
	dir = ask(path);
	free(path);
	if (dir && !plausible(dir, prefix)) {
		free(dir);
		dir = NULL;
	}
	free(prefix);
	if (dir) {
		/* remembered when it can be: a cache that cannot be written only
		 * costs the question again */
		char *parent = path_dirname(file);
		mkdir(cachedir, 0755);
		mkdir(parent, 0755);
		if (access(parent, W_OK) == 0)
			file_write_atomic(file, dir, strlen(dir), 0644);
		free(parent);
	}
	free(file);
	return dir;
}
