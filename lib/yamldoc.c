/* yamldoc.c: builds a positioned tree from libyaml's event stream. */
#include "yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "strmap.h"
#include "util.h"

/* Limits that keep a hostile description from exhausting the tool. */
#define YDOC_MAX_DEPTH 64
#define YDOC_MAX_NODES 200000

struct anchor {
	char *name;
	struct ynode *node;
};

struct builder {
	struct ydoc *doc;
	struct ynode *stack[YDOC_MAX_DEPTH + 1];
	char *stack_anchor[YDOC_MAX_DEPTH + 1];
	/* a map collects key, value, key, value...: the key awaiting its value
	 * (dropped with its value when it repeats one), and the keys so far */
	struct ynode *pending_key[YDOC_MAX_DEPTH + 1];
	bool pending_dup[YDOC_MAX_DEPTH + 1];
	struct strmap keys[YDOC_MAX_DEPTH + 1];
	int depth;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	int ndocs;
	int errors;
};

static struct pos mark_pos(struct builder *b, yaml_mark_t m)
{
	struct pos p = {b->doc->file, (int)m.line + 1, (int)m.column + 1};
	return p;
}

static struct ynode *new_node(struct builder *b, enum ynode_kind kind, yaml_mark_t m)
{
	struct ydoc *doc = b->doc;
	if (doc->nall >= YDOC_MAX_NODES) {
		struct pos p = mark_pos(b, m);
		error_at(&p, "document too large (more than %d nodes)", YDOC_MAX_NODES);
		b->errors++;
		return NULL;
	}
	struct ynode *n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->pos = mark_pos(b, m);
	if (doc->nall == doc->capall) {
		doc->capall = doc->capall ? 2 * doc->capall : 32;
		doc->all = xrealloc(doc->all, doc->capall * sizeof(*doc->all));
	}
	doc->all[doc->nall++] = n;
	return n;
}

static void push_item(struct ynode *parent, struct ynode *key, struct ynode *item)
{
	/* items and keys grow together; capacity doubles at powers of two */
	size_t n = parent->n;
	if ((n & (n - 1)) == 0) {
		size_t cap = n ? 2 * n : 1;
		parent->items = xrealloc(parent->items, cap * sizeof(*parent->items));
		if (parent->kind == YNODE_MAP)
			parent->keys = xrealloc(parent->keys, cap * sizeof(*parent->keys));
	}
	parent->items[n] = item;
	if (parent->kind == YNODE_MAP)
		parent->keys[n] = key;
	parent->n = n + 1;
}

static void remember_anchor(struct builder *b, char *name, struct ynode *node)
{
	if (!name)
		return;
	if (b->nanchors == b->capanchors) {
		b->capanchors = b->capanchors ? 2 * b->capanchors : 8;
		b->anchors = xrealloc(b->anchors, b->capanchors * sizeof(*b->anchors));
	}
	b->anchors[b->nanchors].name = name;
	b->anchors[b->nanchors].node = node;
	b->nanchors++;
}

static int add_to_parent(struct builder *b, struct ynode *node)
{
	if (b->depth == 0) {
		if (b->doc->root)
			BUG("two roots in one document");
		b->doc->root = node;
		return 0;
	}
	struct ynode *parent = b->stack[b->depth - 1];
	if (parent->kind == YNODE_SEQ) {
		push_item(parent, NULL, node);
		return 0;
	}
	int d = b->depth - 1;
	struct ynode **key = &b->pending_key[d];
	if (!*key) {
		if (node->kind != YNODE_SCALAR) {
			error_at(&node->pos, "a key must be a plain string, not a %s",
				 ynode_kind_name(node->kind));
			b->errors++;
			return -1;
		}
		size_t first;
		b->pending_dup[d] = !strmap_add(&b->keys[d], node->str, parent->n);
		if (b->pending_dup[d]) {
			strmap_get(&b->keys[d], node->str, &first);
			error_at(&node->pos, "duplicate key '%s' (first at line %d)", node->str,
				 parent->keys[first]->pos.line);
			b->doc->errors++;
		}
		*key = node;
		return 0;
	}
	if (!b->pending_dup[d])
		push_item(parent, *key, node);
	*key = NULL;
	return 0;
}

/* Tags are not interpreted: a tagged value would silently mean something
 * else than it says ("!!str 5" read as an int), so it is refused. */
static void check_tag(struct builder *b, const yaml_char_t *tag, yaml_mark_t m)
{
	if (!tag)
		return;
	struct pos p = mark_pos(b, m);
	error_at(&p, "YAML tag '%s' is not supported: write the value plainly", (const char *)tag);
	b->doc->errors++;
}

static int on_event(struct builder *b, yaml_event_t *ev)
{
	struct ynode *node;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->ndocs > 1) {
			struct pos p = mark_pos(b, ev->start_mark);
			error_at(&p, "only one YAML document is allowed");
			b->errors++;
			return -1;
		}
		return 0;
	case YAML_SCALAR_EVENT:
		node = new_node(b, YNODE_SCALAR, ev->start_mark);
		if (!node)
			return -1;
		node->len = ev->data.scalar.length;
		node->str = xstrndup((const char *)ev->data.scalar.value, node->len);
		if (strlen(node->str) != node->len) {
			error_at(&node->pos, "a value holds a NUL character");
			b->doc->errors++;
		}
		node->len = strlen(node->str);
		node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (!ev->data.scalar.plain_implicit && !ev->data.scalar.quoted_implicit)
			check_tag(b, ev->data.scalar.tag, ev->start_mark);
		if (ev->data.scalar.anchor)
			remember_anchor(b, xstrdup((const char *)ev->data.scalar.anchor), node);
		return add_to_parent(b, node);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		if (b->depth >= YDOC_MAX_DEPTH) {
			struct pos p = mark_pos(b, ev->start_mark);
			error_at(&p, "document nested too deeply (more than %d levels)",
				 YDOC_MAX_DEPTH);
			b->errors++;
			return -1;
		}
		bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
		node = new_node(b, seq ? YNODE_SEQ : YNODE_MAP, ev->start_mark);
		if (!node)
			return -1;
		if (!(seq ? ev->data.sequence_start.implicit : ev->data.mapping_start.implicit))
			check_tag(b, seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag,
				  ev->start_mark);
		const yaml_char_t *anchor =
		    seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
		b->stack_anchor[b->depth] = anchor ? xstrdup((const char *)anchor) : NULL;
		b->pending_key[b->depth] = NULL;
		b->pending_dup[b->depth] = false;
		strmap_release(&b->keys[b->depth]);
		b->stack[b->depth++] = node;
		return 0;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		node = b->stack[--b->depth];
		strmap_release(&b->keys[b->depth]);
		/* registered only once complete, so an alias cannot refer to an
		 * enclosing node and the tree stays acyclic */
		remember_anchor(b, b->stack_anchor[b->depth], node);
		b->stack_anchor[b->depth] = NULL;
		return add_to_parent(b, node);
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		for (size_t i = b->nanchors; i-- > 0;) {
			if (!strcmp(b->anchors[i].name, name))
				return add_to_parent(b, b->anchors[i].node);
		}
		struct pos p = mark_pos(b, ev->start_mark);
		error_at(&p, "unknown anchor '%s'", name);
		b->errors++;
		return -1;
	}
	default:
		return 0;
	}
}

int ydoc_parse(struct ydoc *doc, const char *file, const char *buf, size_t len)
{
	memset(doc, 0, sizeof(*doc));
	doc->file = xstrdup(file);
	struct builder b = {.doc = doc};
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		BUG("yaml_parser_initialize");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	int rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			struct pos p = mark_pos(&b, parser.problem_mark);
			/* "while parsing a flow sequence" -> "a flow sequence" */
			const char *what = parser.context;
			if (what && str_starts(what, "while ") && strchr(what + 6, ' '))
				what = strchr(what + 6, ' ') + 1;
			if (what)
				error_at(
				    &p,
				    "YAML syntax error: %s (in %s started at line %d, column %d)",
				    parser.problem, what, (int)parser.context_mark.line + 1,
				    (int)parser.context_mark.column + 1);
			else
				error_at(&p, "YAML syntax error: %s", parser.problem);
			rc = -1;
			break;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		if (on_event(&b, &ev) < 0)
			rc = -1;
		yaml_event_delete(&ev);
		if (end || rc < 0)
			break;
	}
	yaml_parser_delete(&parser);
	for (size_t i = 0; i < b.nanchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	for (int i = 0; i < b.depth; i++)
		free(b.stack_anchor[i]);
	for (int i = 0; i <= YDOC_MAX_DEPTH; i++)
		strmap_release(&b.keys[i]);
	if (rc < 0 || b.errors) {
		ydoc_release(doc);
		return -1;
	}
	return 0;
}

int ydoc_load(struct ydoc *doc, const char *path, const char *name)
{
	size_t len;
	char *buf = file_read(path, &len);
	if (!buf) {
		memset(doc, 0, sizeof(*doc));
		return error("read %s:", name);
	}
	int rc = ydoc_parse(doc, name, buf, len);
	free(buf);
	return rc;
}

void ydoc_release(struct ydoc *doc)
{
	for (size_t i = 0; i < doc->nall; i++) {
		struct ynode *n = doc->all[i];
		free(n->str);
		free(n->items);
		free(n->keys);
		free(n);
	}
	free(doc->all);
	free(doc->file);
	memset(doc, 0, sizeof(*doc));
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i]->str, key))
			return map->items[i];
	return NULL;
}

const char *ynode_kind_name(enum ynode_kind kind)
{
	switch (kind) {
	case YNODE_SCALAR:
		return "scalar";
	case YNODE_SEQ:
		return "list";
	case YNODE_MAP:
		return "mapping";
	}
	return "?";
}
