/* depfile.c: reading make-style depfiles. */
#include "depfile.h"

#include <string.h>

void depfile_parse(const char *text, struct strlist *out)
{
	const char *p = strchr(text, ':');
	/* skip "out:" (an output path holds no ':' here: the tool chooses it) */
	p = p ? p + 1 : text + strlen(text);
	struct strbuf word = STRBUF_INIT;
	for (;; p++) {
		if (*p == '\\' && p[1] == '\n') {
			p++;
			continue;
		}
		if (*p == '\\' && (p[1] == ' ' || p[1] == '#' || p[1] == '\\')) {
			strbuf_addc(&word, p[1]);
			p++;
			continue;
		}
		if (*p == '$' && p[1] == '$') {
			strbuf_addc(&word, '$');
			p++;
			continue;
		}
		if (*p == '\0' || *p == ' ' || *p == '\n' || *p == '\t') {
			if (word.len) {
				strlist_push(out, word.buf);
				word.len = 0;
				word.buf[0] = '\0';
			}
			if (*p == '\0' || (*p == '\n' && p[1] && p[1] != ' '))
				break; /* -MP phony targets follow: not needed */
			continue;
		}
		strbuf_addc(&word, *p);
	}
	strbuf_release(&word);
}
