/* json.c: the JSON module over cJSON. */
#include "json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* struct json is never defined: a struct json * is a cJSON * in disguise. */
static cJSON *C(const struct json *j)
{
	return (cJSON *)j;
}

static struct json *J(cJSON *c)
{
	if (!c)
		BUG("cJSON allocation failed");
	return (struct json *)c;
}

struct json *json_object(void)
{
	return J(cJSON_CreateObject());
}

struct json *json_array(void)
{
	return J(cJSON_CreateArray());
}

struct json *json_string(const char *s)
{
	return J(s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* cJSON keeps numbers as doubles, which hold integers exactly only up to
 * 2^53: an integer is kept as its decimal text instead, printed as it is. */
struct json *json_int(int64_t v)
{
	char text[32];
	snprintf(text, sizeof(text), "%lld", (long long)v);
	return J(cJSON_CreateRaw(text));
}

struct json *json_bool(bool v)
{
	return J(cJSON_CreateBool(v));
}

void json_set(struct json *obj, const char *key, struct json *child)
{
	cJSON_AddItemToObject(C(obj), key, C(child));
}

void json_set_str(struct json *obj, const char *key, const char *s)
{
	json_set(obj, key, json_string(s));
}

void json_set_int(struct json *obj, const char *key, int64_t v)
{
	json_set(obj, key, json_int(v));
}

void json_set_bool(struct json *obj, const char *key, bool v)
{
	json_set(obj, key, json_bool(v));
}

void json_push(struct json *arr, struct json *child)
{
	cJSON_AddItemToArray(C(arr), C(child));
}

/* cJSON indents with tabs; two spaces read better in files and logs. */
static char *retab(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	bool in_string = false, escaped = false, line_start = true;
	for (; *s; s++) {
		if (!in_string && *s == '\t') {
			strbuf_adds(&sb, line_start ? "  " : " ");
			continue;
		}
		line_start = *s == '\n';
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (*s == '\\')
				escaped = true;
			else if (*s == '"')
				in_string = false;
		} else if (*s == '"') {
			in_string = true;
		}
		strbuf_addc(&sb, *s);
	}
	return strbuf_detach(&sb);
}

char *json_render(const struct json *j, bool pretty)
{
	char *raw = pretty ? cJSON_Print(C(j)) : cJSON_PrintUnformatted(C(j));
	if (!raw)
		BUG("cJSON_Print failed");
	char *out;
	if (pretty) {
		char *t = retab(raw);
		out = xasprintf("%s\n", t);
		free(t);
	} else {
		out = xstrdup(raw);
	}
	cJSON_free(raw);
	return out;
}

void json_free(struct json *j)
{
	cJSON_Delete(C(j));
}

struct json *json_parse(const char *text)
{
	return (struct json *)cJSON_Parse(text);
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || !cJSON_IsObject(C(obj)))
		return NULL;
	return (const struct json *)cJSON_GetObjectItemCaseSensitive(C(obj), key);
}

const char *json_str(const struct json *j)
{
	return j && cJSON_IsString(C(j)) ? C(j)->valuestring : NULL;
}

int64_t json_num(const struct json *j, int64_t def)
{
	if (j && cJSON_IsRaw(C(j))) {
		char *end;
		long long v = strtoll(C(j)->valuestring, &end, 10);
		return *end ? def : (int64_t)v;
	}
	return j && cJSON_IsNumber(C(j)) ? (int64_t)C(j)->valuedouble : def;
}

struct json *json_dup(const struct json *j)
{
	return J(cJSON_Duplicate(C(j), 1));
}

struct json *json_get_mut(struct json *obj, const char *key)
{
	return (struct json *)json_get(obj, key);
}

struct json *json_at_mut(struct json *arr, size_t i)
{
	return (struct json *)json_at(arr, i);
}

size_t json_len(const struct json *j)
{
	return j && cJSON_IsArray(C(j)) ? (size_t)cJSON_GetArraySize(C(j)) : 0;
}

const struct json *json_at(const struct json *j, size_t i)
{
	return (const struct json *)cJSON_GetArrayItem(C(j), (int)i);
}

struct json *json_keys(const struct json *j)
{
	struct json *keys = json_array();
	if (j && cJSON_IsObject(C(j)))
		for (const cJSON *c = C(j)->child; c; c = c->next)
			if (c->string)
				json_push(keys, json_string(c->string));
	return keys;
}
