# SPDX-License-Identifier: ISC
"""Open files through the openfile policy, from Python.

The administrator's policy (openfile.policy(5)) decides, and the setuid
helper openfile(8) or the broker openfiled(8) opens the file and passes the
descriptor back, exactly as for a C program calling my_open(3): this
package is ctypes over the installed libmyopen, not a second
implementation of the protocol or of its checks.

    import openfile
    with openfile.open("/etc/app/secret.conf") as f:
        text = f.read()
    fd = openfile.os_open("/var/log/app.log", os.O_WRONLY | os.O_APPEND)
    f = open("/srv/data.bin", "rb", opener=openfile.opener)

Errors are Python's own: PermissionError (EACCES: the policy refuses, or
the file is missing where the policy would not say so), FileNotFoundError,
FileExistsError and so on, each an OSError with errno and filename set.
Descriptors are created non-inheritable, as os.open() makes them (PEP 446):
os.set_inheritable() makes one inheritable.  Every function may be called
from any thread.
"""
import builtins
import ctypes
import ctypes.util
import errno
import os

from . import _paths

__all__ = ["open", "os_open", "opener"]


def _load():
    """libmyopen where make install put it, else wherever the system's
    loader finds it."""
    tried = []
    for name in (_paths.LIBMYOPEN, ctypes.util.find_library("myopen")):
        if not name:
            continue
        try:
            return ctypes.CDLL(name, use_errno=True)
        except OSError as e:
            tried.append(str(e))
    raise ImportError("openfile: cannot load libmyopen: " +
                      ("; ".join(tried) or "not found"))


_lib = _load()
# int my_open(const char *path, int flags, ...): the mode goes as the one
# variadic argument, read only with O_CREAT or O_TMPFILE.
_lib.my_open.argtypes = [ctypes.c_char_p, ctypes.c_int]
_lib.my_open.restype = ctypes.c_int


def os_open(path, flags, mode=0o666):
    """Open path like os.open(), through the policy; return the descriptor.

    path is a str, bytes or path-like object; flags are os.O_* flags, mode
    is used when the file is created (O_CREAT) and is masked by the umask.
    The descriptor is non-inheritable (O_CLOEXEC is added), as os.open()'s.
    Raises OSError (PermissionError, FileNotFoundError, ...) with errno and
    filename set; TypeError for a path of another type.
    """
    name = os.fsencode(os.fspath(path))
    if b"\0" in name:
        raise ValueError("openfile.os_open: embedded null byte")
    flags |= os.O_CLOEXEC
    while True:
        fd = _lib.my_open(name, flags, ctypes.c_uint(mode))
        if fd >= 0:
            return fd
        err = ctypes.get_errno()
        if err != errno.EINTR:  # else again, as os.open() (PEP 475)
            raise OSError(err, os.strerror(err), path)


def opener(path, flags):
    """An opener for builtins.open(): open(path, opener=openfile.opener)
    opens path through the policy, with the flags open() chose."""
    return os_open(path, flags)


def open(file, mode="r", buffering=-1, encoding=None, errors=None,
         newline=None):
    """Open file like builtins.open(), through the policy; return a file
    object.

    The mode letters (r, w, a, x, +, b, t) become open flags as
    builtins.open() makes them, for it does: this is builtins.open() with
    openfile.opener.  file is a str, bytes or path-like object (not a
    descriptor: that needs no policy).  Raises as os_open().
    """
    if isinstance(file, int):
        raise TypeError("openfile.open: file must be a path, not a descriptor")
    return builtins.open(file, mode, buffering, encoding, errors, newline,
                         closefd=True, opener=opener)
