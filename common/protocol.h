/* SPDX-License-Identifier: ISC */
/*
 * protocol.h - the wire format between libmyopen and the openfile helper.
 *
 * Bump PROTOCOL_VERSION if any of these change.
 *
 * Both ends run on the same host, so integers travel in host byte order;
 * they are copied field by field into fixed offsets, never as structs, so
 * padding and alignment never reach the wire.
 *
 * Request, client to helper (PROTO_REQ_HDR bytes, then the path):
 *   u32 magic      PROTO_REQ_MAGIC
 *   u32 version    PROTOCOL_VERSION
 *   u32 flags      open(2) flags, O_CLOEXEC removed by the client
 *   u32 mode       creation mode, 0 without O_CREAT
 *   u32 pathlen    1 .. PROTO_PATH_MAX, no NUL among the bytes
 *
 * Reply, helper to client (PROTO_REPLY_LEN bytes, a descriptor attached
 * exactly when status is 0):
 *   u32 magic      PROTO_REPLY_MAGIC
 *   u32 version    PROTOCOL_VERSION
 *   u32 status     0, an errno value, or HELPER_EXIT_NOPRIV or
 *                  HELPER_EXIT_SYSTEM for a helper that cannot serve
 *
 * The helper's exit status is the same number, for clients that can still
 * collect it; the in-band status is what counts when the host program
 * ignores SIGCHLD or reaps children itself.
 *
 * To openfiled, a connection starts with a hello (PROTO_HELLO_LEN bytes,
 * the client's root directory attached).  The main process, which never
 * reads it, sends a greeting as soon as it has accepted the connection
 * and before it hands it to a worker: the broker has taken it on, and a
 * worker will answer the hello within its own time limits
 * (or end the connection unanswered).  So the client waits a bounded time
 * for the greeting and sends nothing more before it, and may then send
 * its first request at once, without waiting for the hello's reply: a
 * client that gives up on a broker has never sent it a request, and a
 * worker reads no request before it has answered the hello with 0.  The
 * hello's reply: 0, or EXDEV when that root is not the broker's (another
 * mount namespace or chroot: the client must use the helper), or an
 * error.  Then requests and replies as above, any number; a request with
 * a relative path carries the client's working directory as a
 * descriptor, any other none.
 *   u32 magic      PROTO_HELLO_MAGIC, or PROTO_GREETING_MAGIC
 *   u32 version    PROTOCOL_VERSION
 *
 * The greeting has a magic of its own rather than a new PROTOCOL_VERSION:
 * the helper's wire format did not change, and a library and a broker of
 * either side of the greeting each take the other's first message for a
 * malformed one, before any request is sent, and the library uses the
 * helper.
 */
#ifndef OPENFILE_PROTOCOL_H
#define OPENFILE_PROTOCOL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PROTOCOL_VERSION 1u
#define PROTO_REQ_MAGIC 0x4f504652u   /* "OPFR" */
#define PROTO_REPLY_MAGIC 0x4f504641u /* "OPFA" */
#define PROTO_HELLO_MAGIC 0x4f504648u /* "OPFH" */
#define PROTO_GREETING_MAGIC 0x4f504647u /* "OPFG" */

#define PROTO_REQ_HDR 20u
#define PROTO_REPLY_LEN 12u
#define PROTO_HELLO_LEN 8u
/* PATH_MAX counts the terminating NUL, which does not travel. */
#define PROTO_PATH_MAX 4095u

/*
 * The helper's own exit statuses, above every errno value, for failures that
 * are not an answer about the file.  The library maps them to the errno
 * values documented in my_open(3).
 */
enum helper_exit {
	HELPER_EXIT_USAGE = 200,     /* bad arguments: not started by libmyopen */
	HELPER_EXIT_NOPRIV = 201,    /* no privilege to drop, or drop failed */
	HELPER_EXIT_PROTOCOL = 202,  /* malformed request or socket */
	HELPER_EXIT_SYSTEM = 203,    /* the helper could not set itself up */
};

struct proto_request {
	uint32_t flags;
	uint32_t mode;
	char path[PROTO_PATH_MAX + 1]; /* NUL-terminated after decoding */
};

/* In host byte order (above). */
static inline void proto_put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof v);
}

static inline uint32_t proto_get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/*
 * What only a client writes and reads (the request header, the reply, the
 * status as an errno) is inline, made only where it is used: the helper
 * and openfiled, which link this folder's objects whole, carry none of it.
 */

/* Encodes the header for a path of pathlen bytes into hdr. */
static inline void proto_request_header(unsigned char hdr[PROTO_REQ_HDR],
					uint32_t flags, uint32_t mode,
					uint32_t pathlen)
{
	proto_put32(hdr, PROTO_REQ_MAGIC);
	proto_put32(hdr + 4, PROTOCOL_VERSION);
	proto_put32(hdr + 8, flags);
	proto_put32(hdr + 12, mode);
	proto_put32(hdr + 16, pathlen);
}

/*
 * Checks a request header.  Returns the path length to read next, or -1
 * and sets errno: EPROTO for a wrong magic or version, ENAMETOOLONG or
 * EINVAL for a path length out of range.
 */
long proto_request_check(const unsigned char hdr[PROTO_REQ_HDR],
			 struct proto_request *req);

/*
 * Takes the path bytes read after the header into req.  Returns 0, or -1
 * and sets errno to EINVAL when they hold a NUL byte.
 */
int proto_request_path(struct proto_request *req, const char *path,
		       size_t pathlen);

/* A hello (PROTO_HELLO_MAGIC) or a greeting (PROTO_GREETING_MAGIC):
 * inline too, for only a client and openfiled say them, never the helper. */
static inline void proto_hello_encode(unsigned char buf[PROTO_HELLO_LEN],
				      uint32_t magic)
{
	proto_put32(buf, magic);
	proto_put32(buf + 4, PROTOCOL_VERSION);
}

/* Returns 0, or -1 and sets errno to EPROTO. */
static inline int proto_hello_check(const unsigned char buf[PROTO_HELLO_LEN],
				    uint32_t magic)
{
	if (proto_get32(buf) != magic || proto_get32(buf + 4) != PROTOCOL_VERSION) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

void proto_reply_encode(unsigned char buf[PROTO_REPLY_LEN], int status);

/*
 * Decodes a reply.  Returns 0 and sets *status, or -1 and sets errno to
 * EPROTO for a wrong magic or version or a status that is not one the
 * helper sends.
 */
static inline int proto_reply_decode(const unsigned char buf[PROTO_REPLY_LEN],
				     int *status)
{
	uint32_t st = proto_get32(buf + 8);

	/* An errno value fits well below the helper's own exit codes. */
	if (proto_get32(buf) != PROTO_REPLY_MAGIC ||
	    proto_get32(buf + 4) != PROTOCOL_VERSION ||
	    (st >= HELPER_EXIT_USAGE && st != HELPER_EXIT_NOPRIV &&
	     st != HELPER_EXIT_SYSTEM)) {
		errno = EPROTO;
		return -1;
	}
	*status = (int)st;
	return 0;
}

/* The errno value a client reports for a status or exit status: itself
 * for 0 and errno values, EPERM for HELPER_EXIT_NOPRIV, EIO for
 * HELPER_EXIT_SYSTEM, EPROTO for anything else. */
static inline int proto_status_errno(int status)
{
	if (status >= 0 && status < HELPER_EXIT_USAGE)
		return status;
	if (status == HELPER_EXIT_NOPRIV)
		return EPERM;
	return status == HELPER_EXIT_SYSTEM ? EIO : EPROTO;
}

#endif /* OPENFILE_PROTOCOL_H */
