/* http: an HTTP/1.1 server for the files of the htdocs kv_ro device.
 *
 * GET and HEAD; "/" and paths ending in "/" serve index.html; the content
 * type comes from the file's extension; a missing file is a 404. Each
 * connection is kept alive (HTTP/1.1, or HTTP/1.0 asking for it) and may
 * pipeline requests; it is closed after --idle seconds without one. A
 * response is sent straight from the kv_ro device's memory: small files go
 * out with their headers in one write, large ones follow them. */
#include <inttypes.h>
#include <mirage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IN_BUF	8192  /* a request's line and headers */
#define OUT_BUF 16384 /* headers and the start of the body */
#define SEC	1000000000ULL

struct conn {
	struct mirage_tcp *tcp;
	char in[IN_BUF];
	size_t in_len;
	size_t discard; /* bytes of a request body still to skip */
	char out[OUT_BUF];
	size_t out_off, out_len;
	const unsigned char *body; /* the rest of the response, from the kv_ro device */
	size_t body_off, body_len;
	bool close_after; /* close once the response is out */
	bool peer_closed;
	uint64_t last; /* the last request or input */
};

static const struct mirage_devices *dev;
static bool log_requests;

static const char *content_type(const char *key)
{
	static const char *const types[][2] = {
	    {".html", "text/html; charset=utf-8"},
	    {".htm", "text/html; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".json", "application/json"},
	    {".txt", "text/plain; charset=utf-8"},
	    {".xml", "application/xml"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".jpg", "image/jpeg"},
	    {".jpeg", "image/jpeg"},
	    {".gif", "image/gif"},
	    {".ico", "image/x-icon"},
	    {".webp", "image/webp"},
	    {".wasm", "application/wasm"},
	    {".pdf", "application/pdf"},
	};
	const char *dot = strrchr(key, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcasecmp(dot, types[i][0]))
				return types[i][1];
	return "application/octet-stream";
}

/* Queues a response: headers, then len bytes of body (none for HEAD). */
static void respond(struct conn *c, int status, const char *reason, const char *type,
		    const void *body, size_t len, bool head)
{
	int n = snprintf(c->out, sizeof(c->out),
			 "HTTP/1.1 %d %s\r\nServer: mirage\r\nContent-Type: %s\r\n"
			 "Content-Length: %zu\r\n%s\r\n",
			 status, reason, type, len, c->close_after ? "Connection: close\r\n" : "");
	c->out_off = 0;
	c->out_len = (size_t)n;
	c->body = body;
	c->body_off = 0;
	c->body_len = head ? 0 : len;
	/* a small body joins its headers: one write, one segment */
	size_t room = sizeof(c->out) - c->out_len;
	if (c->body_len <= room) {
		memcpy(c->out + c->out_len, body, c->body_len);
		c->out_len += c->body_len;
		c->body_len = 0;
	}
}

static void respond_text(struct conn *c, int status, const char *reason, bool head)
{
	static char text[64];
	int n = snprintf(text, sizeof(text), "%d %s\n", status, reason);
	respond(c, status, reason, "text/plain; charset=utf-8", text, (size_t)n, head);
}

static int hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The kv_ro key of a request target ("/css/a%20b.css?x" -> "css/a b.css"),
 * or -1 when it is malformed. */
static int target_key(const char *t, size_t len, char *key, size_t size)
{
	if (!len || t[0] != '/')
		return -1;
	size_t k = 0;
	for (size_t i = 1; i < len && t[i] != '?' && t[i] != '#'; i++) {
		char ch = t[i];
		if (ch == '%') {
			int hi = i + 2 < len ? hex(t[i + 1]) : -1,
			    lo = hi >= 0 ? hex(t[i + 2]) : -1;
			if (lo < 0)
				return -1;
			ch = (char)(hi << 4 | lo);
			i += 2;
		}
		if ((unsigned char)ch < 0x20 || ch == 0x7f || k + 1 >= size)
			return -1;
		key[k++] = ch;
	}
	key[k] = '\0';
	if (k == 0 || key[k - 1] == '/') {
		if (k + sizeof("index.html") > size)
			return -1;
		memcpy(key + k, "index.html", sizeof("index.html"));
	}
	return 0;
}

/* The value of header name in the headers at h (up to end), or NULL. */
static const char *header(const char *h, const char *end, const char *name, size_t *len)
{
	size_t n = strlen(name);
	while (h < end) {
		const char *eol = memchr(h, '\n', (size_t)(end - h));
		if (!eol)
			eol = end;
		if ((size_t)(eol - h) > n && h[n] == ':' && !strncasecmp(h, name, n)) {
			const char *v = h + n + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			const char *ve = eol;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			*len = (size_t)(ve - v);
			return v;
		}
		h = eol + 1;
	}
	return NULL;
}

static bool value_is(const char *v, size_t len, const char *word)
{
	return v && len == strlen(word) && !strncasecmp(v, word, len);
}

/* Handles the first request of c->in when it is complete: 1 (a response
 * is queued), 0 (more input is needed). */
static int handle_request(struct conn *c)
{
	char *end = NULL;
	size_t hlen = 0;
	for (size_t i = 0; i + 1 < c->in_len; i++)
		if (c->in[i] == '\n' &&
		    (c->in[i + 1] == '\n' ||
		     (c->in[i + 1] == '\r' && i + 2 < c->in_len && c->in[i + 2] == '\n'))) {
			end = c->in + i + 1;
			hlen = i + (c->in[i + 1] == '\n' ? 2 : 3);
			break;
		}
	if (!end) {
		if (c->in_len == sizeof(c->in)) {
			c->close_after = true;
			respond_text(c, 431, "Request Header Fields Too Large", false);
			return 1;
		}
		return 0;
	}
	/* the request line: METHOD SP TARGET SP HTTP/1.x */
	const char *line_end = memchr(c->in, '\n', (size_t)(end - c->in));
	const char *sp1 = memchr(c->in, ' ', (size_t)(line_end - c->in));
	const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1)) : NULL;
	size_t vlen = sp2 ? (size_t)(line_end - sp2 - 1) : 0;
	if (vlen && sp2[vlen] == '\r')
		vlen--;
	bool head = sp1 && sp1 - c->in == 4 && !memcmp(c->in, "HEAD", 4);
	bool get = sp1 && sp1 - c->in == 3 && !memcmp(c->in, "GET", 3);
	bool v11 = vlen == 8 && !memcmp(sp2 + 1, "HTTP/1.1", 8);
	bool v10 = vlen == 8 && !memcmp(sp2 + 1, "HTTP/1.0", 8);
	const char *headers = line_end + 1;
	size_t clen;
	const char *conn = header(headers, end, "Connection", &clen);
	c->close_after = v11 ? value_is(conn, clen, "close") : !value_is(conn, clen, "keep-alive");
	size_t tlen, blen;
	const char *te = header(headers, end, "Transfer-Encoding", &tlen);
	const char *cl = header(headers, end, "Content-Length", &blen);
	size_t body = 0;
	bool bad_length = false;
	for (size_t i = 0; cl && i < blen; i++) {
		bad_length |= cl[i] < '0' || cl[i] > '9' || body > SIZE_MAX / 10 - 9;
		body = body * 10 + (size_t)(cl[i] - '0');
	}
	char key[512];
	int key_ok = sp2 ? target_key(sp1 + 1, (size_t)(sp2 - sp1 - 1), key, sizeof(key)) : -1;
	char line[160] = "";
	if (log_requests) {
		size_t ll = (size_t)(line_end - c->in);
		if (ll && c->in[ll - 1] == '\r')
			ll--;
		snprintf(line, sizeof(line), "%.*s", (int)ll, c->in);
	}
	/* consume the request; its body is skipped as it comes */
	memmove(c->in, c->in + hlen, c->in_len - hlen);
	c->in_len -= hlen;
	c->discard = body;
	int status = 200;
	if (!sp2 || (!v11 && !v10) || bad_length || te || key_ok < 0) {
		c->close_after = true;
		if (te)
			respond_text(c, status = 501, "Not Implemented", head);
		else
			respond_text(c, status = 400, "Bad Request", head);
	} else if (!get && !head) {
		respond_text(c, status = 405, "Method Not Allowed", false);
	} else {
		const void *data;
		size_t len;
		if (mirage_kv_get(dev->htdocs, key, &data, &len) == MIRAGE_OK)
			respond(c, 200, "OK", content_type(key), data, len, head);
		else
			respond_text(c, status = 404, "Not Found", head);
	}
	if (log_requests)
		printf("http: %s -> %d\n", line, status);
	return 1;
}

/* Moves one connection along. Returns false when it is done. */
static bool serve(struct conn *c, uint64_t now)
{
	for (;;) {
		/* the response being sent: headers, then the body */
		const char *p = c->out_off < c->out_len ? c->out + c->out_off
							: (const char *)c->body + c->body_off;
		size_t left =
		    c->out_off < c->out_len ? c->out_len - c->out_off : c->body_len - c->body_off;
		if (left) {
			size_t w;
			mirage_result r = mirage_tcp_write(c->tcp, p, left, &w);
			if (r == MIRAGE_AGAIN)
				return true;
			if (r != MIRAGE_OK)
				return false;
			if (c->out_off < c->out_len)
				c->out_off += w;
			else
				c->body_off += w;
			continue;
		}
		if (c->close_after)
			return false;
		/* skip a request body, then the next request */
		size_t skip = c->discard < c->in_len ? c->discard : c->in_len;
		memmove(c->in, c->in + skip, c->in_len - skip);
		c->in_len -= skip;
		c->discard -= skip;
		if (!c->discard && handle_request(c)) {
			c->last = now;
			continue;
		}
		if (c->peer_closed)
			return false;
		size_t n;
		mirage_result r =
		    mirage_tcp_read(c->tcp, c->in + c->in_len, sizeof(c->in) - c->in_len, &n);
		if (r == MIRAGE_AGAIN)
			return true;
		if (r != MIRAGE_OK)
			return false;
		if (n == 0)
			c->peer_closed = true;
		c->in_len += n;
		c->last = now;
	}
}

static void ip_text(uint32_t a, char out[16])
{
	snprintf(out, 16, "%" PRIu32 ".%" PRIu32 ".%" PRIu32 ".%" PRIu32, a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
}

int start(const struct mirage_devices *devices, const struct mirage_args *args)
{
	dev = devices;
	log_requests = args->log;
	if (args->port < 1 || args->port > 65535 || args->max_conns < 1 || args->idle < 1) {
		printf("http: --port must be 1 to 65535, --max_conns and --idle at least 1\n");
		return 64;
	}
	struct mirage_tcp *listener;
	if (mirage_tcp_listen(dev->stack, (uint16_t)args->port, &listener) != MIRAGE_OK) {
		printf("http: cannot listen on port %" PRId64 "\n", args->port);
		return 1;
	}
	uint32_t addr;
	unsigned prefix;
	while (mirage_tcpip_ipv4(dev->stack, &addr, &prefix, NULL) == MIRAGE_AGAIN)
		mirage_wait(UINT64_MAX);
	char text[16];
	ip_text(addr, text);
	printf("http: serving %zu files on %s/%u port %" PRId64 "\n", mirage_kv_count(dev->htdocs),
	       text, prefix, args->port);

	size_t max = (size_t)args->max_conns, n = 0;
	uint64_t idle = (uint64_t)args->idle * SEC;
	struct conn **conns = calloc(max, sizeof(*conns));
	if (!conns)
		return 1;
	for (;;) {
		uint64_t now = mirage_clock_monotonic();
		struct mirage_tcp *t;
		while (n < max && mirage_tcp_accept(listener, &t) == MIRAGE_OK) {
			struct conn *c = calloc(1, sizeof(*c));
			if (!c) {
				mirage_tcp_close(t);
				break;
			}
			c->tcp = t;
			c->last = now;
			conns[n++] = c;
		}
		uint64_t deadline = UINT64_MAX;
		for (size_t i = 0; i < n;) {
			struct conn *c = conns[i];
			bool sending = c->out_off < c->out_len || c->body_off < c->body_len;
			if (serve(c, now) && (sending || now - c->last < idle)) {
				if (!sending && c->last + idle < deadline)
					deadline = c->last + idle;
				i++;
				continue;
			}
			mirage_tcp_close(c->tcp);
			free(c);
			conns[i] = conns[--n];
		}
		mirage_wait(deadline);
	}
}
