/* protocol.c - encoding and checking of the wire records (protocol.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "protocol.h"

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof v);
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

void proto_request_header(unsigned char hdr[PROTO_REQ_HDR], uint32_t flags,
			  uint32_t mode, uint32_t pathlen)
{
	put32(hdr, PROTO_REQ_MAGIC);
	put32(hdr + 4, PROTOCOL_VERSION);
	put32(hdr + 8, flags);
	put32(hdr + 12, mode);
	put32(hdr + 16, pathlen);
}

long proto_request_check(const unsigned char hdr[PROTO_REQ_HDR],
			 struct proto_request *req)
{
	uint32_t pathlen = get32(hdr + 16);

	if (get32(hdr) != PROTO_REQ_MAGIC || get32(hdr + 4) != PROTOCOL_VERSION) {
		errno = EPROTO;
		return -1;
	}
	if (pathlen == 0) {
		errno = EINVAL;
		return -1;
	}
	if (pathlen > PROTO_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	req->flags = get32(hdr + 8);
	req->mode = get32(hdr + 12);
	req->path[0] = '\0';
	return (long)pathlen;
}

int proto_request_path(struct proto_request *req, const char *path,
		       size_t pathlen)
{
	if (pathlen == 0 || pathlen > PROTO_PATH_MAX ||
	    memchr(path, '\0', pathlen) != NULL) {
		errno = EINVAL;
		return -1;
	}
	memcpy(req->path, path, pathlen);
	req->path[pathlen] = '\0';
	return 0;
}

void proto_hello_encode(unsigned char buf[PROTO_HELLO_LEN], uint32_t magic)
{
	put32(buf, magic);
	put32(buf + 4, PROTOCOL_VERSION);
}

int proto_hello_check(const unsigned char buf[PROTO_HELLO_LEN], uint32_t magic)
{
	if (get32(buf) != magic || get32(buf + 4) != PROTOCOL_VERSION) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

void proto_reply_encode(unsigned char buf[PROTO_REPLY_LEN], int status)
{
	put32(buf, PROTO_REPLY_MAGIC);
	put32(buf + 4, PROTOCOL_VERSION);
	put32(buf + 8, (uint32_t)status);
}

int proto_reply_decode(const unsigned char buf[PROTO_REPLY_LEN], int *status)
{
	uint32_t st = get32(buf + 8);

	/* An errno value fits well below the helper's own exit codes. */
	if (get32(buf) != PROTO_REPLY_MAGIC ||
	    get32(buf + 4) != PROTOCOL_VERSION ||
	    (st >= HELPER_EXIT_USAGE && st != HELPER_EXIT_NOPRIV &&
	     st != HELPER_EXIT_SYSTEM)) {
		errno = EPROTO;
		return -1;
	}
	*status = (int)st;
	return 0;
}

int proto_status_errno(int status)
{
	if (status >= 0 && status < HELPER_EXIT_USAGE)
		return status;
	switch (status) {
	case HELPER_EXIT_NOPRIV:
		return EPERM;
	case HELPER_EXIT_SYSTEM:
		return EIO;
	default:
		return EPROTO;
	}
}
