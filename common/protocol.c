/* SPDX-License-Identifier: ISC */
/* protocol.c - the wire records the helper and openfiled read and write
 * (protocol.h); what only a client, or a client and openfiled, does is
 * inline there. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "protocol.h"

long proto_request_check(const unsigned char hdr[PROTO_REQ_HDR],
			 struct proto_request *req)
{
	uint32_t pathlen = proto_get32(hdr + 16);

	if (proto_get32(hdr) != PROTO_REQ_MAGIC || proto_get32(hdr + 4) != PROTOCOL_VERSION) {
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
	req->flags = proto_get32(hdr + 8);
	req->mode = proto_get32(hdr + 12);
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

void proto_reply_encode(unsigned char buf[PROTO_REPLY_LEN], int status)
{
	proto_put32(buf, PROTO_REPLY_MAGIC);
	proto_put32(buf + 4, PROTOCOL_VERSION);
	proto_put32(buf + 8, (uint32_t)status);
}
