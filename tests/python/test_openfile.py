# SPDX-License-Identifier: ISC
"""The openfile Python package against the real helper or broker: run by
tests/e2e-api.sh as nobody, with OPENFILE_TEST_DATA naming the test data
(tests/e2e-setup.sh) and the package and its libmyopen installed under the
test prefix."""
import errno
import os
import pathlib
import threading
import unittest

import openfile

D = os.environ["OPENFILE_TEST_DATA"]


class OpenfileTest(unittest.TestCase):
    def test_granted_file_reads(self):
        with openfile.open(D + "/secret/allowed.txt") as f:
            self.assertEqual(f.read(), "allowed")

    def test_binary_and_path_like(self):
        with openfile.open(pathlib.Path(D, "secret", "allowed.txt"), "rb") as f:
            self.assertEqual(f.read(), b"allowed")
        with openfile.open(os.fsencode(D + "/secret/allowed.txt"), "rb") as f:
            self.assertEqual(f.read(), b"allowed")

    def test_refused_file_raises_permission_error(self):
        path = D + "/secret/denied.txt"
        with self.assertRaises(PermissionError) as cm:
            openfile.open(path)
        self.assertEqual(cm.exception.errno, errno.EACCES)
        self.assertEqual(cm.exception.filename, path)

    def test_refused_write_to_readable_file(self):
        with self.assertRaises(PermissionError):
            openfile.open(D + "/secret/allowed.txt", "w")

    def test_missing_file_where_granted_is_file_not_found(self):
        path = D + "/drop/missing-" + str(os.getpid())
        with self.assertRaises(FileNotFoundError) as cm:
            openfile.open(path)
        self.assertEqual(cm.exception.filename, path)

    def test_opener(self):
        with open(D + "/secret/allowed.txt", opener=openfile.opener) as f:
            self.assertEqual(f.read(), "allowed")
        with self.assertRaises(PermissionError):
            open(D + "/secret/denied.txt", opener=openfile.opener)

    def test_os_open_non_inheritable(self):
        fd = openfile.os_open(D + "/secret/allowed.txt", os.O_RDONLY)
        try:
            self.assertFalse(os.get_inheritable(fd))
            self.assertEqual(os.read(fd, 100), b"allowed")
        finally:
            os.close(fd)

    def test_x_mode_on_existing_file(self):
        path = D + "/drop/py-x-" + str(os.getpid())
        with openfile.open(path, "x") as f:
            f.write("new")
        with self.assertRaises(FileExistsError) as cm:
            openfile.open(path, "x")
        self.assertEqual(cm.exception.errno, errno.EEXIST)
        with openfile.open(path, "a") as f:
            f.write("+more")
        with openfile.open(path, "r+") as f:
            self.assertEqual(f.read(), "new+more")

    def test_descriptor_is_not_a_path(self):
        with self.assertRaises(TypeError):
            openfile.open(0)
        with self.assertRaises(TypeError):
            openfile.os_open(None, os.O_RDONLY)

    def test_threads(self):
        results = []

        def worker():
            for _ in range(5):
                with openfile.open(D + "/secret/allowed.txt") as f:
                    ok = f.read() == "allowed"
                try:
                    openfile.open(D + "/secret/denied.txt")
                    ok = False
                except PermissionError:
                    pass
                results.append(ok)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [True] * 40)


if __name__ == "__main__":
    unittest.main()
