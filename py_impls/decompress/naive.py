"""naive: what anyone writes in their sleep, ``gzip`` from the standard library.

``gzip.GzipFile`` (what ``gzip.open`` returns) handles multi-member files
correctly but hides member boundaries, so this tier cannot count members and
cannot say at which byte a bad file goes wrong: it reports ``members=None`` and
an unknown offset. ``gzip.decompress`` looks even simpler, but on Python 3.11 it
re-scans the remaining input for every member: quadratic in the member count
(so it is timed on the small dataset only).
"""
import gzip
import io

from . import gzip_module_errors


def decompress(data):
    with gzip_module_errors(data):
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            return None, f.read()


def decompress_all_at_once(data):
    with gzip_module_errors(data):
        return None, gzip.decompress(data)
