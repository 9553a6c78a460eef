/* SPDX-License-Identifier: ISC */
/* testutil.h - what the test programs share: counting descriptors,
 * sending raw descriptor messages, running a Check suite as TAP. */
#ifndef OPENFILE_TESTUTIL_H
#define OPENFILE_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Open descriptors of this process, or -1. */
int tu_count_fds(void);

/* Sends len bytes with n copies of fd (none for n == 0) in one message,
 * however wrong that is.  Returns what sendmsg returns. */
ssize_t tu_send_fds(int sock, const void *data, size_t len, int fd, int n);

#ifdef CHECK_H
/* Runs a suite (output as CK_ENV says: TAP under make check).  Returns the
 * exit status for main. */
static inline int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
#endif

#endif
