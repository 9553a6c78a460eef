/* fuzz-reply.c - the library's reply path (fdpass_recv, then the decoder)
 * on arbitrary bytes from the peer. */
#include "config.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"
#include "fuzz.h"
#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char rep[PROTO_REPLY_LEN];
	int sv[2], fd = -1, status;
	ssize_t n;

	if (size > 4096 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 0;
	if (size > 0 && write(sv[0], data, size) < 0)
		size = 0;
	close(sv[0]);
	n = fdpass_recv(sv[1], &fd, NULL, rep, sizeof rep, MSG_CMSG_CLOEXEC);
	if (n == (ssize_t)sizeof rep && proto_reply_decode(rep, &status) == 0)
		(void)proto_status_errno(status);
	if (fd >= 0)
		close(fd);
	close(sv[1]);
	return 0;
}
