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
//! `params` in `prepare` (tasks with fixtures); 4, `memory_limit` in `hello`, and error kinds
//! `protocol` (a malformed, oversized or unknown request: the worker answers and reads on) and
//! `out-of-memory` (a MemoryError under the worker's memory limit).
//!
//! When a request fails because the worker is gone, the error says how, in kinds a results row
//! records as its status: `worker-timeout` (status `timeout`: no reply within the deadline,
//! the worker is killed; fetch has a `timeout` of its own, at a range),
//! `crashed` (it died, e.g. of SIGSEGV in an extension: the signal and the crash site from
//! Python's faulthandler on its stderr) or `out-of-memory` (a MemoryError, or a death whose last
//! words were a failed allocation). After any of these the worker is retired
//! ([`Worker::is_alive`] is false) and the session starts a fresh one for the next variant.

use crate::task::{Summary, TaskError};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const PROTOCOL: u64 = 4;

/// How many of the worker's last stderr lines are kept, to say why it died.
const STDERR_TAIL: usize = 40;

pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
    /// The worker's last stderr lines (they are also passed on to ours as they come).
    stderr: Arc<Mutex<VecDeque<String>>>,
    /// Set when the worker was killed or died, or ran out of memory: the session replaces it.
    retired: bool,
    pub hello: Value,
}

impl Worker {
    /// Starts the worker with `python` (the venv's interpreter) in the project root.
    pub fn start(python: &Path, root: &Path) -> Result<Worker, String> {
        Worker::start_with(python, root, &[])
    }

    /// [`Worker::start`] with extra environment variables for the worker (e.g. the tests'
    /// `GLUEBENCH_WORKER_MEMORY`).
    pub fn start_with(
        python: &Path,
        root: &Path,
        env: &[(String, String)],
    ) -> Result<Worker, String> {
        let mut child = Command::new(python)
            .args(["-u", "-m", "py_impls.worker"])
            .current_dir(root)
            .env("PYTHONPATH", root)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the Python worker {}: {e}", python.display()))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let err_pipe = child.stderr.take().expect("piped stderr");
        let tail = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut lines = BufReader::new(err_pipe);
            let mut buf = Vec::new();
            while matches!(lines.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
                let line = String::from_utf8_lossy(&buf).trim_end().to_string();
                buf.clear();
                // Passed on as it comes; never a panic if our own stderr is gone.
                let _ = writeln!(std::io::stderr(), "{line}");
                let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
                if tail.len() == STDERR_TAIL {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
        });
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
            stderr,
            retired: false,
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
        if self
            .stdin
            .write_all(line.as_bytes())
            .and_then(|_| self.stdin.flush())
            .is_err()
        {
            return Err(self.died());
        }
        let reply = match self.replies.recv_timeout(timeout) {
            Ok(reply) => reply,
            Err(RecvTimeoutError::Timeout) => {
                self.stop();
                return Err(TaskError::new(
                    "worker-timeout",
                    format!(
                        "no answer within {} s (GLUEBENCH_TIMEOUT); the worker was killed and is \
                         restarted for the next variant (raise GLUEBENCH_TIMEOUT if the tier is \
                         only slow)",
                        timeout.as_secs_f64()
                    ),
                ));
            }
            Err(RecvTimeoutError::Disconnected) => return Err(self.died()),
        };
        let reply: Value = match serde_json::from_str(&reply) {
            Ok(reply) => reply,
            Err(e) => {
                // Out of step with the protocol: nothing it says next can be trusted.
                self.stop();
                return Err(TaskError::new(
                    "internal",
                    format!("bad reply from the worker (it was restarted): {e}: {reply:.200}"),
                ));
            }
        };
        if reply["ok"] == Value::Bool(true) {
            return Ok(reply);
        }
        let err = &reply["error"];
        let kind = err["kind"].as_str().unwrap_or("internal").to_string();
        if kind == "out-of-memory" {
            // What ran out may have left the interpreter short: a fresh worker for what follows.
            self.retired = true;
        }
        Err(TaskError {
            kind,
            offset: err["offset"].as_u64(),
            message: err["message"]
                .as_str()
                .unwrap_or("unknown error")
                .to_string(),
        })
    }

    /// Kills the worker and waits for it, so that it is gone before the next request.
    fn stop(&mut self) {
        self.retired = true;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The error for a worker that has exited under a request: how it died, in its words.
    fn died(&mut self) -> TaskError {
        self.retired = true;
        // Its stdout is closed; give it a moment to finish dying (and its stderr to drain).
        let mut status = None;
        for _ in 0..200 {
            if let Ok(Some(s)) = self.child.try_wait() {
                status = Some(s);
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if status.is_none() {
            self.stop();
        }
        std::thread::sleep(Duration::from_millis(50));
        let tail: Vec<String> = self
            .stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect();
        death(status, &tail)
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// False once the worker has exited, was killed, or is retired after running out of memory.
    pub fn is_alive(&mut self) -> bool {
        !self.retired && matches!(self.child.try_wait(), Ok(None))
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

/// The error for a worker that died with `status` (`None`: unknown), from its last stderr lines.
pub fn death(status: Option<ExitStatus>, stderr: &[String]) -> TaskError {
    let how = match status {
        Some(s) => match s.signal() {
            Some(n) => format!("killed by signal {n} ({})", signal_name(n)),
            None => format!("exited with status {}", s.code().unwrap_or(-1)),
        },
        None => "stopped answering".to_string(),
    };
    // faulthandler's traceback, most recent call first: the crash site is the innermost frame
    // of the tiers' code (under py_impls/, not the worker), else the innermost frame.
    let frames: Vec<&String> = stderr
        .iter()
        .skip_while(|l| !l.contains("most recent call first"))
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.trim_start().starts_with("File "))
        .collect();
    let site = frames
        .iter()
        .find(|l| l.contains("py_impls/") && !l.contains("py_impls/worker.py"))
        .or(frames.first())
        .map(|l| format!(" at {}", l.trim()));
    let oom = stderr.iter().rev().take(10).any(|l| {
        l.contains("MemoryError")
            || l.contains("memory allocation of")
            || l.contains("std::bad_alloc")
            || l.contains("Cannot allocate memory")
    });
    let last = stderr
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| format!("; its last words: {:.300}", l.trim()));
    let restart = "the worker is restarted for the next variant";
    if oom {
        return TaskError::new(
            "out-of-memory",
            format!(
                "the Python worker ran out of memory and died ({how}){}; {restart} (its limit \
                 is GLUEBENCH_WORKER_MEMORY)",
                last.unwrap_or_default()
            ),
        );
    }
    let hint = match status.and_then(|s| s.signal()) {
        Some(9) => {
            " from outside the harness (most often the kernel's out-of-memory killer, see \
             `dmesg`; lower GLUEBENCH_WORKER_MEMORY so that such a tier fails with a \
             MemoryError instead)"
        }
        Some(_) => {
            " (a bug in the tier or in an extension it calls; its Python traceback is on stderr)"
        }
        None => "",
    };
    // The crash site says where; without one, the last line it wrote may say why.
    let detail = site.or(last).unwrap_or_default();
    TaskError::new(
        "crashed",
        format!("the Python worker crashed: {how}{detail}{hint}; {restart}"),
    )
}

fn signal_name(n: i32) -> &'static str {
    match n {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "a signal",
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.stdin.write_all(b"{\"op\":\"quit\"}\n");
        let _ = self.stdin.flush();
        // Give it a moment to exit cleanly, then make sure it is gone.
        for _ in 0..20 {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::death;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn a_death_says_how_and_where() {
        let segv = death(
            Some(ExitStatus::from_raw(11)),
            &lines(
                "Fatal Python error: Segmentation fault\n\nCurrent thread 0x1 (most recent call first):\n  \
                 File \"/usr/lib/python3/ctypes/__init__.py\", line 519 in string_at\n  \
                 File \"/x/py_impls/emoji/pyo3.py\", line 7 in count\n  \
                 File \"/x/py_impls/worker.py\", line 173 in prepare\n",
            ),
        );
        assert_eq!(segv.kind, "crashed");
        assert!(segv.message.contains("signal 11 (SIGSEGV)"), "{segv}");
        assert!(
            segv.message.contains("pyo3.py\", line 7 in count"),
            "{segv}"
        );
        // A Rust extension that cannot allocate aborts: out of memory, not a crash.
        let abort = death(
            Some(ExitStatus::from_raw(6)),
            &lines("memory allocation of 68719476736 bytes failed"),
        );
        assert_eq!(abort.kind, "out-of-memory", "{abort}");
        assert!(abort.message.contains("SIGABRT"), "{abort}");
        let exit = death(Some(ExitStatus::from_raw(3 << 8)), &lines("bye\n"));
        assert_eq!(exit.kind, "crashed");
        assert!(
            exit.message
                .contains("exited with status 3; its last words: bye"),
            "{exit}"
        );
    }
}
