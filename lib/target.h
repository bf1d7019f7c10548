/* target.h: a platform described as data by targets/<name>/target.yaml: its
 * architectures and toolchains, the runtime it links, which implementation
 * serves each device type, which images it makes, its constants, and how its
 * unikernels run (the runner and, for QEMU, the machine). */
#ifndef MIRAGE_TARGET_H
#define MIRAGE_TARGET_H

#include <stdbool.h>

#include "devtype.h"
#include "diag.h"
#include "library.h"
#include "util.h"
#include "yamldoc.h"

struct target_device {
	const struct devtype *type;
	const char *impl; /* the implementation's name */
	const char *doc;  /* why/how it serves the type */
	const char *init; /* the runtime's init function: NULL, the type's */
	bool link;	  /* a tcpip implementation takes its network device */
	struct pos pos;
	/* the other implementations offered (mirage configure --impl TYPE=IMPL);
	 * the first row is the default */
	struct target_device *others;
	size_t nothers;
};

/* A QEMU machine the qemu runner boots on (mirage run --machine NAME). */
struct qemu_machine {
	const char *name;
	const char *doc;
	struct strlist args;			   /* -M ... */
	struct strlist kernel_args;		   /* ... and these when booting the kernel */
	const char *devices[MIRAGE_DEVTYPE_COUNT]; /* the -device of an attached type */
	int pci_slot; /* the first PCI slot of the devices; -1: command-line order */
	bool images;  /* it boots the images (iso, disk, qcow2): it has a BIOS */
};

/* How the qemu runner boots a kernel of this architecture. Strings may hold
 * ${NAME} for the architecture's constants. */
struct target_qemu {
	struct qemu_machine *machines; /* the first boots the kernel by default */
	size_t nmachines;
	struct strlist args; /* always */
	const char *status;  /* "semihosting": QEMU's status is the unikernel's; or
			      * the -device of a serial port (chardev mirage-status)
			      * the unikernel writes its status on */
};

/* The machine named name (NULL: the default for a kernel, or for an image
 * when image), or NULL. */
const struct qemu_machine *target_qemu_machine(const struct target_qemu *q, const char *name,
					       bool image);

struct target_arch {
	const char *name;	/* x86_64, aarch64 */
	const char *cc;		/* the C compiler */
	const char *ar;		/* the archiver for the runtime */
	struct strlist cflags;	/* added to the target's cflags */
	struct strlist ldflags; /* added to the target's ldflags */
	struct strlist run;	/* the program that runs the artifact (an emulator), may be empty */
	struct strlist packages;       /* Debian packages that provide the toolchain */
	struct strlist runtime;	       /* runtime sources of this architecture only */
	struct strlist host_include;   /* host directories the runtime alone searches
					* last (-idirafter): unix's Linux headers */
	const char *ldscript;	       /* replaces the target's, or NULL */
	const char *objcopy;	       /* makes the artifact a flat binary of the ELF, or NULL */
	struct strlist images;	       /* image kinds it makes besides the kernel */
	struct strlist images_always;  /* of those, the ones every build makes */
	const char *images_note;       /* why it makes no other (for messages), or NULL */
	struct strlist constants;      /* NAME=VALUE: -DMIRAGE_NAME=VALUE for the runtime,
					* ${NAME} in the qemu strings */
	struct target_device *devices; /* this architecture's own rows (NULL: the target's) */
	size_t ndevices;
	bool has_qemu;
	struct target_qemu qemu;
};

struct target {
	char *dir;  /* the target's directory */
	char *root; /* the directory holding every target (runtime paths are relative to it) */
	const char *name;
	const char *doc;
	struct strlist runtime;	       /* runtime sources, relative to root */
	struct strlist include;	       /* runtime include dirs, relative to root */
	struct strlist cflags;	       /* for the runtime and user code */
	struct strlist runtime_cflags; /* for the runtime only */
	struct strlist runtime_fp;     /* runtime files built without runtime_cflags */
	const char *ldscript;	       /* the linker script, relative to root, or NULL */
	struct strlist libs;	       /* linked after the runtime: -lgcc */
	struct strlist ldflags;
	const char *runner;	 /* how `mirage run` starts it: a runner of run.h */
	const char *images_note; /* why it makes no images but the kernel, or NULL */
	struct target_arch *arches;
	size_t narches;
	struct target_device *devices;
	size_t ndevices;
	struct library *libraries; /* linked by every unikernel, in order */
	size_t nlibraries;
	struct ydoc yaml;
	bool for_run; /* loaded by target_load_for_run */
};

/* Loads root/<name>/target.yaml. Returns 0 or -1 (errors recorded at their
 * position in target.yaml). */
int target_load(struct target *t, const char *root, const char *name);
/* The same for running a built unikernel only (the fast path): the
 * libraries are left out and the runtime's files are not looked at. */
int target_load_for_run(struct target *t, const char *root, const char *name);
/* The same from memory. */
int target_parse(struct target *t, const char *root, const char *name, const char *buf, size_t len);
void target_release(struct target *t);
/* Appends the names of the installed targets (directories of root with a
 * target.yaml), sorted. */
void target_list(const char *root, struct strlist *names);
/* Every runtime source of an architecture: the target's, then its own.
 * Appended to out. */
void target_runtime(const struct target *t, const struct target_arch *a, struct strlist *out);
/* The linker script of an architecture (relative to root), or NULL. */
const char *target_ldscript(const struct target *t, const struct target_arch *a);
/* The architecture named arch, or NULL. */
const struct target_arch *target_find_arch(const struct target *t, const char *arch);
/* The implementation serving type on an architecture (NULL: the target's
 * rows), or NULL when the target cannot serve it. */
const struct target_device *target_find_device(const struct target *t, const struct target_arch *a,
					       const struct devtype *type);
/* The implementation named impl of a type (the default or one of the
 * others), or NULL. */
const struct target_device *target_find_impl(const struct target *t, const struct target_arch *a,
					     const struct devtype *type, const char *impl);
/* Whether the architecture makes images of kind ("kernel" always). */
bool target_makes_image(const struct target_arch *a, const char *kind);
/* Why the architecture makes no such image, for a message: its note, the
 * target's, or a plain statement. */
const char *target_images_note(const struct target *t, const struct target_arch *a);
/* s with every ${NAME} replaced by the architecture's constant NAME. Returns
 * a new string; an unknown name is a broken target (BUG). */
char *target_expand(const struct target_arch *a, const char *s);
/* The architecture of this machine as targets name it ("x86_64", "aarch64"). */
const char *host_arch(void);
/* Whether an executable is on PATH (or is a path that exists). */
bool program_exists(const char *name);
/* The path of that executable, or NULL. Caller frees. */
char *program_path(const char *name);

#endif
