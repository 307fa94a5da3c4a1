//! gluebench's Rust tier: one module per task.
//!
//! Each task module exposes the tier's pick as a plain function over bytes, its runners-up,
//! and a `VARIANTS` table (the pick first) that the harness and the PyO3 bindings both use, so
//! the `rust` and `pyo3` tiers run exactly the same code and differ only by the glue.

pub mod decompress;
pub mod emoji;
pub mod fetch;
pub mod glue;
pub mod json;
pub mod naive;
pub mod pipeline;
