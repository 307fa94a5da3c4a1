"""Unit tests for the pure-Python gzip/DEFLATE decoder (py_impls/decompress/pure.py).

Well-formed inputs are made by the stdlib zlib/gzip and compared with them; the
bad-input cases check the exact (kind, offset) of the task's one bad-input rule.
"""

import gzip
import random
import struct
import time
import zlib

import pytest

from py_impls.decompress import KINDS, GzipError
from py_impls.decompress.pure import crc32, decompress


# ---------------------------------------------------------------- helpers

def gz(payload, level=6):
    """A single gzip member made by the stdlib (mtime fixed for reproducibility)."""
    return gzip.compress(payload, compresslevel=level, mtime=0)


def raw_deflate(payload, level=6, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(payload) + c.flush()


def trailer(payload):
    return struct.pack("<II", zlib.crc32(payload), len(payload) & 0xFFFFFFFF)


def member(deflate, payload, flags=0, extra=b"", header_crc=True):
    """A gzip member around a raw deflate stream; extra = the optional header fields. With
    FHCRC, the last two bytes of ``extra`` become the header's CRC-16 (unless not asked to)."""
    header = b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0\x00\xff" + extra
    if flags & 2 and header_crc:
        header = header[:-2] + struct.pack("<H", zlib.crc32(header[:-2]) & 0xFFFF)
    return header + deflate + trailer(payload)


def first_block_type(member_bytes):
    return (member_bytes[10] >> 1) & 3  # the header made by gzip.compress is 10 bytes


class BitWriter:
    """Packs DEFLATE bit fields (LSB first) and Huffman codes (MSB first)."""

    def __init__(self):
        self.acc, self.n = 0, 0

    def bits(self, value, nbits):
        self.acc |= value << self.n
        self.n += nbits
        return self

    def code(self, code, nbits):
        return self.bits(int(format(code, f"0{nbits}b")[::-1], 2), nbits)

    def fixed_lit(self, sym):
        if sym < 144:
            return self.code(0x30 + sym, 8)
        if sym < 256:
            return self.code(0x190 + sym - 144, 9)
        if sym < 280:
            return self.code(sym - 256, 7)
        return self.code(0xC0 + sym - 280, 8)

    def fixed_dist(self, sym):
        return self.code(sym, 5)

    def getvalue(self):
        return self.acc.to_bytes((self.n + 7) // 8, "little")


def dynamic_member(with_length_257=True):
    """A hand-made dynamic block: literal/length code {'a': 0, 256: 10, 257: 11} and a
    single 1-bit distance code (incomplete but valid); its data is 'a' + (length 3,
    distance 1) = b"aaaa". Without symbol 257 the literal/length code is incomplete."""
    w = BitWriter().bits(1, 1).bits(2, 2).bits(int(with_length_257), 5).bits(0, 5).bits(14, 4)
    for n in (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2):  # 18: 0, 1: 10, 2: 11
        w.bits(n, 3)
    w.code(0, 1).bits(75, 7).code(0, 1).bits(0, 7)   # 86 + 11 = 97 zero lengths
    w.code(2, 2)                                     # 'a' (97): length 1
    w.code(0, 1).bits(127, 7).code(0, 1).bits(9, 7)  # 138 + 20 = 158 zero lengths
    w.code(3, 2)                                     # 256: length 2
    if with_length_257:
        w.code(3, 2)                                 # 257: length 2
    w.code(2, 2)                                     # distance 0: length 1
    w.code(0, 1)                                     # 'a'
    if with_length_257:
        w.code(3, 2).code(0, 1)                      # length 3, distance 1
    w.code(2, 2)                                     # end of block
    payload = b"aaaa" if with_length_257 else b"a"
    return member(w.getvalue(), payload)


def fixed_block(*ops):
    """A final fixed-Huffman block: ints are literal/length symbols, ("d", s) distances."""
    w = BitWriter().bits(1, 1).bits(1, 2)
    for op in ops:
        if isinstance(op, tuple):
            w.fixed_dist(op[1])
        else:
            w.fixed_lit(op)
    return w.fixed_lit(256).getvalue()


_rng = random.Random(0)
WORDS = ["".join(_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_rng.randint(1, 12)))
         for _ in range(2000)]


def mixed_text(size, seed=1):
    """WET-like text: lines of words, URLs and some non-ASCII UTF-8."""
    rng, words = random.Random(seed), WORDS
    out, n = [], 0
    while n < size:
        r = rng.random()
        if r < 0.1:
            line = f"WARC-Target-URI: http://example.{rng.choice(['com', 'org'])}/{rng.randrange(10**9)}"
        elif r < 0.13:
            line = "Ünïcødé テキスト ✓ " * rng.randint(1, 4)
        else:
            line = " ".join(rng.choice(words) for _ in range(rng.randint(1, 25)))
        b = (line + "\n").encode()
        out.append(b)
        n += len(b)
    return b"".join(out)[:size]


def error_of(data):
    with pytest.raises(GzipError) as info:
        decompress(data)
    return info.value.kind, info.value.offset


# ---------------------------------------------------------------- CRC-32

@pytest.mark.parametrize("n", list(range(0, 20)) + [1000, 65537])
def test_crc32_matches_zlib(n):
    data = random.Random(n).randbytes(n)
    assert crc32(data) == zlib.crc32(data)
    assert crc32(bytearray(data)) == zlib.crc32(data)


# ---------------------------------------------------------------- well-formed input

def test_empty_member():
    assert decompress(gz(b"")) == (1, b"")


@pytest.mark.parametrize("size", [1, 100, 65535, 65536, 200_000])
def test_stored_blocks(size):
    payload = mixed_text(size)
    data = gz(payload, level=0)
    assert first_block_type(data) == 0
    assert decompress(data) == (1, payload)


@pytest.mark.parametrize("payload", [b"a", b"hello, world", b"abcabcabcabcabcabc", b"\xff\x00" * 3])
def test_fixed_huffman(payload):
    data = gz(payload, level=9)
    assert first_block_type(data) == 1
    assert decompress(data) == (1, payload)


def test_fixed_huffman_all_symbols_and_far_distance():
    payload = bytes(range(256)) + mixed_text(32_000) + bytes(range(256))  # distance ~32 KB
    deflate = raw_deflate(payload, 9, zlib.Z_FIXED)
    assert (deflate[0] >> 1) & 3 == 1
    assert decompress(member(deflate, payload)) == (1, payload)


@pytest.mark.parametrize("size", [5_000, 100_000, 300_000])
def test_dynamic_huffman(size):
    payload = mixed_text(size, seed=size)
    data = gz(payload, level=9)
    assert first_block_type(data) == 2
    assert decompress(data) == (1, payload)


@pytest.mark.parametrize("payload", [
    b"a" * 100_000,                      # distance 1, length 258 over and over
    b"abc" * 40_000,                     # distance 3 < length
    b"0123456789" * 9_000 + b"x" * 777,  # distance 10 < length, then a run
    b"".join(bytes([i % 251]) * (i % 300) for i in range(600)),
])
def test_long_runs_and_overlapping_references(payload):
    for level in (1, 6, 9):
        assert decompress(gz(payload, level)) == (1, payload)


def test_handmade_overlapping_reference():
    # literals "ab", then length 10 at distance 2 -> "ab" + "ababababab"
    deflate = fixed_block(ord("a"), ord("b"), 264, ("d", 1))
    assert decompress(member(deflate, b"ab" * 6)) == (1, b"ab" * 6)


def test_single_one_bit_distance_code_is_accepted():
    data = dynamic_member()
    assert gzip.decompress(data) == b"aaaa"
    assert decompress(data) == (1, b"aaaa")


@pytest.mark.parametrize("level", [1, 6, 9])
def test_random_incompressible(level):
    payload = random.Random(level).randbytes(150_000)
    assert decompress(gz(payload, level)) == (1, payload)


def test_multi_member_with_nul_padding():
    payloads = [mixed_text(n, seed=n) for n in (10, 5000, 0, 70000, 1)]
    members = [gz(p, level) for p, level in zip(payloads, (0, 1, 6, 9, 6))]
    whole = b"".join(payloads)
    assert decompress(b"".join(members)) == (5, whole)
    padded = members[0] + b"\0" * 3 + b"".join(m + b"\0" for m in members[1:]) + b"\0" * 100
    assert decompress(padded) == (5, whole)


def test_many_small_members_like_wet():
    payloads = [mixed_text(random.Random(i).randint(100, 3000), seed=i) for i in range(300)]
    data = b"".join(gz(p) for p in payloads)
    assert gzip.decompress(data) == b"".join(payloads)
    assert decompress(data) == (300, b"".join(payloads))


def test_bytearray_and_memoryview_input():
    payload = mixed_text(3000)
    assert decompress(bytearray(gz(payload))) == (1, payload)
    assert decompress(memoryview(gz(payload))) == (1, payload)


def test_all_header_flags():
    payload = mixed_text(20_000)
    deflate = raw_deflate(payload)
    fextra = struct.pack("<H", 6) + b"AB\x02\x00xy"
    fname, fcomment = b"record.warc.wet\0", b"a comment \xe9\0"
    header_crc = b"\x12\x34"  # FHCRC: `member` writes the header's CRC-16 here
    cases = [
        (0x01, b""),                                     # FTEXT
        (0x02, header_crc),                              # FHCRC
        (0x04, fextra),                                  # FEXTRA
        (0x04, struct.pack("<H", 0)),                    # empty FEXTRA
        (0x08, fname),                                   # FNAME
        (0x10, fcomment),                                # FCOMMENT
        (0x1F, fextra + fname + fcomment + header_crc),  # all of them, in RFC order
    ]
    for flags, extra in cases:
        data = member(deflate, payload, flags, extra)
        assert gzip.decompress(data) == payload  # the hand-built header is valid
        assert decompress(data) == (1, payload)
        assert decompress(data + data) == (2, payload + payload)


def test_a_wrong_header_crc_is_corrupt():
    payload = b"abc" * 50
    data = member(raw_deflate(payload), payload, 0x02, b"\x12\x34", header_crc=False)
    assert error_of(data) == ("corrupt", 0)
    assert error_of(gz(b"x") + data) == ("corrupt", len(gz(b"x")))


def test_nul_only_input_is_not_gzip():
    # Padding may only follow a member, as in Python's gzip module.
    assert error_of(b"\0\0\0") == ("not-gzip", 0)


# ---------------------------------------------------------------- bad input

def test_empty_input():
    assert error_of(b"") == ("empty", 0)


@pytest.mark.parametrize("data", [b"hello", b"x", b"\x1f", b"\x1f\x8a\x08\x00", b"PK\x03\x04"])
def test_not_gzip_at_start(data):
    assert error_of(data) == ("not-gzip", 0)


def test_not_gzip_after_padding_at_start():
    assert error_of(b"\0\0hello") == ("not-gzip", 0)


def test_garbage_between_and_after_members():
    m1, m2 = gz(b"first record"), gz(b"second record")
    assert error_of(m1 + b"garbage" + m2) == ("not-gzip", len(m1))
    assert error_of(m1 + b"\0\0garbage" + m2) == ("not-gzip", len(m1) + 2)
    assert error_of(m1 + m2 + b"!") == ("not-gzip", len(m1) + len(m2))  # one trailing byte
    assert error_of(m1 + m2 + b"\x1f") == ("not-gzip", len(m1) + len(m2))


@pytest.mark.parametrize("make", [
    lambda: gz(b""),
    lambda: gz(mixed_text(3000), 0),                              # stored
    lambda: gz(b"hello hello hello", 9),                          # fixed
    lambda: gz(mixed_text(2000), 9),                              # dynamic
    lambda: member(raw_deflate(b"abc" * 99), b"abc" * 99, 0x1E,   # optional header fields
                   b"\x02\x00zz" + b"name\0" + b"comment\0" + b"\0\0"),
], ids=["empty", "stored", "fixed", "dynamic", "flags"])
def test_truncated_at_every_cut(make):
    """Cut in the header, in the deflate data and in the trailer: always truncated at the
    member start, for a first member and for the second member of two."""
    m1, m2 = gz(b"previous record"), make()
    for cut in range(2, len(m2)):
        assert error_of(m2[:cut]) == ("truncated", 0), cut
        assert error_of(m1 + m2[:cut]) == ("truncated", len(m1)), cut


def test_truncated_named_places():
    m = gz(mixed_text(50_000), 6)
    for cut in (5, 10, 11, len(m) // 2, len(m) - 8, len(m) - 4, len(m) - 1):
        assert error_of(m[:cut]) == ("truncated", 0)


@pytest.mark.parametrize("index", [-8, -5, -4, -1])  # CRC bytes, then ISIZE bytes
def test_checksum_mismatch(index):
    m1, m2 = gz(b"first"), gz(mixed_text(10_000))
    bad = bytearray(m2)
    bad[index] ^= 0x01
    assert error_of(bytes(bad)) == ("checksum", 0)
    assert error_of(m1 + bytes(bad) + m1) == ("checksum", len(m1))


def corrupt_cases():
    payload = b"ab" * 6
    head = b"\x1f\x8b\x08\x00\0\0\0\0\x00\xff"
    stored = b"\x01" + struct.pack("<HH", 5, 0xFFFF ^ 5) + b"hello"
    return {
        "method 7": b"\x1f\x8b\x07" + gz(payload)[3:],
        "reserved flag": b"\x1f\x8b\x08\x20" + gz(payload)[4:],
        "block type 3": head + b"\x07" + b"\0" * 20 + trailer(payload),
        "stored LEN != ~NLEN": head + stored[:3] + b"\x00\x00" + stored[5:] + trailer(b"hello"),
        "literal 286": member(fixed_block(ord("a"), 286), b"a") + b"\0" * 8,
        "literal 287": member(fixed_block(287), b"") + b"\0" * 8,
        "distance 30": member(fixed_block(ord("a"), 257, ("d", 30)), b"aaaa") + b"\0" * 8,
        "distance 31": member(fixed_block(ord("a"), 257, ("d", 31)), b"aaaa") + b"\0" * 8,
        "distance too far": member(fixed_block(ord("a"), 257, ("d", 1)), b"aaaa") + b"\0" * 8,
        "match before any output": member(fixed_block(257, ("d", 0)), b"aaa") + b"\0" * 8,
        # dynamic block, 19 code-length codes all of length 1: over-subscribed
        "over-subscribed": member(BitWriter().bits(1, 1).bits(2, 2).bits(0, 5).bits(0, 5)
                                  .bits(15, 4).bits(0o1111111111111111111, 57).getvalue(), b"")
                           + b"\0" * 16,
        # dynamic block whose code-length code has no codes at all
        "empty code-length code": member(BitWriter().bits(1, 1).bits(2, 2).bits(0, 14)
                                         .bits(0, 57).getvalue(), b"") + b"\0" * 16,
        # the code-length code is a single 1-bit code (symbol 18): incomplete, which only
        # the literal/length and distance codes may be
        "incomplete code-length code": member(BitWriter().bits(1, 1).bits(2, 2).bits(0, 14)
                                              .bits(0o0100, 12).code(0, 1).bits(127, 7)
                                              .code(0, 1).bits(109, 7).getvalue(), b"")
                                       + b"\0" * 16,
        # code-length code {0, 18} (complete); 18 twice gives 138 + 120 = 258 zero lengths,
        # so the literal/length code has no end-of-block symbol
        "no end-of-block code": member(BitWriter().bits(1, 1).bits(2, 2).bits(0, 14)
                                       .bits(0o1100, 12).code(1, 1).bits(127, 7)
                                       .code(1, 1).bits(109, 7).getvalue(), b"") + b"\0" * 16,
        "incomplete literal/length code": dynamic_member(with_length_257=False),
    }


@pytest.mark.parametrize("name", list(corrupt_cases()))
def test_corrupt(name):
    data = corrupt_cases()[name]
    assert error_of(data) == ("corrupt", 0)
    m1 = gz(b"a" * 100)
    assert error_of(m1 + data) == ("corrupt", len(m1))
    if name != "reserved flag":  # the stdlib's gzip module ignores reserved flag bits
        with pytest.raises(Exception):
            gzip.decompress(data)


def test_distance_cannot_reach_into_previous_member():
    m1 = gz(b"abc" * 10)
    m2 = member(fixed_block(257, ("d", 0)), b"ccc")
    assert error_of(m1 + m2) == ("corrupt", len(m1))


def test_corrupted_block_type_in_real_member():
    m = bytearray(gz(mixed_text(5000), 6))
    m[10] |= 0x06  # BTYPE = 3
    assert error_of(bytes(m)) == ("corrupt", 0)


def test_random_damage_only_raises_gzip_error():
    rng = random.Random(7)
    members = [gz(mixed_text(2000, seed=1), 6), gz(b"z" * 3000, 1), gz(mixed_text(800), 0),
               gz(b"short", 9)]
    for _ in range(400):
        data = bytearray(rng.choice(members))
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(2, len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[:rng.randrange(2, len(data))]
        try:
            n, out = decompress(bytes(data))
        except GzipError as e:
            assert e.kind in KINDS and e.kind != "empty" and e.offset == 0
        else:
            assert (n, out) == (1, gzip.decompress(bytes(data)))


# ---------------------------------------------------------------- speed sanity

def test_one_megabyte_round_trip_is_reasonably_fast():
    payload = mixed_text(1_000_000, seed=42)
    pieces = [payload[i:i + 60_000] for i in range(0, len(payload), 60_000)]
    data = b"".join(gz(p, 6) for p in pieces)
    t = time.perf_counter()
    assert decompress(data) == (len(pieces), payload)
    assert time.perf_counter() - t < 5.0
