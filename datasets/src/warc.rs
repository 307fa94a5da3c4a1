//! WARC/1.0 record framing shared by every record type we write.
//!
//! Kept apart from the writers so that WET `conversion`, WARC `request`/`response`/`metadata` and
//! WAT `metadata` records frame records, digests and dates exactly the same way. The layout follows Common Crawl's files
//! (checked against `whirlwind.warc.wet.gz`): `WARC/1.0` CRLF, `Name: value` CRLF lines in CC's
//! order, CRLF, the block, CRLF CRLF; one record per gzip member.

use sha1::{Digest, Sha1};

/// RFC 4648 base32 (upper case, no padding needed for SHA-1's 20 bytes), as in WARC digests.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buf: u64 = 0;
    let mut bits = 0u32;
    for &b in bytes {
        buf = (buf << 8) | b as u64;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    while !out.len().is_multiple_of(8) {
        out.push('=');
    }
    out
}

/// `sha1:BASE32` of `block`, the form of `WARC-Block-Digest` / `WARC-Payload-Digest`.
pub fn sha1_digest(block: &[u8]) -> String {
    format!("sha1:{}", base32(&Sha1::digest(block)))
}

/// `2024-05-18T01:58:10Z` (the `WARC-Date` form, second precision like Common Crawl).
pub fn warc_date(unix: u64) -> String {
    let (y, m, d) = crate::page::civil_from_days((unix / 86_400) as i64);
    let s = unix % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `Fri, 31 May 2024 01:16:46 GMT` (RFC 7231 IMF-fixdate, used in `Extracted-Date`).
pub fn http_date(unix: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix / 86_400;
    let (y, m, d) = crate::page::civil_from_days(days as i64);
    let s = unix % 86_400;
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[m as usize - 1],
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Appends a whole record: `WARC/1.0`, the headers in the given order, a blank line, `block`,
/// and the closing CRLF CRLF.
pub fn write_record(out: &mut Vec<u8>, headers: &[(&str, &str)], block: &[u8]) {
    out.extend_from_slice(b"WARC/1.0\r\n");
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
}

/// A parsed record (see [`parse_record`]).
#[derive(Debug)]
pub struct ParsedRecord<'a> {
    pub version: &'a str,
    pub headers: Vec<(&'a str, &'a str)>,
    pub block: &'a [u8],
    /// Bytes consumed, including the trailing CRLF CRLF.
    pub len: usize,
}

impl ParsedRecord<'_> {
    /// First header named `name` (case-insensitive, as WARC field names are).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// Parses one WARC record at the start of `data`, checking the framing (`Content-Length` and
/// the CRLF CRLF after the block). Errors are one-line descriptions.
pub fn parse_record(data: &[u8]) -> Result<ParsedRecord<'_>, String> {
    let head_end = find(data, b"\r\n\r\n").ok_or("no blank line after the WARC headers")?;
    let head = std::str::from_utf8(&data[..head_end]).map_err(|_| "WARC headers are not UTF-8")?;
    let mut lines = head.split("\r\n");
    let version = lines.next().unwrap_or_default();
    if !version.starts_with("WARC/") {
        return Err(format!("record starts with {version:?}, not WARC/x.y"));
    }
    let mut headers = Vec::new();
    for l in lines {
        let (n, v) = l
            .split_once(": ")
            .ok_or_else(|| format!("malformed header line {l:?}"))?;
        headers.push((n, v));
    }
    let rec = ParsedRecord {
        version,
        headers,
        block: &[],
        len: 0,
    };
    let cl: usize = rec
        .header("Content-Length")
        .ok_or("no Content-Length")?
        .trim()
        .parse()
        .map_err(|_| "Content-Length is not a number")?;
    let start = head_end + 4;
    let end = start + cl;
    if data.len() < end + 4 {
        return Err(format!("block shorter than Content-Length {cl}"));
    }
    if &data[end..end + 4] != b"\r\n\r\n" {
        return Err("block not followed by CRLF CRLF (Content-Length wrong?)".into());
    }
    Ok(ParsedRecord {
        block: &data[start..end],
        len: end + 4,
        ..rec
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_rfc4648_vectors() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY======");
        assert_eq!(base32(b"fo"), "MZXQ====");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI======");
    }

    #[test]
    fn dates() {
        assert_eq!(warc_date(1_715_997_490), "2024-05-18T01:58:10Z");
        assert_eq!(http_date(1_717_118_206), "Fri, 31 May 2024 01:16:46 GMT");
    }

    #[test]
    fn roundtrip() {
        let mut v = Vec::new();
        write_record(
            &mut v,
            &[("WARC-Type", "conversion"), ("Content-Length", "3")],
            b"abc",
        );
        let r = parse_record(&v).unwrap();
        assert_eq!(r.block, b"abc");
        assert_eq!(r.len, v.len());
        assert_eq!(r.header("warc-type"), Some("conversion"));
    }
}
