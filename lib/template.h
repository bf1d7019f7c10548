/* template.h: fills the files of templates/ ("@KEY@" placeholders). */
#ifndef MIRAGE_TEMPLATE_H
#define MIRAGE_TEMPLATE_H

/* Returns a new string: text with every @KEY@ replaced by the value paired
 * with KEY in vars (KEY, VALUE, KEY, VALUE, ..., NULL); "@@" is a literal
 * '@'. An unknown or unterminated placeholder is an error naming `name` and
 * its line: returns NULL (recorded). */
char *template_fill(const char *name, const char *text, const char *const *vars);
/* The same for the file templates/<name> under datadir. */
char *template_render(const char *datadir, const char *name, const char *const *vars);

#endif
