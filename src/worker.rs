//! The client side of the Python worker protocol (the server is `py_impls/worker.py`).
//!
//! Python tiers run in one long-lived `python -m py_impls.worker` process from the project's
//! venv. The protocol is one JSON object per line each way, versioned by `PROTOCOL`:
//!
//! | request                                                   | reply (`ok: true`)                  |
//! |-----------------------------------------------------------|-------------------------------------|
//! | `{"op":"hello"}`                                          | `protocol`, `python`, `libraries`, `pyo3_debug` |
//! | `{"op":"variants","task":T}`                              | `variants: [{tier, variant, small, known_mismatch}]` |
//! | `{"op":"prepare","task":T,"tier":…,"variant":…,"input":PATH,"params":{…}}` | `seconds`, `summary` (one verified-by-the-caller run) |
//! | `{"op":"time","iters":N}`                                 | `ns`: the sum of N timed calls       |
//! | `{"op":"quit"}`                                           | (exits)                              |
//!
//! A failed request answers `{"ok": false, "error": {"kind", "offset", "message"}}`. The worker
//! times each call with `time.perf_counter_ns()` around the call only, and checks that every
//! call's summary equals the prepared one, so every sample is verified. A variant whose task
//! declares an `input` option gets a fresh argument for every call, made outside the timing.
//!
//! `params` (a JSON object, often empty) is what a task's fixture hands every tier, e.g. the
//! URL of the server it started; the task's `load(path, params)` receives it.
//!
//! Versions: 1, the first; 2, `known_mismatch` in `variants` and per-call fresh inputs; 3,
//! `params` in `prepare` (tasks with fixtures).

use crate::task::{Summary, TaskError};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

pub const PROTOCOL: u64 = 3;

pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
    pub hello: Value,
}

impl Worker {
    /// Starts the worker with `python` (the venv's interpreter) in the project root.
    pub fn start(python: &Path, root: &Path) -> Result<Worker, String> {
        let mut child = Command::new(python)
            .args(["-u", "-m", "py_impls.worker"])
            .current_dir(root)
            .env("PYTHONPATH", root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the Python worker {}: {e}", python.display()))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        // A reader thread lets every request have a deadline: a stalled tier cannot hang us.
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut worker = Worker {
            child,
            stdin,
            replies,
            hello: Value::Null,
        };
        let hello = worker
            .request(json!({"op": "hello"}), Duration::from_secs(60))
            .map_err(|e| format!("the Python worker did not start: {e}"))?;
        if hello["protocol"].as_u64() != Some(PROTOCOL) {
            return Err(format!(
                "the Python worker speaks protocol {}, the harness {PROTOCOL}: rebuild with `cargo build`",
                hello["protocol"]
            ));
        }
        worker.hello = hello;
        Ok(worker)
    }

    /// Sends one request and waits at most `timeout` for its reply.
    pub fn request(&mut self, req: Value, timeout: Duration) -> Result<Value, TaskError> {
        let mut line = req.to_string();
        line.push('\n');
        if let Err(e) = self
            .stdin
            .write_all(line.as_bytes())
            .and_then(|_| self.stdin.flush())
        {
            return Err(TaskError::new(
                "internal",
                format!("the Python worker has exited ({e})"),
            ));
        }
        let reply = match self.replies.recv_timeout(timeout) {
            Ok(reply) => reply,
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                return Err(TaskError::new(
                    "timeout",
                    format!(
                        "no answer from the Python worker within {} s; it was stopped",
                        timeout.as_secs()
                    ),
                ));
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
                return Err(TaskError::new(
                    "internal",
                    format!("the Python worker died ({status})"),
                ));
            }
        };
        let reply: Value = serde_json::from_str(&reply).map_err(|e| {
            TaskError::new(
                "internal",
                format!("bad reply from the worker: {e}: {reply}"),
            )
        })?;
        if reply["ok"] == Value::Bool(true) {
            return Ok(reply);
        }
        let err = &reply["error"];
        Err(TaskError {
            kind: err["kind"].as_str().unwrap_or("internal").to_string(),
            offset: err["offset"].as_u64(),
            message: err["message"]
                .as_str()
                .unwrap_or("unknown error")
                .to_string(),
        })
    }

    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Loads a variant and its input, runs it once; returns (seconds, summary).
    pub fn prepare(
        &mut self,
        task: &str,
        tier: &str,
        variant: &str,
        input: &Path,
        params: &Summary,
        timeout: Duration,
    ) -> Result<(f64, Summary), TaskError> {
        let req = json!({"op": "prepare", "task": task, "tier": tier, "variant": variant, "input": input, "params": params});
        let reply = self.request(req, timeout)?;
        let summary = reply["summary"].as_object().cloned().unwrap_or_default();
        Ok((reply["seconds"].as_f64().unwrap_or(f64::NAN), summary))
    }

    /// Times `iters` calls of the prepared variant; returns the summed nanoseconds.
    pub fn time(&mut self, iters: u64, timeout: Duration) -> Result<Duration, TaskError> {
        let reply = self.request(json!({"op": "time", "iters": iters}), timeout)?;
        Ok(Duration::from_nanos(reply["ns"].as_u64().unwrap_or(0)))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.stdin.write_all(b"{\"op\":\"quit\"}\n");
        let _ = self.stdin.flush();
        // Give it a moment to exit cleanly, then make sure it is gone.
        for _ in 0..20 {
            if !self.is_alive() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
