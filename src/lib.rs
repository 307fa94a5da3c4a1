//! gluebench's harness: the one place that loads inputs, runs and times tiers, and verifies
//! results. Tiers themselves live in `py_impls/` (Python) and `rust_impls/` (Rust).
//!
//! - [`bootstrap`]: the venv, pinned Python packages and the PyO3 module, set up once.
//! - [`worker`]: the protocol to the long-lived Python worker that times Python tiers.
//! - [`task`]: tiers, variants, summaries, errors and the verification gate.
//! - [`tasks`]: one definition per task.
//! - [`session`]: runs a variant once or times it, Rust in-process and Python in the worker.
//! - [`check`]: the `check` command.
//! - [`bench`]: what the criterion benches share.
//! - [`report`]: the `report` command (HTML page, Markdown, verdicts) from the results store.
//! - [`results`]: the typed result row and the results store; [`manifest`]: a run's environment.
//! - [`serve`]: the local HTTP server the `fetch` task runs against (`gluebench serve DIR`).

pub mod bench;
pub mod bootstrap;
pub mod check;
pub mod manifest;
pub mod report;
pub mod results;
pub mod serve;
pub mod session;
pub mod task;
pub mod tasks;
pub mod worker;
