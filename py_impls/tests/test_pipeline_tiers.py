"""Every Python variant of ``pipeline`` on a small crawl served by a real local server.

The crawl is written here: two ``.warc.gz`` files of one gzip member per record, and a CDXJ
index over them whose selected records hold a known number of emoji (written by hand, never
counted by a tier), some in places the rule treats specially: an emoji in a WARC header (not
counted: it is before the content block), one in an HTTP header (counted: it is in the block),
records of a status or type that is not selected, languages missing, null or several.

The server is ``gluebench serve`` when ``GLUEBENCH_SERVE`` names its binary (``cargo test``
hands it over), else the small ``http.server`` below, which answers ranges the same way
(``206``, inclusive end, keep-alive).

Every variant of every tier must give the expected summary: ``e2e`` and ``e2e-2cores`` over
HTTP, each stage variant on its stage's input (finished by the reference stages), so each
stage's output is checked too. Errors: a bad index line, a range outside the files and a
corrupt member are each reported by every tier with the task's kind and the right place.
"""
import gzip
import http.server
import importlib
import json
import os
import re
import subprocess
import threading
import uuid

import pytest

from py_impls import pipeline as task

GRIN, HEART, FAMILY = "\U0001F600", "\u2764\ufe0f", "\U0001F468\u200d\U0001F469\u200d\U0001F467"
FLAG, KEYCAP = "\U0001F1FA\U0001F1F8", "#\ufe0f\u20e3"

# (file, status, mime, languages, extra WARC header, HTTP header, body, emoji the rule counts)
RECORDS = [
    ("a.warc.gz", "200", "text/html", "eng", "", "", f"<p>Hi {GRIN} and {FAMILY}</p>", 2),
    ("a.warc.gz", "200", "text/html", "deu,eng", "", "", "<p>Keine Emoji, nur \u00e4\u00f6\u00fc.</p>", 0),
    ("b.warc.gz", "404", "text/html", "eng", "", "", f"<p>{GRIN * 5}</p>", None),
    ("a.warc.gz", "200", "application/pdf", "eng", "", "", f"%PDF {GRIN}", None),
    ("b.warc.gz", "200", "text/html", "eng", f"WARC-Note: {GRIN}\r\n", f"X-Mood: {HEART}\r\n",
     f"<p>{KEYCAP} \u2764 is not RGI alone</p>", 2),
    ("b.warc.gz", "200", "text/html", None, "", "", f"<p>{FLAG}\U0001F1E9</p>", 1),
    ("a.warc.gz", "200", "text/html", "fra,eng", "", "", f"<p>{GRIN}{GRIN}{GRIN}</p>\n" * 2, 6),
    ("b.warc.gz", "200", "text/html", "null", "", "", "<p>rien</p>", 0),
    ("a.warc.gz", "200", "text/html", "", "", "", b"<p>\xff" + HEART.encode() + b"</p>", 1),
]
EXPECTED = {"records": 7, "emoji_total": 12,
            "by_language": {"deu": 0, "eng": 4, "fra": 6, "unknown": 2}}


def member(kind, block, header=""):
    """One WARC record as its own gzip member, as in Common Crawl's files."""
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-05-29T06:19:30Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n{header}"
            f"Content-Length: {len(block)}\r\n\r\n")
    return gzip.compress(head.encode() + block + b"\r\n\r\n", mtime=0)


def response(status, header, http_header, body):
    body = body if isinstance(body, bytes) else body.encode()
    http = f"HTTP/1.1 {status} X\r\nContent-Type: text/html\r\n{http_header}\r\n"
    return member("response", http.encode() + body, header + "Content-Type: application/http\r\n")


WARCINFO = member("warcinfo", b"software: the test\r\n")


def write_crawl(root):
    """The two WARC files and the index (as the harness hands it: served paths)."""
    files, lines = {}, []
    for i, (name, status, mime, languages, header, http_header, body, _) in enumerate(RECORDS):
        data = files.setdefault(name, bytearray(WARCINFO))
        m = response(status, header, http_header, body)
        fields = {"url": f"https://example.com/{i}", "mime": mime, "status": status,
                  "length": str(len(m)), "offset": str(len(data)), "filename": name}
        if languages is not None:
            fields["languages"] = None if languages == "null" else languages
        lines.append(f"com,example)/{i} 20240529061930 {json.dumps(fields)}\n")
        data += m
    for name, data in files.items():
        (root / name).write_bytes(bytes(data))
    (root / "index.cdxj").write_text("".join(lines))
    return root / "index.cdxj"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = os.path.join(self.server.root, self.path.lstrip("/"))
        if ".." in self.path or not os.path.isfile(path):
            return self.reply(404)
        with open(path, "rb") as f:
            data = f.read()
        start, end = map(int, re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers["Range"]).groups())
        if start >= len(data):
            return self.reply(416)
        body = data[start:min(end, len(data) - 1) + 1]
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{start + len(body) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reply(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """(index path, root, base URL): the crawl, served for the whole module."""
    root = tmp_path_factory.mktemp("crawl")
    index = write_crawl(root)
    binary = os.environ.get("GLUEBENCH_SERVE")
    if binary:
        proc = subprocess.Popen([binary, "serve", str(root)], stdout=subprocess.PIPE, text=True)
        yield index, root, proc.stdout.readline().strip()
        proc.terminate()
        proc.wait()
        return
    server = Server(("127.0.0.1", 0), Handler)
    server.root = str(root)
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield index, root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def job(crawl, index=None, concurrency=4):
    path, root, url = crawl
    if index is not None:
        path = root / "other.cdxj"
        path.write_bytes(index)
    return task.load(str(path), {"url": url, "root": str(root), "concurrency": concurrency,
                                 "timeout_s": 5, "retries": 0})


def variants():
    return [pytest.param(tier, name, target, id=f"{tier}/{name}")
            for tier, entries in task.VARIANTS.items() for name, target, _ in entries]


def load(tier, target):
    module, _, func = target.partition(":")
    try:
        return getattr(importlib.import_module(f"py_impls.pipeline.{module}"), func)
    except ImportError as e:  # the pyo3 module, or an ecosystem package, outside cargo test
        pytest.skip(f"{tier}: {e}")


def test_the_crawl_is_what_the_expected_summary_says(crawl):
    j = job(crawl)
    assert [r[3] for r in j.selected] == ["eng", "deu", "eng", "unknown", "fra", "unknown", "unknown"]
    counts = [n for *_, n in RECORDS if n is not None]
    assert task.summarize(task.aggregate(j.selected, counts)) == EXPECTED


@pytest.mark.parametrize("tier,name,target", variants())
def test_every_variant_gives_the_expected_summary(crawl, tier, name, target):
    fn = load(tier, target)
    for concurrency in (1, 3):
        result = fn(job(crawl, concurrency=concurrency))
        if name.startswith("stage-"):
            assert isinstance(result, task.StageResult) and result.stage == name[6:]
        assert task.summarize(result) == EXPECTED, (tier, name, concurrency)


def test_each_stage_gives_the_next_ones_input(crawl):
    """A stage variant's output is exactly what the reference makes for the next stage."""
    from py_impls.pipeline import hotpath
    j = job(crawl)
    assert hotpath.stage_index(j).output == j.stage_input("fetch")
    assert hotpath.stage_fetch(j).output == j.stage_input("gunzip")
    assert hotpath.stage_gunzip(j).output == j.stage_input("emoji")


def e2e_variants():
    return [p for p in variants() if p.values[1].startswith("e2e")]


@pytest.mark.parametrize("tier,name,target", e2e_variants())
def test_a_bad_index_line_is_the_json_error_at_its_line(crawl, tier, name, target):
    fn = load(tier, target)
    index = crawl[0].read_bytes().splitlines(keepends=True)
    index.insert(3, b'com,example)/x 20240529061930 {"status": "200", "mime": "text/html", '
                    b'"filename": "a.warc.gz", "offset": "12", "length": "-1"}\n')
    with pytest.raises(Exception) as e:
        fn(job(crawl, b"".join(index)))
    assert (e.value.kind, e.value.offset) == ("bad-field", 4), e.value


@pytest.mark.parametrize("tier,name,target", e2e_variants())
def test_a_range_outside_the_files_is_the_fetch_error_of_its_record(crawl, tier, name, target):
    fn = load(tier, target)
    index = crawl[0].read_bytes().splitlines(keepends=True)
    # The 6th selected record (index 5, in the second half for e2e-2cores) points past the end.
    index[7] = re.sub(rb'"offset": "\d+"', b'"offset": "99999999"', index[7])
    with pytest.raises(Exception) as e:
        fn(job(crawl, b"".join(index)))
    assert (e.value.kind, e.value.offset) == ("status", 5), e.value


@pytest.mark.parametrize("tier,name,target", e2e_variants())
def test_a_corrupt_member_is_the_gzip_error_of_its_record(crawl, tier, name, target):
    fn = load(tier, target)
    path, root, url = crawl
    index = path.read_bytes().splitlines(keepends=True)
    # Selected record 4 (line 7) fetched from a copy of its file with a flipped byte inside.
    fields = json.loads(index[6].split(b" ", 2)[2])
    data = bytearray((root / fields["filename"]).read_bytes())
    data[int(fields["offset"]) + int(fields["length"]) // 2] ^= 0xFF
    (root / "bad.warc.gz").write_bytes(bytes(data))
    index[6] = index[6].replace(fields["filename"].encode(), b"bad.warc.gz")
    with pytest.raises(Exception) as e:
        fn(job(crawl, b"".join(index)))
    assert e.value.kind in ("corrupt", "checksum") and e.value.offset == 4, e.value


@pytest.mark.parametrize("tier,name,target", e2e_variants())
def test_no_record_and_one_record(crawl, tier, name, target):
    """Nothing selected, and a job too small to share between two cores."""
    fn = load(tier, target)
    lines = crawl[0].read_bytes().splitlines(keepends=True)
    empty = {"records": 0, "emoji_total": 0, "by_language": {}}
    assert task.summarize(fn(job(crawl, lines[2]))) == empty  # the 404
    one = {"records": 1, "emoji_total": 2, "by_language": {"eng": 2}}
    assert task.summarize(fn(job(crawl, lines[0]))) == one
