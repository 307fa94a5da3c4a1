"""Every Python variant of both ``json`` workloads against the task's rule.

The expected results come from ``py_impls.json.first_error`` and a few hand-written values;
the Rust tier is held to the same cases through ``check`` by ``tests/json.rs``.
"""
import importlib
import json

import pytest

from py_impls import json as task
from py_impls.json import JsonTaskError


def variants(workload):
    return [pytest.param(target, id=f"{tier}/{name}")
            for tier, entries in getattr(task, workload).VARIANTS.items() for name, target, _ in entries]


def load(target):
    module, _, func = target.partition(":")
    try:
        return getattr(importlib.import_module(f"py_impls.json.{module}"), func)
    except ImportError as e:
        if "gluebench_rs" not in str(e):
            raise
        pytest.skip("gluebench_rs is not built: run `cargo test` (it bootstraps .venv)")


def cdx(key="org,example)/", **fields):
    record = {"url": "https://example.org/", "mime": "text/html", "status": "200",
              "digest": "AAAA", "length": "100", "offset": "5", "filename": "crawl-data/x.warc.gz"}
    record.update(fields)
    record = {k: v for k, v in record.items() if v is not MISSING}
    return f"{key} 20240518015810 {json.dumps(record)}".encode()


MISSING = object()
GOOD_CDXJ = b"\n".join([
    cdx(), cdx(status="404"), cdx(mime="application/pdf"), b"", cdx(filename="f\u00e9 \\\"x\".gz", offset="007"),
    cdx(status="301", offset=5), cdx(status=None), cdx(key="com,example)/a") + b"\r", b"\r", cdx(extra=[1, {"a": None}]),
])
CDXJ_EXPECTED = (8, [("crawl-data/x.warc.gz", 5, 100, "200"), ('f\u00e9 \\"x".gz', 7, 100, "200"),
                     ("crawl-data/x.warc.gz", 5, 100, "200"), ("crawl-data/x.warc.gz", 5, 100, "200")])

BAD_CDXJ = {
    "invalid JSON": (cdx() + b"\n" + cdx()[:-3], "invalid-json", 2),
    "JSON array": (cdx() + b"\nk 1 [1, 2]", "invalid-json", 2),
    "no JSON part": (cdx() + b"\nk 20240518015810", "missing-json", 2),
    "invalid UTF-8": (cdx() + b"\n" + cdx(url="x\xff".encode("latin-1").decode("latin-1")).replace(b"x\\u00ff", b"x\xff"), "invalid-utf8", 2),
    "missing length": (cdx(length=MISSING), "missing-field", 1),
    "null offset": (cdx(offset=None), "missing-field", 1),
    "offset overflows": (cdx(offset="99999999999999999999"), "bad-field", 1),
    "offset not digits": (cdx(offset="+5"), "bad-field", 1),
    "filename not a string": (cdx(filename=5), "bad-field", 1),
    "bad field before invalid JSON": (cdx() + b"\n" + cdx(length="x") + b"\n{", "bad-field", 2),
    "invalid JSON before invalid UTF-8": (cdx() + b"\nk t {\n" + b"\xff", "invalid-json", 2),
    "invalid UTF-8 before invalid JSON": (b"\xfe\nk t {", "invalid-utf8", 1),
}


def wat_doc(links=None, headers=None, **extra):
    http = {"Response-Message": {"Status": "200"}}
    if headers is not None:
        http["Headers"] = headers
    if links is not None:
        http["HTML-Metadata"] = {"Head": {"Title": "t"}, "Links": [{"path": "A@/href", "url": f"/{i}"} for i in range(links)]}
    doc = {"Container": {"Filename": "x.warc.gz"}, "Envelope": {"Format": "WARC", "Payload-Metadata": {"HTTP-Response-Metadata": http}}}
    doc.update(extra)
    return json.dumps(doc).encode()


GOOD_WAT = b"\n".join([
    wat_doc(3, {"Server": "nginx"}), wat_doc(0, {"server": "cloudflare", "Server": "ignored"}),
    b'{"Envelope": {"Payload-Metadata": {"Actual-Content-Type": "application/http; msgtype=request"}}}',
    b"", wat_doc(2, {"Date": "x"}) + b"\r", wat_doc(1, {"SERVER": "Apache/2.4 (\u00fcber)"}), b'{"Envelope": null}',
])
WAT_EXPECTED = (6, 6, {"nginx", "cloudflare", "Apache/2.4 (\u00fcber)"})

BAD_WAT = {
    "invalid JSON": (GOOD_WAT + b"\n{]", "invalid-json", 8),
    "JSON array": (b"[1]", "invalid-json", 1),
    "Links not a list": (b'{"Envelope": {"Payload-Metadata": {"HTTP-Response-Metadata": {"HTML-Metadata": {"Links": {}}}}}}', "bad-field", 1),
    "Envelope not an object": (b'{"Envelope": 5}', "bad-field", 1),
    "Server not a string": (wat_doc(1, {"Server": 5}), "bad-field", 1),
    "invalid UTF-8": (wat_doc(1) + b"\n" + b'{"a": "\xff"}', "invalid-utf8", 2),
    "wrong type before a syntax error on the same line": (b'{"Envelope": 5, "x": }', "invalid-json", 1),
}


@pytest.mark.parametrize("target", variants("cdxj"))
def test_cdxj_good(target):
    assert load(target)(GOOD_CDXJ) == CDXJ_EXPECTED
    assert load(target)(b"") == (0, [])


@pytest.mark.parametrize("target", variants("cdxj"))
def test_cdxj_fast_paths_agree_on_each_unusual_line(target):
    # GOOD_CDXJ as a whole sends every fast path to the reference loop: here each of its lines
    # sits among usual ones, so a fast path that keeps the file must get it right itself.
    unusual = GOOD_CDXJ.split(b"\n") + [cdx(offset="9223372036854775807"), cdx(length="0" * 30 + "5"),
                                        cdx(status="404", offset="\u0661"), cdx(status="404", offset=None)]
    for line in unusual:
        data = b"\n".join([cdx(), line, cdx(status="404"), cdx(offset="12")])
        assert load(target)(data) == task.cdxj_by_line(data, json.loads), line


@pytest.mark.parametrize("target", variants("cdxj"))
@pytest.mark.parametrize("case", list(BAD_CDXJ))
def test_cdxj_bad(target, case):
    data, kind, line = BAD_CDXJ[case]
    assert (task.first_error(data, "cdxj").kind, task.first_error(data, "cdxj").offset) == (kind, line)
    with pytest.raises(JsonTaskError) as err:
        load(target)(data)
    assert (err.value.kind, err.value.offset) == (kind, line), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("target", variants("wat"))
def test_wat_good(target):
    assert load(target)(GOOD_WAT) == WAT_EXPECTED
    assert load(target)(b"") == (0, 0, set())


@pytest.mark.parametrize("target", variants("wat"))
@pytest.mark.parametrize("case", list(BAD_WAT))
def test_wat_bad(target, case):
    data, kind, line = BAD_WAT[case]
    assert (task.first_error(data, "wat").kind, task.first_error(data, "wat").offset) == (kind, line)
    with pytest.raises(JsonTaskError) as err:
        load(target)(data)
    assert (err.value.kind, err.value.offset) == (kind, line), str(err.value)


@pytest.mark.parametrize("target", variants("cdxj"))
def test_a_50_mb_single_line(target):
    big = cdx(url="https://example.org/" + "a" * (50 << 20))
    assert load(target)(big) == (1, [("crawl-data/x.warc.gz", 5, 100, "200")])


def test_summaries_are_the_documented_shape():
    s = task.cdxj.summarize(CDXJ_EXPECTED)
    assert (s["lines"], s["selected"], s["length_sum"]) == (8, 4, 400)
    w = task.wat.summarize(WAT_EXPECTED)
    assert (w["documents"], w["links"], w["servers"]) == (6, 6, 3)


@pytest.mark.parametrize("target", [pytest.param(t, id=n) for n, t, _ in task.cdxj.BASELINES])
def test_plain_loops_agree_and_skip_what_does_not_parse(target):
    """The cdxj baselines (no rule): the same checksum as a hand count, bad lines skipped."""
    data = (
        b'com,example)/ 20240101 {"url": "http://example.com/", "offset": "10", "length": "5", "status": "404"}\n'
        b"bad line\n"
        b'com,example)/a 20240101 {"url": "http://example.com/a", "offset": "100", "length": "7"}\n'
        b'com,x)/ 1 {"url": "u"}\n'
        b'com,y)/ 1 {"url": "u", "offset": "1", "length"\n'
    )
    assert load(target)(data) == (19 + 10 + 5) + (20 + 100 + 7)
