"""hotpath: the standard library used the fast way.

One ``zlib.decompressobj`` per member, fed 64 KiB slices of a ``memoryview``: the package's
``decompress_members`` with the stdlib ``zlib`` (the loop lives in the package because the
ecosystem tier's runners-up drive the same loop with their libraries' drop-in ``zlib``). It
keeps what ``gzip.open`` hides: the member count, and the offset of a bad member.
"""
import zlib

from . import decompress_members


def decompress(data):
    return decompress_members(data, zlib)
