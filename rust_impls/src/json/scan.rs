//! A validating JSON scanner: one pass over a document that checks all of it against RFC 8259
//! and hands the caller each object key, so that only the values the task reads are decoded and
//! nothing else is built (no tree, no serde visitor per field).
//!
//! The input is already UTF-8 (`lines` checks each line), so the scanner checks grammar
//! only: structure, string escapes, no raw control characters in strings, number syntax,
//! literals. Each 64 bytes are classified once, as bits (quotes, and backslashes or control
//! characters; SSE2, part of every x86-64 CPU), so the end of each string in them is a bit
//! count rather than a search. A string with escapes is decoded by serde_json, which is rare on
//! these files. Outside
//! the task's rule, as for the other variants: numbers beyond 64-bit or double range are
//! accepted, lone surrogate escapes are accepted where the value is skipped and rejected where
//! it is read, and nesting 128 levels deep is rejected (serde_json's `Value` limit).

use std::borrow::Cow;

/// Where a document stopped being JSON, and why.
#[derive(Debug)]
pub(crate) struct Invalid {
    pub at: usize,
    pub what: &'static str,
}

pub(crate) type Result<T> = std::result::Result<T, Invalid>;

/// A string's place in the document: the bytes between its quotes, and whether it has escapes.
#[derive(Clone, Copy)]
pub(crate) struct Span {
    start: usize,
    end: usize,
    escaped: bool,
}

/// A cursor over one JSON document (a line).
pub(crate) struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
    /// The 64 bytes from `window` on, classified once for every string that ends in them (a
    /// string's end is then a bit count, not a search): a bit per byte, set in `marks` for
    /// `"`, `\`, a control character or a byte past the end of the text, in `quotes` for `"`.
    window: usize,
    marks: u64,
    quotes: u64,
}

const MAX_DEPTH: u32 = 128;

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Reader {
            text,
            at: 0,
            depth: 0,
            // No window yet: a position no text reaches (a `str` is at most `isize::MAX` long).
            window: usize::MAX / 2 + 1,
            marks: 0,
            quotes: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn fail<T>(&self, what: &'static str) -> Result<T> {
        Err(Invalid { at: self.at, what })
    }

    /// The next byte that is not whitespace (`None` at the end), not consumed.
    #[inline(always)]
    pub(crate) fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes().get(self.at) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    #[inline(always)]
    fn expect(&mut self, want: u8, what: &'static str) -> Result<()> {
        if self.peek() != Some(want) {
            return self.fail(what);
        }
        self.at += 1;
        Ok(())
    }

    /// After the document's value: only whitespace may follow.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => self.fail("trailing characters after the JSON value"),
        }
    }

    /// A string, from its opening quote: its span, checked.
    #[inline(always)]
    pub(crate) fn string(&mut self) -> Result<Span> {
        self.expect(b'"', "expected a string")?;
        let start = self.at;
        let mut escaped = false;
        loop {
            let mut offset = self.at.wrapping_sub(self.window);
            if offset >= 64 {
                (self.window, offset) = (self.at, 0);
                (self.quotes, self.marks) = marks(&self.bytes()[self.at..]);
            }
            let rest = self.marks >> offset;
            if rest == 0 {
                self.at = self.window + 64;
                continue;
            }
            let len = rest.trailing_zeros() as usize;
            self.at += len;
            if self.quotes >> (offset + len) & 1 == 1 {
                break;
            }
            match self.bytes().get(self.at) {
                Some(b'\\') => {
                    escaped = true;
                    self.escape()?;
                }
                Some(_) => return self.fail("control character in a string"),
                None => return self.fail("unterminated string"),
            }
        }
        self.at += 1;
        Ok(Span {
            start,
            end: self.at - 1,
            escaped,
        })
    }

    /// One escape sequence, from its backslash.
    fn escape(&mut self) -> Result<()> {
        let rest = &self.bytes()[self.at + 1..];
        let len = match rest.first() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => 2,
            Some(b'u') if rest.len() >= 5 && rest[1..5].iter().all(u8::is_ascii_hexdigit) => 6,
            _ => return self.fail("invalid escape in a string"),
        };
        self.at += len;
        Ok(())
    }

    /// A string's text, decoded if it has escapes (a lone surrogate is an error then).
    #[inline(always)]
    pub(crate) fn text(&self, span: Span) -> Result<Cow<'a, str>> {
        if !span.escaped {
            // SAFETY: a span lies between two quotes of the text (`string`), and a byte just
            // after or at an ASCII character is a char boundary.
            return Ok(Cow::Borrowed(unsafe {
                self.text.get_unchecked(span.start..span.end)
            }));
        }
        let quoted = &self.text[span.start - 1..span.end + 1];
        serde_json::from_str::<String>(quoted)
            .map(Cow::Owned)
            .map_err(|_| Invalid {
                at: span.start,
                what: "invalid escape in a string",
            })
    }

    /// An object, from its `{`: `each(reader, key)` is called for every key with the reader
    /// at the value, which it must read (or `skip`).
    pub(crate) fn object(
        &mut self,
        mut each: impl FnMut(&mut Self, Span) -> Result<()>,
    ) -> Result<()> {
        self.expect(b'{', "expected an object")?;
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            let key = self.key()?;
            self.peek();
            each(self, key)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => break,
                _ => return self.fail("expected ',' or '}' in an object"),
            }
        }
        self.at += 1;
        self.depth -= 1;
        Ok(())
    }

    /// An array, from its `[`: every element skipped; returns how many there were.
    pub(crate) fn array(&mut self) -> Result<u64> {
        self.expect(b'[', "expected an array")?;
        self.enter()?;
        let mut n = 0;
        if self.peek() == Some(b']') {
            self.at += 1;
            self.depth -= 1;
            return Ok(0);
        }
        loop {
            self.skip()?;
            n += 1;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => break,
                _ => return self.fail("expected ',' or ']' in an array"),
            }
        }
        self.at += 1;
        self.depth -= 1;
        Ok(n)
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return self.fail("nesting 128 levels deep or more");
        }
        Ok(())
    }

    /// Any value, checked and not kept: one loop over its tokens, the open containers a stack of
    /// bits (1 for an object), rather than a call per value.
    pub(crate) fn skip(&mut self) -> Result<()> {
        let (mut stack, mut depth) = (0u128, 0u32);
        loop {
            match self.peek() {
                Some(b'"') => self.string().map(drop)?,
                Some(open @ (b'{' | b'[')) => {
                    self.at += 1;
                    depth += 1;
                    if self.depth + depth >= MAX_DEPTH {
                        return self.fail("nesting 128 levels deep or more");
                    }
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek() != Some(close) {
                        stack = stack << 1 | u128::from(open == b'{');
                        if open == b'{' {
                            self.key()?;
                        }
                        continue;
                    }
                    self.at += 1;
                    depth -= 1;
                }
                Some(b't') => self.literal("true")?,
                Some(b'f') => self.literal("false")?,
                Some(b'n') => self.literal("null")?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(_) => return self.fail("expected a JSON value"),
                None => return self.fail("unexpected end of the document"),
            }
            // After a value: close what ends here, or go on to the next element.
            loop {
                if depth == 0 {
                    return Ok(());
                }
                let object = stack & 1 == 1;
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if object {
                            self.key()?;
                        }
                        break;
                    }
                    Some(b'}') if object => {}
                    Some(b']') if !object => {}
                    _ if object => return self.fail("expected ',' or '}' in an object"),
                    _ => return self.fail("expected ',' or ']' in an array"),
                }
                self.at += 1;
                depth -= 1;
                stack >>= 1;
            }
        }
    }

    /// An object's key and the colon after it.
    #[inline(always)]
    fn key(&mut self) -> Result<Span> {
        let key = self.string()?;
        self.expect(b':', "expected ':' after an object key")?;
        Ok(key)
    }

    /// `null`, consumed, if it is next.
    #[inline(always)]
    pub(crate) fn null(&mut self) -> Result<bool> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal("null")?;
        Ok(true)
    }

    fn literal(&mut self, word: &str) -> Result<()> {
        if !self.bytes()[self.at..].starts_with(word.as_bytes()) {
            return self.fail("invalid literal");
        }
        self.at += word.len();
        Ok(())
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<()> {
        let bytes = self.bytes();
        let digits = |at: usize| {
            bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut at = self.at + usize::from(bytes[self.at] == b'-');
        match (bytes.get(at), digits(at)) {
            (Some(b'0'), _) => at += 1,
            (_, 0) => return self.fail("invalid number"),
            (_, n) => at += n,
        }
        if bytes.get(at) == Some(&b'.') {
            match digits(at + 1) {
                0 => return self.fail("invalid number"),
                n => at += 1 + n,
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1 + usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
            match digits(at) {
                0 => return self.fail("invalid number"),
                n => at += n,
            }
        }
        self.at = at;
        Ok(())
    }
}

/// (quotes, marks) of the first 64 bytes of `s`: a bit per byte, set in `marks` for `"`, `\\`,
/// a control character (below 0x20) or the end of `s`, in `quotes` for `"`.
#[inline]
fn marks(s: &[u8]) -> (u64, u64) {
    // Fewer than 64 bytes left: classify a copy padded with zeros, control characters that mark
    // the end.
    let mut padded = [0u8; 64];
    classify(block(s, &mut padded))
}

/// The first 64 bytes of `s`, or, if it is shorter, `s` copied into `padded` (zeros after it).
#[inline]
pub(crate) fn block<'a>(s: &'a [u8], padded: &'a mut [u8; 64]) -> &'a [u8; 64] {
    match s.first_chunk::<64>() {
        Some(block) => block,
        None => {
            padded[..s.len()].copy_from_slice(s);
            padded
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn classify(block: &[u8; 64]) -> (u64, u64) {
    // SAFETY: SSE2 is part of x86-64, and the loads read the 64 bytes of `block`.
    unsafe {
        use std::arch::x86_64::*;
        let (quote, backslash, control) = (
            _mm_set1_epi8(b'"' as i8),
            _mm_set1_epi8(b'\\' as i8),
            _mm_set1_epi8(0x1f),
        );
        let (mut quotes, mut marks) = (0u64, 0u64);
        for i in 0..4 {
            let x = _mm_loadu_si128(block.as_ptr().add(16 * i).cast());
            let q = _mm_cmpeq_epi8(x, quote);
            let m = _mm_or_si128(
                _mm_or_si128(q, _mm_cmpeq_epi8(x, backslash)),
                // x <= 0x1f, unsigned: the minimum of the two is x itself.
                _mm_cmpeq_epi8(_mm_min_epu8(x, control), x),
            );
            quotes |= u64::from(_mm_movemask_epi8(q) as u16) << (16 * i);
            marks |= u64::from(_mm_movemask_epi8(m) as u16) << (16 * i);
        }
        (quotes, marks)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn classify(block: &[u8; 64]) -> (u64, u64) {
    let (mut quotes, mut marks) = (0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        quotes |= u64::from(b == b'"') << i;
        marks |= u64::from(b == b'"' || b == b'\\' || b < 0x20) << i;
    }
    (quotes, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(text: &str) -> bool {
        let mut r = Reader::new(text);
        r.skip().and_then(|()| r.end()).is_ok()
    }

    #[test]
    fn accepts_exactly_what_serde_json_accepts() {
        let cases = [
            r#"{}"#,
            r#" { "a" : [ 1 , -0.5e+3 , true , false , null , "x" , { } , [ ] ] } "#,
            r#"{"a":"\u00e9\n\"\\\/\b\f\r\t"}"#,
            r#"{"long string that crosses sixteen bytes":"and another one, longer than 16"}"#,
            r#"[0, -0, 1e5, 1E-5, 10.25]"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":-}"#,
            r#"{"a":1e}"#,
            r#"{"a":+1}"#,
            r#"{"a":tru}"#,
            r#"{"a":nulll}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12G4"}"#,
            "{\"a\":\"tab\there\"}",
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            r#"[1,]"#,
            r#"[1 2]"#,
            r#"{"a":1}}"#,
            r#"{"a":"unterminated}"#,
            r#"{"a":NaN}"#,
            "",
            "  ",
        ];
        for text in cases {
            let want = serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
            assert_eq!(valid(text), want, "{text:?}");
        }
        for n in [127, 128, 129] {
            let deep = "[".repeat(n) + &"]".repeat(n);
            // serde_json's `Value` has the recursion limit (skipping has none).
            let want = serde_json::from_str::<serde_json::Value>(&deep).is_ok();
            assert_eq!(valid(&deep), want, "{n} levels");
        }
    }

    #[test]
    fn marks_are_quotes_backslashes_control_characters_and_the_end() {
        for len in [0, 1, 15, 16, 17, 63, 64, 65, 100] {
            let mut s: Vec<u8> = "aé中\x7f".bytes().cycle().take(len).collect();
            for (i, b) in [(3, b'"'), (20, b'\\'), (40, 0x1f), (62, 0)] {
                if i < len {
                    s[i] = b;
                }
            }
            let want_quotes = s.iter().take(64).enumerate().filter(|(_, &b)| b == b'"');
            let want_quotes = want_quotes.fold(0u64, |m, (i, _)| m | 1 << i);
            let special = |&b: &u8| b == b'"' || b == b'\\' || b < 0x20;
            let want = s.iter().take(64).enumerate().filter(|(_, b)| special(b));
            let mut want = want.fold(0u64, |m, (i, _)| m | 1 << i);
            if len < 64 {
                want |= u64::MAX << len; // the padding
            }
            assert_eq!(marks(&s), (want_quotes, want), "{len} bytes");
        }
    }

    #[test]
    fn keys_and_strings_decode_their_escapes() {
        let text = r#"{"u\u0072l":"a\"b","plain":"c"}"#;
        let mut r = Reader::new(text);
        let mut seen = Vec::new();
        r.object(|r, key| {
            let value = r.string()?;
            seen.push((r.text(key)?.into_owned(), r.text(value)?.into_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                ("url".to_string(), "a\"b".to_string()),
                ("plain".to_string(), "c".to_string())
            ]
        );
    }
}
