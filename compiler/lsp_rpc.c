#include "common.h"

#include <errno.h>
#include <poll.h>
#include <strings.h>
#include <unistd.h>

#include "lsp_rpc.h"
#include "util.h"

void rpc_reader_init(struct rpc_reader *r, int fd)
{
	*r = (struct rpc_reader){ .fd = fd, .cap = 65536 };
	r->buf = xmalloc(r->cap);
}

void rpc_reader_free(struct rpc_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Waits up to timeout_ms for input; true when there is some (or EOF). */
static bool wait_input(const struct rpc_reader *r, int timeout_ms)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n != 0;
}

/* Reads more bytes, making room for at least `want` unread ones. Returns
 * false at the end of the input or on a read error. */
static bool fill(struct rpc_reader *r, size_t want)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->len);
		r->start = 0;
	}
	while (r->cap < want || r->cap == r->len) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	ssize_t n;
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		r->eof = true;
		return false;
	}
	r->len += (size_t)n;
	return true;
}

static void consume(struct rpc_reader *r, size_t n)
{
	r->start += n;
	r->len -= n;
}

static const char *find_header_end(const struct rpc_reader *r)
{
	const char *p = r->buf + r->start;

	for (size_t i = 0; i + 3 < r->len; i++)
		if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
			return p + i;
	return NULL;
}

/* The value of Content-Length in the header block [h, end), or -1. Header
 * names are case-insensitive; other headers (Content-Type) are ignored. */
static long long content_length(const char *h, const char *end)
{
	static const char name[] = "content-length:";
	long long len = -1;

	while (h < end) {
		const char *eol = memchr(h, '\r', (size_t)(end - h));
		if (!eol)
			eol = end;
		size_t n = (size_t)(eol - h);
		if (n > sizeof(name) - 1 && strncasecmp(h, name, sizeof(name) - 1) == 0) {
			const char *v = h + sizeof(name) - 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			len = v < eol ? 0 : -1;
			for (; v < eol && len >= 0; v++) {
				if (*v < '0' || *v > '9' || len > (1LL << 40))
					len = -1;
				else
					len = len * 10 + (*v - '0');
			}
		}
		h = eol + 2;
	}
	return len;
}

/* Drops n bytes of body that will not be kept. */
static bool skip(struct rpc_reader *r, size_t n)
{
	while (n > 0) {
		if (r->len == 0 && !fill(r, 0))
			return false;
		size_t k = r->len < n ? r->len : n;
		consume(r, k);
		n -= k;
	}
	return true;
}

static enum rpc_status read_header(struct rpc_reader *r, int timeout_ms,
				   long long *len, const char **error)
{
	const char *end;

	if (r->len == 0 && timeout_ms >= 0 && !wait_input(r, timeout_ms))
		return RPC_TIMEOUT;
	while (!(end = find_header_end(r))) {
		if (r->len > RPC_MAX_HEADER) {
			*error = "headers too long: not the LSP base protocol";
			return RPC_BROKEN;
		}
		if (!fill(r, 0))
			return RPC_EOF;
	}
	const char *h = r->buf + r->start;
	*len = content_length(h, end);
	consume(r, (size_t)(end - h) + 4);
	return RPC_MESSAGE;
}

enum rpc_status rpc_read(struct rpc_reader *r, int timeout_ms, json_t **msg,
			 const char **error)
{
	long long len;
	enum rpc_status st = read_header(r, timeout_ms, &len, error);

	*msg = NULL;
	if (st != RPC_MESSAGE)
		return st;
	if (len < 0) {
		*error = "a message without a valid Content-Length header";
		return RPC_BAD;
	}
	if ((unsigned long long)len > RPC_MAX_MESSAGE) {
		*error = "message too large";
		return skip(r, (size_t)len) ? RPC_BAD : RPC_EOF;
	}
	while (r->len < (size_t)len)
		if (!fill(r, (size_t)len))
			return RPC_EOF;
	json_error_t err;
	*msg = json_loadb(r->buf + r->start, (size_t)len, JSON_DECODE_ANY, &err);
	consume(r, (size_t)len);
	if (!*msg) {
		*error = "parse error: the message is not JSON";
		return RPC_BAD;
	}
	return RPC_MESSAGE;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

bool rpc_write(int fd, json_t *msg)
{
	char *body = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (!body)
		BUG();
	char head[64];
	size_t n = strlen(body);
	int hn = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", n);
	bool ok = write_all(fd, head, (size_t)hn) && write_all(fd, body, n);
	free(body);
	return ok;
}

static json_t *message(void)
{
	return json_pack("{s:s}", "jsonrpc", "2.0");
}

json_t *rpc_response(json_t *id, json_t *result)
{
	json_t *m = message();

	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "result", result ? result : json_null());
	return m;
}

json_t *rpc_error(json_t *id, int code, const char *text)
{
	json_t *m = message();

	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "error", json_pack("{s:i,s:s}", "code", code,
						  "message", text));
	return m;
}

json_t *rpc_notification(const char *method, json_t *params)
{
	json_t *m = message();

	json_object_set_new(m, "method", json_string(method));
	json_object_set_new(m, "params", params);
	return m;
}
