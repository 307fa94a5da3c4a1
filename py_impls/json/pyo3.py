"""pyo3: the ``rust`` tier's own parser (``rust_impls::json``) called from Python.

Two variants show where the glue cost lives. The picks parse and select in
Rust (GIL released) and hand back only what the task needs: a list of small
tuples, or the aggregate. The ``dicts`` variants hand back every document as
full Python dicts, the way ``json.loads`` would, and select in Python: every
key and value crosses the boundary as a new Python object.
"""
import gluebench_rs

from . import JsonTaskError, selected, wat_counts


def cdxj(data):
    return _call(gluebench_rs.cdxj, data)


def wat(data):
    return _call(gluebench_rs.wat, data)


def cdxj_dicts(data):
    parsed, error = gluebench_rs.cdxj_dicts(data)
    records = []
    for number, record in parsed:  # earlier lines' own errors come before `error`
        found = selected(record, number)
        if found:
            records.append(found)
    _raise(error)
    return len(parsed), records


def wat_dicts(data):
    parsed, error = gluebench_rs.wat_dicts(data)
    links, servers = 0, set()
    for number, doc in parsed:
        count, server = wat_counts(doc, number)
        links += count
        if server is not None:
            servers.add(server)
    _raise(error)
    return len(parsed), links, servers


def _call(rust_fn, data):
    try:
        return rust_fn(data)
    except ValueError as e:  # raised by the bindings as (kind, line, detail)
        raise JsonTaskError(*e.args) from None


def _raise(error):
    if error is not None:
        raise JsonTaskError(*error.args)
