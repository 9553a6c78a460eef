/* SPDX-License-Identifier: ISC */
/*
 * null-shim - a preload shim that interposes nothing, for the transport
 * benchmark.  It is linked like the shim (the same layout, libdl and
 * libpthread) and installed beside it, so that cat with it in LD_PRELOAD
 * costs what loading any such object into a process costs: the floor
 * under the shim's own cost.
 */
int openfile_null_shim;
