"""ecosystem: the best maintained PyPI libraries for the job.

python-isal (Intel's ISA-L) ships ``isal.igzip``, a drop-in for the stdlib
``gzip`` module whose multi-member reader is written in C: the naive one-liner
with one import changed is the fastest Python here. Like ``gzip.open`` it hides
member boundaries (no member count, no offset on bad input). zlib-ng's
``gzip_ng`` is the same idea. The runners-up that keep member counts and error
offsets drive the hotpath loop with each library's drop-in ``zlib`` module.

Also measured and not kept: ``isal.igzip.decompress`` and ``gzip_ng.decompress``
(slower than their ``GzipFile`` readers here), and the ``deflate`` package
(libdeflate bindings), which silently returns only the first member.
"""
from isal import igzip, isal_zlib
from zlib_ng import gzip_ng, zlib_ng

from . import hotpath, naive


def decompress(data):
    return naive.decompress(data, gzip=igzip)


def decompress_gzip_ng(data):
    return naive.decompress(data, gzip=gzip_ng)


def decompress_isal_loop(data):
    return hotpath.decompress(data, zlib=isal_zlib)


def decompress_zlib_ng_loop(data):
    return hotpath.decompress(data, zlib=zlib_ng)
