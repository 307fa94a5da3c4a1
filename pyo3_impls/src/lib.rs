//! The `pyo3` tier: the very functions of `rust_impls`, called from Python.
//!
//! Only glue lives here, and each piece of glue is chosen so that the `pyo3` tier can match
//! the `rust` tier: the input `bytes` are borrowed, not copied; the GIL is released while Rust
//! works; and the output is handed back without a copy either, as a `Buffer` that exposes the
//! Rust `Vec` through Python's buffer protocol (`memoryview(out)`, `hashlib.sha256(out)` and
//! `bytes(out)` all work on it).

use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::prelude::*;
use rust_impls::decompress as rs;
use std::os::raw::c_int;

/// Bytes owned by Rust, readable from Python through the buffer protocol (zero-copy).
#[pyclass(frozen)]
struct Buffer {
    data: Vec<u8>,
}

#[pymethods]
impl Buffer {
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        let data = &slf.get().data;
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
        self.data.len()
    }
}

/// Runs a Rust decoder without the GIL; errors become `ValueError(kind, offset, detail)`.
fn run(py: Python<'_>, decoder: rs::Decoder, data: &[u8]) -> PyResult<(u64, Buffer)> {
    let out = py
        .detach(|| decoder(data))
        .map_err(|e| PyValueError::new_err((e.kind.as_str(), e.offset, e.detail)))?;
    Ok((out.members, Buffer { data: out.data }))
}

/// decompress(data: bytes) -> (members, Buffer): the `rust` tier's pick (libdeflate).
#[pyfunction]
fn decompress(py: Python<'_>, data: &[u8]) -> PyResult<(u64, Buffer)> {
    run(py, rs::decompress, data)
}

/// decompress_flate2(data: bytes) -> (members, Buffer): the runner-up (flate2 over zlib-rs).
#[pyfunction]
fn decompress_flate2(py: Python<'_>, data: &[u8]) -> PyResult<(u64, Buffer)> {
    run(py, rs::decompress_flate2, data)
}

/// decompress_miniz_oxide(data: bytes) -> (members, Buffer): the runner-up on miniz_oxide.
#[pyfunction]
fn decompress_miniz_oxide(py: Python<'_>, data: &[u8]) -> PyResult<(u64, Buffer)> {
    run(py, rs::decompress_miniz_oxide, data)
}

#[pymodule]
fn gluebench_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // The harness refuses to time a module built with debug assertions (a debug build).
    m.add("DEBUG_ASSERTIONS", cfg!(debug_assertions))?;
    m.add_class::<Buffer>()?;
    m.add_function(wrap_pyfunction!(decompress, m)?)?;
    m.add_function(wrap_pyfunction!(decompress_flate2, m)?)?;
    m.add_function(wrap_pyfunction!(decompress_miniz_oxide, m)?)?;
    Ok(())
}
