//! `decompress`: a multi-member gzip file (a Common Crawl `.warc.wet.gz`, one member per
//! record) to its whole decompressed byte stream.
//!
//! The pick is libdeflate: it inflates one *whole* member per call straight into the output
//! buffer, with no streaming state to save and restore, which is what makes it the fastest
//! inflate here. It only ever says "bad data", though, so when it rejects a member we hand that
//! member to the runner-up, a framed streaming decoder (flate2 over zlib-rs plus our own gzip
//! header and trailer checks), whose only job on that path is to name the problem exactly.
//!
//! The bad-input rule (the same in every tier, see the README): a member starts with `1f 8b`;
//! NUL bytes after a complete member are padding; anything else where a member should start is
//! `not-gzip`; the other errors name the offset of the member they happen in.

use flate2::{Decompress, FlushDecompress, Status};
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use std::fmt;

/// The task's output: how many members were decoded and the concatenated stream.
pub struct Decompressed {
    /// `None` for a decoder that hides member boundaries (`naive-read-to-end`).
    pub members: Option<u64>,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Empty,
    NotGzip,
    Truncated,
    Corrupt,
    Checksum,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::NotGzip => "not-gzip",
            ErrorKind::Truncated => "truncated",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::Checksum => "checksum",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GzipError {
    pub kind: ErrorKind,
    /// Byte offset of the member at fault (or of the bytes that are not a member).
    pub offset: u64,
    pub detail: String,
}

impl fmt::Display for GzipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at byte {}: {}",
            self.kind.as_str(),
            self.offset,
            self.detail
        )
    }
}

impl std::error::Error for GzipError {}

pub type Decoder = fn(&[u8]) -> Result<Decompressed, GzipError>;

/// Every Rust implementation of the task, the tier's pick first.
pub const VARIANTS: &[(&str, Decoder)] = &[
    ("libdeflate", decompress),
    ("flate2-zlib-rs", decompress_flate2),
    ("miniz_oxide", decompress_miniz_oxide),
    ("naive-read-to-end", crate::naive::decompress),
];

/// The pick: libdeflate, one whole member per call, straight into the output's spare capacity.
pub fn decompress(input: &[u8]) -> Result<Decompressed, GzipError> {
    let inflater = Libdeflate::new();
    let mut data = output_buffer(input.len());
    let (mut pos, mut members) = (0, 0);
    while let Some(start) = next_member(input, pos, members)? {
        if input.get(start + 3).is_some_and(|flags| flags & 0x02 != 0) {
            header_len(&input[start..]).map_err(|(kind, what)| error(kind, start, what))?;
        }
        loop {
            match inflater.gzip_member(&input[start..], data.spare_capacity_mut()) {
                Ok((consumed, written)) => {
                    // SAFETY: libdeflate initialised `written` bytes of the spare capacity.
                    unsafe { data.set_len(data.len() + written) };
                    pos = start + consumed;
                    break;
                }
                // The member did not fit: grow and decode it again (amortised by doubling).
                // `reserve` counts from the length: ask for the free space plus as much again,
                // or a first member that does not fit would never get more room.
                Err(Inflate::NoSpace) => {
                    let spare = data.capacity() - data.len();
                    data.reserve(spare + data.capacity().max(1 << 16));
                }
                Err(Inflate::BadData) => return Err(explain(input, start)),
            }
        }
        members += 1;
    }
    Ok(Decompressed {
        members: Some(members),
        data,
    })
}

/// Runner-up: streaming raw inflate through flate2 (zlib-rs backend) with our own framing.
pub fn decompress_flate2(input: &[u8]) -> Result<Decompressed, GzipError> {
    framed(input, &mut Decompress::new(false))
}

/// Runner-up: miniz_oxide, flate2's default backend (flate2 takes one backend per build, so
/// this one is driven directly), behind the same framing.
pub fn decompress_miniz_oxide(input: &[u8]) -> Result<Decompressed, GzipError> {
    framed(
        input,
        &mut Miniz {
            state: InflateState::new_boxed(DataFormat::Raw),
            scratch: vec![0; 1 << 16],
        },
    )
}

/// A streaming raw-deflate decoder: what [`framed`] needs from an inflate library.
trait RawInflate {
    fn reset(&mut self);
    /// Inflates from `input` into `out`'s spare capacity; returns (input used, stream ended).
    fn step(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(usize, bool), String>;
}

impl RawInflate for Decompress {
    fn reset(&mut self) {
        Decompress::reset(self, false);
    }

    fn step(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(usize, bool), String> {
        let before = self.total_in();
        let status = self
            .decompress_vec(input, out, FlushDecompress::None)
            .map_err(|e| e.to_string())?;
        Ok((
            (self.total_in() - before) as usize,
            status == Status::StreamEnd,
        ))
    }
}

/// miniz_oxide writes into an initialised slice, so it decodes into a reused 64 KiB scratch
/// buffer that is appended to the output: one extra copy, which flate2 avoids with `unsafe`.
struct Miniz {
    state: Box<InflateState>,
    scratch: Vec<u8>,
}

impl RawInflate for Miniz {
    fn reset(&mut self) {
        self.state.reset(DataFormat::Raw);
    }

    fn step(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(usize, bool), String> {
        let r = inflate(&mut self.state, input, &mut self.scratch, MZFlush::None);
        out.extend_from_slice(&self.scratch[..r.bytes_written]);
        match r.status {
            Ok(MZStatus::StreamEnd) => Ok((r.bytes_consumed, true)),
            // Buf: no progress possible with this input: the caller sees the input is used up.
            Ok(_) | Err(MZError::Buf) => Ok((r.bytes_consumed, false)),
            Err(e) => Err(format!("{e:?}")),
        }
    }
}

/// Every member through a streaming decoder, with our own gzip framing and checks.
fn framed(input: &[u8], inflater: &mut impl RawInflate) -> Result<Decompressed, GzipError> {
    let mut data = output_buffer(input.len());
    let (mut pos, mut members) = (0, 0);
    while let Some(start) = next_member(input, pos, members)? {
        pos = inflate_member(inflater, input, start, &mut data)?;
        members += 1;
    }
    Ok(Decompressed {
        members: Some(members),
        data,
    })
}

/// The output buffer for `compressed` bytes of input. WET text compresses about 2-3:1, so 4x
/// means most files never regrow. On Linux the buffer is also offered transparent huge pages:
/// faulting in fresh 4 KiB pages is about a sixth of the whole decode at 128 MB, and 2 MiB pages
/// take 512 times fewer faults. (Python cannot ask this for the `bytes` its libraries return.)
fn output_buffer(compressed: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(compressed.saturating_mul(4));
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let (start, len) = (data.as_mut_ptr() as usize, data.capacity());
        let aligned = (start + HUGE - 1) & !(HUGE - 1);
        if start + len > aligned + HUGE {
            // SAFETY: advice on whole pages of our own allocation; it never changes contents.
            unsafe {
                libc::madvise(
                    aligned as *mut libc::c_void,
                    start + len - aligned,
                    libc::MADV_HUGEPAGE,
                )
            };
        }
    }
    data
}

/// Where the next member starts, or `None` at the end of the input.
fn next_member(input: &[u8], mut pos: usize, members: u64) -> Result<Option<usize>, GzipError> {
    if input.is_empty() {
        return Err(error(ErrorKind::Empty, 0, "the input is empty"));
    }
    if members > 0 {
        pos += input[pos..].iter().take_while(|&&b| b == 0).count();
        if pos == input.len() {
            return Ok(None);
        }
    }
    if !input[pos..].starts_with(&[0x1f, 0x8b]) {
        let what = if members == 0 {
            "the input is not gzip"
        } else {
            "bytes after a member are not a gzip member"
        };
        return Err(error(ErrorKind::NotGzip, pos, what));
    }
    Ok(Some(pos))
}

/// Decodes the member at `start` onto `out`, checks its trailer, returns where it ends.
fn inflate_member(
    z: &mut impl RawInflate,
    input: &[u8],
    start: usize,
    out: &mut Vec<u8>,
) -> Result<usize, GzipError> {
    let fail = |kind, detail: &str| error(kind, start, detail);
    let mut p = start + header_len(&input[start..]).map_err(|(kind, what)| fail(kind, what))?;
    let out_start = out.len();
    z.reset();
    loop {
        if out.capacity() - out.len() < 1 << 15 {
            out.reserve(out.capacity().max(1 << 16));
        }
        let written = out.len();
        let (used, done) = z
            .step(&input[p..], out)
            .map_err(|e| fail(ErrorKind::Corrupt, &format!("invalid deflate data ({e})")))?;
        p += used;
        if done {
            break;
        }
        // No progress with room to write: the decoder needs input that is not there.
        if used == 0 && out.len() == written {
            return Err(fail(
                ErrorKind::Truncated,
                "the input ends inside the deflate data",
            ));
        }
    }
    let Some(trailer) = input.get(p..p + 8) else {
        return Err(fail(
            ErrorKind::Truncated,
            "the input ends inside the gzip trailer",
        ));
    };
    let le32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let member = &out[out_start..];
    if le32(&trailer[..4]) != crc32fast::hash(member) {
        return Err(fail(ErrorKind::Checksum, "CRC-32 mismatch"));
    }
    if le32(&trailer[4..]) != member.len() as u32 {
        return Err(fail(ErrorKind::Checksum, "ISIZE mismatch"));
    }
    Ok(p + 8)
}

/// Length of the gzip header (RFC 1952) at the start of `m`, which starts with the magic bytes,
/// or what is wrong with it (the differential tests use it to find a member's deflate data).
pub fn header_len(m: &[u8]) -> Result<usize, (ErrorKind, &'static str)> {
    const TRUNCATED: (ErrorKind, &str) = (
        ErrorKind::Truncated,
        "the input ends inside the gzip header",
    );
    let fixed = m.get(..10).ok_or(TRUNCATED)?;
    if fixed[2] != 8 {
        return Err((ErrorKind::Corrupt, "the compression method is not deflate"));
    }
    let flags = fixed[3];
    if flags & 0xe0 != 0 {
        return Err((ErrorKind::Corrupt, "reserved header flags are set"));
    }
    let mut p = 10;
    if flags & 0x04 != 0 {
        let xlen = m.get(p..p + 2).ok_or(TRUNCATED)?;
        p += 2 + u16::from_le_bytes([xlen[0], xlen[1]]) as usize;
    }
    for flag in [0x08, 0x10] {
        // FNAME, FCOMMENT: NUL-terminated strings.
        if flags & flag != 0 {
            let rest = m.get(p..).ok_or(TRUNCATED)?;
            p += rest.iter().position(|&b| b == 0).ok_or(TRUNCATED)? + 1;
        }
    }
    if p > m.len() {
        return Err(TRUNCATED);
    }
    if flags & 0x02 != 0 {
        // FHCRC: the low 16 bits of the header's CRC-32, verified as zlib does (libdeflate
        // skips it, so the pick checks it through here before calling libdeflate).
        let stored = m.get(p..p + 2).ok_or(TRUNCATED)?;
        if crc32fast::hash(&m[..p]) as u16 != u16::from_le_bytes([stored[0], stored[1]]) {
            return Err((
                ErrorKind::Corrupt,
                "the header's CRC-16 (FHCRC) does not match",
            ));
        }
        p += 2;
    }
    Ok(p)
}

/// Names the problem with the member at `start`, which libdeflate rejected.
fn explain(input: &[u8], start: usize) -> GzipError {
    let mut scratch = Vec::new();
    match inflate_member(&mut Decompress::new(false), input, start, &mut scratch) {
        Err(e) => e,
        Ok(_) => error(ErrorKind::Corrupt, start, "libdeflate rejected this member"),
    }
}

fn error(kind: ErrorKind, offset: usize, detail: &str) -> GzipError {
    GzipError {
        kind,
        offset: offset as u64,
        detail: detail.to_string(),
    }
}

/// A minimal safe wrapper over libdeflate's `gzip_decompress_ex`, which the `libdeflater`
/// crate does not expose: it reports how much input a member used, so members can be walked.
struct Libdeflate(*mut libdeflate_sys::libdeflate_decompressor);

enum Inflate {
    NoSpace,
    BadData,
}

impl Libdeflate {
    fn new() -> Self {
        // SAFETY: plain allocation; checked for NULL (out of memory) below.
        let d = unsafe { libdeflate_sys::libdeflate_alloc_decompressor() };
        assert!(!d.is_null(), "libdeflate could not allocate a decompressor");
        Libdeflate(d)
    }

    /// Inflates the first gzip member of `input`; returns (input used, output written).
    fn gzip_member(
        &self,
        input: &[u8],
        out: &mut [std::mem::MaybeUninit<u8>],
    ) -> Result<(usize, usize), Inflate> {
        let (mut used, mut written) = (0usize, 0usize);
        // SAFETY: the pointers and lengths describe live buffers; libdeflate writes at most
        // `out.len()` bytes and never reads past `input.len()`.
        let result = unsafe {
            libdeflate_sys::libdeflate_gzip_decompress_ex(
                self.0,
                input.as_ptr().cast(),
                input.len(),
                out.as_mut_ptr().cast(),
                out.len(),
                &mut used,
                &mut written,
            )
        };
        match result {
            libdeflate_sys::libdeflate_result_LIBDEFLATE_SUCCESS => Ok((used, written)),
            libdeflate_sys::libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE => {
                Err(Inflate::NoSpace)
            }
            _ => Err(Inflate::BadData),
        }
    }
}

impl Drop for Libdeflate {
    fn drop(&mut self) {
        // SAFETY: allocated by libdeflate_alloc_decompressor and freed once.
        unsafe { libdeflate_sys::libdeflate_free_decompressor(self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    /// A first member that inflates beyond the first guess (4x its size) grows the output.
    #[test]
    fn a_first_member_that_does_not_fit_grows_the_output() {
        let text = vec![b'a'; 1 << 20];
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&text).unwrap();
        let member = gz.finish().unwrap();
        assert!(member.len() * 4 < text.len());
        for (name, decoder) in VARIANTS {
            assert_eq!(decoder(&member).unwrap().data, text, "{name}");
        }
    }

    /// FHCRC: a header CRC-16 that matches is accepted, one that does not is `corrupt` at the
    /// member, in every variant (libdeflate skips it: the pick checks it first).
    #[test]
    fn the_header_crc_is_verified() {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(b"hello").unwrap();
        let plain = gz.finish().unwrap();
        let mut header = plain[..10].to_vec();
        header[3] |= 0x02;
        let crc = (crc32fast::hash(&header) as u16).to_le_bytes();
        let good = [&header[..], &crc, &plain[10..]].concat();
        let bad = [&header[..], &[crc[0] ^ 1, crc[1]], &plain[10..]].concat();
        let two = [&plain[..], &bad].concat();
        for (name, decoder) in VARIANTS {
            assert_eq!(decoder(&good).unwrap().data, b"hello", "{name}");
            let e = decoder(&bad).err().expect("a wrong FHCRC is an error");
            assert_eq!((e.kind, e.offset), (ErrorKind::Corrupt, 0), "{name}");
            let e = decoder(&two).err().expect("a wrong FHCRC is an error");
            assert_eq!(
                (e.kind, e.offset),
                (ErrorKind::Corrupt, plain.len() as u64),
                "{name}"
            );
        }
    }
}
