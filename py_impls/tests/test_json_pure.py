"""Unit tests for the pure-Python JSON tier (py_impls/json/pure.py).

The parser is checked against the stdlib ``json`` (hand-written valid and invalid texts, then
random values serialised by ``json.dumps`` under several options); the two workloads on small
hand-made inputs for every bad-input kind, and ``cdxj`` on the real CDXJ files when present.
"""

import gzip
import json
import math
import os
import random
import time

import pytest

from py_impls.json import KINDS, JsonTaskError
from py_impls.json.pure import cdxj, loads, wat

DATASETS = "/work/shared/datasets/cc"
CDXJ_DIR = os.path.join(DATASETS, "cdxj")
WAT_FILE = os.path.join(DATASETS, "whirlwind.warc.wat.gz")


# ---------------------------------------------------------------- helpers

def _reject_constant(name):
    raise ValueError(f"{name} is not JSON (RFC 8259)")


def strict_json(text):
    """The stdlib parser without its NaN/Infinity extension: the reference for loads."""
    return json.loads(text, parse_constant=_reject_constant)


def same(a, b):
    """Equal values of the same types all the way down (1 != 1.0, 0.0 != -0.0, key order)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def outcome(fn, data):
    """The result of fn(data), or (kind, line) of its JsonTaskError."""
    try:
        return fn(data)
    except JsonTaskError as e:
        assert e.kind in KINDS
        return (e.kind, e.offset)


def error_of(fn, data):
    with pytest.raises(JsonTaskError) as info:
        fn(data)
    return info.value.kind, info.value.offset


# ---------------------------------------------------------------- parser: valid texts

VALID = [
    # numbers of every shape
    "0", "-0", "7", "-7", "1234567890", "-9223372036854775809",
    "123456789012345678901234567890123456789012345678901234567890",
    "0.0", "-0.0", "1.5", "-1.5", "0.000001", "3.141592653589793",
    "1e2", "1E2", "1e+2", "1e-2", "1E-2", "-1.25e+10", "0e0", "0E-0", "0.5e1",
    "1e400", "-1e400", "1e-400", "2.2250738585072014e-308", "5e-324", "1.7976931348623157e308",
    "123456789012345678901234567890.5",
    # literals
    "true", "false", "null",
    # strings: escapes, unicode, surrogates
    '""', '"abc"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"a\\\\"', '"\\\\\\""', '"\\"x"',
    '"\\u0000"', '"\\u001f"', '"\\u0041\\u0062c"', '"\\u00e9t\\u00E9"', '"\\uFFFF"', '"\\uffFe"',
    '"\\ud83d\\ude00"', '"\\uD834\\uDD1E"', '"\\uDBFF\\uDFFF"', '"\\uD800\\uDC00"',
    '"\\ud800"', '"\\udc00"', '"\\ud800x"', '"\\ud800\\n"', '"\\ud800\\ud800"',
    '"\\udc00\\ud800"', '"\\ud800\\u0041"', '"x\\ud800"', '"\\ud800\\ud800\\udc00"',
    '"é"', '"日本語"', '"😀 emoji"', '"\x7f"', '"\u2028\u2029"', '"\u00a0"', '"a/b"',
    '"NaN"', '"\\\\u0041"', '"tab\\tand \\"quotes\\" and \\\\ slash"',
    # containers
    "[]", "{}", "[[]]", "[{}]", '{"a":{}}', "[[[[[[]]]]]]", '[1,2.0,"3",true,false,null]',
    '{"a":[1,{"b":null}],"c":"d"}', '{"":0}', '{"\\u0061":1,"a\\"b":2}', '{"é":"日本"}',
    '{"a":1,"a":2}', '{"a":1,"b":2,"a":3}', '{"a":{"x":1},"a":[2]}',
    # whitespace (only space, tab, CR, LF)
    " 1", "1 ", " \t\r\n[ 1 , 2 ]\n ", '{ "a" : 1 , "b" : [ ] }', "[\n\t1,\r\n\t2\n]",
    '\t{\r"k"\n:\t"v"\r}\n', "[ ]", "{ }", "[ [ ] , { } ]",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_matches_stdlib(text):
    assert same(loads(text), strict_json(text))


def test_specific_values():
    assert loads('"\\ud83d\\ude00"') == "\U0001F600"
    assert loads('"\\ud800"') == "\ud800"  # a lone surrogate escape is kept, as the stdlib does
    assert loads('"\\ud800\\ud800\\udc00"') == "\ud800\U00010000"
    assert type(loads("1")) is int and type(loads("1.0")) is float and type(loads("1e0")) is float
    assert loads('{"a":1,"b":2,"a":3}') == {"a": 3, "b": 2}
    assert list(loads('{"a":1,"b":2,"a":3}')) == ["a", "b"]
    assert loads("1e400") == math.inf
    assert repr(loads("-0.0")) == "-0.0"


def test_moderate_nesting():
    for depth in (1, 50, 200):
        text = "[" * depth + "]" * depth
        assert loads(text) == strict_json(text)
        text = '{"a":' * depth + "1" + "}" * depth
        assert loads(text) == strict_json(text)


def test_non_str_rejected():
    with pytest.raises(TypeError):
        loads(b"[]")


# ---------------------------------------------------------------- parser: invalid texts

INVALID = [
    # empty, truncated, unbalanced
    "", " ", "\n\t", "[", "]", "{", "}", "[1", '{"a":1', '{"a":', '{"a"', "[[]", "[]]",
    '{"a":1}}', "[1,", '"', '"abc', '"abc\\', '"\\"', '"\\u', '"\\u00', '"\\u0041',
    # structure
    "[1,]", '{"a":1,}', "[,1]", "[,]", "{,}", "[1,,2]", "[1 2]", '{"a" 1}', '{"a":1 "b":2}',
    '{"a"::1}', '{"a":}', '{:1}', "{a:1}", "{'a':1}", '{1:2}', '{null:1}', '["a":1]', '{"a",1}',
    "[1]]", "[1] [2]", "1 2", "null x", "{}x", "[]\x00", '"a" "b"', "[1}", '{"a":1]',
    # numbers
    "01", "-01", "00", "[01]", "+1", "[+1]", ".5", "-.5", "1.", "[1.]", "1.e3", "1e", "1e+",
    "1E-", "1e+-1", "-", "--1", "- 1", "[-]", "0x10", "1_000", "1 000", "0.5.5", "1e5e5",
    "NaN", "Infinity", "-Infinity", "[NaN]", '{"a":Infinity}', "nan", "inf", "١", "１",
    # literals
    "tru", "nul", "fals", "True", "NULL", "truex", "nulll", "[true false]", "t", "undefined",
    # strings
    "'a'", '"\\x41"', "\"\\'\"", '"\\U0041"', '"\\a"', '"\\ "', '"\\u12"', '"\\u12G4"',
    '"\\u 123"', '"\\u+123"', '"\\u-123"', '"\\u0x12"', '"\\u_123"', '"\\ud800\\u"',
    '"\\ud800\\uZZZZ"', '"\\ud800\\u12"',
    '"a\tb"', '"\x00"', '"\x1f"', '"a\nb"', '"a\rb"', '"\\n\x01"', '"\x01\\n"',
    '{"a\x02":1}', '["ok", "bad\x0b"]',
    # whitespace that JSON does not allow
    "\x0c[]", "[]\x0b", "\u00a0[]", "[\u2028]", "\ufeff[]", "[1,\x0c2]",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_rejected(text):
    with pytest.raises(ValueError):
        strict_json(text)  # the reference agrees it is invalid
    with pytest.raises(ValueError) as info:
        loads(text)
    assert "position" in str(info.value)


def test_error_positions():
    def pos(text):
        with pytest.raises(ValueError) as info:
            loads(text)
        return str(info.value).rsplit(" ", 1)[1]

    assert pos("[1,]") == "3"
    assert pos('{"a":1 x}') == "7"
    assert pos('["abc\x01"]') == "5"
    assert pos('["\\n\\q"]') == "4"
    assert pos("[1") == "2"
    assert pos("[] x") == "3"


def test_absurd_nesting_is_a_value_error():
    for text in ("[" * 100000 + "]" * 100000, "[" * 100000, '{"a":' * 50000 + "1" + "}" * 50000):
        with pytest.raises((ValueError, RecursionError)):
            strict_json(text)  # the stdlib gives up too (with RecursionError)
        with pytest.raises(ValueError):
            loads(text)


# ---------------------------------------------------------------- parser: random round trips

def random_string(rng):
    pools = [
        lambda: chr(rng.randint(0x20, 0x7E)),
        lambda: chr(rng.randint(0x00, 0x1F)),              # control characters
        lambda: rng.choice('"\\/\b\f\n\r\t'),
        lambda: chr(rng.randint(0x80, 0xD7FF)),
        lambda: chr(rng.randint(0xE000, 0xFFFF)),
        lambda: chr(rng.randint(0x10000, 0x10FFFF)),        # astral
        lambda: chr(rng.randint(0xD800, 0xDFFF)),          # a lone surrogate
    ]
    weights = [50, 8, 8, 10, 5, 8, 1]
    return "".join(rng.choices(pools, weights)[0]() for _ in range(rng.choice([0, 1, 3, 8, 30])))


def random_number(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randint(-1000, 1000)
    if kind == 1:
        return rng.randint(-(10 ** rng.randint(1, 400)), 10 ** rng.randint(1, 400))  # huge ints
    if kind == 2:
        return rng.choice([2 ** 63, 2 ** 63 - 1, -(2 ** 63), 2 ** 64, 0])
    if kind == 3:
        return rng.uniform(-1e6, 1e6)
    if kind == 4:
        return rng.random() * 10.0 ** rng.randint(-320, 308) * rng.choice([1, -1])
    return rng.choice([0.0, -0.0, 1.0, 5e-324, 1.7976931348623157e308, 1e16, 1e-7, 123.0])


def random_value(rng, depth=0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return random_string(rng)
    if kind == 1:
        return random_number(rng)
    if kind == 2:
        return rng.choice([True, False, None])
    if kind in (3, 4):
        return random_string(rng) if kind == 3 else random_number(rng)
    if kind in (5, 6):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(6))]
    return {random_string(rng): random_value(rng, depth + 1) for _ in range(rng.randrange(6))}


DUMPS_OPTIONS = [
    {},
    {"ensure_ascii": False},
    {"indent": 2},
    {"indent": "\t", "ensure_ascii": False},
    {"indent": 0, "separators": (",", ":")},
    {"separators": (",", ":"), "ensure_ascii": False},
    {"separators": (" ,\r\n", " \t: ")},
]


@pytest.mark.parametrize("seed", range(4))
def test_random_round_trip(seed):
    rng = random.Random(seed)
    for _ in range(150):
        value = random_value(rng)
        for options in DUMPS_OPTIONS:
            text = json.dumps(value, **options)
            if rng.random() < 0.3:
                text = rng.choice(" \t\r\n") + text + rng.choice(["", " ", "\n", "\r\n\t "])
            assert same(loads(text), json.loads(text)), (options, text)


# ---------------------------------------------------------------- cdxj

def line(json_part, key="com,example)/", ts="20240101000000"):
    text = json_part if isinstance(json_part, str) else json.dumps(json_part)
    return f"{key} {ts} {text}".encode()


def rec(status="200", mime="text/html", **fields):
    r = {"url": "https://example.com/", "mime": mime, "status": status,
         "digest": "ABC", "length": "100", "offset": "2000", "filename": "crawl-data/a.warc.gz"}
    r.update(fields)
    return {k: v for k, v in r.items() if v is not MISSING}


MISSING = object()


def ref_cdxj(data):
    """A tiny reference on top of the stdlib json: the result or the (kind, line) error."""
    lines, records = 0, []
    for number, raw in enumerate(data.split(b"\n"), 1):
        raw = raw[:-1] if raw.endswith(b"\r") else raw
        if not raw:
            continue
        lines += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return ("invalid-utf8", number)
        parts = text.split(" ", 2)
        if len(parts) < 3 or not parts[2]:
            return ("missing-json", number)
        try:
            r = strict_json(parts[2])
        except (ValueError, RecursionError):
            return ("invalid-json", number)
        if not isinstance(r, dict):
            return ("invalid-json", number)
        if r.get("status") != "200" or r.get("mime") != "text/html":
            continue
        if any(r.get(k) is None for k in ("filename", "offset", "length")):  # null = missing
            return ("missing-field", number)

        def number_of(v):
            if not (isinstance(v, str) and v != "" and all("0" <= c <= "9" for c in v)):
                return None
            significant = v.lstrip("0")[:20] or "0"  # int() refuses more than 4300 digits
            return int(significant) if int(significant) < 2 ** 63 else None

        offset, length = number_of(r["offset"]), number_of(r["length"])
        if not isinstance(r["filename"], str) or offset is None or length is None:
            return ("bad-field", number)
        records.append((r["filename"], offset, length, r["status"]))
    return lines, records


def check_cdxj(data, expected):
    assert outcome(cdxj, data) == expected
    assert ref_cdxj(data) == expected  # keeps the hand-written expectations honest


def test_cdxj_empty():
    check_cdxj(b"", (0, []))
    check_cdxj(b"\n\n\r\n", (0, []))


def test_cdxj_selection():
    lines = [
        line(rec()),
        line(rec(status="404")),
        line(rec(mime="application/pdf")),
        line(rec(status=200)),                      # a number, not the string "200"
        line(rec(mime="text/html; charset=utf-8")),
        line(rec(mime="TEXT/HTML")),
        line(rec(status=MISSING)),
        line(rec(mime=MISSING)),
        line(rec(filename="b.warc.gz", offset="0", length="007")),
        line(rec(status="404", filename=MISSING, offset="x")),  # not selected: not checked
        line(rec(offset="9223372036854775807", filename="日本.warc.gz")),
    ]
    check_cdxj(b"\n".join(lines), (11, [
        ("crawl-data/a.warc.gz", 2000, 100, "200"),
        ("b.warc.gz", 0, 7, "200"),
        ("日本.warc.gz", 9223372036854775807, 100, "200"),
    ]))


def test_cdxj_line_endings_and_empty_lines():
    a, b = line(rec(offset="1")), line(rec(offset="2"))
    expected = (2, [("crawl-data/a.warc.gz", 1, 100, "200"), ("crawl-data/a.warc.gz", 2, 100, "200")])
    check_cdxj(a + b"\r\n" + b + b"\r\n", expected)
    check_cdxj(b"\n" + a + b"\n\n\r\n" + b, expected)
    check_cdxj(a + b"\n" + b + b"\n", expected)
    check_cdxj(a + b"\r\r\n" + b, expected)  # one \r stripped, the other is JSON whitespace
    # a space inside the JSON part and JSON whitespace around it are fine
    check_cdxj(b'k t  { "status" : "200", "mime":"text/html", "filename":"f x",'
               b' "offset":"1", "length":"2" } \t', (1, [("f x", 1, 2, "200")]))


def test_cdxj_missing_field():
    for field in ("filename", "offset", "length"):
        data = line(rec()) + b"\n" + line(rec(**{field: MISSING}))
        check_cdxj(data, ("missing-field", 2))
    # missing comes before bad within a record; null counts as missing
    check_cdxj(line(rec(filename=5, length=MISSING)), ("missing-field", 1))
    check_cdxj(line(rec(offset=None)), ("missing-field", 1))
    check_cdxj(line(rec(filename=None)), ("missing-field", 1))


@pytest.mark.parametrize("fields", [
    {"offset": "99999999999999999999"}, {"offset": "9223372036854775808"}, {"length": "12a"},
    {"offset": "+5"}, {"offset": "-1"}, {"offset": ""}, {"offset": " 5"}, {"length": "5 "},
    {"offset": "1_000"}, {"offset": "1.0"}, {"offset": "٣"}, {"offset": "²"}, {"length": "５"},
    {"offset": 5}, {"length": 5.0}, {"length": ["1"]},
    {"filename": 5}, {"filename": ["a"]}, {"filename": {"a": "b"}},
    {"offset": "0" * 5000 + "1" + "0" * 19},
])
def test_cdxj_bad_field(fields):
    check_cdxj(line(rec()) + b"\n\n" + line(rec(**fields)), ("bad-field", 3))


def test_cdxj_leading_zeros_are_digits():
    check_cdxj(line(rec(offset="0" * 5000 + "12")), (1, [("crawl-data/a.warc.gz", 12, 100, "200")]))


@pytest.mark.parametrize("text", [
    b"onlyonefield", b"key 20240101000000", b"key 20240101000000 ",
    b"key\t20240101000000\t{}", b"key 20240101000000\t{}", b" ",
])
def test_cdxj_missing_json(text):
    check_cdxj(line(rec()) + b"\n" + text, ("missing-json", 2))


@pytest.mark.parametrize("json_part", [
    "{", "{}x", '{"status":"200",}', "[]", '["status", "200"]', '"a string"', "null", "5",
    "  ", "NaN", '{"a":NaN}', '{"a":"\t"}', "{'status':'200'}",
])
def test_cdxj_invalid_json(json_part):
    check_cdxj(line(rec()) + b"\n" + line(json_part), ("invalid-json", 2))


def test_cdxj_first_bad_line_wins():
    good = line(rec())
    bad_utf8 = b"key 20240101000000 {\"url\": \"\xff\"}"
    bad_json = line("{nope")
    # invalid UTF-8 on line 3, invalid JSON on line 5
    check_cdxj(b"\n".join([good, good, bad_utf8, good, bad_json]), ("invalid-utf8", 3))
    # invalid JSON on line 2, invalid UTF-8 on line 4
    check_cdxj(b"\n".join([good, bad_json, good, bad_utf8]), ("invalid-json", 2))
    # within a line invalid UTF-8 comes before anything else (here: no JSON part at all)
    check_cdxj(good + b"\n\xe2\x82", ("invalid-utf8", 2))
    # empty lines count for the line number
    check_cdxj(b"\n\r\n" + bad_json, ("invalid-json", 3))


@pytest.mark.parametrize("raw", [
    b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80",
])
def test_cdxj_invalid_utf8(raw):
    check_cdxj(line(rec()) + b"\r\n" + line(rec(url=MISSING)).replace(b"{", b"{\"u\": \"" + raw + b"\", ", 1),
               ("invalid-utf8", 2))


def test_cdxj_real_files():
    if not os.path.isdir(CDXJ_DIR):
        pytest.skip(f"{CDXJ_DIR} is absent")
    names = sorted(os.listdir(CDXJ_DIR))
    assert names
    for name in names:
        with open(os.path.join(CDXJ_DIR, name), "rb") as f:
            data = f.read()
        assert outcome(cdxj, data) == ref_cdxj(data), name


# ---------------------------------------------------------------- wat

def doc(envelope=MISSING, **response):
    """A WAT document; ``response`` = the members of HTTP-Response-Metadata."""
    d = {"Container": {"Filename": "x.warc.gz", "Offset": "1"}}
    if envelope is not MISSING:
        d["Envelope"] = envelope
    elif response:
        d["Envelope"] = {"Format": "WARC", "Payload-Metadata": {
            "Actual-Content-Type": "application/http; msgtype=response",
            "HTTP-Response-Metadata": response}}
    return json.dumps(d).encode()


def links(n):
    return {"Head": {"Title": "t"}, "Links": [{"path": "A@/href", "url": f"/{i}"} for i in range(n)]}


def ref_wat(data):
    """A tiny reference on top of the stdlib json: the result or the (kind, line) error."""
    documents, count, servers = 0, 0, set()
    for number, raw in enumerate(data.split(b"\n"), 1):
        raw = raw[:-1] if raw.endswith(b"\r") else raw
        if not raw:
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return ("invalid-utf8", number)
        try:
            d = strict_json(text)
        except (ValueError, RecursionError):
            return ("invalid-json", number)
        if not isinstance(d, dict):
            return ("invalid-json", number)
        documents += 1
        node = d
        for key in ("Envelope", "Payload-Metadata", "HTTP-Response-Metadata"):
            if node.get(key) is None:  # missing or null
                break
            node = node[key]
            if not isinstance(node, dict):
                return ("bad-field", number)
        else:
            if node.get("HTML-Metadata") is not None:
                html = node["HTML-Metadata"]
                if not isinstance(html, dict):
                    return ("bad-field", number)
                if html.get("Links") is not None:
                    if not isinstance(html["Links"], list):
                        return ("bad-field", number)
                    count += len(html["Links"])
            if node.get("Headers") is not None:
                if not isinstance(node["Headers"], dict):
                    return ("bad-field", number)
                matches = [v for k, v in node["Headers"].items() if k.lower() == "server"]
                if matches and matches[0] is not None:
                    if not isinstance(matches[0], str):
                        return ("bad-field", number)
                    servers.add(matches[0])
    return documents, count, servers


def check_wat(data, expected):
    result = outcome(wat, data)
    assert result == expected
    assert ref_wat(data) == expected
    if not isinstance(expected[0], str):
        assert type(result[2]) is set


def test_wat_empty():
    check_wat(b"", (0, 0, set()))
    check_wat(b"\r\n\n", (0, 0, set()))


def test_wat_levels():
    docs = [
        b"{}",
        doc(),                                                          # no Envelope
        doc(envelope={}),                                               # no Payload-Metadata
        doc(envelope={"Payload-Metadata": {}}),                         # no HTTP-Response-Metadata
        doc(envelope={"Payload-Metadata": {"HTTP-Request-Metadata": {
            "Headers": {"Server": "request-side"}}}}),                  # not the response
        doc(**{"Headers-Length": "10"}),                                # no HTML-Metadata, no Headers
        doc(**{"HTML-Metadata": {"Head": {}}}),                         # no Links
        doc(**{"HTML-Metadata": links(0)}),
        doc(**{"HTML-Metadata": links(3), "Headers": {"Server": "nginx"}}),
        doc(**{"Headers": {"Content-Type": "text/html", "server": "h2o"}}),   # HTTP/2: lowercase
        doc(**{"HTML-Metadata": links(2), "Headers": {"SERVER": "Apache"}}),
        doc(**{"Headers": {"sErVeR": "nginx"}}),                        # a duplicate value
        doc(**{"Headers": {"server": "first", "Server": "second"}}),   # first match only
        doc(**{"Headers": {"Server": "ok", "server": 5}}),             # later matches unchecked
        doc(**{"Headers": {"Servers": "no", "X-Server": "no", "ſerver": "no"}}),
        doc(**{"Headers": {}}),
    ]
    check_wat(b"\n".join(docs), (16, 5, {"nginx", "h2o", "Apache", "first", "ok"}))


def test_wat_crlf_and_duplicate_keys():
    d = (b'{"Envelope":{"Payload-Metadata":{"HTTP-Response-Metadata":{"HTML-Metadata":'
         b'{"Links":[1,2,3]},"Headers":{"Server":"a","Server":"b"}}}}}')
    check_wat(d + b"\r\n\r\n" + d + b"\r\n", (2, 6, {"b"}))


def test_wat_null_counts_as_missing():
    for d in (doc(envelope=None), doc(envelope={"Payload-Metadata": {"HTTP-Response-Metadata": None}}),
              doc(**{"HTML-Metadata": {"Links": None}}), doc(**{"Headers": {"server": None}})):
        documents, links_, servers = wat(d)
        assert (documents, links_, servers) == (1, 0, set())


@pytest.mark.parametrize("bad", [
    doc(envelope=[]),
    doc(envelope={"Payload-Metadata": "x"}),
    doc(envelope={"Payload-Metadata": {"HTTP-Response-Metadata": 5}}),
    doc(**{"HTML-Metadata": []}),
    doc(**{"HTML-Metadata": {"Links": {}}}),
    doc(**{"HTML-Metadata": {"Links": "x"}}),
    doc(**{"Headers": [["Server", "nginx"]]}),
    doc(**{"Headers": {"Server": 5}}),
    doc(**{"Headers": {"Server": ["nginx"]}}),
    doc(**{"HTML-Metadata": links(2), "Headers": "Server: nginx"}),
])
def test_wat_bad_field(bad):
    check_wat(doc(**{"Headers": {"Server": "x"}}) + b"\n" + bad, ("bad-field", 2))


def test_wat_errors():
    good = doc(**{"HTML-Metadata": links(1)})
    check_wat(good + b"\n[]", ("invalid-json", 2))
    check_wat(good + b"\n\n" + b'"s"', ("invalid-json", 3))
    check_wat(good + b"\n{", ("invalid-json", 2))
    check_wat(b"\n".join([good, good, b'{"a":"\xff"}', good, b"{"]), ("invalid-utf8", 3))
    check_wat(b"\n".join([good, b"{", good, b'{"a":"\xff"}']), ("invalid-json", 2))
    check_wat(b"\n".join([good, b"{} {}"]), ("invalid-json", 2))
    # the first bad line wins even when a later one is a different kind
    check_wat(b"\n".join([good, doc(envelope=[]), b"{"]), ("bad-field", 2))


def test_wat_real_record():
    if not os.path.isfile(WAT_FILE):
        pytest.skip(f"{WAT_FILE} is absent")
    with gzip.open(WAT_FILE, "rb") as f:
        text = f.read()
    bodies = [part for part in text.split(b"\r\n") if part.startswith(b"{")]
    assert bodies
    for body in bodies:
        assert same(loads(body.decode()), strict_json(body.decode()))
    data = b"\n".join(bodies)
    assert outcome(wat, data) == ref_wat(data)


# ---------------------------------------------------------------- a rough speed

def test_cdxj_speed_report():
    """Not an assertion: a single timed pass over the largest real CDXJ file (printed with -s)."""
    if not os.path.isdir(CDXJ_DIR):
        pytest.skip(f"{CDXJ_DIR} is absent")
    path = max((os.path.join(CDXJ_DIR, n) for n in os.listdir(CDXJ_DIR) if n.endswith(".cdxj")),
               key=os.path.getsize)
    with open(path, "rb") as f:
        data = f.read()
    start = time.perf_counter()
    cdxj(data)
    elapsed = time.perf_counter() - start
    print(f"\ncdxj pure: {len(data) / elapsed / 1e6:.1f} MB/s on {os.path.basename(path)}")
