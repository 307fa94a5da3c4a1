"""ecosystem: the best maintained PyPI libraries, driven like the hotpath tier.

python-isal (Intel ISA-L's igzip) and zlib-ng ship drop-in ``zlib`` modules, so
this tier is the hotpath loop with a faster engine underneath. (Their whole-file
helpers, ``isal.igzip.decompress`` and ``zlib_ng.gzip_ng.decompress``, were
measured too: slower than this loop here, 354 and 273 MB/s against 388 and 285,
and they hide member offsets, so they are not kept.)
"""
from isal import isal_zlib
from zlib_ng import zlib_ng

from . import hotpath


def decompress_isal(data):
    return hotpath.decompress(data, zlib=isal_zlib)


def decompress_zlib_ng(data):
    return hotpath.decompress(data, zlib=zlib_ng)

