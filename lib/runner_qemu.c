/* runner_qemu.c: the qemu runner: the QEMU command line of a kernel or one
 * of its images, from the architecture's `qemu:` data in target.yaml (the
 * machine, the devices, how the status comes back), and the unikernel's exit
 * status from it. Attached devices are put in the manifest's order: the
 * runtime matches the n-th network (block) device of the manifest with the
 * n-th virtio-net (virtio-blk) device, on consecutive PCI slots from
 * pci_slot, or in command-line order. */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag.h"
#include "image.h"
#include "run.h"

/* QEMU's option syntax doubles commas inside a value. */
static char *qemu_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (; *s; s++) {
		if (*s == ',')
			strbuf_addc(&sb, ',');
		strbuf_addc(&sb, *s);
	}
	return strbuf_detach(&sb);
}

/* How QEMU does a block device's I/O: io_uring where this kernel lets a
 * process have one (a request then costs one wake-up of QEMU's main loop,
 * not two hops through its thread pool: under TCG here 30 us against 160
 * us), else its thread pool. Said on the command line either way. */
static const char *block_aio(void)
{
	static const char *aio;
	if (!aio) {
		struct io_uring_params params;
		memset(&params, 0, sizeof(params));
		long fd = syscall(__NR_io_uring_setup, 1, &params);
		aio = fd >= 0 ? "io_uring" : "threads";
		if (fd >= 0)
			close((int)fd);
	}
	return aio;
}

/* The boot arguments as one command line; "..." keeps spaces. */
static int join_args(const struct run_opts *o, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < o->nargs; i++) {
		const char *a = o->args[i];
		if (strchr(a, '"') || strchr(a, '\n')) {
			strbuf_release(&sb);
			return error(
			    "boot argument '%s': a kernel command line cannot carry '\"' or "
			    "a newline",
			    a);
		}
		if (i)
			strbuf_addc(&sb, ' ');
		bool quote = !*a || strpbrk(a, " \t");
		strbuf_addf(&sb, quote ? "\"%s\"" : "%s", a);
	}
	*out = strbuf_detach(&sb);
	return 0;
}

static void push_expanded(const struct target_arch *a, const struct strlist *l,
			  struct strlist *argv)
{
	for (size_t i = 0; i < l->len; i++)
		strlist_push_owned(argv, target_expand(a, l->items[i]));
}

/* The backend and the -device of each attachment, in the manifest's order. */
static void add_devices(const struct project *p, const struct qemu_machine *q,
			const struct run_opts *o, struct strlist *argv)
{
	int slot = q->pci_slot, n = 0;
	const struct config *c = p->graph.config;
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		const struct attachment *at = NULL;
		for (size_t k = 0; k < o->nattach && !at; k++)
			if (!strcmp(o->attach[k].name, d->name))
				at = &o->attach[k];
		if (!at || !q->devices[d->type->value])
			continue; /* checked before: cannot happen */
		char *esc = qemu_escape(at->value);
		char *addr = slot >= 0 ? xasprintf(",addr=0x%x", slot++) : xstrdup("");
		if (d->type->value == MIRAGE_DEV_NET) {
			strlist_push(argv, "-netdev");
			strlist_pushf(argv, "tap,id=dev%d,ifname=%s,script=no,downscript=no", n,
				      esc);
			strlist_push(argv, "-device");
			strlist_pushf(argv, "%s,netdev=dev%d%s", q->devices[d->type->value], n,
				      addr);
		} else {
			strlist_push(argv, "-drive");
			strlist_pushf(argv, "file=%s,if=none,id=dev%d,format=raw,aio=%s", esc, n,
				      block_aio());
			strlist_push(argv, "-device");
			strlist_pushf(argv, "%s,drive=dev%d%s", q->devices[d->type->value], n,
				      addr);
		}
		n++;
		free(addr);
		free(esc);
	}
}

static int qemu_command(const struct project *p, const struct run_opts *o, struct run_cmd *c)
{
	const struct target_arch *a = p->graph.arch;
	const struct target_qemu *q = &a->qemu;
	/* the options were checked (run_check_options) */
	const char *accel = o->accel ? o->accel : "tcg";
	const char *kind = o->image ? o->image : "kernel";
	const struct image_kind *k = image_kind_find(kind);
	bool kernel = !strcmp(kind, "kernel");
	const struct qemu_machine *m = target_qemu_machine(q, o->machine, !kernel);
	if (!m || (!kernel && !m->images))
		return error("--image %s: %s on %s boots no images", kind, p->target.name, a->name);
	char *cmdline = NULL;
	if (join_args(o, &cmdline) < 0)
		return -1;

	struct strlist *argv = &c->argv;
	for (size_t i = 0; i < a->run.len; i++)
		strlist_push(argv, a->run.items[i]);
	push_expanded(a, &m->args, argv);
	if (kernel)
		push_expanded(a, &m->kernel_args, argv);
	strlist_push(argv, "-accel");
	strlist_push(argv, accel);
	strlist_push(argv, "-cpu");
	strlist_push(argv, strcmp(accel, "kvm") ? "max" : "host");
	strlist_push(argv, "-m");
	strlist_pushf(argv, "%ld", o->mem ? o->mem : 128);
	strlist_push(argv, "-nodefaults");
	strlist_push(argv, "-no-reboot");
	strlist_push(argv, "-display");
	strlist_push(argv, "none");
	strlist_push(argv, "-serial");
	strlist_push(argv, "stdio");
	push_expanded(a, &q->args, argv);
	if (strcmp(q->status, "semihosting")) {
		/* the unikernel writes its status on a serial port: into a file */
		char tmpl[] = "/tmp/mirage-status-XXXXXX";
		int fd = mkstemp(tmpl);
		if (fd < 0) {
			free(cmdline);
			return error("cannot create a status file in /tmp:");
		}
		close(fd);
		c->status_file = xstrdup(tmpl);
		strlist_push(argv, "-chardev");
		strlist_pushf(argv, "file,id=mirage-status,path=%s", tmpl);
		strlist_push(argv, "-device");
		strlist_push_owned(argv, target_expand(a, q->status));
	}
	add_devices(p, m, o, argv);

	int rc = 0;
	if (kernel) {
		strlist_push(argv, "-kernel");
		strlist_push_owned(argv, project_artifact(p));
		if (*cmdline) {
			strlist_push(argv, "-append");
			strlist_push(argv, cmdline);
		}
	} else {
		/* the built image for the built-in arguments, else one made for
		 * this run's */
		char *img = NULL;
		rc = image_for_run(p, kind, o->nargs ? cmdline : NULL, o->dry_run, &img);
		if (rc == 0) {
			char *esc = qemu_escape(img);
			strlist_push(argv, "-drive");
			strlist_pushf(argv, "file=%s,%s", esc, k->qemu_drive);
			strlist_push(argv, "-boot");
			strlist_push(argv, k->qemu_boot);
			free(esc);
		}
		if (rc == 0 && o->nargs && !o->dry_run)
			c->temp_image = img; /* made for these arguments only */
		else
			free(img);
		if (rc < 0)
			failed(FAIL_BUILD);
	}
	free(cmdline);
	return rc;
}

static int qemu_status(const struct project *p, const struct run_cmd *c,
		       const struct proc_status *st)
{
	(void)p;
	if (!st->exited) {
		error("QEMU was killed by signal %d before the unikernel reported a status",
		      st->signal);
		return failed(FAIL_RUNNER);
	}
	if (!c->status_file)
		return st->code; /* semihosting: QEMU's status is the unikernel's */
	char *text = file_read(c->status_file, NULL);
	char *end;
	long v = text ? strtol(text, &end, 10) : -1;
	bool reported = text && end != text && (*end == '\n' || !*end) && v >= 0 && v <= 255;
	free(text);
	if (reported)
		return (int)v;
	if (st->code == 0) {
		error("the unikernel stopped without reporting an exit status (it crashed or reset "
		      "the machine)");
		return RUN_CRASHED;
	}
	error("QEMU failed (exit status %d) before the unikernel reported a status", st->code);
	return failed(FAIL_RUNNER);
}

const struct runner runner_qemu = {
    .name = "qemu",
    .artifact_kind = "kernel",
    .mem_min = 2,
    .mem_max = 65536,
    .takes_qemu_options = true,
    .command = qemu_command,
    .status = qemu_status,
};
