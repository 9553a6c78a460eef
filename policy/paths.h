/* SPDX-License-Identifier: ISC */
/* paths.h - where the live policy, its drop-ins and its cache are: the
 * build defines them (installed or test paths), for the helper and for
 * openfile-policy alike.  The parser and engine take paths as arguments. */
#ifndef OPENFILE_POLICY_PATHS_H
#define OPENFILE_POLICY_PATHS_H

#ifndef OPENFILE_POLICY_PATH
#error "OPENFILE_POLICY_PATH must be defined by the build"
#endif
#ifndef OPENFILE_POLICY_DIR
#error "OPENFILE_POLICY_DIR must be defined by the build"
#endif
#ifndef OPENFILE_POLICY_CACHE
#error "OPENFILE_POLICY_CACHE must be defined by the build"
#endif

#endif
