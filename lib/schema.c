/* schema.c: typed access to a yamldoc tree with positioned errors. */
#include "schema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const char *prefix(const char *path)
{
	return *path ? path : "document";
}

int schema_known_keys(const struct ynode *map, const char *path, const char *const *allowed)
{
	size_t nallowed = 0;
	while (allowed[nallowed])
		nallowed++;
	int rc = 0;
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *key = map->keys[i];
		bool ok = false;
		for (size_t j = 0; j < nallowed && !ok; j++)
			ok = !strcmp(key->str, allowed[j]);
		if (ok)
			continue;
		const char *hint = str_suggest(key->str, allowed, nallowed);
		if (*path && hint)
			rc = error_at(&key->pos, "%s: unknown key '%s' (did you mean '%s'?)", path,
				      key->str, hint);
		else if (*path)
			rc = error_at(&key->pos, "%s: unknown key '%s'", path, key->str);
		else if (hint)
			rc = error_at(&key->pos, "unknown key '%s' (did you mean '%s'?)", key->str,
				      hint);
		else
			rc = error_at(&key->pos, "unknown key '%s'", key->str);
	}
	return rc;
}

static const char *a_kind(enum ynode_kind kind)
{
	switch (kind) {
	case YNODE_SCALAR:
		return "a string";
	case YNODE_SEQ:
		return "a list";
	case YNODE_MAP:
		return "a mapping";
	}
	return "?";
}

int schema_expect(const struct ynode *node, const char *path, enum ynode_kind kind)
{
	if (node->kind == kind)
		return 0;
	return error_at(&node->pos, "%s: expected %s, found %s", prefix(path), a_kind(kind),
			a_kind(node->kind));
}

int schema_string(const struct ynode *node, const char *path, const char **out)
{
	if (schema_expect(node, path, YNODE_SCALAR) < 0)
		return -1;
	if (node->plain &&
	    (!strcmp(node->str, "~") || !strcmp(node->str, "null") || node->len == 0))
		return error_at(&node->pos, "%s: expected a string, found nothing", prefix(path));
	for (const unsigned char *c = (const unsigned char *)node->str; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return error_at(&node->pos,
					"%s: a control character (0x%02x) is not allowed here",
					prefix(path), *c);
	*out = node->str;
	return 0;
}

int schema_word(const struct ynode *node, const char *path, const char **out)
{
	if (schema_string(node, path, out) < 0)
		return -1;
	if (!**out)
		return error_at(&node->pos, "%s: expected a string, found an empty one",
				prefix(path));
	return 0;
}

int parse_int64(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return -1;
	uint64_t v = 0;
	for (; *p; p++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

int schema_int(const struct ynode *node, const char *path, int64_t *out)
{
	if (node->kind != YNODE_SCALAR || !node->plain || parse_int64(node->str, out) < 0) {
		if (node->kind == YNODE_SCALAR && !node->plain)
			return error_at(
			    &node->pos,
			    "%s: expected an integer, found the string \"%s\" (write it "
			    "without quotes)",
			    prefix(path), node->str);
		if (node->kind == YNODE_SCALAR)
			return error_at(
			    &node->pos,
			    "%s: expected an integer (64-bit, decimal or 0x hex), found "
			    "'%s'",
			    prefix(path), node->str);
		return error_at(&node->pos, "%s: expected an integer, found %s", prefix(path),
				a_kind(node->kind));
	}
	return 0;
}

int schema_bool(const struct ynode *node, const char *path, bool *out)
{
	if (node->kind == YNODE_SCALAR && node->plain) {
		if (!strcmp(node->str, "true")) {
			*out = true;
			return 0;
		}
		if (!strcmp(node->str, "false")) {
			*out = false;
			return 0;
		}
	}
	if (node->kind == YNODE_SCALAR && !node->plain)
		return error_at(&node->pos,
				"%s: expected true or false, found the string \"%s\" (write it "
				"without quotes)",
				prefix(path), node->str);
	if (node->kind == YNODE_SCALAR)
		return error_at(&node->pos, "%s: expected true or false, found '%s'", prefix(path),
				node->str);
	return error_at(&node->pos, "%s: expected true or false, found %s", prefix(path),
			a_kind(node->kind));
}

int schema_strings(const struct ynode *node, const char *path, struct strlist *out)
{
	if (node->kind == YNODE_SCALAR) {
		const char *s;
		if (schema_word(node, path, &s) < 0)
			return -1;
		strlist_push(out, s);
		return 0;
	}
	if (node->kind != YNODE_SEQ)
		return error_at(&node->pos, "%s: expected a string or a list of strings, found %s",
				prefix(path), a_kind(node->kind));
	int rc = 0;
	for (size_t i = 0; i < node->n; i++) {
		const struct ynode *item = node->items[i];
		const char *s;
		char *ipath = xasprintf("%s[%zu]", path, i);
		if (schema_word(item, ipath, &s) < 0)
			rc = -1;
		else
			strlist_push(out, s);
		free(ipath);
	}
	return rc;
}

char *schema_path(const char *path, const char *key)
{
	return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

int schema_opt_strings(const struct ynode *map, const char *key, const char *path,
		       struct strlist *out)
{
	const struct ynode *n = ynode_get(map, key);
	if (!n)
		return 0;
	char *p = schema_path(path, key);
	int rc = schema_strings(n, p, out);
	free(p);
	return rc;
}
