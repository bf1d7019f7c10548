/* template.c: @KEY@ substitution for the files of templates/. */
#include "template.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

char *template_fill(const char *name, const char *text, const char *const *vars)
{
	struct strbuf sb = STRBUF_INIT;
	int line = 1;
	const char *line_start = text;
	for (const char *s = text; *s; s++) {
		if (*s == '\n') {
			line++;
			line_start = s + 1;
		}
		if (*s != '@') {
			strbuf_addc(&sb, *s);
			continue;
		}
		if (s[1] == '@') {
			strbuf_addc(&sb, '@');
			s++;
			continue;
		}
		const char *end = s + 1;
		while ((*end >= 'A' && *end <= 'Z') || *end == '_' || (*end >= '0' && *end <= '9'))
			end++;
		if (*end != '@' || end == s + 1) {
			struct pos p = {name, line, (int)(s - line_start) + 1};
			error_at(&p, "template: unterminated placeholder");
			strbuf_release(&sb);
			return NULL;
		}
		size_t len = (size_t)(end - s - 1);
		const char *value = NULL;
		for (size_t i = 0; vars[i]; i += 2)
			if (strlen(vars[i]) == len && !strncmp(vars[i], s + 1, len))
				value = vars[i + 1];
		if (!value) {
			struct pos p = {name, line, (int)(s - line_start) + 1};
			error_at(&p, "template: unknown placeholder @%.*s@", (int)len, s + 1);
			strbuf_release(&sb);
			return NULL;
		}
		strbuf_adds(&sb, value);
		s = end;
	}
	return strbuf_detach(&sb);
}

char *template_render(const char *datadir, const char *name, const char *const *vars)
{
	char *dir = path_join(datadir, "templates");
	char *path = path_join(dir, name);
	char *text = file_read(path, NULL);
	char *out = NULL;
	if (!text)
		error("read template %s:", path);
	else
		out = template_fill(path, text, vars);
	free(text);
	free(path);
	free(dir);
	return out;
}
