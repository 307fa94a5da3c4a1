"""The ``decompress`` task: a multi-member gzip file (Common Crawl ``.warc.wet.gz``)
to its full decompressed byte stream.

Every tier is a function ``decompress(data: bytes) -> (members, output)`` where
``members`` is the number of gzip members decoded (``None`` when the library hides
member boundaries) and ``output`` is a bytes-like object holding the whole
decompressed stream.

The one rule for bad input (every tier, see README "decompress"):

* A member starts with the magic bytes ``1f 8b``. NUL bytes after a complete
  member are padding and are skipped (as gzip(1) and Python's gzip do).
* ``empty``     the input has no bytes at all (offset 0).
* ``not-gzip``  where a member should start there is neither a NUL nor the magic
  bytes: a non-gzip file (offset 0) or garbage between members (its offset).
* ``truncated`` the input ends inside the member that starts at ``offset``.
* ``corrupt``   the member at ``offset`` has an invalid header (a header CRC-16, FHCRC,
  that does not match included) or invalid deflate data.
* ``checksum``  the member at ``offset`` decodes but its CRC-32 or ISIZE is wrong.

Known deviations, found by the differential tests (``tests/test_differential.py``) and the
README's fault table (``tests/fault_table.rs``), kept visible rather than hidden: the readers
built like Python's ``gzip`` module (``gzip`` itself in the naive tier, ``isal.igzip`` and
``zlib_ng.gzip_ng``) and isal's zlib accept a header with reserved flags set; Python's ``gzip``
module reads a header's CRC-16 without checking it, so it accepts a member whose FHCRC does not
match; isal's zlib reports a
wrong FHCRC with the same message as a wrong CRC-32, so ``isal-zlib-loop`` calls it ``checksum``;
``isal.igzip`` and ``zlib_ng.gzip_ng`` read stray bytes after the last member, fewer than a
header's 10, as a cut member: ``truncated`` where the rule says ``not-gzip`` at the first.
libdeflate (the Rust and pyo3 picks) accepts a Huffman code with a single codeword read as a
``1`` bit, which zlib and the other decoders reject as ``corrupt`` (its source says it accepts
"what zlib accepts, plus a bit more"; found by fuzzing);
``miniz_oxide``, streaming through a 64 KiB window, reads zeros before a member's first byte
instead of rejecting a distance too far back, so that damage shows as ``checksum``.
Outside the rule: a member both cut short and damaged is ``truncated`` for one decoder and
``corrupt`` or ``checksum`` for another, by how far each reads before it gives up.
"""

import contextlib
import hashlib

KINDS = ("empty", "not-gzip", "truncated", "corrupt", "checksum")


class GzipError(Exception):
    """A bad-input error in the task's vocabulary: a kind and a byte offset."""

    def __init__(self, kind, offset, detail=""):
        assert kind in KINDS, kind
        self.kind, self.offset, self.detail = kind, offset, detail
        where = "at an unknown offset" if offset is None else f"at byte {offset}"
        super().__init__(f"{kind} {where}" + (f": {detail}" if detail else ""))


CHUNK = 64 * 1024


def decompress_members(data, zlib):
    """The member loop over a ``zlib``-like module (the stdlib's, ``isal_zlib``, ``zlib_ng``):
    one ``decompressobj(31)`` per member (gzip framing, CRC-32 and ISIZE checked in C), fed
    ``CHUNK``-byte slices of a ``memoryview`` so nothing is copied on the way in and
    ``unused_data`` (what a member leaves over) stays small. Bigger slices are slower: each
    member end copies the leftover slice into ``unused_data``. The output is collected as a
    list of chunks and joined once. The hotpath tier's pick, and the ecosystem's runners-up
    with their libraries' drop-in modules."""
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


def zlib_error(exc, offset):
    """Map a zlib-style error message (stdlib zlib, isal, zlib-ng) to a GzipError."""
    msg = str(exc)
    checksum = ("data check", "length check", "Incorrect checksum")  # zlib, zlib-ng; isal
    kind = "checksum" if any(m in msg for m in checksum) else "corrupt"
    return GzipError(kind, offset, msg)


@contextlib.contextmanager
def gzip_module_errors(data):
    """Task errors for tiers on ``gzip``-module-like APIs, which hide member offsets."""
    if not data:
        raise GzipError("empty", 0, "the input is empty")
    try:
        yield
    except EOFError as e:
        raise GzipError("truncated", None, str(e)) from None
    except (OSError, ValueError) as e:  # gzip.BadGzipFile is an OSError, zlib.error isn't
        raise _from_message(e) from None
    except Exception as e:
        if type(e).__name__ not in ("error", "IsalError"):  # zlib.error and look-alikes only
            raise
        raise _from_message(e) from None


def _from_message(e):
    msg = str(e)
    if msg.startswith("Not a gzipped file"):
        return GzipError("not-gzip", None, msg)
    if "CRC" in msg or "Incorrect length" in msg:
        return GzipError("checksum", None, msg)
    return zlib_error(e, None)


# The tiers, each a list of (variant, "module:function", options), the tier's pick first.
# small: too slow for big inputs, so timed on the small dataset (and capped in `check`).
VARIANTS = {
    "pure": [("inflate", "pure:decompress", {"small": True})],
    "naive": [
        ("gzip.open", "naive:decompress", {}),
        ("gzip.decompress", "naive:decompress_all_at_once", {"small": True}),
    ],
    "hotpath": [("zlib", "hotpath:decompress", {})],
    "ecosystem": [
        ("isal.igzip", "ecosystem:decompress", {}),
        ("zlib_ng.gzip_ng", "ecosystem:decompress_gzip_ng", {}),
        ("isal-zlib-loop", "ecosystem:decompress_isal_loop", {}),
        ("zlib-ng-loop", "ecosystem:decompress_zlib_ng_loop", {}),
    ],
    "pyo3": [
        ("libdeflate", "pyo3:decompress", {}),
        ("flate2-zlib-rs", "pyo3:decompress_flate2", {}),
        ("miniz_oxide", "pyo3:decompress_miniz_oxide", {}),
    ],
}


def load(path):
    with open(path, "rb") as f:
        return f.read()


def summarize(result):
    members, data = result
    return {"members": members, "bytes": memoryview(data).nbytes,
            "sha256": hashlib.sha256(data).hexdigest()}
