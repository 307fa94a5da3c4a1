"""``pure`` tier of ``json``: a hand-written JSON parser (RFC 8259) and the two workloads.

No ``json``, no ``re``, no C extension module: this models what the interpreter alone can
do, the situation of someone who cannot (or will not) reach for a library. ``loads`` is an
index-based recursive-descent parser over one ``str``: each ``_parse_*`` function takes
the text and a position and returns ``(value, position after it)``; there are no token
objects. It returns exactly what the stdlib ``json.loads`` returns (``int`` for integer
literals, ``float`` for the others, duplicate keys: the last one wins) but is stricter in
one point: ``NaN`` and ``Infinity`` are rejected, as RFC 8259 says. Bad input raises
``ValueError`` with the position; absurd nesting too (not ``RecursionError``).

The usual pure-Python speed tricks are used where they keep the code readable: a string
is scanned with ``str.find`` for its closing quote, and the chunk is checked for a
backslash with ``in`` and for control characters with ``min`` (both loops in C), so the
common string without escapes is one slice; ``\\uXXXX`` digits are checked with
``str.strip``; literals with ``str.startswith``. It is still slow (a few MB/s to a few
tens of MB/s) because every structural character, every whitespace character and every
value costs several bytecodes (an index, a comparison, a function call building a tuple),
each dispatched by the interpreter, and every value is a heap-allocated Python object,
where a C or Rust parser handles a byte in a few machine instructions.

``cdxj`` and ``wat`` implement the workloads of the package docstring on top of ``loads``;
bad input raises ``JsonTaskError`` for the first bad line (1-based, counting every
physical line, empty ones included).
"""

from . import cdxj_by_line, wat_by_line

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX_DIGITS = "0123456789abcdefABCDEF"
_DIGITS = "0123456789"


def _error(message, pos):
    return ValueError(f"{message} at position {pos}")


# ---------------------------------------------------------------- the parser

def loads(s):
    """Parse one JSON text (a ``str``) into Python values, like the stdlib ``json.loads``."""
    if not isinstance(s, str):
        raise TypeError(f"loads() expects a str, not {type(s).__name__}")
    n = len(s)
    i = 0
    while i < n and s[i] in " \t\n\r":
        i += 1
    try:
        value, i = _parse_value(s, i)
    except IndexError:  # every s[i] past the end lands here: the text stopped too early
        raise _error("unexpected end of JSON text", n) from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    while i < n and s[i] in " \t\n\r":
        i += 1
    if i != n:
        raise _error("extra data after the JSON value", i)
    return value


def _parse_value(s, i):
    """Parse the value starting exactly at ``s[i]`` (no whitespace before it)."""
    c = s[i]
    if c == '"':
        return _parse_string(s, i + 1)
    if c == "{":
        return _parse_object(s, i + 1)
    if c == "[":
        return _parse_array(s, i + 1)
    if c in "-0123456789":
        return _parse_number(s, i)
    if c == "t" and s.startswith("true", i):
        return True, i + 4
    if c == "f" and s.startswith("false", i):
        return False, i + 5
    if c == "n" and s.startswith("null", i):
        return None, i + 4
    raise _error("expected a JSON value", i)


def _parse_object(s, i):
    """Parse the members of an object; ``i`` is just after its ``{``."""
    obj = {}
    while s[i] in " \t\n\r":
        i += 1
    if s[i] == "}":
        return obj, i + 1
    while True:
        if s[i] != '"':
            raise _error("expected a string key", i)
        key, i = _parse_string(s, i + 1)
        while s[i] in " \t\n\r":
            i += 1
        if s[i] != ":":
            raise _error("expected ':'", i)
        i += 1
        while s[i] in " \t\n\r":
            i += 1
        value, i = _parse_value(s, i)
        obj[key] = value  # a duplicate key: the last one wins, as in the stdlib
        while s[i] in " \t\n\r":
            i += 1
        c = s[i]
        if c == ",":
            i += 1
            while s[i] in " \t\n\r":
                i += 1
        elif c == "}":
            return obj, i + 1
        else:
            raise _error("expected ',' or '}'", i)


def _parse_array(s, i):
    """Parse the elements of an array; ``i`` is just after its ``[``."""
    arr = []
    append = arr.append
    while s[i] in " \t\n\r":
        i += 1
    if s[i] == "]":
        return arr, i + 1
    while True:
        value, i = _parse_value(s, i)
        append(value)
        while s[i] in " \t\n\r":
            i += 1
        c = s[i]
        if c == ",":
            i += 1
            while s[i] in " \t\n\r":
                i += 1
        elif c == "]":
            return arr, i + 1
        else:
            raise _error("expected ',' or ']'", i)


def _check_no_control(s, start, end):
    """Raise if ``s[start:end]`` holds a raw control character (U+0000..U+001F)."""
    if start < end and min(s[start:end]) < " ":  # min: the smallest code point, found in C
        for k in range(start, end):
            if s[k] < " ":
                raise _error("control character in string", k)


def _parse_string(s, i):
    """Parse the rest of a string; ``i`` is just after its opening quote."""
    end = s.find('"', i)
    if end < 0:
        raise _error("unterminated string starting", i - 1)
    chunk = s[i:end]
    if "\\" not in chunk:  # the fast path: no escape, the chunk is the whole string
        if chunk and min(chunk) < " ":
            _check_no_control(s, i, end)
        return chunk, end + 1

    parts = []
    while True:
        # Invariant: s[i:] is the unparsed rest of the string, s[end] the next '"' in it.
        esc = s.find("\\", i, end)
        if esc < 0:  # no escape before the quote: that quote closes the string
            _check_no_control(s, i, end)
            parts.append(s[i:end])
            return "".join(parts), end + 1
        _check_no_control(s, i, esc)
        parts.append(s[i:esc])
        c = s[esc + 1:esc + 2]
        if c == "u":
            code = _hex4(s, esc + 2)
            i = esc + 6
            # A high surrogate followed by an escaped low one is one astral character;
            # any other surrogate escape is kept as a lone surrogate, like the stdlib.
            if 0xD800 <= code <= 0xDBFF and s.startswith("\\u", i):
                low = _hex4(s, i + 2)
                if 0xDC00 <= low <= 0xDFFF:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
            parts.append(chr(code))
        elif c in _ESCAPES:
            parts.append(_ESCAPES[c])
            i = esc + 2
        else:
            raise _error("invalid escape", esc)
        if i > end:  # the quote we knew about was escaped (\"): find the next one
            end = s.find('"', i)
            if end < 0:
                raise _error("unterminated string", len(s))


def _hex4(s, i):
    """The value of the four hex digits at ``s[i:i+4]`` (``int(..., 16)`` alone would
    also take signs, underscores, spaces and a ``0x`` prefix)."""
    digits = s[i:i + 4]
    if len(digits) != 4 or digits.strip(_HEX_DIGITS):
        raise _error("invalid \\uXXXX escape", i - 2)
    return int(digits, 16)


def _parse_number(s, i):
    """Parse ``-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`` starting at ``s[i]``."""
    n = len(s)
    start = i
    if s[i] == "-":
        i += 1
    if i < n and s[i] == "0":  # a leading zero stands alone: "01" stops after the 0
        i += 1
    else:
        i = _skip_digits(s, i, n, "expected a digit")
    is_float = False
    if i < n and s[i] == ".":
        i = _skip_digits(s, i + 1, n, "expected a digit after '.'")
        is_float = True
    if i < n and s[i] in "eE":
        i += 1
        if i < n and s[i] in "+-":
            i += 1
        i = _skip_digits(s, i, n, "expected a digit in the exponent")
        is_float = True
    text = s[start:i]
    return (float(text) if is_float else int(text)), i


def _skip_digits(s, i, n, message):
    """The end of the run of one or more ASCII digits starting at ``s[i]``."""
    start = i
    while i < n and s[i] in _DIGITS:
        i += 1
    if i == start:
        raise _error(message, i)
    return i


# ---------------------------------------------------------------- the workloads

def cdxj(data):
    """CDXJ index -> (lines, records): the package's line-by-line loop, with this parser."""
    return cdxj_by_line(data, loads)


def wat(data):
    """WAT metadata documents -> (documents, links, servers): likewise."""
    return wat_by_line(data, loads)
