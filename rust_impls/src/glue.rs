//! `glue/calls`: what a call costs, natively here and across the Python boundary in the pyo3
//! tier, which calls these very functions. One timed call makes [`CALLS`] calls.
//!
//! Each function is `#[inline(never)]` and called through a function pointer that passed
//! through `std::hint::black_box`, with its argument passed through it too, so the compiler can
//! neither inline a call, nor drop one, nor hoist one out of the loop: each is a real call.

use std::fmt;
use std::hint::black_box;

/// Calls per timed call.
pub const CALLS: u64 = 1000;

/// Does nothing: the cost of a call and nothing else.
#[inline(never)]
pub fn noop() {}

/// The length of the bytes it is given (borrowed, not read).
#[inline(never)]
pub fn bytes_len(data: &[u8]) -> usize {
    data.len()
}

/// The length in UTF-8 bytes of the text it is given (borrowed, not read).
#[inline(never)]
pub fn str_len(text: &str) -> usize {
    text.len()
}

/// A call returned another length than its argument's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongLength {
    pub got: usize,
    pub want: usize,
}

impl fmt::Display for WrongLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrong-length: a call returned {}, expected {}",
            self.got, self.want
        )
    }
}

impl std::error::Error for WrongLength {}

/// [`CALLS`] calls on the input; returns how many were made.
pub type Calls = fn(&[u8]) -> Result<u64, WrongLength>;

/// Every Rust variant, the tier's pick first.
pub const VARIANTS: &[(&str, Calls)] = &[("noop", noop_calls), ("bytes-arg", bytes_arg_calls)];

/// `noop`, [`CALLS`] times.
pub fn noop_calls(_data: &[u8]) -> Result<u64, WrongLength> {
    let mut calls = 0;
    for _ in 0..CALLS {
        black_box(noop as fn())();
        calls += 1;
    }
    Ok(calls)
}

/// `bytes_len` on the whole input, [`CALLS`] times, each length checked.
pub fn bytes_arg_calls(data: &[u8]) -> Result<u64, WrongLength> {
    let mut calls = 0;
    for _ in 0..CALLS {
        let got = black_box(bytes_len as fn(&[u8]) -> usize)(black_box(data));
        if got != data.len() {
            return Err(WrongLength {
                got,
                want: data.len(),
            });
        }
        calls += 1;
    }
    Ok(calls)
}
