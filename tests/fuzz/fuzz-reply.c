/* SPDX-License-Identifier: ISC */
/* fuzz-reply.c - the library's one reply check (exchange_recv_reply: the
 * receive, the decoder, the descriptor's match with the status) on
 * arbitrary bytes from the peer. */
#include "config.h"

#include <sys/socket.h>
#include <unistd.h>

#include "exchange.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2], fd;

	if (size > 4096 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 0;
	if (size > 0 && write(sv[0], data, size) < 0)
		size = 0;
	close(sv[0]);
	fd = exchange_recv_reply(sv[1], MSG_CMSG_CLOEXEC);
	if (fd >= 0)
		close(fd);
	close(sv[1]);
	return 0;
}
