/* SPDX-License-Identifier: ISC */
/* openfile.h - what every part of the privileged side (the helper, and
 * openfiled's processes) holds to alike; each module's own offer is in its
 * header.  Which module uses which: openfile.c. */
#ifndef OPENFILE_OPENFILE_H
#define OPENFILE_OPENFILE_H

/* Seconds before a helper that got no answer from the kernel gives up, so
 * a stalled filesystem or a silent client never holds it for ever. */
#ifndef HELPER_TIMEOUT /* the test build waits less for a stalled filesystem */
#define HELPER_TIMEOUT 60
#endif

/* OPENFILE_BROKER is defined when openfiled is built: what of the shared
 * modules only openfiled calls is compiled only then (an object is
 * linked whole), so that the helper carries none of it. */

#ifdef OPENFILE_COVERAGE_DIR
/* Coverage builds count the paths that end in _exit too. */
void __gcov_dump(void);
#define _exit(code) (__gcov_dump(), _exit(code))
#endif

#endif /* OPENFILE_OPENFILE_H */
