/* json.h: building, printing and reading JSON. The only seam to cJSON:
 * nothing else includes <cjson/cJSON.h>. */
#ifndef MIRAGE_JSON_H
#define MIRAGE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json; /* a value: object, array, string, number, bool or null */

struct json *json_object(void);
struct json *json_array(void);
struct json *json_string(const char *s);
/* Exact for every 64-bit integer. */
struct json *json_int(int64_t v);
struct json *json_bool(bool v);
/* A deep copy. */
struct json *json_dup(const struct json *j);
/* Adds child under key (object) or at the end (array); takes ownership. */
void json_set(struct json *obj, const char *key, struct json *child);
void json_set_str(struct json *obj, const char *key, const char *s); /* NULL: null */
void json_set_int(struct json *obj, const char *key, int64_t v);
void json_set_bool(struct json *obj, const char *key, bool v);
void json_push(struct json *arr, struct json *child);
/* Returns a new string, indented by two spaces and ending with a newline
 * when pretty; caller frees. */
char *json_render(const struct json *j, bool pretty);
void json_free(struct json *j);

/* Parses text; NULL when it is not valid JSON. */
struct json *json_parse(const char *text);
/* The member key of an object, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* The string, or NULL when j is not a string. */
const char *json_str(const struct json *j);
/* The same, to change in place. */
struct json *json_get_mut(struct json *obj, const char *key);
struct json *json_at_mut(struct json *arr, size_t i);
/* The number (an integer made by json_int exactly; a parsed one through a
 * double, truncated), or def when j is not a number. */
int64_t json_num(const struct json *j, int64_t def);
/* The member names of an object, as an array of strings (empty when j is not
 * an object). Caller frees. */
struct json *json_keys(const struct json *j);
/* Array length (0 when not an array) and items. */
size_t json_len(const struct json *j);
const struct json *json_at(const struct json *j, size_t i);

#endif
