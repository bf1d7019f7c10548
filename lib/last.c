/* last.c: reading and writing _build/last.json. */
#include "last.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

/* A target or architecture name: [a-z0-9_], short. */
static bool is_name(const char *s)
{
	return s && *s && strlen(s) < 32 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* A build directory that may be taken from the file: below _build/, with no
 * "..", no control character. */
static bool inside_build(const char *dir)
{
	if (!str_starts(dir, "_build/") || !dir[7])
		return false;
	for (const char *s = dir; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s += n;
		while (*s == '/')
			s++;
	}
	for (const unsigned char *c = (const unsigned char *)dir; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			return false;
	return true;
}

int last_parse(const char *text, struct last *l, char **outside)
{
	last_release(l);
	if (outside)
		*outside = NULL;
	struct json *j = json_parse(text);
	if (!j || !json_get(j, "target")) {
		json_free(j);
		return -1;
	}
	const char *t = json_str(json_get(j, "target")), *a = json_str(json_get(j, "arch"));
	const char *b = json_str(json_get(j, "builddir"));
	if (is_name(t))
		l->target = xstrdup(t);
	if (is_name(a))
		l->arch = xstrdup(a);
	if (b && inside_build(b))
		l->builddir = xstrdup(b);
	else if (b && outside)
		*outside = xstrdup(b);
	const struct json *arches = json_get(j, "arches");
	if (l->target && l->arch)
		strlist_pushf(&l->arches, "%s=%s", l->target, l->arch);
	struct json *names = json_keys(arches);
	for (size_t i = 0; i < json_len(names); i++) {
		const char *k = json_str(json_at(names, i));
		const char *v = json_str(json_get(arches, k));
		if (is_name(k) && is_name(v) && !last_arch(l, k))
			strlist_pushf(&l->arches, "%s=%s", k, v);
	}
	json_free(names);
	/* "impls": {"TARGET": {"TYPE": "IMPL", ...}, ...} */
	const struct json *impls = json_get(j, "impls");
	struct json *targets = json_keys(impls);
	for (size_t i = 0; i < json_len(targets); i++) {
		const char *tn = json_str(json_at(targets, i));
		const struct json *choices = json_get(impls, tn);
		struct json *types = json_keys(choices);
		for (size_t k = 0; is_name(tn) && k < json_len(types); k++) {
			const char *type = json_str(json_at(types, k));
			const char *impl = json_str(json_get(choices, type));
			if (is_name(type) && impl && str_is_name(impl, true, 31))
				strlist_pushf(&l->impls, "%s:%s=%s", tn, type, impl);
		}
		json_free(types);
	}
	json_free(targets);
	json_free(j);
	return 0;
}

void last_impls(const struct last *l, const char *target, struct strlist *out)
{
	size_t n = strlen(target);
	for (size_t i = 0; i < l->impls.len; i++)
		if (!strncmp(l->impls.items[i], target, n) && l->impls.items[i][n] == ':')
			strlist_push(out, l->impls.items[i] + n + 1);
}

const char *last_arch(const struct last *l, const char *target)
{
	size_t n = strlen(target);
	for (size_t i = 0; i < l->arches.len; i++)
		if (!strncmp(l->arches.items[i], target, n) && l->arches.items[i][n] == '=')
			return l->arches.items[i] + n + 1;
	return NULL;
}

char *last_render(const struct last *l)
{
	struct json *j = json_object();
	json_set_str(j, "target", l->target);
	json_set_str(j, "arch", l->arch);
	json_set_str(j, "builddir", l->builddir);
	struct json *arches = json_object();
	for (size_t i = 0; i < l->arches.len; i++) {
		char *pair = xstrdup(l->arches.items[i]);
		char *eq = strchr(pair, '=');
		*eq = '\0';
		json_set_str(arches, pair, eq + 1);
		free(pair);
	}
	json_set(j, "arches", arches);
	if (l->impls.len) {
		struct json *impls = json_object();
		for (size_t i = 0; i < l->impls.len; i++) {
			char *t = xstrdup(l->impls.items[i]);
			char *colon = strchr(t, ':'), *eq = strchr(t, '=');
			*colon = *eq = '\0';
			struct json *choices = json_get_mut(impls, t);
			if (!choices) {
				choices = json_object();
				json_set(impls, t, choices);
			}
			json_set_str(choices, colon + 1, eq + 1);
			free(t);
		}
		json_set(j, "impls", impls);
	}
	char *text = json_render(j, true);
	json_free(j);
	return text;
}

void last_release(struct last *l)
{
	free(l->target);
	free(l->arch);
	free(l->builddir);
	strlist_release(&l->arches);
	strlist_release(&l->impls);
	memset(l, 0, sizeof(*l));
}
