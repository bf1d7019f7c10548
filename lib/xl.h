/* xl.h: the configuration file `xl create` reads for a xen unikernel. */
#ifndef MIRAGE_XL_H
#define MIRAGE_XL_H

#include "project.h"
#include "run.h"

/* The configuration: name, type "pvh", the kernel (an absolute path),
 * memory, vcpus, cmdline, a vif line per network device and a disk line per
 * block device, in the manifest's order (the runtime matches them by it).
 * With o (mirage run) the devices are the attachments, and a crash keeps
 * the domain (on_crash = "preserve") so that its status can be read;
 * without, bridge xenbr0 and a file NAME.img are placeholders to edit.
 * Returns a new string, or NULL (recorded: a value xl cannot quote). */
char *xl_config(const struct project *p, const struct run_opts *o, const char *cmdline,
		long mem_mib);

/* The guest memory of a xen unikernel when --mem is not given, in MiB. */
#define XL_MEM_DEFAULT 32

#endif
