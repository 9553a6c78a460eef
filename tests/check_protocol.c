/* SPDX-License-Identifier: ISC */
/* check_protocol.c - the wire records: encoding, decoding, bounds. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <string.h>

#include "protocol.h"
#include "testutil.h"

START_TEST(request_roundtrip)
{
	unsigned char hdr[PROTO_REQ_HDR];
	struct proto_request req;

	proto_request_header(hdr, 0101, 0640, 9);
	ck_assert_int_eq(proto_request_check(hdr, &req), 9);
	ck_assert_uint_eq(req.flags, 0101);
	ck_assert_uint_eq(req.mode, 0640);
	ck_assert_int_eq(proto_request_path(&req, "/etc/motd", 9), 0);
	ck_assert_str_eq(req.path, "/etc/motd");
}
END_TEST

START_TEST(request_bad_magic_and_version)
{
	unsigned char hdr[PROTO_REQ_HDR];
	struct proto_request req;

	proto_request_header(hdr, 0, 0, 1);
	hdr[0] ^= 1;
	errno = 0;
	ck_assert_int_eq(proto_request_check(hdr, &req), -1);
	ck_assert_int_eq(errno, EPROTO);
	proto_request_header(hdr, 0, 0, 1);
	hdr[4] ^= 2;
	ck_assert_int_eq(proto_request_check(hdr, &req), -1);
	ck_assert_int_eq(errno, EPROTO);
}
END_TEST

START_TEST(request_path_bounds)
{
	unsigned char hdr[PROTO_REQ_HDR];
	struct proto_request req;

	proto_request_header(hdr, 0, 0, 0);
	ck_assert_int_eq(proto_request_check(hdr, &req), -1);
	ck_assert_int_eq(errno, EINVAL);
	proto_request_header(hdr, 0, 0, PROTO_PATH_MAX);
	ck_assert_int_eq(proto_request_check(hdr, &req), PROTO_PATH_MAX);
	proto_request_header(hdr, 0, 0, PROTO_PATH_MAX + 1);
	ck_assert_int_eq(proto_request_check(hdr, &req), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	proto_request_header(hdr, 0, 0, 0xffffffffu);
	ck_assert_int_eq(proto_request_check(hdr, &req), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

START_TEST(request_path_with_nul)
{
	struct proto_request req;

	ck_assert_int_eq(proto_request_path(&req, "/etc\0/x", 7), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(reply_roundtrip)
{
	unsigned char rep[PROTO_REPLY_LEN];
	int st = -1;

	proto_reply_encode(rep, 0);
	ck_assert_int_eq(proto_reply_decode(rep, &st), 0);
	ck_assert_int_eq(st, 0);
	proto_reply_encode(rep, EACCES);
	ck_assert_int_eq(proto_reply_decode(rep, &st), 0);
	ck_assert_int_eq(st, EACCES);
}
END_TEST

START_TEST(helper_failures_travel_in_band)
{
	unsigned char rep[PROTO_REPLY_LEN];
	int st;

	proto_reply_encode(rep, HELPER_EXIT_NOPRIV);
	ck_assert_int_eq(proto_reply_decode(rep, &st), 0);
	ck_assert_int_eq(proto_status_errno(st), EPERM);
	proto_reply_encode(rep, HELPER_EXIT_SYSTEM);
	ck_assert_int_eq(proto_reply_decode(rep, &st), 0);
	ck_assert_int_eq(proto_status_errno(st), EIO);
	ck_assert_int_eq(proto_status_errno(0), 0);
	ck_assert_int_eq(proto_status_errno(ENOENT), ENOENT);
	ck_assert_int_eq(proto_status_errno(HELPER_EXIT_USAGE), EPROTO);
	ck_assert_int_eq(proto_status_errno(HELPER_EXIT_PROTOCOL), EPROTO);
	ck_assert_int_eq(proto_status_errno(250), EPROTO);
}
END_TEST

START_TEST(reply_rejects_garbage)
{
	unsigned char rep[PROTO_REPLY_LEN];
	int st;

	proto_reply_encode(rep, HELPER_EXIT_USAGE);
	ck_assert_int_eq(proto_reply_decode(rep, &st), -1);
	ck_assert_int_eq(errno, EPROTO);
	proto_reply_encode(rep, HELPER_EXIT_PROTOCOL);
	ck_assert_int_eq(proto_reply_decode(rep, &st), -1);
	proto_reply_encode(rep, -1);
	ck_assert_int_eq(proto_reply_decode(rep, &st), -1);
	proto_reply_encode(rep, 0);
	rep[1] ^= 0x40;
	ck_assert_int_eq(proto_reply_decode(rep, &st), -1);
	memset(rep, 0, sizeof rep);
	ck_assert_int_eq(proto_reply_decode(rep, &st), -1);
}
END_TEST

/* A hello and the greeting that answers it are told apart, and an old
 * peer's first message (a reply, 12 bytes) read as a greeting is refused,
 * so neither side of the greeting sends a request to the other. */
START_TEST(hello_and_greeting)
{
	unsigned char h[PROTO_HELLO_LEN], rep[PROTO_REPLY_LEN];

	proto_hello_encode(h, PROTO_HELLO_MAGIC);
	ck_assert_int_eq(proto_hello_check(h, PROTO_HELLO_MAGIC), 0);
	errno = 0;
	ck_assert_int_eq(proto_hello_check(h, PROTO_GREETING_MAGIC), -1);
	ck_assert_int_eq(errno, EPROTO);
	proto_hello_encode(h, PROTO_GREETING_MAGIC);
	ck_assert_int_eq(proto_hello_check(h, PROTO_GREETING_MAGIC), 0);
	ck_assert_int_eq(proto_hello_check(h, PROTO_HELLO_MAGIC), -1);
	h[4] ^= 1; /* another version */
	ck_assert_int_eq(proto_hello_check(h, PROTO_GREETING_MAGIC), -1);
	proto_reply_encode(rep, 0);
	ck_assert_int_eq(proto_hello_check(rep, PROTO_GREETING_MAGIC), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("protocol");
	TCase *tc = tcase_create("records");

	tcase_add_test(tc, request_roundtrip);
	tcase_add_test(tc, request_bad_magic_and_version);
	tcase_add_test(tc, request_path_bounds);
	tcase_add_test(tc, request_path_with_nul);
	tcase_add_test(tc, reply_roundtrip);
	tcase_add_test(tc, helper_failures_travel_in_band);
	tcase_add_test(tc, reply_rejects_garbage);
	tcase_add_test(tc, hello_and_greeting);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
