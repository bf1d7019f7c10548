/* run_qemu.c: the qemu runner: the QEMU command line for a virtio
 * unikernel (kernel, ISO or disk image), and its exit status.
 *
 * The machine: -M microvm (the fastest to boot) when the unikernel has no
 * network or block device, else -M pc with qboot (legacy virtio-pci devices
 * need PCI), and -M pc with SeaBIOS to boot an ISO or a disk. Devices are put
 * in the manifest's order on consecutive PCI slots: the runtime matches the
 * n-th network (block) device of the manifest with the n-th virtio-net
 * (virtio-blk) device on the bus. The unikernel reports its whole exit
 * status on COM2, which goes to a file; QEMU's own status ((v << 1) | 1 from
 * isa-debug-exit) keeps only 7 bits. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "image.h"
#include "run.h"

#define QBOOT	   "/usr/share/qemu/qboot.rom"
#define FIRST_SLOT 4

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

static bool has_devices(const struct graph *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->order[i].dev->type->attached)
			return true;
	return false;
}

static bool is_arm(const struct project *p)
{
	return !strcmp(p->graph.arch->name, "aarch64");
}

static void add_devices(const struct project *p, const struct run_opts *o, struct strlist *argv)
{
	bool arm = is_arm(p);
	const struct graph *g = &p->graph;
	int slot = FIRST_SLOT, nnet = 0, nblk = 0;
	/* the manifest's order (declaration order), not the initialisation order */
	const struct config *c = g->config;
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		const struct strlist *l = !strcmp(d->type->name, "network") ? &o->nets
					  : !strcmp(d->type->name, "block") ? &o->blocks
									    : NULL;
		if (!l)
			continue;
		const char *what = NULL;
		for (size_t k = 0; k < l->len && !what; k++) {
			size_t n = strlen(d->name);
			if (!strncmp(l->items[k], d->name, n) && l->items[k][n] == '=')
				what = l->items[k] + n + 1;
		}
		if (!what)
			continue; /* checked before: cannot happen */
		char *esc = qemu_escape(what);
		if (l == &o->nets) {
			strlist_push(argv, "-netdev");
			strlist_pushf(argv, "tap,id=net%d,ifname=%s,script=no,downscript=no", nnet,
				      esc);
			strlist_push(argv, "-device");
			if (arm)
				strlist_pushf(argv, "virtio-net-device,netdev=net%d", nnet);
			else
				strlist_pushf(argv, "virtio-net-pci,netdev=net%d,addr=0x%x", nnet,
					      slot++);
			nnet++;
		} else {
			strlist_push(argv, "-drive");
			strlist_pushf(argv, "file=%s,if=none,id=blk%d,format=raw", esc, nblk);
			strlist_push(argv, "-device");
			if (arm)
				strlist_pushf(argv, "virtio-blk-device,drive=blk%d", nblk);
			else
				strlist_pushf(argv, "virtio-blk-pci,drive=blk%d,addr=0x%x", nblk,
					      slot++);
			nblk++;
		}
		free(esc);
	}
}

/* What every QEMU command line here has after the machine: the accelerator
 * and its CPU, memory, no default devices, no reboot, no display, the
 * console on stdio. */
static void common_args(struct strlist *argv, const char *accel, long mem)
{
	strlist_push(argv, "-accel");
	strlist_push(argv, accel);
	strlist_push(argv, "-cpu");
	strlist_push(argv, strcmp(accel, "kvm") ? "max" : "host");
	strlist_push(argv, "-m");
	strlist_pushf(argv, "%ld", mem ? mem : 128);
	strlist_push(argv, "-nodefaults");
	strlist_push(argv, "-no-reboot");
	strlist_push(argv, "-display");
	strlist_push(argv, "none");
	strlist_push(argv, "-serial");
	strlist_push(argv, "stdio");
}

/* aarch64: -M virt; the exit status comes out whole through semihosting
 * (QEMU's own status), and devices are virtio-mmio, in the manifest's order
 * on the command line. */
static int arm_command(const struct project *p, const struct run_opts *o, const char *accel,
		       const char *kind, const char *cmdline, struct strlist *argv)
{
	if (strcmp(kind, "kernel"))
		return error("--image %s: aarch64 kernels boot from -kernel only", kind);
	strlist_push(argv, "-M");
	strlist_push(argv, "virt");
	common_args(argv, accel, o->mem);
	strlist_push(argv, "-semihosting-config");
	strlist_push(argv, "enable=on,target=native");
	strlist_push(argv, "-global");
	strlist_push(argv, "virtio-mmio.force-legacy=true");
	add_devices(p, o, argv);
	char *artifact = project_artifact(p);
	strlist_push(argv, "-kernel");
	strlist_push_owned(argv, qemu_escape(artifact));
	free(artifact);
	if (*cmdline) {
		strlist_push(argv, "-append");
		strlist_push(argv, cmdline);
	}
	return 0;
}

int run_qemu_command(const struct project *p, const struct run_opts *o, struct run_cmd *c)
{
	c->qemu = true;
	const char *accel = o->accel ? o->accel : "tcg";
	if (strcmp(accel, "tcg") && strcmp(accel, "kvm"))
		return error("--accel %s: expected tcg or kvm", accel);
	const char *kind = o->image ? o->image : "kernel";
	if (strcmp(kind, "kernel") && strcmp(kind, "iso") && strcmp(kind, "disk") &&
	    strcmp(kind, "qcow2"))
		return error("--image %s: expected kernel, iso, disk or qcow2", kind);
	char *cmdline = NULL;
	if (join_args(o, &cmdline) < 0)
		return -1;

	struct strlist *argv = &c->argv;
	for (size_t i = 0; i < p->graph.arch->run.len; i++)
		strlist_push(argv, p->graph.arch->run.items[i]);
	if (!argv->len)
		strlist_push(argv, "qemu-system-x86_64");
	if (is_arm(p)) {
		int rc = arm_command(p, o, accel, kind, cmdline, argv);
		free(cmdline);
		return rc;
	}
	bool devices = has_devices(&p->graph);
	strlist_push(argv, "-M");
	if (strcmp(kind, "kernel")) {
		strlist_push(argv, "pc");
	} else if (!devices) {
		strlist_push(argv, "microvm");
	} else {
		strlist_push(argv, "pc");
		if (access(QBOOT, R_OK) == 0) {
			strlist_push(argv, "-bios");
			strlist_push(argv, QBOOT);
		}
	}
	common_args(argv, accel, o->mem);

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
	strlist_push(argv, "isa-serial,chardev=mirage-status,iobase=0x2f8,irq=3");
	strlist_push(argv, "-device");
	strlist_push(argv, "isa-debug-exit,iobase=0xf4,iosize=0x04");
	add_devices(p, o, argv);

	char *artifact = project_artifact(p);
	int rc = 0;
	if (!strcmp(kind, "kernel")) {
		strlist_push(argv, "-kernel");
		strlist_push_owned(argv, qemu_escape(artifact));
		if (*cmdline) {
			strlist_push(argv, "-append");
			strlist_push(argv, cmdline);
		}
	} else {
		/* the image with these boot arguments: the built one when they are
		 * the built-in ones, else a fresh copy next to it */
		char *img = NULL;
		rc = image_for_run(p, kind, o->nargs ? cmdline : NULL, &img);
		if (rc == 0) {
			char *esc = qemu_escape(img);
			strlist_push(argv, "-drive");
			strlist_pushf(argv, "file=%s,format=%s,if=ide%s", esc,
				      strcmp(kind, "qcow2") ? "raw" : "qcow2",
				      strcmp(kind, "iso") ? "" : ",media=cdrom,readonly=on");
			strlist_push(argv, "-boot");
			strlist_push(argv, strcmp(kind, "iso") ? "c" : "d");
			free(esc);
		}
		if (rc == 0 && o->nargs)
			c->temp_image = img; /* made for these arguments only */
		else
			free(img);
	}
	free(artifact);
	free(cmdline);
	return rc;
}

int run_qemu_status(const struct run_cmd *c, int qemu_status)
{
	if (!c->status_file)
		return qemu_status; /* semihosting: QEMU's status is the unikernel's */
	char *text = c->status_file ? file_read(c->status_file, NULL) : NULL;
	char *end;
	long v = text ? strtol(text, &end, 10) : -1;
	bool reported = text && end != text && (*end == '\n' || !*end) && v >= 0 && v <= 255;
	free(text);
	if (reported)
		return (int)v;
	if (qemu_status >= 128)
		return qemu_status; /* QEMU itself was killed */
	if (qemu_status == 0)
		error("the unikernel stopped without reporting an exit status (it crashed or "
		      "reset the machine)");
	else
		error("QEMU failed (exit status %d) before the unikernel reported a status",
		      qemu_status);
	return qemu_status == 0 ? 139 : EXIT_RUN_SETUP;
}
