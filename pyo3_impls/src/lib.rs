//! The `pyo3` tier: the very functions of `rust_impls`, called from Python.
//!
//! Only glue lives here, and each piece of glue is chosen so that the `pyo3` tier can match
//! the `rust` tier: the input `bytes` are borrowed, not copied; the GIL is released while Rust
//! works; and the output is handed back without a copy either, as a `Buffer` that exposes the
//! Rust `Vec` through Python's buffer protocol (`memoryview(out)`, `hashlib.sha256(out)` and
//! `bytes(out)` all work on it).

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PySet, PyString, PyTuple};
use rust_impls::decompress as rs;
use rust_impls::emoji;
use rust_impls::fetch as rs_fetch;
use rust_impls::glue;
use rust_impls::json;
use rust_impls::pipeline;
use serde_json::Value;
use std::os::raw::c_int;
use std::time::Duration;

/// Bytes owned by Rust, readable from Python through the buffer protocol (zero-copy):
/// `data[start..]` (a decompressed WARC record's content block starts after its headers).
#[pyclass(frozen)]
struct Buffer {
    data: Vec<u8>,
    start: usize,
}

impl Buffer {
    fn new(data: Vec<u8>) -> Buffer {
        Buffer { data, start: 0 }
    }

    fn bytes(&self) -> &[u8] {
        &self.data[self.start..]
    }
}

#[pymethods]
impl Buffer {
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        let data = slf.get().bytes();
        // SAFETY: `view` comes from CPython; the Vec is immutable (frozen class) and outlives
        // the view, which holds a reference to `slf`. Read-only, so writable requests fail.
        let rc = unsafe {
            ffi::PyBuffer_FillInfo(
                view,
                slf.as_ptr(),
                data.as_ptr() as *mut _,
                data.len() as ffi::Py_ssize_t,
                1,
                flags,
            )
        };
        if rc == -1 {
            return Err(PyErr::fetch(slf.py()));
        }
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.bytes().len()
    }
}

/// Runs a Rust decoder without the GIL; errors become `ValueError(kind, offset, detail)`.
fn run(py: Python<'_>, decoder: rs::Decoder, data: &[u8]) -> PyResult<(Option<u64>, Buffer)> {
    let out = py
        .detach(|| decoder(data))
        .map_err(|e| PyValueError::new_err((e.kind.as_str(), e.offset, e.detail)))?;
    Ok((out.members, Buffer::new(out.data)))
}

/// decompress(data: bytes) -> (members, Buffer): the `rust` tier's pick (libdeflate).
#[pyfunction]
fn decompress(py: Python<'_>, data: &[u8]) -> PyResult<(Option<u64>, Buffer)> {
    run(py, rs::decompress, data)
}

/// decompress_flate2(data: bytes) -> (members, Buffer): the runner-up (flate2 over zlib-rs).
#[pyfunction]
fn decompress_flate2(py: Python<'_>, data: &[u8]) -> PyResult<(Option<u64>, Buffer)> {
    run(py, rs::decompress_flate2, data)
}

/// decompress_miniz_oxide(data: bytes) -> (members, Buffer): the runner-up on miniz_oxide.
#[pyfunction]
fn decompress_miniz_oxide(py: Python<'_>, data: &[u8]) -> PyResult<(Option<u64>, Buffer)> {
    run(py, rs::decompress_miniz_oxide, data)
}

// ---------------------------------------------------------------- json

fn json_error(e: json::JsonError) -> PyErr {
    PyValueError::new_err((e.kind.as_str(), e.line, e.detail))
}

/// cdxj(data: bytes) -> (lines, [(filename, offset, length, status)]): only the selected
/// records cross the glue, as tuples.
#[pyfunction]
fn cdxj<'py>(py: Python<'py>, data: &[u8]) -> PyResult<(u64, Bound<'py, PyList>)> {
    let parsed = py.detach(|| json::cdxj(data)).map_err(json_error)?;
    let status = PyString::intern(py, "200");
    let tuples = parsed.records.iter().map(|r| {
        PyTuple::new(
            py,
            [
                PyString::new(py, &r.filename).into_any(),
                r.offset.into_pyobject(py)?.into_any(),
                r.length.into_pyobject(py)?.into_any(),
                status.clone().into_any(),
            ],
        )
    });
    Ok((
        parsed.lines,
        PyList::new(py, tuples.collect::<PyResult<Vec<_>>>()?)?,
    ))
}

/// wat(data: bytes) -> (documents, links, {servers}): only the aggregate crosses the glue.
#[pyfunction]
fn wat<'py>(py: Python<'py>, data: &[u8]) -> PyResult<(u64, u64, Bound<'py, PySet>)> {
    let parsed = py.detach(|| json::wat(data)).map_err(json_error)?;
    let servers = PySet::new(py, parsed.servers.iter().map(|s| s.as_ref()))?;
    Ok((parsed.documents, parsed.links, servers))
}

/// cdxj_dicts(data) -> ([(line, dict)], error or None): every line's whole JSON object as a
/// Python dict, up to the first line that is not JSON; Python applies the selection rule.
#[pyfunction]
fn cdxj_dicts<'py>(py: Python<'py>, data: &[u8]) -> PyResult<(Bound<'py, PyList>, Option<PyErr>)> {
    dicts(py, data, true)
}

/// wat_dicts(data) -> ([(line, dict)], error or None): every document as a Python dict.
#[pyfunction]
fn wat_dicts<'py>(py: Python<'py>, data: &[u8]) -> PyResult<(Bound<'py, PyList>, Option<PyErr>)> {
    dicts(py, data, false)
}

fn dicts<'py>(
    py: Python<'py>,
    data: &[u8],
    cdxj: bool,
) -> PyResult<(Bound<'py, PyList>, Option<PyErr>)> {
    let (values, err) = py.detach(|| json::objects(data, cdxj));
    let out = PyList::empty(py);
    for (line, value) in &values {
        out.append((line, to_python(py, value)?))?;
    }
    Ok((out, err.map(json_error)))
}

/// A serde_json value as the Python object `json.loads` would give.
fn to_python<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => PyList::new(
            py,
            items
                .iter()
                .map(|x| to_python(py, x))
                .collect::<PyResult<Vec<_>>>()?,
        )?
        .into_any(),
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, x) in map {
                dict.set_item(k, to_python(py, x)?)?;
            }
            dict.into_any()
        }
    })
}

// ---------------------------------------------------------------- emoji

/// EmojiCounter(sequences: list[str], variant: str = "scanner"): a `rust_impls::emoji` counter
/// built once for the set; only the nonzero counts cross the glue, keyed by the caller's own
/// `str` objects (no new strings per call).
#[pyclass(frozen)]
struct EmojiCounter {
    counter: Box<dyn emoji::Counter>,
    keys: Vec<Py<PyString>>,
}

#[pymethods]
impl EmojiCounter {
    #[new]
    #[pyo3(signature = (sequences, variant = "scanner"))]
    fn new(sequences: Vec<Bound<'_, PyString>>, variant: &str) -> PyResult<Self> {
        let Some((_, build)) = emoji::VARIANTS.iter().find(|(name, _)| *name == variant) else {
            let names: Vec<_> = emoji::VARIANTS.iter().map(|(name, _)| *name).collect();
            return Err(PyValueError::new_err(format!(
                "unknown emoji variant {variant:?}; the variants are {names:?}"
            )));
        };
        let set = emoji::EmojiSet {
            version: String::new(),
            sequences: sequences
                .iter()
                .map(|s| s.to_str().map(str::to_owned))
                .collect::<PyResult<_>>()?,
        };
        Ok(EmojiCounter {
            counter: build(&set),
            keys: sequences.into_iter().map(Bound::unbind).collect(),
        })
    }

    /// count(data: bytes) -> ({emoji: count}, replacements): the bytes are borrowed.
    fn count<'py>(&self, py: Python<'py>, data: &[u8]) -> PyResult<(Bound<'py, PyDict>, u64)> {
        let counts = py.detach(|| self.counter.count(data));
        Ok((self.dict(py, &counts)?, counts.replacements))
    }

    /// count_range(data: bytes, start: int, stop: int) -> ({emoji: count}, replacements): counts
    /// `data[start:stop]` without making that slice (for threads that share one buffer: the GIL
    /// is released while Rust counts). The bounds must satisfy 0 <= start <= stop <= len(data).
    fn count_range<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        start: usize,
        stop: usize,
    ) -> PyResult<(Bound<'py, PyDict>, u64)> {
        let Some(range) = data.get(start..stop) else {
            return Err(PyValueError::new_err(format!(
                "range {start}..{stop} is not within the {} bytes",
                data.len()
            )));
        };
        let counts = py.detach(|| self.counter.count(range));
        Ok((self.dict(py, &counts)?, counts.replacements))
    }

    /// count_str(text: str) -> {emoji: count}: counts the str's UTF-8, which CPython keeps
    /// with the str once made (an ASCII str is its own UTF-8), so nothing is copied here.
    fn count_str<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
        let counts = py.detach(|| self.counter.count(text.as_bytes()));
        self.dict(py, &counts)
    }

    /// count_each(blocks: list[bytes | Buffer]) -> list[int]: the emoji total of each block
    /// (`rust_impls::pipeline::emoji`), all counted in one call without the GIL; the blocks
    /// are borrowed.
    fn count_each(&self, py: Python<'_>, blocks: Vec<Bound<'_, PyAny>>) -> PyResult<Vec<u64>> {
        let slices = blocks
            .iter()
            .map(borrow_bytes)
            .collect::<PyResult<Vec<&[u8]>>>()?;
        Ok(py.detach(|| pipeline::emoji(self.counter.as_ref(), &slices)))
    }
}

impl EmojiCounter {
    fn dict<'py>(&self, py: Python<'py>, counts: &emoji::Counts) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (key, &n) in self.keys.iter().zip(&counts.per_sequence) {
            if n > 0 {
                dict.set_item(key.bind(py), n)?;
            }
        }
        Ok(dict)
    }
}

// ---------------------------------------------------------------- fetch

create_exception!(
    gluebench_rs,
    FetchError,
    PyException,
    "A range that could not be fetched: `kind` (connect, incomplete, timeout, status), `offset` \
     (its 0-based index in the plan), `url`, `start`, `end` and `detail`."
);

/// fetch(ranges: list[tuple[str, int, int]], concurrency: int, timeout: float, retries: int,
/// variant: str = "reqwest") -> list[bytes]: every `(url, start, end)` range (inclusive end)
/// fetched by a `rust_impls::fetch` variant with the GIL released, the bodies in plan order.
/// Raises `FetchError` for a range that could not be fetched, `ValueError` for a bad argument.
#[pyfunction]
#[pyo3(signature = (ranges, concurrency, timeout, retries, variant = "reqwest"))]
fn fetch<'py>(
    py: Python<'py>,
    ranges: Vec<(String, u64, u64)>,
    concurrency: usize,
    timeout: f64,
    retries: u32,
    variant: &str,
) -> PyResult<Bound<'py, PyList>> {
    let Some((_, fetcher)) = rs_fetch::VARIANTS.iter().find(|(name, _)| *name == variant) else {
        let names: Vec<_> = rs_fetch::VARIANTS.iter().map(|(name, _)| *name).collect();
        return Err(PyValueError::new_err(format!(
            "unknown fetch variant {variant:?}; the variants are {names:?}"
        )));
    };
    if concurrency == 0 {
        return Err(PyValueError::new_err("concurrency must be at least 1"));
    }
    let timeout = Duration::try_from_secs_f64(timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "timeout {timeout} is not a positive number of seconds"
            ))
        })?;
    let ranges = ranges
        .into_iter()
        .enumerate()
        .map(|(i, (url, start, end))| match end >= start {
            true => Ok(rs_fetch::Range { url, start, end }),
            false => Err(PyValueError::new_err(format!(
                "range {i} ({url} {start}-{end}): the end (inclusive) is before the start"
            ))),
        })
        .collect::<PyResult<_>>()?;
    let plan = rs_fetch::Plan {
        ranges,
        concurrency,
        timeout,
        retries,
    };
    let bodies = py
        .detach(|| fetcher(&plan))
        .map_err(|e| fetch_error(py, e))?;
    PyList::new(py, bodies.iter().map(|body| PyBytes::new(py, body)))
}

/// `FetchError(message)` with the error's fields as attributes (`offset`: the range's index).
fn fetch_error(py: Python<'_>, e: rs_fetch::FetchError) -> PyErr {
    let err = FetchError::new_err(e.to_string());
    let value = err.value(py);
    let fields: [(&str, Bound<'_, PyAny>); 6] = [
        ("kind", PyString::new(py, e.kind.as_str()).into_any()),
        (
            "offset",
            e.index.into_pyobject(py).expect("an int").into_any(),
        ),
        ("url", PyString::new(py, &e.url).into_any()),
        (
            "start",
            e.start.into_pyobject(py).expect("an int").into_any(),
        ),
        ("end", e.end.into_pyobject(py).expect("an int").into_any()),
        ("detail", PyString::new(py, &e.detail).into_any()),
    ];
    for (name, field) in fields {
        if let Err(failed) = value.setattr(name, field) {
            return failed;
        }
    }
    err
}

// ---------------------------------------------------------------- pipeline

/// The bytes of a `bytes` or a `Buffer`, borrowed (both are immutable).
fn borrow_bytes<'a>(item: &'a Bound<'_, PyAny>) -> PyResult<&'a [u8]> {
    if let Ok(buffer) = item.cast::<Buffer>() {
        return Ok(buffer.get().bytes());
    }
    Ok(item.cast::<PyBytes>()?.as_bytes())
}

/// pipeline_select(index: bytes) -> [(path, offset, length, language)]: the pipeline's index
/// stage (`rust_impls::pipeline::select`); errors as `cdxj`'s.
#[pyfunction]
fn pipeline_select<'py>(py: Python<'py>, index: &[u8]) -> PyResult<Bound<'py, PyList>> {
    let records = py.detach(|| pipeline::select(index)).map_err(json_error)?;
    let tuples = records
        .iter()
        .map(|r| (r.path.as_str(), r.offset, r.length, r.language.as_str()).into_pyobject(py));
    PyList::new(py, tuples.collect::<PyResult<Vec<_>>>()?)
}

/// pipeline_gunzip(members: list[bytes]) -> list[Buffer]: each member decompressed
/// (`rust_impls::pipeline::gunzip`, one call without the GIL), as a Buffer that shows only its
/// content block: nothing is copied. A bad member: `ValueError(kind, record, byte, detail)`.
#[pyfunction]
fn pipeline_gunzip(py: Python<'_>, members: Vec<Bound<'_, PyBytes>>) -> PyResult<Vec<Buffer>> {
    let slices: Vec<&[u8]> = members.iter().map(|m| m.as_bytes()).collect();
    let records = py
        .detach(|| pipeline::gunzip(&slices))
        .map_err(|e| match e {
            pipeline::PipelineError::Gunzip { record, error } => {
                PyValueError::new_err((error.kind.as_str(), record, error.offset, error.detail))
            }
            other => PyValueError::new_err((other.kind(), other.at(), 0, other.to_string())),
        })?;
    Ok(records
        .into_iter()
        .map(|data| Buffer {
            start: pipeline::content_start(&data),
            data,
        })
        .collect())
}

/// pipeline_run(index, url, concurrency, timeout_s, retries, counter) -> (records, {language:
/// emoji}): the whole `rust` tier (`rust_impls::pipeline::run`) in one call without the GIL. A
/// failing stage: `ValueError(stage, kind, at, message)`.
#[pyfunction]
fn pipeline_run<'py>(
    py: Python<'py>,
    index: &[u8],
    url: &str,
    concurrency: usize,
    timeout_s: f64,
    retries: u32,
    counter: &Bound<'py, EmojiCounter>,
) -> PyResult<(u64, Bound<'py, PyDict>)> {
    let counter = counter.get().counter.as_ref();
    let job = pipeline::Job {
        index,
        base: url,
        concurrency,
        timeout: std::time::Duration::from_secs_f64(timeout_s),
        retries,
        counter,
    };
    let (records, by_language) = py
        .detach(|| pipeline::run(&job))
        .map_err(|e| PyValueError::new_err((e.stage(), e.kind(), e.at(), e.to_string())))?;
    let dict = PyDict::new(py);
    for (language, n) in &by_language {
        dict.set_item(language, n)?;
    }
    Ok((records, dict))
}

// ---------------------------------------------------------------- glue

/// noop(): does nothing (`rust_impls::glue::noop`): the cost of a call from Python alone.
#[pyfunction]
fn noop() {
    glue::noop()
}

/// bytes_len(data: bytes) -> int: the length of the borrowed bytes (`&[u8]`, no copy).
#[pyfunction]
fn bytes_len(data: &[u8]) -> usize {
    glue::bytes_len(data)
}

/// str_len(text: str) -> int: the UTF-8 length of the borrowed str (`&str`: CPython's UTF-8 of
/// the str, made and cached on the str the first time it is asked for unless it is ASCII).
#[pyfunction]
fn str_len(text: &str) -> usize {
    glue::str_len(text)
}

#[pymodule]
fn gluebench_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // The harness refuses to time a module built with debug assertions (a debug build).
    m.add("DEBUG_ASSERTIONS", cfg!(debug_assertions))?;
    m.add_class::<Buffer>()?;
    m.add_function(wrap_pyfunction!(decompress, m)?)?;
    m.add_function(wrap_pyfunction!(decompress_flate2, m)?)?;
    m.add_function(wrap_pyfunction!(decompress_miniz_oxide, m)?)?;
    m.add_function(wrap_pyfunction!(cdxj, m)?)?;
    m.add_function(wrap_pyfunction!(cdxj_dicts, m)?)?;
    m.add_function(wrap_pyfunction!(wat, m)?)?;
    m.add_function(wrap_pyfunction!(wat_dicts, m)?)?;
    m.add_class::<EmojiCounter>()?;
    m.add_function(wrap_pyfunction!(fetch, m)?)?;
    m.add("FetchError", m.py().get_type::<FetchError>())?;
    m.add_function(wrap_pyfunction!(pipeline_select, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline_gunzip, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline_run, m)?)?;
    m.add_function(wrap_pyfunction!(noop, m)?)?;
    m.add_function(wrap_pyfunction!(bytes_len, m)?)?;
    m.add_function(wrap_pyfunction!(str_len, m)?)?;
    Ok(())
}
