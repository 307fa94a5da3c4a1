//! `json`: the two workloads of the JSON task, as Common Crawl users meet JSON.
//!
//! - `cdxj`: a CDXJ index (`SURT-key SP timestamp SP {json}` per line); select the records a
//!   fetcher would pull (`status == "200"`, `mime == "text/html"`) and extract
//!   `(filename, offset, length)`.
//! - `wat`: WAT metadata documents, one JSON object per line; count the outgoing links and
//!   collect the `Server` headers.
//!
//! The picks, each measured the fastest on its workload: a validating scanner (`scan`) that
//! checks every byte of a line against the JSON grammar in one pass and keeps only the values
//! the task reads (no tree, no serde visitor), the way a hand-tuned Rust parser is written when
//! the generic ones leave speed behind. The runners-up are the idiomatic ways: serde_json into
//! typed structs that borrow their strings (only the fields the task reads are materialised,
//! the rest validated and skipped), the same structs through sonic-rs (SIMD), a sonic-rs or
//! `serde_json::Value` tree per line, walked.
//!
//! The rule for bad input (the same in every tier; see `py_impls/json/__init__.py`): the first
//! bad line is reported, invalid UTF-8 before anything else on that line; a `null` value counts
//! as a missing key.

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use sonic_rs::{JsonContainerTrait, JsonValueTrait};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

mod scan;
use scan::Reader;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidUtf8,
    MissingJson,
    InvalidJson,
    MissingField,
    BadField,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidUtf8 => "invalid-utf8",
            ErrorKind::MissingJson => "missing-json",
            ErrorKind::InvalidJson => "invalid-json",
            ErrorKind::MissingField => "missing-field",
            ErrorKind::BadField => "bad-field",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub kind: ErrorKind,
    /// 1-based number of the first bad line.
    pub line: u64,
    pub detail: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}: {}",
            self.kind.as_str(),
            self.line,
            self.detail
        )
    }
}

impl std::error::Error for JsonError {}

pub(crate) fn error(kind: ErrorKind, line: u64, detail: impl Into<String>) -> JsonError {
    JsonError {
        kind,
        line,
        detail: detail.into(),
    }
}

/// A record a fetcher would pull; its status is always "200".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected<'a> {
    pub filename: Cow<'a, str>,
    pub offset: u64,
    pub length: u64,
}

pub struct Cdxj<'a> {
    pub lines: u64,
    pub records: Vec<Selected<'a>>,
}

pub struct Wat<'a> {
    pub documents: u64,
    pub links: u64,
    pub servers: BTreeSet<Cow<'a, str>>,
}

pub type CdxjParser = for<'a> fn(&'a [u8]) -> Result<Cdxj<'a>, JsonError>;
pub type WatParser = for<'a> fn(&'a [u8]) -> Result<Wat<'a>, JsonError>;

/// Every Rust implementation of each workload, the tier's pick first.
pub const CDXJ_VARIANTS: &[(&str, CdxjParser)] = &[
    ("scanner", cdxj),
    ("serde-typed", cdxj_serde),
    ("sonic-typed", cdxj_sonic),
    ("serde-value", cdxj_value),
    ("naive-from-reader", crate::naive::cdxj),
];
pub const WAT_VARIANTS: &[(&str, WatParser)] = &[
    ("scanner", wat),
    ("sonic-value", wat_sonic_value),
    ("serde-typed", wat_typed),
    ("sonic-typed", wat_sonic),
    ("serde-value", wat_value),
    ("naive-from-reader", crate::naive::wat),
];

// ---------------------------------------------------------------- cdxj

/// The pick: each line's JSON part scanned once; the five fields the rule reads are kept
/// (borrowed unless they have escapes), everything else is checked and skipped.
pub fn cdxj(data: &[u8]) -> Result<Cdxj<'_>, JsonError> {
    let mut out = Cdxj {
        lines: 0,
        records: Vec::new(),
    };
    each_cdxj_line(data, |number, json| {
        out.lines += 1;
        let [status, mime, filename, offset, length, _] = cdxj_record::<false>(json, number)?;
        if status.is("200") && mime.is("text/html") {
            out.records.push(fetch(number, filename, offset, length)?);
        }
        Ok(())
    })?;
    Ok(out)
}

/// A CDXJ line's JSON part, scanned for the rule's five fields (`status`, `mime`, `filename`,
/// `offset`, `length`) and, if `LANGUAGES`, the pipeline's sixth; the last of a repeated key
/// wins, as in a dict.
pub(crate) fn cdxj_record<const LANGUAGES: bool>(
    json: &str,
    number: u64,
) -> Result<[Field<'_>; 6], JsonError> {
    scanned(json, number, |r| {
        let mut fields: [Field; 6] = Default::default();
        r.object(|r, key| {
            let slot = match &*r.text(key)? {
                "status" => 0,
                "mime" => 1,
                "filename" => 2,
                "offset" => 3,
                "length" => 4,
                "languages" if LANGUAGES => 5,
                _ => return r.skip(),
            };
            fields[slot] = match r.peek() {
                Some(b'"') => Field::Str(r.string().and_then(|s| r.text(s))?),
                _ if r.null()? => Field::Missing,
                _ => r.skip().map(|()| Field::Other)?,
            };
            Ok(())
        })?;
        Ok(fields)
    })
}

/// Runner-up: each line's JSON into a struct of five borrowed fields (serde_json); the rest is
/// skipped.
pub fn cdxj_serde(data: &[u8]) -> Result<Cdxj<'_>, JsonError> {
    typed_cdxj::<SerdeJson>(data)
}

/// Runner-up: the same structs through sonic-rs, a SIMD JSON parser with serde support.
pub fn cdxj_sonic(data: &[u8]) -> Result<Cdxj<'_>, JsonError> {
    typed_cdxj::<Sonic>(data)
}

#[derive(Deserialize)]
struct CdxjLine<'a> {
    #[serde(borrow, default)]
    status: Field<'a>,
    #[serde(borrow, default)]
    mime: Field<'a>,
    #[serde(borrow, default)]
    filename: Field<'a>,
    #[serde(borrow, default)]
    offset: Field<'a>,
    #[serde(borrow, default)]
    length: Field<'a>,
}

fn typed_cdxj<P: Parser>(data: &[u8]) -> Result<Cdxj<'_>, JsonError> {
    let mut out = Cdxj {
        lines: 0,
        records: Vec::new(),
    };
    each_cdxj_line(data, |number, json| {
        out.lines += 1;
        let rec: CdxjLine = parse_object::<P, _>(json, number)?;
        if rec.status.is("200") && rec.mime.is("text/html") {
            out.records
                .push(fetch(number, rec.filename, rec.offset, rec.length)?);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Runner-up: each line into a `serde_json::Value` tree (every field materialised).
pub fn cdxj_value(data: &[u8]) -> Result<Cdxj<'_>, JsonError> {
    let mut out = Cdxj {
        lines: 0,
        records: Vec::new(),
    };
    each_cdxj_line(data, |number, json| {
        out.lines += 1;
        let rec = parse_value(json, number)?;
        let field = |key: &str| Field::from_value(rec.get(key));
        if field("status").is("200") && field("mime").is("text/html") {
            let fetched = selected(&rec, number)?;
            out.records.push(Selected {
                filename: Cow::Owned(fetched.filename.into_owned()),
                ..fetched
            });
        }
        Ok(())
    })?;
    Ok(out)
}

/// The selection rule's checks on a selected record parsed into a `Value`.
pub(crate) fn selected(rec: &Value, number: u64) -> Result<Selected<'_>, JsonError> {
    let field = |key: &str| Field::from_value(rec.get(key));
    fetch(number, field("filename"), field("offset"), field("length"))
}

/// The selection rule's checks on a selected record's fields.
#[inline]
pub(crate) fn fetch<'a>(
    number: u64,
    filename: Field<'a>,
    offset: Field<'a>,
    length: Field<'a>,
) -> Result<Selected<'a>, JsonError> {
    let digits_of = |f: &Field| match f {
        Field::Str(s) => digits(s),
        _ => None,
    };
    // The usual record at once; anything else through the checks in their order.
    let filename = match (filename, digits_of(&offset), digits_of(&length)) {
        (Field::Str(filename), Some(offset), Some(length)) => {
            return Ok(Selected {
                filename,
                offset,
                length,
            })
        }
        (filename, ..) => filename,
    };
    for (name, f) in [
        ("filename", &filename),
        ("offset", &offset),
        ("length", &length),
    ] {
        if matches!(f, Field::Missing) {
            return Err(error(
                ErrorKind::MissingField,
                number,
                format!("a selected record has no '{name}'"),
            ));
        }
    }
    let Field::Str(filename) = filename else {
        return Err(error(
            ErrorKind::BadField,
            number,
            "'filename' is not a string",
        ));
    };
    let number_of = |f: Field, name: &str| {
        digits_of(&f).ok_or_else(|| {
            error(
                ErrorKind::BadField,
                number,
                format!("'{name}' is not a string of digits below 2**63"),
            )
        })
    };
    Ok(Selected {
        filename,
        offset: number_of(offset, "offset")?,
        length: number_of(length, "length")?,
    })
}

/// A string of ASCII digits below 2**63 as a number. Past its leading zeros it has at most 19
/// digits, which cannot overflow a u64, so there is one range check at the end.
#[inline]
fn digits(s: &str) -> Option<u64> {
    if (1..=8).contains(&s.len()) {
        return eight_digits(s.as_bytes());
    }
    let zeros = s.bytes().take_while(|&b| b == b'0').count();
    let significant = &s.as_bytes()[zeros..];
    if s.is_empty() || significant.len() > 19 {
        return None;
    }
    let mut n = 0u64;
    for &b in significant {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + u64::from(digit);
    }
    (n < 1 << 63).then_some(n)
}

/// Up to eight ASCII digits as a number, all at once (SWAR: one u64, each byte a digit).
#[inline]
fn eight_digits(s: &[u8]) -> Option<u64> {
    // The bytes into a u64 by two overlapping loads (a copy into a buffer stalls the load that
    // follows it), then moved up, with '0's below: the first digit is the lowest byte.
    let n = s.len();
    let raw = if n >= 4 {
        let four =
            |at: usize| u64::from(u32::from_le_bytes([s[at], s[at + 1], s[at + 2], s[at + 3]]));
        four(0) | four(n - 4) << (8 * (n - 4))
    } else {
        u64::from(s[0])
            | u64::from(s[n / 2]) << (4 * (n & !1))
            | u64::from(s[n - 1]) << (8 * (n - 1))
    };
    let zeros = 0x3030_3030_3030_3030u64
        .checked_shr(8 * n as u32)
        .unwrap_or(0);
    let x = raw << (8 * (8 - n)) | zeros;
    let value = x.wrapping_sub(0x3030_3030_3030_3030);
    // Every byte 0x30..=0x39: a high nibble of 3, and a low one that stays below 16 plus 6.
    let high = x & 0xf0f0_f0f0_f0f0_f0f0;
    let carry = value.wrapping_add(0x0606_0606_0606_0606) & 0xf0f0_f0f0_f0f0_f0f0;
    if high != 0x3030_3030_3030_3030 || carry != 0 {
        return None;
    }
    // Pairs of digits, then fours, then the eight (the first digit is the lowest byte).
    let x = (value * 10 + (value >> 8)) & 0x00ff_00ff_00ff_00ff;
    let x = (x * 100 + (x >> 16)) & 0x0000_ffff_0000_ffff;
    Some((x * 10000 + (x >> 32)) & 0xffff_ffff)
}

/// The JSON part of a CDXJ line: everything after the second space.
pub(crate) fn json_part(line: &str, number: u64) -> Result<&str, JsonError> {
    // memchr: a `splitn(3, ' ')` iterator costs a tenth of the pick's time on CDXJ lines.
    let bytes = line.as_bytes();
    let space = |from: usize| memchr::memchr(b' ', &bytes[from..]).map(|at| from + at + 1);
    // The usual timestamp, 14 digits and a space, is checked in place: a call to memchr for a
    // 15-byte search cost more.
    let timestamp = |from: usize| match bytes.get(from..from + 15) {
        Some([digits @ .., b' ']) if digits.iter().all(u8::is_ascii_digit) => Some(from + 15),
        _ => space(from),
    };
    match space(0).and_then(timestamp).map(|start| &line[start..]) {
        Some(json) if !json.is_empty() => Ok(json),
        _ => Err(error(
            ErrorKind::MissingJson,
            number,
            "no JSON after the key and timestamp",
        )),
    }
}

/// A field as the rule sees it: absent or null, a string, or anything else.
#[derive(Default)]
pub(crate) enum Field<'a> {
    #[default]
    Missing,
    Str(Cow<'a, str>),
    Other,
}

impl<'a> Field<'a> {
    pub(crate) fn is(&self, want: &str) -> bool {
        matches!(self, Field::Str(s) if s == want)
    }

    fn from_value(v: Option<&'a Value>) -> Field<'a> {
        match v {
            None | Some(Value::Null) => Field::Missing,
            Some(Value::String(s)) => Field::Str(Cow::Borrowed(s)),
            Some(_) => Field::Other,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Field<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Field<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Field<'de>, E> {
                Ok(Field::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Field<'de>, E> {
                Ok(Field::Str(Cow::Owned(s.to_owned()))) // it had escapes: not borrowable
            }
            fn visit_unit<E>(self) -> Result<Field<'de>, E> {
                Ok(Field::Missing)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Field<'de>, E> {
                Ok(Field::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Field<'de>, E> {
                Ok(Field::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Field<'de>, E> {
                Ok(Field::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Field<'de>, E> {
                Ok(Field::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Field::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Field::Other)
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------- wat

/// The pick: each document scanned once, following only the path to the links and headers;
/// everything else is checked and skipped. A bad level is reported only once the whole line is
/// known to be JSON (the rule puts invalid JSON first).
pub fn wat(data: &[u8]) -> Result<Wat<'_>, JsonError> {
    let mut out = Wat {
        documents: 0,
        links: 0,
        servers: BTreeSet::new(),
    };
    each_line(data, |number, text| {
        let found = scanned(text, number, |r| wat_path(r, &WAT_PATH))?;
        let (links, server) = found.map_err(|what| {
            let detail = format!("{what} is not of the expected type");
            error(ErrorKind::BadField, number, detail)
        })?;
        out.documents += 1;
        out.links += links;
        out.servers.extend(server);
        Ok(())
    })?;
    Ok(out)
}

const WAT_PATH: [&str; 3] = ["Envelope", "Payload-Metadata", "HTTP-Response-Metadata"];

/// What a document's path holds: (links, the Server header), or the part that has the wrong
/// type.
type Found<'a> = Result<(u64, Option<Cow<'a, str>>), &'static str>;

/// The object at the reader, down `path` to the HTTP metadata. At each level null counts as
/// missing, anything but an object is bad, and the last of a repeated key wins, as in a dict.
fn wat_path<'a>(r: &mut Reader<'a>, path: &[&'static str]) -> scan::Result<Found<'a>> {
    let Some((&name, rest)) = path.split_first() else {
        return wat_http(r);
    };
    let mut found = Ok((0, None));
    r.object(|r, key| {
        if r.text(key)? != name {
            return r.skip();
        }
        found = match r.peek() {
            Some(b'{') => wat_path(r, rest)?,
            _ if r.null()? => Ok((0, None)),
            _ => r.skip().map(|()| Err(name))?,
        };
        Ok(())
    })?;
    Ok(found)
}

/// The HTTP metadata object: its `HTML-Metadata.Links` count and its `Headers`' Server value.
fn wat_http<'a>(r: &mut Reader<'a>) -> scan::Result<Found<'a>> {
    let (mut links, mut server) = (Ok(0), Ok(None));
    r.object(|r, key| {
        match &*r.text(key)? {
            "HTML-Metadata" if r.peek() == Some(b'{') => {
                links = Ok(0);
                r.object(|r, key| {
                    if r.text(key)? != "Links" {
                        return r.skip();
                    }
                    links = match r.peek() {
                        Some(b'[') => Ok(r.array()?),
                        _ if r.null()? => Ok(0),
                        _ => r.skip().map(|()| Err("Links"))?,
                    };
                    Ok(())
                })?;
            }
            "Headers" if r.peek() == Some(b'{') => {
                let mut first = true;
                server = Ok(None);
                r.object(|r, key| {
                    if !(first && r.text(key)?.eq_ignore_ascii_case("server")) {
                        return r.skip();
                    }
                    first = false;
                    server = match r.peek() {
                        Some(b'"') => Ok(Some(r.string().and_then(|s| r.text(s))?)),
                        _ if r.null()? => Ok(None),
                        _ => r.skip().map(|()| Err("the Server header"))?,
                    };
                    Ok(())
                })?;
            }
            name @ ("HTML-Metadata" | "Headers") => {
                let missing = r.null()?;
                if !missing {
                    r.skip()?;
                }
                let bad = if name == "Headers" {
                    "Headers"
                } else {
                    "HTML-Metadata"
                };
                let result = if missing { Ok(()) } else { Err(bad) };
                if name == "Headers" {
                    server = result.map(|()| None);
                } else {
                    links = result.map(|()| 0);
                }
            }
            _ => r.skip()?,
        }
        Ok(())
    })?;
    Ok(links.and_then(|links| server.map(|server| (links, server))))
}

/// Scans one line's JSON, which must be an object, with `read`; anything that is not JSON is
/// `invalid-json`, with the column where it stopped being JSON.
#[inline]
fn scanned<'a, T>(
    text: &'a str,
    number: u64,
    read: impl FnOnce(&mut Reader<'a>) -> scan::Result<T>,
) -> Result<T, JsonError> {
    let mut r = Reader::new(text);
    let read = match r.peek() {
        Some(b'{') => read(&mut r),
        _ => r.skip().and_then(|()| r.end()).and_then(|()| {
            Err(scan::Invalid {
                at: 0,
                what: "not a JSON object",
            })
        }),
    };
    read.and_then(|v| r.end().map(|()| v)).map_err(|e| {
        let detail = format!("{} at column {}", e.what, e.at + 1);
        error(ErrorKind::InvalidJson, number, detail)
    })
}

/// Runner-up: each document into a sonic-rs `Value` (a SIMD parser's tree), then walked. On
/// WAT, where the path the aggregate reads is a small part of a large document, building the
/// whole tree with SIMD is faster than serde_json's skipping of what the typed structs do not
/// name.
pub fn wat_sonic_value(data: &[u8]) -> Result<Wat<'_>, JsonError> {
    walk_trees(data, |text, number| {
        match sonic_rs::from_str::<sonic_rs::Value>(text) {
            Ok(doc) if JsonValueTrait::is_object(&doc) => Ok(doc),
            Ok(_) => Err(error(ErrorKind::InvalidJson, number, "not a JSON object")),
            Err(e) => Err(error(ErrorKind::InvalidJson, number, e.to_string())),
        }
    })
}

/// Runner-up: only the path to the links and headers is typed (serde_json); the rest is
/// validated and skipped.
pub fn wat_typed(data: &[u8]) -> Result<Wat<'_>, JsonError> {
    typed_wat::<SerdeJson>(data)
}

/// Runner-up: the same structs through sonic-rs.
pub fn wat_sonic(data: &[u8]) -> Result<Wat<'_>, JsonError> {
    typed_wat::<Sonic>(data)
}

#[derive(Deserialize)]
struct WatDoc<'a> {
    #[serde(rename = "Envelope", borrow, default)]
    envelope: Option<Object<Envelope<'a>>>,
}
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Payload-Metadata", borrow, default)]
    payload: Option<Object<Payload<'a>>>,
}
#[derive(Deserialize)]
struct Payload<'a> {
    #[serde(rename = "HTTP-Response-Metadata", borrow, default)]
    http: Option<Object<Http<'a>>>,
}
#[derive(Deserialize)]
struct Http<'a> {
    #[serde(rename = "Headers", borrow, default)]
    headers: Option<ServerHeader<'a>>,
    #[serde(rename = "HTML-Metadata", default)]
    html: Option<Object<Html>>,
}
#[derive(Deserialize)]
struct Html {
    #[serde(rename = "Links", default)]
    links: Option<Count>,
}

/// A level of the WAT path, which must be a JSON object: a derived struct alone also accepts
/// an array (its fields by position), so `"Envelope": []` would pass where the rule says
/// `bad-field` (found by `tests/differential.rs`).
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Object)
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

fn typed_wat<P: Parser>(data: &[u8]) -> Result<Wat<'_>, JsonError> {
    let mut out = Wat {
        documents: 0,
        links: 0,
        servers: BTreeSet::new(),
    };
    each_line(data, |number, text| {
        let doc: WatDoc = parse_object::<P, _>(text, number)?;
        out.documents += 1;
        let envelope = doc.envelope.map(|e| e.0);
        if let Some(Object(http)) = envelope.and_then(|e| e.payload).and_then(|p| p.0.http) {
            out.links += http.html.and_then(|h| h.0.links).map_or(0, |c| c.0);
            if let Some(ServerHeader(Some(server))) = http.headers {
                out.servers.insert(server);
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// Runner-up: each document into a `serde_json::Value` tree, then walked.
pub fn wat_value(data: &[u8]) -> Result<Wat<'_>, JsonError> {
    walk_trees(data, parse_value)
}

/// The WAT aggregate over documents parsed into trees by `parse`, each walked by `wat_counts`.
fn walk_trees<T: Tree>(
    data: &[u8],
    parse: impl Fn(&str, u64) -> Result<T, JsonError>,
) -> Result<Wat<'_>, JsonError> {
    let mut out = Wat {
        documents: 0,
        links: 0,
        servers: BTreeSet::new(),
    };
    each_line(data, |number, text| {
        let doc = parse(text, number)?;
        out.documents += 1;
        let (links, server) = wat_counts(&doc, number)?;
        out.links += links;
        if let Some(server) = server {
            out.servers.insert(Cow::Owned(server.to_string()));
        }
        Ok(())
    })?;
    Ok(out)
}

/// The WAT aggregate of one parsed document: (links, the Server header).
pub(crate) fn wat_counts<T: Tree>(doc: &T, number: u64) -> Result<(u64, Option<&str>), JsonError> {
    let bad = |what: &str| {
        error(
            ErrorKind::BadField,
            number,
            format!("{what} is not of the expected type"),
        )
    };
    // Each level: absent or null ends the walk, anything but an object is bad.
    let object = |node: Option<&T>, key: &str| match node {
        Some(v) if v.is_null() => Ok(false),
        Some(v) if v.is_object() => Ok(true),
        Some(_) => Err(bad(key)),
        None => Ok(false),
    };
    let mut http = doc;
    for key in ["Envelope", "Payload-Metadata", "HTTP-Response-Metadata"] {
        match http.field(key) {
            Some(v) if object(Some(v), key)? => http = v,
            _ => return Ok((0, None)),
        }
    }
    let mut links = 0;
    let html = http.field("HTML-Metadata");
    if object(html, "HTML-Metadata")? {
        match html.and_then(|h| h.field("Links")) {
            Some(v) if !v.is_null() => {
                links = v.array_len().ok_or_else(|| bad("Links"))? as u64;
            }
            _ => {}
        }
    }
    let mut server = None;
    let headers = http.field("Headers");
    if object(headers, "Headers")? {
        match headers.and_then(|h| h.first_field(|k| k.eq_ignore_ascii_case("server"))) {
            Some(v) if !v.is_null() => {
                server = Some(v.as_str().ok_or_else(|| bad("the Server header"))?);
            }
            _ => {}
        }
    }
    Ok((links, server))
}

/// What the WAT walk asks of a parsed JSON tree; serde_json's `Value` and sonic-rs's have it.
pub(crate) trait Tree: Sized {
    fn is_null(&self) -> bool;
    fn is_object(&self) -> bool;
    fn as_str(&self) -> Option<&str>;
    fn array_len(&self) -> Option<usize>;
    /// The value of `key` in an object (`None` for anything else).
    fn field(&self, key: &str) -> Option<&Self>;
    /// The value of the first key, in document order, that `matches`.
    fn first_field(&self, matches: impl Fn(&str) -> bool) -> Option<&Self>;
}

impl Tree for Value {
    fn is_null(&self) -> bool {
        self.is_null()
    }
    fn is_object(&self) -> bool {
        self.is_object()
    }
    fn as_str(&self) -> Option<&str> {
        self.as_str()
    }
    fn array_len(&self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }
    fn field(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }
    fn first_field(&self, matches: impl Fn(&str) -> bool) -> Option<&Self> {
        let object = self.as_object()?;
        object.iter().find(|(k, _)| matches(k)).map(|(_, v)| v)
    }
}

impl Tree for sonic_rs::Value {
    fn is_null(&self) -> bool {
        JsonValueTrait::is_null(self)
    }
    fn is_object(&self) -> bool {
        JsonValueTrait::is_object(self)
    }
    fn as_str(&self) -> Option<&str> {
        JsonValueTrait::as_str(self)
    }
    fn array_len(&self) -> Option<usize> {
        self.as_array().map(|a| a.len())
    }
    fn field(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(&key)
    }
    fn first_field(&self, matches: impl Fn(&str) -> bool) -> Option<&Self> {
        let object = self.as_object()?;
        object.iter().find(|(k, _)| matches(k)).map(|(_, v)| v)
    }
}

/// The number of elements of a JSON array, counted without materialising them.
struct Count(u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        d.deserialize_seq(V)
    }
}

/// The value of the first header named `server` in any case (HTTP/2 sends it lowercase).
struct ServerHeader<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for ServerHeader<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ServerHeader<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of headers")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ServerHeader<'de>, A::Error> {
                let mut server = None;
                let mut found = false;
                while let Some(name) = map.next_key::<Cow<'de, str>>()? {
                    if !found && name.eq_ignore_ascii_case("server") {
                        found = true;
                        server = map.next_value::<Option<Cow<'de, str>>>()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(ServerHeader(server))
            }
        }
        d.deserialize_map(V)
    }
}

/// Every line's JSON object as a `Value` (for the pyo3 tier's dict variants), up to the first
/// line that is not UTF-8 or not a JSON object (`cdxj`: its JSON part), which is returned too.
pub fn objects(data: &[u8], cdxj: bool) -> (Vec<(u64, Value)>, Option<JsonError>) {
    let mut out = Vec::new();
    let mut each = |number, text| {
        out.push((number, parse_value(text, number)?));
        Ok(())
    };
    let failed = match cdxj {
        true => each_cdxj_line(data, each),
        false => each_line(data, &mut each),
    };
    (out, failed.err())
}

// ---------------------------------------------------------------- lines and parsing

/// Calls `each(number, text)` for each non-empty line in order (1-based number, one trailing
/// `\r` stripped) until it fails; a line that is not UTF-8 is an error at its number, reached
/// only after the lines before it. A loop that takes a closure: as an iterator of `Result`s,
/// the cdxj pick spent a twentieth of its time in the adapters.
pub(crate) fn each_line<'a>(
    data: &'a [u8],
    mut each: impl FnMut(u64, &'a str) -> Result<(), JsonError>,
) -> Result<(), JsonError> {
    for (number, line) in numbered_lines(data) {
        match checked_line(line, number)? {
            "" => {}
            text => each(number, text)?,
        }
    }
    Ok(())
}

/// Every line of `data` with its 1-based number, `\n` not included (after a final `\n`, an
/// empty last line).
fn numbered_lines(data: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    // memchr finds line ends many bytes at a time; `slice::split` would test byte by byte.
    let ends = memchr::memchr_iter(b'\n', data).chain(std::iter::once(data.len()));
    let mut start = 0;
    ends.enumerate().map(move |(i, end)| {
        let line = &data[start..end];
        start = end + 1;
        (i as u64 + 1, line)
    })
}

/// A line as text, one trailing `\r` off; an error at its number if it is not UTF-8.
#[inline]
fn checked_line(line: &[u8], number: u64) -> Result<&str, JsonError> {
    // Each line is checked while it is in the cache, by simdutf8: several times std's speed on
    // web text, whose non-ASCII bytes send std's check to its byte-at-a-time path.
    let text = simdutf8::basic::from_utf8(line).map_err(|_| {
        let e = std::str::from_utf8(line).unwrap_err();
        error(ErrorKind::InvalidUtf8, number, e.to_string())
    })?;
    // One trailing `\r` off, as a byte: `strip_suffix('\r')` decodes the last character.
    Ok(match text.as_bytes().last() {
        Some(b'\r') => &text[..text.len() - 1],
        _ => text,
    })
}

/// [`each_line`] for a CDXJ index: calls `each(number, json)` with each line's JSON part (after
/// its second space, [`json_part`]). The usual line is read in one pass over its key and
/// timestamp, 64 bytes at a time, for both spaces and any non-ASCII byte: when all before the
/// second space is ASCII, only the JSON part is left to check for UTF-8. Any other line takes
/// [`each_line`]'s way (the whole line checked, then split), so its errors, and their order,
/// are the same.
pub(crate) fn each_cdxj_line<'a>(
    data: &'a [u8],
    mut each: impl FnMut(u64, &'a str) -> Result<(), JsonError>,
) -> Result<(), JsonError> {
    for (number, line) in numbered_lines(data) {
        let fast = ascii_prefix(line).and_then(|at| {
            let json = match line.last() {
                Some(b'\r') => &line[at..line.len() - 1],
                _ => &line[at..],
            };
            simdutf8::basic::from_utf8(json)
                .ok()
                .filter(|json| !json.is_empty())
        });
        let json = match fast {
            Some(json) => json,
            None => match checked_line(line, number)? {
                "" => continue,
                text => json_part(text, number)?,
            },
        };
        each(number, json)?;
    }
    Ok(())
}

/// Where a CDXJ line's JSON part starts (just after its second space), if every byte before
/// it is ASCII (so UTF-8 already); `None` if not, or if the line has fewer than two spaces.
#[inline]
fn ascii_prefix(line: &[u8]) -> Option<usize> {
    let mut first = true;
    let mut base = 0;
    while base < line.len() {
        let (mut spaces, high) = spaces_and_high(&line[base..]);
        if first && spaces != 0 {
            spaces &= spaces - 1;
            first = false;
        }
        if !first && spaces != 0 {
            let at = spaces.trailing_zeros();
            let before = (1u64 << at) - 1;
            return (high & before == 0).then_some(base + at as usize + 1);
        }
        if high != 0 {
            return None;
        }
        base += 64;
    }
    None
}

/// (spaces, non-ASCII) of the first 64 bytes of `s`: a bit per byte (zeros past its end).
#[inline]
fn spaces_and_high(s: &[u8]) -> (u64, u64) {
    let mut padded = [0u8; 64];
    let block = scan::block(s, &mut padded);
    let (mut spaces, mut high) = (0u64, 0u64);
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64, and the loads read the 64 bytes of `block`.
    unsafe {
        use std::arch::x86_64::*;
        let space = _mm_set1_epi8(b' ' as i8);
        for i in 0..4 {
            let x = _mm_loadu_si128(block.as_ptr().add(16 * i).cast());
            spaces |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(x, space)) as u16) << (16 * i);
            high |= u64::from(_mm_movemask_epi8(x) as u16) << (16 * i);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    for (i, &b) in block.iter().enumerate() {
        spaces |= u64::from(b == b' ') << i;
        high |= u64::from(b >= 0x80) << i;
    }
    (spaces, high)
}

/// A JSON library that deserialises serde types: what the typed variants are generic over.
pub(crate) trait Parser {
    /// Err(true) for invalid JSON, Err(false) for valid JSON of the wrong shape.
    fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, (bool, String)>;
}

pub(crate) struct SerdeJson;
struct Sonic;

impl Parser for SerdeJson {
    fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, (bool, String)> {
        serde_json::from_str(text).map_err(|e| (!e.is_data(), e.to_string()))
    }
}

impl Parser for Sonic {
    fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, (bool, String)> {
        let parsed =
            sonic_rs::from_str(text).map_err(|e| (e.is_syntax() || e.is_eof(), e.to_string()))?;
        // sonic-rs 0.5 does not check the four hex digits of a `\u` escape in a value that it
        // skips (`{"a": "\u00G9"}` parses): the rule says invalid JSON (found by fuzz/).
        match bad_unicode_escape(text) {
            Some(at) => Err((true, format!("invalid \\u escape at byte {at}"))),
            None => Ok(parsed),
        }
    }
}

/// Where the first `\u` escape not followed by four hex digits is in `text`, which is JSON as
/// far as the parser saw (so every backslash starts an escape inside a string).
fn bad_unicode_escape(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = bytes.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = i + at;
        i = at + 2;
        if bytes.get(at + 1) == Some(&b'u') {
            let hex = bytes.get(at + 2..at + 6);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return Some(at);
            }
            i = at + 6;
        }
    }
    None
}

/// Parses one JSON object into a typed `T`. A type mismatch is `bad-field` only if the text is
/// valid JSON: the rule puts invalid JSON first, and a parser stops at whichever comes first.
pub(crate) fn parse_object<'a, P: Parser, T: Deserialize<'a>>(
    text: &'a str,
    number: u64,
) -> Result<T, JsonError> {
    let is_json = |text: &str| serde_json::from_str::<IgnoredAny>(text).map_err(|e| e.to_string());
    // Derived structs also accept JSON arrays (fields by position): the rule wants an object.
    if !text
        .trim_start_matches([' ', '\t', '\r', '\n'])
        .starts_with('{')
    {
        let detail = is_json(text)
            .err()
            .unwrap_or_else(|| "not a JSON object".into());
        return Err(error(ErrorKind::InvalidJson, number, detail));
    }
    P::parse(text).map_err(|(syntax, detail)| {
        let invalid = syntax || detail.contains("duplicate field") || is_json(text).is_err();
        error(
            if invalid {
                ErrorKind::InvalidJson
            } else {
                ErrorKind::BadField
            },
            number,
            detail,
        )
    })
}

pub(crate) fn parse_value(text: &str, number: u64) -> Result<Value, JsonError> {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(error(ErrorKind::InvalidJson, number, "not a JSON object")),
        Err(e) => Err(error(ErrorKind::InvalidJson, number, e.to_string())),
    }
}

/// Plain loops over a CDXJ index, without the task's rule, one per library the Rust variants use: every line, the JSON after the key
/// and timestamp, `url`, `offset` and `length` read typed, the two numbers parsed; no
/// selection, no error positions (a line that does not parse is skipped). Timed as `baseline`
/// rows of json/cdxj on the same buffer as the tiers, they show what the rule costs over the
/// parse itself. Each returns a checksum so that nothing is optimised away.
pub mod plain {
    use serde::Deserialize;
    use std::borrow::Cow;

    #[derive(Deserialize)]
    struct Line<'a> {
        #[serde(borrow)]
        url: Cow<'a, str>,
        #[serde(borrow)]
        offset: Cow<'a, str>,
        #[serde(borrow)]
        length: Cow<'a, str>,
    }

    /// Each line's JSON part as text: memchr for the line ends and for the `{`, then a UTF-8
    /// check by simdutf8 (the tiers split and check lines the same way), so that the parser
    /// reads `str`: serde_json's `from_slice` validates every string it reads again, a fifth of
    /// the loop's time.
    fn json_parts(data: &[u8]) -> impl Iterator<Item = &str> {
        let mut start = 0;
        memchr::memchr_iter(b'\n', data)
            .chain(std::iter::once(data.len()))
            .filter_map(move |end| {
                let line = &data[start..end];
                start = end + 1;
                let at = memchr::memchr(b'{', line)?;
                simdutf8::basic::from_utf8(&line[at..]).ok()
            })
    }

    fn checksum(line: &Line) -> u64 {
        line.url.len() as u64
            + line.offset.parse::<u64>().unwrap_or(0)
            + line.length.parse::<u64>().unwrap_or(0)
    }

    /// serde_json into the typed struct.
    pub fn serde_typed(data: &[u8]) -> u64 {
        json_parts(data)
            .filter_map(|text| serde_json::from_str::<Line>(text).ok())
            .map(|line| checksum(&line))
            .sum()
    }

    /// sonic-rs into the same struct.
    pub fn sonic_typed(data: &[u8]) -> u64 {
        json_parts(data)
            .filter_map(|text| sonic_rs::from_str::<Line>(text).ok())
            .map(|line| checksum(&line))
            .sum()
    }

    /// The pick's scanner (`scan`), reading the same three fields.
    pub fn scanner(data: &[u8]) -> u64 {
        json_parts(data)
            .filter_map(|text| {
                let mut r = super::scan::Reader::new(text);
                let mut fields: [Option<Cow<str>>; 3] = Default::default();
                let read = r.object(|r, key| {
                    let slot = match &*r.text(key)? {
                        "url" => 0,
                        "offset" => 1,
                        "length" => 2,
                        _ => return r.skip(),
                    };
                    fields[slot] = Some(r.string().and_then(|s| r.text(s))?);
                    Ok(())
                });
                read.and_then(|()| r.end()).ok()?;
                let [Some(url), Some(offset), Some(length)] = fields else {
                    return None;
                };
                Some(checksum(&Line {
                    url,
                    offset,
                    length,
                }))
            })
            .sum()
    }

    /// A `serde_json::Value` per line.
    pub fn serde_value(data: &[u8]) -> u64 {
        json_parts(data)
            .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
            .map(|v| {
                let field = |k: &str| v[k].as_str();
                let number = |k: &str| field(k).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
                field("url").map_or(0, |u| u.len() as u64) + number("offset") + number("length")
            })
            .sum()
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn the_three_loops_agree_and_skip_what_does_not_parse() {
            let data = b"com,example)/ 20240101 {\"url\": \"http://example.com/\", \"offset\": \"10\", \"length\": \"5\", \"status\": \"404\"}\n\
                         bad line\n\
                         com,example)/a 20240101 {\"url\": \"http://example.com/\\u00e9\", \"offset\": \"100\", \"length\": \"7\"}\n\
                         com,x)/ 1 {\"url\": 1}\n";
            let want = 19 + 10 + 5 + 21 + 100 + 7;
            assert_eq!(super::serde_typed(data), want);
            assert_eq!(super::sonic_typed(data), want);
            assert_eq!(super::serde_value(data), want);
            assert_eq!(super::scanner(data), want);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_ascii_digits_below_2_63() {
        let max = (1u64 << 63) - 1;
        for (s, want) in [
            ("0", Some(0)),
            ("007", Some(7)),
            ("9223372036854775807", Some(max)),
            ("09223372036854775807", Some(max)),
            ("9223372036854775808", None),
            ("0000000000000000000000005", Some(5)),
            ("18446744073709551616", None),
            ("99999999999999999999", None),
            ("", None),
            ("1a", None),
            ("-1", None),
            ("+1", None),
            (" 1", None),
            ("١", None),
            ("12345678", Some(12345678)),
            ("1234567", Some(1234567)),
            ("00000001", Some(1)),
            ("1234567/", None),
            ("1234567:", None),
            ("/1234567", None),
            ("12 45678", None),
            ("1", Some(1)),
            ("12", Some(12)),
            ("123", Some(123)),
            ("1234", Some(1234)),
            ("12345", Some(12345)),
            ("123456", Some(123456)),
            ("12a", None),
            ("a12", None),
            ("1a2", None),
        ] {
            assert_eq!(super::digits(s), want, "{s:?}");
        }
    }
}
