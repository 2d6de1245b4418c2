/* JSON-RPC 2.0 over a byte stream with LSP's base protocol framing:
 * "Content-Length: N\r\n", other headers, "\r\n", then N bytes of UTF-8
 * JSON. Only framing and JSON live here; what a message means is the
 * server's business (lsp.c). */
#ifndef PEERC_LSP_RPC_H
#define PEERC_LSP_RPC_H

#include "common.h"

#include <jansson.h>

/* A message larger than this is read and dropped, answered with an error:
 * no client sends a 64 MiB .peer file, and a wrong length must not make the
 * server allocate gigabytes. */
#define RPC_MAX_MESSAGE (64u << 20)
/* Headers are a few short lines; more than this is not LSP. */
#define RPC_MAX_HEADER 8192

struct rpc_reader {
	int fd;
	char *buf;
	size_t start, len, cap; /* unread bytes are buf[start, start + len) */
	bool eof;
};

enum rpc_status {
	RPC_MESSAGE,  /* *msg is a JSON value (the caller owns it) */
	RPC_BAD,      /* a frame that is not valid JSON, or too large: *error says
		       * why, and the stream goes on after it */
	RPC_TIMEOUT,  /* nothing arrived in the time given */
	RPC_EOF,      /* the stream ended (between messages or inside one) */
	RPC_BROKEN,   /* the framing is lost (headers that are not LSP's) */
};

void rpc_reader_init(struct rpc_reader *r, int fd);
void rpc_reader_free(struct rpc_reader *r);

/* Reads the next message. timeout_ms < 0 waits as long as it takes; else
 * only the wait for the first byte of a message is bounded (a message that
 * has started is read to its end). error gets a static string. */
enum rpc_status rpc_read(struct rpc_reader *r, int timeout_ms, json_t **msg,
			 const char **error);

/* Writes msg framed to fd, and takes the reference. Returns false when the
 * peer has gone (EPIPE) or another write error happened. */
bool rpc_write(int fd, json_t *msg);

/* The JSON-RPC error codes the server uses. */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	RPC_SERVER_NOT_INITIALIZED = -32002,
	RPC_REQUEST_FAILED = -32803,
};

/* {"jsonrpc":"2.0","id":ID,"result":RESULT}; takes result. id may be NULL
 * (JSON null). */
json_t *rpc_response(json_t *id, json_t *result);
json_t *rpc_error(json_t *id, int code, const char *message);
/* {"jsonrpc":"2.0","method":M,"params":P}; takes params. */
json_t *rpc_notification(const char *method, json_t *params);

#endif
