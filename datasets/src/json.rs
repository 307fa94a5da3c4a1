//! Minimal JSON string writing for the generated documents (CDXJ lines, WAT documents, JSON-LD).
//!
//! Documents are written by hand, key by key, because their key order is part of the format
//! (Common Crawl's writers emit keys in insertion order) and because writing them directly is
//! several times faster than building `serde_json::Value` trees.

use std::fmt::Write as _;

/// Appends `s` as a JSON string: `"` and `\` escaped, control characters as `\b \f \n \r \t` or
/// `\u00XX`, everything else (including non-ASCII) as is, like Java's JSON writers.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s);
    out.push('"');
}

/// The inside of [`push_str`]'s string: `s` escaped, without the quotes.
pub fn push_escaped(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => {
                let _ = write!(out, "\\u{:04x}", b);
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Appends `s` as a JSON string with every non-ASCII character escaped (`\uXXXX`, surrogate pairs
/// beyond the BMP), as Python's `json.dumps` writes Common Crawl's CDXJ index.
pub fn push_str_ascii(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{:04x}", u);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `"key":` followed by the string value.
pub fn key_str(out: &mut String, key: &str, value: &str) {
    push_str(out, key);
    out.push(':');
    push_str(out, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde() {
        for s in [
            "plain",
            "q\"b\\s",
            "tab\tnl\ncr\r\u{1}\u{7f}",
            "Zürich 数据 🙂",
            "",
        ] {
            let mut out = String::new();
            push_str(&mut out, s);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
            let mut a = String::new();
            push_str_ascii(&mut a, s);
            assert!(a.is_ascii());
            assert_eq!(serde_json::from_str::<String>(&a).unwrap(), s);
        }
    }
}
