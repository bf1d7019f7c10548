/* xl.c: the xl configuration of a xen unikernel (xl.cfg(5)). Every value
 * is a string xl reads between double quotes, where it knows no escapes:
 * one holding a quote, a backslash or a control character is refused. */
#include "xl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static int check(const char *what, const char *v)
{
	if (!v)
		return 0;
	for (const unsigned char *c = (const unsigned char *)v; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
			return error("%s '%s': an xl configuration cannot hold '\"', '\\' or a "
				     "control character",
				     what, v);
	return 0;
}

/* A vif or disk entry: its value may not hold the separators of xl's
 * device strings either. */
static int check_device(const char *what, const char *v)
{
	if (check(what, v) < 0)
		return -1;
	if (strpbrk(v, ",="))
		return error("%s '%s': an xl device string cannot hold ',' or '='", what, v);
	return 0;
}

static const char *attached(const struct run_opts *o, const char *name)
{
	for (size_t k = 0; o && k < o->nattach; k++)
		if (!strcmp(o->attach[k].name, name))
			return o->attach[k].value;
	return NULL;
}

char *xl_config(const struct project *p, const struct run_opts *o, const char *cmdline,
		long mem_mib)
{
	char *rel = project_artifact(p), *kernel = realpath(rel, NULL);
	if (!kernel)
		kernel = xstrdup(rel);
	free(rel);
	const struct config *c = p->graph.config;
	struct strbuf vif = STRBUF_INIT, disk = STRBUF_INIT, notes = STRBUF_INIT;
	int rc = check("the kernel's path", kernel) | check("the boot arguments", cmdline) |
		 check("the unikernel's name", c->name);
	int nblock = 0, nnet = 0;
	for (size_t i = 0; i < c->ndevices; i++) {
		const struct device *d = &c->devices[i];
		if (!graph_node_of(&p->graph, d))
			continue; /* left out of the build */
		const char *v = attached(o, d->name);
		char *flag =
		    xasprintf("--%s:%s", d->type->attach_flag ? d->type->attach_flag : "", d->name);
		if (d->type->value == MIRAGE_DEV_NET) {
			if (v && check_device(flag, v) < 0)
				rc = -1;
			strbuf_addf(&vif, "%s\"bridge=%s\"", vif.len ? ", " : "", v ? v : "xenbr0");
			strbuf_addf(&notes, "# vif %d: the network device %s (%s=BRIDGE)\n", nnet++,
				    d->name, flag);
		} else if (d->type->value == MIRAGE_DEV_BLOCK) {
			char *def = xasprintf("%s.img", d->name);
			if (v && check(flag, v) < 0)
				rc = -1;
			/* the target comes last: it may hold commas */
			strbuf_addf(&disk, "%s\"format=raw, vdev=xvd%c, access=rw, target=%s\"",
				    disk.len ? ", " : "", 'a' + nblock, v ? v : def);
			strbuf_addf(&notes, "# disk xvd%c: the block device %s (%s=FILE)\n",
				    'a' + nblock, d->name, flag);
			nblock++;
			free(def);
		}
		free(flag);
	}
	if (nblock > 26)
		rc = error("xen: at most 26 block devices (xvda to xvdz)");
	char *out = NULL;
	if (rc == 0) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb,
			    "# %s: a xen unikernel, made by mirage; boot it with\n"
			    "#   xl create -c THIS_FILE\n"
			    "# (or mirage run -t xen, which attaches the devices)\n%s",
			    c->name,
			    o		? ""
			    : notes.buf ? notes.buf
					: "");
		strbuf_addf(&sb, "name = \"%s\"\ntype = \"pvh\"\nkernel = \"%s\"\n", c->name,
			    kernel);
		strbuf_addf(&sb, "memory = %ld\nvcpus = 1\n", mem_mib);
		if (cmdline && *cmdline)
			strbuf_addf(&sb, "cmdline = \"%s\"\n", cmdline);
		if (vif.len)
			strbuf_addf(&sb, "vif = [%s]\n", vif.buf);
		if (disk.len)
			strbuf_addf(&sb, "disk = [%s]\n", disk.buf);
		/* a run keeps the domain until it read the status */
		const char *end = o ? "preserve" : "destroy";
		strbuf_addf(&sb,
			    "on_poweroff = \"%s\"\non_reboot = \"destroy\"\non_crash = \"%s\"\n",
			    end, end);
		out = strbuf_detach(&sb);
	}
	strbuf_release(&vif);
	strbuf_release(&disk);
	strbuf_release(&notes);
	free(kernel);
	return out;
}
