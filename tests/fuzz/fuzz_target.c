/* fuzz_target.c: libFuzzer target for the target.yaml reader and the
 * library descriptions it names (targets/common/NAME.yaml), with the real
 * targets directory as the root (so that runtime paths can exist). */
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "library.h"
#include "target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *root;
	if (!root) {
		const char *d = getenv("MIRAGE_DATADIR");
		root = path_join(d ? d : ".", "targets");
	}
	diag_set_collect(true);
	struct target t;
	if (target_parse(&t, root, "unix", (const char *)data, size) == 0) {
		/* what the tool then does with a target */
		for (size_t i = 0; i < t.narches; i++) {
			const struct target_arch *a = &t.arches[i];
			for (size_t k = 0; k < devtype_count(); k++)
				target_find_device(&t, a, devtype_of((unsigned)k));
			for (size_t k = 0; k < a->qemu.args.len; k++)
				free(target_expand(a, a->qemu.args.items[k]));
			target_makes_image(a, "iso");
			target_images_note(&t, a);
		}
		target_release(&t);
	}
	struct library l;
	if (library_parse(&l, root, "common/libm.yaml", (const char *)data, size) == 0) {
		struct strlist srcs = STRLIST_INIT;
		library_sources(&l, "x86_64", &srcs);
		for (size_t i = 0; i < srcs.len; i++)
			library_fp(&l, "aarch64", srcs.items[i]);
		strlist_release(&srcs);
		if (l.archive)
			free(library_srcdir(&l, "/nonexistent"));
	}
	library_release(&l);
	diag_reset();
	return 0;
}
