"""Reading a file of ``data/``: a regular file inside the data folder, and never more than a limit.

Every read of ``data/`` goes through :func:`read_data_file`. A symbolic link, a device, a
FIFO or a socket is refused unread, as is anything whose path leaves the data folder; the file
is opened without following a link and without waiting for a writer, checked again on the open
descriptor, and read to at most its limit plus one byte, whatever size the file system reports
(a link to ``/dev/zero`` reports none, and would be read without end). A company's download,
given on the command line, is read by :func:`read_regular_file`: it may be reached by a link,
but it too must be a regular file, and is read to its limit only.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CHUNK = 1 << 20


class ReadRefused(Exception):
    """A file of ``data/`` the builder does not read; ``code`` is a code of :mod:`builder.core.problems`."""

    code = "not-a-regular-file"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FileTooLarge(ReadRefused):
    """A file over its limit; ``size`` is its size in bytes when the file system tells it."""

    code = "file-too-large"

    def __init__(self, size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes")


class NotUtf8(ValueError):
    """Bytes that are not UTF-8 text, with the likely cause."""


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
_HINT = "the builder reads only regular files inside the data folder: put a copy of the file itself there"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _check_inside(path: Path, data_dir: Path) -> None:
    """Refuse a path that leaves ``data_dir`` or passes through a link on the way (the last part is
    checked on open)."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(data_dir))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        raise ReadRefused(f"the file is outside the data folder {data_dir}; {_HINT}")
    folder = os.path.join(os.path.realpath(data_dir), os.path.dirname(relative))
    if os.path.realpath(os.path.dirname(os.path.abspath(path))) != os.path.normpath(folder):
        raise ReadRefused(f"the file's folder is a symbolic link to "
                          f"{os.path.realpath(os.path.dirname(os.path.abspath(path)))}; {_HINT}")


def read_data_file(path: Path, data_dir: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file inside ``data_dir`` of at most ``limit`` bytes.

    Raises :class:`ReadRefused` (``not-a-regular-file``) for a link, a device, a FIFO, a socket,
    a folder or a path outside ``data_dir``; :class:`FileTooLarge` for a file over ``limit``;
    :class:`OSError` when the file cannot be opened or read.
    """
    _check_inside(path, data_dir)
    status = os.lstat(path)
    if stat.S_ISLNK(status.st_mode):
        raise ReadRefused(f"the file is a symbolic link to {os.readlink(path)}; {_HINT}")
    if not stat.S_ISREG(status.st_mode):
        raise ReadRefused(f"the file is {_kind(status.st_mode)}; {_HINT}")
    return _read_regular(path, limit, os.O_NOFOLLOW)


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` (a file given on the command line, which may be reached by a link),
    if it is a regular file of at most ``limit`` bytes: :class:`ReadRefused`, :class:`FileTooLarge`
    or :class:`OSError` otherwise."""
    return _read_regular(path, limit, 0)


def _read_regular(path: Path, limit: int, flags: int) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | flags)
    try:
        status = os.fstat(descriptor)  # the file opened, should it have been swapped since it was checked
        if not stat.S_ISREG(status.st_mode):
            raise ReadRefused(f"the file is {_kind(status.st_mode)}; the builder reads only regular files")
        if status.st_size > limit:
            raise FileTooLarge(status.st_size, limit)
        chunks, read = [], 0
        while read <= limit:
            chunk = os.read(descriptor, min(CHUNK, limit + 1 - read))
            if not chunk:
                break
            chunks.append(chunk)
            read += len(chunk)
    finally:
        os.close(descriptor)
    if read > limit:
        raise FileTooLarge(None, limit)
    return b"".join(chunks)


def decode_utf8(data: bytes) -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped); :class:`NotUtf8` says what it looks like instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotUtf8("the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8")
    sample = data[:4096]
    if sample.count(b"\x00") * 4 >= len(sample) > 0:  # a NUL or two are a bad cell, reported where they are
        raise NotUtf8("the file looks like UTF-16 (it holds NUL bytes between its letters), not UTF-8")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise NotUtf8(f"the file is not UTF-8: byte {error.object[error.start]:#04x} at position "
                      f"{error.start:,} is not UTF-8 (perhaps Latin-1 or Windows-1252)") from error
