/* gen.h: writes the build directory of a resolved unikernel: main.c,
 * mirage_devices.h, kv_NAME.S per kv_ro device, manifest.json and a Makefile.
 * Every string from the description reaches them escaped for the language
 * (C, assembly, make, JSON), or not at all.
 * Files are written atomically and left untouched (timestamp included) when
 * their content is unchanged, so a rebuild after configure stays a no-op. */
#ifndef MIRAGE_GEN_H
#define MIRAGE_GEN_H

#include "graph.h"
#include "json.h"
#include "plan.h"

/* Writes every generated file of g into p->builddir, which must exist;
 * datadir holds templates/. Returns the number of files rewritten, or -1. */
int gen_write(const struct graph *g, const struct plan *p, const char *datadir);
/* The manifest (devices by name and type with their implementation, and the
 * arguments), as written to manifest.json. Caller frees. */
struct json *gen_manifest(const struct graph *g);
/* Appends s to sb as a C string literal, quotes included. */
void gen_c_string(struct strbuf *sb, const char *s);
/* Appends s to sb as text inside a C comment (also in assembly and Makefile
 * comments): nothing in it can end the comment, splice a line or start a
 * new one. */
void gen_c_comment(struct strbuf *sb, const char *s);
/* Appends s to sb as a GNU assembler string literal, quotes included. */
void gen_asm_string(struct strbuf *sb, const char *s);
/* Appends s to sb quoted for a POSIX shell inside a Makefile recipe. */
void gen_make_quote(struct strbuf *sb, const char *s);
/* Appends s to sb as a file name in a Makefile rule's targets or
 * prerequisites (blanks, '#', ':', wildcards and '$' escaped). */
void gen_make_name(struct strbuf *sb, const char *s);

#endif
