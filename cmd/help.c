/* help.c: the help texts of the commands. */
#include "help.h"

#include <stdio.h>
#include <string.h>

#include "../lib/util.h"

/* The options most commands share; mirage run has all but --json (its
 * console is the unikernel's). */
#define PROJECT_HELP                                                                        \
	"  -f, --file FILE     the description (default: mirage.yaml)\n"                    \
	"  -t, --target NAME   the target (default: the last configured here, else\n"       \
	"                      $MIRAGE_DEFAULT_TARGET, else unix)\n"                        \
	"      --arch ARCH     x86_64 or aarch64 (default: the configured one, else this\n" \
	"                      machine's)\n"                                                \
	"  -o, --output DIR    the build directory (default: _build/TARGET-ARCH)\n"
#define TAIL_HELP                                        \
	"  -v, --verbose       print the commands run\n" \
	"  -h, --help          this help\n"
#define COMMON_HELP  \
	PROJECT_HELP \
	"      --json          print a JSON report on stdout (errors included)\n" TAIL_HELP
#define RUN_HELP PROJECT_HELP TAIL_HELP

struct help {
	const char *cmd, *usage, *text;
};

static const struct help helps[] = {
    {"configure", "mirage configure [-f FILE] [-t TARGET] [--arch ARCH] [-o DIR] [--json]",
     "Reads the description, binds each device to the target's implementation and\n"
     "writes the build directory: main.c, mirage_devices.h, manifest.json, kv_*.c and\n"
     "a Makefile that rebuilds the unikernel without mirage. Unchanged files keep\n"
     "their timestamps. Without -t, configures the default target (unix, or\n"
     "$MIRAGE_DEFAULT_TARGET).\n\n" COMMON_HELP},
    {"build",
     "mirage build [-j N] [--dry-run] [--image LIST] [-f FILE] [-t TARGET] [--arch ARCH] [--json]",
     "Configures again when needed, then compiles what changed and links the\n"
     "unikernel (_build/TARGET-ARCH/NAME.TARGET). A failed build keeps the previous\n"
     "artifact.\n\n"
     "  -j, --jobs N        compile N files at once (default: the number of CPUs)\n"
     "      --dry-run       print the commands that would run, run none\n"
     "      --image LIST    also make these images (virtio: iso, disk, qcow2), e.g. iso,disk\n"
     "                      (default: the description's images:)\n" COMMON_HELP},
    {"run",
     "mirage run [--net:NAME=TAP] [--block:NAME=FILE] [--timeout S] [--mem MB] [--accel A]\n"
     "           [--image I] [--dry-run] [-- ARGS...]",
     "Builds when needed, then runs the unikernel with its devices attached and the\n"
     "boot arguments ARGS (--name=value). The exit status is the unikernel's; 125\n"
     "when mirage failed before starting it, 126 when it could not be executed, 127\n"
     "when a program it needs is missing, 124 when --timeout stopped it.\n\n"
     "      --net:NAME=TAP     attach network device NAME to tap interface TAP\n"
     "      --block:NAME=FILE  attach block device NAME to FILE\n"
     "      --timeout S        stop the unikernel after S seconds\n"
     "      --mem MB           guest memory of a virtual machine (hvt: 64, virtio: 128)\n"
     "      --accel A          virtio: QEMU's accelerator, tcg (default) or kvm\n"
     "      --image I          virtio: boot the kernel (default), iso, disk or qcow2\n"
     "      --dry-run          print the command, run nothing\n" RUN_HELP},
    {"describe", "mirage describe [--dot] [--json] [-f FILE] [-t TARGET] [--arch ARCH]",
     "Shows the unikernel: name, target, devices with the implementation chosen for\n"
     "each and why, initialisation order, boot arguments.\n\n"
     "      --dot           print the device graph for Graphviz instead\n" COMMON_HELP},
    {"query", "mirage query name|files|devices|arguments|artifacts|manifest [--json] [-f FILE]",
     "Prints one fact about the unikernel, one item a line (or JSON):\n"
     "  name       the unikernel's name\n"
     "  files      the files of the build: sources, generated files, artifact\n"
     "  devices    NAME TYPE IMPLEMENTATION, in initialisation order\n"
     "  arguments  NAME TYPE DEFAULT\n"
     "  artifacts  the paths the build makes\n"
     "  manifest   manifest.json\n\n" COMMON_HELP},
    {"init", "mirage init [DIR]",
     "Writes a commented starter mirage.yaml and unikernel.c into DIR (default: the\n"
     "current directory; created when missing). Existing files are never\n"
     "overwritten.\n\n"
     "  -h, --help          this help\n"},
    {"clean", "mirage clean [-f FILE]",
     "Removes the build directories (_build) beside the description.\n\n"
     "  -f, --file FILE     the description (default: mirage.yaml)\n"
     "  -h, --help          this help\n"},
    {"targets", "mirage targets [--json]",
     "Lists the installed targets: their architectures, the device types each\n"
     "serves and with what, and whether this machine has each toolchain.\n\n"
     "      --json          print JSON\n"
     "  -h, --help          this help\n"},
    {"help", "mirage help [COMMAND]", "Prints the help of COMMAND, or the overview.\n"},
};

const char *help_usage(const char *cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(helps); i++)
		if (!strcmp(helps[i].cmd, cmd))
			return helps[i].usage;
	return NULL;
}

static char textbuf[4096];

const char *help_text(const char *cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(helps); i++) {
		if (strcmp(helps[i].cmd, cmd))
			continue;
		snprintf(textbuf, sizeof(textbuf), "usage: %s\n\n%s", helps[i].usage,
			 helps[i].text);
		return textbuf;
	}
	return NULL;
}

const char *help_overview(void)
{
	return "usage: mirage [--version] [-v] COMMAND [OPTIONS]\n"
	       "\n"
	       "Builds C unikernels described by mirage.yaml for unix and other targets.\n"
	       "\n"
	       "commands:\n"
	       "  init        write a starter mirage.yaml and unikernel.c\n"
	       "  configure   resolve the devices for a target and write the build directory\n"
	       "  build       compile and link the unikernel\n"
	       "  run         run the unikernel with its devices attached\n"
	       "  describe    show the devices, their implementations and the arguments\n"
	       "  query       print one fact about the unikernel (for scripts)\n"
	       "  targets     list the targets and what they support\n"
	       "  clean       remove the build directories\n"
	       "  help        show the help of a command\n"
	       "\n"
	       "'mirage help COMMAND' tells more. Exit statuses: 0 ok, 1 error, 2 usage,\n"
	       "3 invalid description, 4 build failed; mirage run exits with the unikernel's.\n";
}
