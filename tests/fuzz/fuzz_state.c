/* fuzz_state.c: libFuzzer target for what the tool reads back from disk or
 * fills in: a depfile, _build/last.json (a build directory outside _build/
 * is never taken), and a template with arbitrary text and values (the input
 * is split at the first NUL: the template, then a value). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depfile.h"
#include "diag.h"
#include "last.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	diag_set_collect(true);

	struct strlist deps = STRLIST_INIT;
	depfile_parse(text, &deps);
	strlist_release(&deps);

	struct last l = LAST_INIT;
	char *outside;
	if (last_parse(text, &l, &outside) == 0) {
		/* a build directory outside _build/ is never taken */
		if (l.builddir && strncmp(l.builddir, "_build/", 7))
			abort();
		for (const char *s = l.builddir; s && *s;) {
			size_t n = strcspn(s, "/");
			if (n == 2 && s[0] == '.' && s[1] == '.')
				abort();
			s += n + (s[n] == '/');
		}
		free(last_render(&l));
		free(outside);
	}
	last_release(&l);

	const char *value = text + strlen(text) + (strlen(text) < size ? 1 : 0);
	const char *vars[] = {"NAME", value, "X", "", NULL};
	free(template_fill("t", text, vars));
	free(text);
	diag_reset();
	return 0;
}
