"""``pure`` tier of ``decompress``: gzip (RFC 1952) + DEFLATE (RFC 1951) in plain Python.

No zlib, no gzip module: this models what the interpreter alone can do. It walks the
members of a (possibly multi-member) gzip file, parses each header, inflates stored,
fixed-Huffman and dynamic-Huffman blocks, and checks the CRC-32 and ISIZE trailer.

The techniques are the usual fast pure-Python ones: the bit stream lives in a Python
int with a bit count and is refilled six bytes at a time; Huffman codes are decoded
with one lookup in a table indexed by the next ``maxbits`` peeked bits, whose entries
pack ``symbol << 4 | code length``; back-references are copied with bytearray slices;
the CRC-32 uses slicing-by-8 tables. It is still slow (a few MB/s at best) because
every output byte or match costs a dozen bytecodes (a table lookup, shifts, masks,
an append), each dispatched by the interpreter, where C does the same in a few
machine instructions. Bad input raises ``GzipError`` as the package docstring says.
"""

import struct

from . import GzipError

# Base values and extra-bit counts of length symbols 257..285 and distance symbols 0..29.
_LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
          35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
_LEXT = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
_LBASE, _LEXT = [0] * 257 + _LBASE, [0] * 257 + _LEXT  # index by the symbol itself
_DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
          769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
_DEXT = [0, 0, 0, 0] + [n for n in range(1, 14) for _ in (0, 1)]
_CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
_MISSING = 511 << 4  # table entry for an unassigned code: an invalid symbol, 0 bits


def _build(lengths, incomplete_ok=0):
    """Canonical Huffman code lengths -> (table, maxbits), or None if they are invalid.

    ``table[peek & (2**maxbits - 1)]`` is ``symbol << 4 | length`` (codes are stored
    bit-reversed because DEFLATE packs them starting from the most significant bit).
    Like zlib, reject over-subscribed codes and incomplete ones, except an empty code
    or, when ``incomplete_ok`` is 1, a single 1-bit code (one distance code, say).
    """
    maxbits = max(lengths)
    count = [0] * 16
    for n in lengths:
        count[n] += 1
    count[0], left, code, next_code = 0, 1, 0, [0] * 16
    for n in range(1, 16):
        left = 2 * left - count[n]
        if left < 0:
            return None
        code = (code + count[n - 1]) << 1
        next_code[n] = code
    if left and maxbits > incomplete_ok:
        return None
    table = [_MISSING] * (1 << maxbits)
    for sym, n in enumerate(lengths):
        if n:
            rev = int(format(next_code[n], f"0{n}b")[::-1], 2)
            next_code[n] += 1
            table[rev::1 << n] = [sym << 4 | n] * (1 << (maxbits - n))
    return table, maxbits


_FIXED = _build([8] * 144 + [9] * 112 + [7] * 24 + [8] * 8) + _build([5] * 32)


def _crc_tables():
    t0 = []
    for i in range(256):
        for _ in range(8):
            i = (i >> 1) ^ 0xEDB88320 if i & 1 else i >> 1
        t0.append(i)
    tables = [t0]
    for _ in range(7):
        tables.append([(c >> 8) ^ t0[c & 255] for c in tables[-1]])
    return tables


_CRC = _crc_tables()


def crc32(data):
    """CRC-32 (the gzip/zlib one), slicing-by-8: eight table lookups per 8 bytes."""
    t0, t1, t2, t3, t4, t5, t6, t7 = _CRC
    c, n8 = 0xFFFFFFFF, len(data) & ~7
    for lo, hi in struct.iter_unpack("<II", memoryview(data)[:n8]):
        lo ^= c
        c = (t7[lo & 255] ^ t6[lo >> 8 & 255] ^ t5[lo >> 16 & 255] ^ t4[lo >> 24]
             ^ t3[hi & 255] ^ t2[hi >> 8 & 255] ^ t1[hi >> 16 & 255] ^ t0[hi >> 24])
    for b in data[n8:]:
        c = t0[(c ^ b) & 255] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


# The bit reader loads whole chunks even near the end of the input, so its buffer may
# hold bits past the end, read as zeros. The member is truncated once the decoder has
# consumed one of them: a refill checks that (so decoding zeros cannot go on forever),
# and so does every error found in the data (an invalid code made of real bits is
# corrupt, one that runs past the end is truncated, as zlib also reports them).

def _bad(data, pos, cnt, start, detail):
    """A corrupt-data error, or truncated if the bits consumed so far run past the end."""
    past_end = pos * 8 - cnt > len(data) * 8
    return GzipError("truncated" if past_end else "corrupt", start, detail)


def _read_dynamic(data, pos, buf, cnt, start):
    """Read a dynamic block's code tables -> (lit table, bits, dist table, bits, state)."""
    def fill(n):  # make sure at least n <= 32 bits are buffered
        nonlocal pos, buf, cnt
        if cnt < n:
            if pos * 8 - cnt > len(data) * 8:
                raise GzipError("truncated", start, "inside a dynamic block header")
            buf |= int.from_bytes(data[pos:pos + 4], "little") << cnt
            pos, cnt = pos + 4, cnt + 32

    def take(n):  # the next n bits as an int
        nonlocal buf, cnt
        fill(n)
        v = buf & ((1 << n) - 1)
        buf, cnt = buf >> n, cnt - n
        return v

    def symbol(table, nbits):  # the next Huffman-coded symbol
        nonlocal buf, cnt
        fill(nbits)
        e = table[buf & ((1 << nbits) - 1)]
        buf, cnt = buf >> (e & 15), cnt - (e & 15)
        return e >> 4

    hlit, hdist, hclen = take(5) + 257, take(5) + 1, take(4) + 4
    if hlit > 286 or hdist > 30:
        raise _bad(data, pos, cnt, start, "too many length or distance codes")
    clens = [0] * 19
    for i in range(hclen):
        clens[_CLEN_ORDER[i]] = take(3)
    code = _build(clens)
    if code is None:
        raise _bad(data, pos, cnt, start, "invalid code-length code")
    lengths, total = [], hlit + hdist
    while len(lengths) < total:
        sym = symbol(*code)
        if sym < 16:
            lengths.append(sym)
        elif sym == 16 and lengths:
            lengths += lengths[-1:] * (3 + take(2))
        elif sym == 17:
            lengths += [0] * (3 + take(3))
        elif sym == 18:
            lengths += [0] * (11 + take(7))
        else:
            raise _bad(data, pos, cnt, start, "invalid code-length symbol")
    lit, dist = _build(lengths[:hlit], 1), _build(lengths[hlit:], 1)
    if len(lengths) > total or lengths[256] == 0 or lit is None or dist is None:
        raise _bad(data, pos, cnt, start, "invalid literal/length or distance lengths")
    return lit + dist + (pos, buf, cnt)


def _inflate(data, pos, out, start):
    """Inflate the DEFLATE stream at data[pos:] onto out; return the offset after it."""
    end, from_bytes, append = len(data), int.from_bytes, out.append
    lbase, lext, dbase, dext = _LBASE, _LEXT, _DBASE, _DEXT
    buf = cnt = final = 0
    while not final:
        if cnt < 3:
            if pos * 8 - cnt > end * 8:
                raise GzipError("truncated", start, "inside a block header")
            buf |= from_bytes(data[pos:pos + 4], "little") << cnt
            pos, cnt = pos + 4, cnt + 32
        final, btype = buf & 1, buf >> 1 & 3
        buf, cnt = buf >> 3, cnt - 3
        if btype == 0:  # stored: byte-align, LEN, NLEN (= ~LEN), then LEN raw bytes
            pos, buf, cnt = pos - (cnt >> 3), 0, 0
            if pos + 4 > end:
                raise GzipError("truncated", start, "inside a stored block")
            size = data[pos] | data[pos + 1] << 8
            if size ^ (data[pos + 2] | data[pos + 3] << 8) != 0xFFFF:
                raise GzipError("corrupt", start, "stored block LEN != ~NLEN")
            pos += 4
            if pos + size > end:
                raise GzipError("truncated", start, "inside a stored block")
            out += data[pos:pos + size]
            pos += size
            continue
        if btype == 1:
            lt, lbits, dt, dbits = _FIXED
        elif btype == 2:
            lt, lbits, dt, dbits, pos, buf, cnt = _read_dynamic(data, pos, buf, cnt, start)
        else:
            raise _bad(data, pos, cnt, start, "invalid block type 3")
        lmask, dmask = (1 << lbits) - 1, (1 << dbits) - 1
        while True:  # the hot loop: one iteration per literal or match
            if cnt < 48:  # the longest match: 15 + 5 bits of length, 15 + 13 of distance
                if pos > end and pos * 8 - cnt > end * 8:
                    raise GzipError("truncated", start, "inside compressed data")
                buf |= from_bytes(data[pos:pos + 6], "little") << cnt
                pos, cnt = pos + 6, cnt + 48
            e = lt[buf & lmask]
            n = e & 15
            buf >>= n
            cnt -= n
            sym = e >> 4
            if sym < 256:
                append(sym)
                continue
            if sym == 256:
                break
            if sym > 285:
                raise _bad(data, pos, cnt, start, "invalid literal/length symbol")
            n = lext[sym]
            length = lbase[sym] + (buf & ((1 << n) - 1))
            buf >>= n
            cnt -= n
            e = dt[buf & dmask]
            n = e & 15
            buf >>= n
            cnt -= n
            sym = e >> 4
            if sym > 29:
                raise _bad(data, pos, cnt, start, "invalid distance symbol")
            n = dext[sym]
            dist = dbase[sym] + (buf & ((1 << n) - 1))
            buf >>= n
            cnt -= n
            s = len(out) - dist
            if s < 0:
                raise _bad(data, pos, cnt, start, "distance too far back")
            if dist >= length:
                out += out[s:s + length]
            else:  # overlapping: the last dist bytes repeat to fill length
                q, r = divmod(length, dist)
                chunk = out[s:]
                out += chunk * q + chunk[:r]
    return pos - (cnt >> 3)  # give back the whole bytes still in the bit buffer


def _header(data, pos, start):
    """Parse the member header at data[pos:]; return the offset of its deflate data."""
    end = len(data)
    if pos + 10 > end:
        raise GzipError("truncated", start, "inside the header")
    if data[pos + 2] != 8:
        raise GzipError("corrupt", start, f"compression method {data[pos + 2]}")
    flags = data[pos + 3]
    if flags & 0xE0:
        raise GzipError("corrupt", start, "reserved header flags set")
    pos += 10
    if flags & 4:  # FEXTRA: 2-byte length, then that many bytes
        if pos + 2 > end:
            raise GzipError("truncated", start, "inside the header")
        pos += 2 + (data[pos] | data[pos + 1] << 8)
    for flag in (8, 16):  # FNAME, FCOMMENT: zero-terminated strings
        if flags & flag:
            nul = data.find(b"\0", pos)
            if nul < 0:
                raise GzipError("truncated", start, "inside the header")
            pos = nul + 1
    if pos > end:
        raise GzipError("truncated", start, "inside the header")
    if flags & 2:  # FHCRC: the low 16 bits of the header's CRC-32
        if pos + 2 > end:
            raise GzipError("truncated", start, "inside the header")
        if crc32(data[start:pos]) & 0xFFFF != data[pos] | data[pos + 1] << 8:
            raise GzipError("corrupt", start, "the header's CRC-16 (FHCRC) does not match")
        pos += 2
    return pos


def decompress(data: bytes) -> tuple[int, bytes]:
    """Decode every gzip member of data -> (member count, concatenated output)."""
    data = data if isinstance(data, bytes) else bytes(data)
    if not data:
        raise GzipError("empty", 0)
    end, pos, parts = len(data), 0, []
    while True:
        if parts:  # NUL padding may follow a member (not start the file)
            while pos < end and data[pos] == 0:
                pos += 1
            if pos == end:
                return len(parts), b"".join(parts)
        if data[pos:pos + 2] != b"\x1f\x8b":
            raise GzipError("not-gzip", pos)
        start, out = pos, bytearray()
        pos = _inflate(data, _header(data, pos, start), out, start)
        if pos + 8 > end:
            raise GzipError("truncated", start, "inside the trailer")
        crc, size = struct.unpack_from("<II", data, pos)
        if crc != crc32(out) or size != len(out) & 0xFFFFFFFF:
            raise GzipError("checksum", start, "CRC-32 or ISIZE mismatch")
        parts.append(out)
        pos += 8
