/* SPDX-License-Identifier: ISC */
/* fuzz-request.c - the helper's request decoder on arbitrary bytes. */
#include "config.h"

#include "fuzz.h"
#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proto_request req;
	long len;

	if (size < PROTO_REQ_HDR)
		return 0;
	len = proto_request_check(data, &req);
	if (len > 0 && (size_t)len <= size - PROTO_REQ_HDR)
		proto_request_path(&req, (const char *)data + PROTO_REQ_HDR,
				   (size_t)len);
	return 0;
}
