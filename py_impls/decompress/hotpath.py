"""hotpath: the standard library used the fast way.

One ``zlib.decompressobj`` per member (``wbits=31``: gzip framing, CRC-32 and
ISIZE checked in C), fed 64 KiB slices of a ``memoryview`` so nothing is copied
on the way in and ``unused_data`` (what a member leaves over) stays small. Bigger
slices are slower: each member end copies the leftover slice into ``unused_data``.
The output is collected as a list of chunks and joined once.
"""
import zlib

from . import GzipError, zlib_error

CHUNK = 64 * 1024


def decompress(data, zlib=zlib):
    if not data:
        raise GzipError("empty", 0, "the input is empty")
    view, end = memoryview(data), len(data)
    out, members, pos = [], 0, 0
    while pos < end:
        if members:  # NUL padding may follow a member
            while pos < end and data[pos] == 0:
                pos += 1
            if pos == end:
                break
        if data[pos:pos + 2] != b"\x1f\x8b":
            raise GzipError("not-gzip", pos, "not a gzip member")
        start, d = pos, zlib.decompressobj(31)
        try:
            while not d.eof:
                if pos == end:
                    raise GzipError("truncated", start, "the input ends inside this member")
                chunk = view[pos:pos + CHUNK]
                out.append(d.decompress(chunk))
                pos += len(chunk) - len(d.unused_data)
        except zlib.error as e:
            raise zlib_error(e, start) from None
        members += 1
    return members, b"".join(out)
