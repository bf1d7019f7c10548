/* depfile.h: the prerequisites a compiler's make-style depfile lists
 * ("out: a b \\\n c"): the headers a step read, for staleness. */
#ifndef MIRAGE_DEPFILE_H
#define MIRAGE_DEPFILE_H

#include "util.h"

/* Appends the prerequisites of the first rule of text to out (the target
 * is skipped; escaped blanks, '#', '\\' and "$$" are read as gcc writes
 * them; -MP's phony rules that follow are not needed). */
void depfile_parse(const char *text, struct strlist *out);

#endif
