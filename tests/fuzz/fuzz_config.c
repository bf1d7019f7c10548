/* fuzz_config.c: libFuzzer target for the description parser (YAML tree,
 * schema checks, model). Relative paths resolve in a scratch directory that
 * holds a few sources and a kv_ro directory, so deep paths are reached. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dir;

static void setup(void)
{
	char tmpl[] = "/tmp/mirage-fuzz-XXXXXX";
	dir = xstrdup(mkdtemp(tmpl));
	char *p = path_join(dir, "src");
	mkdir_p(p);
	free(p);
	p = path_join(dir, "data/sub");
	mkdir_p(p);
	free(p);
	const char *files[] = {"unikernel.c", "src/a.c", "src/b.S", "data/x.txt", "inc.h"};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		p = path_join(dir, files[i]);
		file_write_atomic(p, "", 0, 0644);
		free(p);
	}
	diag_set_collect(true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir)
		setup();
	struct config c;
	config_parse(&c, "mirage.yaml", (const char *)data, size, dir, NULL);
	config_release(&c);
	diag_reset();
	return 0;
}
