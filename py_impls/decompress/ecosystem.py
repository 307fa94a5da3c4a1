"""ecosystem: the best maintained PyPI libraries for the job.

python-isal (Intel's ISA-L) ships ``isal.igzip``, a drop-in for the stdlib
``gzip`` module whose multi-member reader is written in C: the naive one-liner
with one import changed is the fastest Python here. Like ``gzip.open`` it hides
member boundaries (no member count, no offset on bad input). zlib-ng's
``gzip_ng`` is the same idea. The runners-up that keep member counts and error
offsets drive the package's member loop (``decompress_members``, which the
hotpath tier runs with the stdlib) with each library's drop-in ``zlib`` module.

Also measured and not kept: ``isal.igzip.decompress`` and ``gzip_ng.decompress``
(slower than their ``GzipFile`` readers here), and the ``deflate`` package
(libdeflate bindings), which silently returns only the first member.
"""
import io

from isal import igzip, isal_zlib
from zlib_ng import gzip_ng, zlib_ng

from . import decompress_members, gzip_module_errors


def decompress(data):
    return _read(igzip, data)


def decompress_gzip_ng(data):
    return _read(gzip_ng, data)


def decompress_isal_loop(data):
    return decompress_members(data, isal_zlib)


def decompress_zlib_ng_loop(data):
    return decompress_members(data, zlib_ng)


def _read(gzip, data):
    """The stdlib's ``gzip.open`` one-liner with the library's ``gzip`` module in its place."""
    with gzip_module_errors(data):
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            return None, f.read()
