//! The page: the one source every output format is derived from.
//!
//! A [`Page`] is a pure function of `(corpus seed, page index)`, so any output can be built for any
//! page without generating the pages before it: its WET `conversion` record ([`crate::wet`]), its
//! WARC `request`/`response`/`metadata` records with the HTML rendered from [`Page::blocks`]
//! ([`crate::crawl`], [`crate::html`]), its WAT documents ([`crate::wat`]) and the CDXJ line
//! pointing at its response ([`crate::cdxj`]). Record ids are derived the same way
//! ([`Page::record_id`]), so a WET record's `WARC-Refers-To` names the `response` record of the same
//! page in its WARC segment. What the fetch looked like (status, server, content type) is
//! [`crate::capture::Capture`], drawn from a separate stream.

use crate::prng::{self, AliasTable, Rng};
use crate::text::{self, Script, Writer, LANGUAGES};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Domain-separation tags for [`prng::derive`].
const TAG_PAGE: u64 = 0x5041_4745; // "PAGE"
const TAG_SECONDARY: u64 = 0x5345_434F; // "SECO"
const TAG_RECORD_ID: u64 = 0x5249_4444; // "RIDD"
const TAG_EMOJI: u64 = 0x454D_4F4A; // "EMOJ"

/// Corpus-wide parameters a page depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct Corpus {
    pub seed: u64,
    /// Mean emoji density over the corpus, in emoji (sequences) per 10^6 bytes of page text.
    pub emoji_per_mb: f64,
    /// Unix time at which the synthetic crawl segment starts.
    pub start_unix: u64,
}

impl Corpus {
    /// Segment start derived from the seed: a time in the (real) CC-MAIN-2024-22 crawl window,
    /// so dates look like the real sample's.
    pub fn new(seed: u64, emoji_per_mb: f64) -> Self {
        // 2024-05-17T23:31:22Z plus up to 14 days.
        let start_unix = 1_715_988_682 + prng::derive(&[seed, 0x5354_4152]) % (14 * 86_400);
        Corpus {
            seed,
            emoji_per_mb,
            start_unix,
        }
    }
}

/// The kind of a text block; lets the HTML renderer pick tags (`<title>`, `<nav>`, `<h2>`,
/// `<p>`, `<li>`, `<footer>`) without re-parsing the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Title,
    Nav,
    Heading,
    Paragraph,
    ListItem,
    Meta,
    Footer,
}

/// One line of [`Page::text`]: `text[start..end]` (without the `'\n'`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub start: u32,
    pub end: u32,
    /// Index into [`Page::languages`] of the language the line is written in.
    pub lang: u8,
}

/// WARC record types a page can give rise to; each has its own stable record id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Request = 1,
    Response = 2,
    Metadata = 3,
    Conversion = 4,
}

/// A synthetic web page.
#[derive(Clone, Debug)]
pub struct Page {
    pub index: u64,
    pub url: String,
    /// Capture time, Unix seconds (the `WARC-Date` of all its records).
    pub fetch_unix: u64,
    /// ISO 639-3 codes as a CLD2-based identifier would report them, primary first; empty when
    /// "no reliable language" (Common Crawl then omits the header).
    pub languages: Vec<&'static str>,
    /// Index into [`text::LANGUAGES`] of the languages the text is written in, primary first.
    pub lang_indices: Vec<usize>,
    pub title: String,
    /// The main heading (the title without the site name).
    pub heading: String,
    /// The site's name (the title's suffix, when it has one).
    pub site: String,
    /// Navigation menu entries (empty when the page has no menu); the `Nav` blocks hold them.
    pub nav: Vec<String>,
    pub kind: PageKind,
    /// The extracted text as a WET body holds it: lines joined by `'\n'`, ending in `'\n'`.
    pub text: String,
    pub blocks: Vec<Block>,
    /// Emoji sequences inserted into the text, RGI or not (see [`EMOJI`]).
    pub emoji: u32,
    /// The RGI emoji in the text and how often each occurs: exactly what a leftmost-longest count
    /// of RGI sequences over [`Page::text`] finds. Every inserted [`RGI`] entry is one match of
    /// itself; [`NOT_RGI`] entries and the text around them give none, because the text has no
    /// emoji of its own and each insertion stands between spaces or line ends (see
    /// `PageBuilder::push_emoji`). Recorded while inserting, never by scanning the text.
    pub emoji_counts: BTreeMap<&'static str, u32>,
    /// Every emoji inserted into [`Page::text`] (each repeat of an insertion on its own), in text
    /// order: where the builder put it. The renderers copy page text with
    /// [`Page::copy_text`], which carries these along, so every output knows where its emoji
    /// are and how many it holds without scanning itself.
    pub inserted: Vec<Inserted>,
    /// Server address (`WARC-IP-Address`).
    pub ip: [u8; 4],
    seed: u64,
}

impl Page {
    /// Generates page `index` of the corpus. Pure: same inputs, same page, on every platform.
    pub fn generate(corpus: &Corpus, index: u64) -> Page {
        PageBuilder::new(corpus, index).build()
    }

    /// The record id (`<urn:uuid:...>`) of the record of `kind` for this page: a version-4-shaped
    /// UUID derived from the corpus seed, page index and kind.
    pub fn record_id(&self, kind: RecordKind) -> String {
        let hi = prng::derive(&[self.seed, TAG_RECORD_ID, self.index, kind as u64]);
        let lo = prng::mix64(hi ^ 0xD1B5_4A32_D192_ED03);
        format_uuid(hi, lo)
    }

    /// URL and heading of page `index`, without generating its text (a few microseconds): what
    /// another page needs to link to it.
    pub fn link_target(corpus: &Corpus, index: u64) -> LinkTarget {
        let h = PageBuilder::new(corpus, index).head();
        LinkTarget {
            url: h.url,
            heading: h.heading,
        }
    }

    /// `host` part of the URL.
    pub fn host(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.split(['/', '?']).next().unwrap_or(rest)
    }
}

/// One emoji as the page builder inserted it: `text[start..start + emoji.len()]` is `emoji`, an
/// [`EMOJI`] entry (one repeat of an insertion such as "🔥🔥🔥" is one `Inserted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inserted {
    pub start: u32,
    pub emoji: &'static str,
    /// One RGI emoji (a match of itself), or not RGI (no match at all): see [`EMOJI`].
    pub rgi: bool,
}

impl Inserted {
    pub fn end(&self) -> usize {
        self.start as usize + self.emoji.len()
    }
}

/// An inserted emoji copied into an output (a response body, a JSON or XML document): `start`
/// is its byte offset there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlacedEmoji {
    pub start: usize,
    pub emoji: &'static str,
    pub rgi: bool,
}

impl PlacedEmoji {
    pub fn end(&self) -> usize {
        self.start + self.emoji.len()
    }
}

/// The RGI emoji among `placed`: the emoji count of the output they were placed in.
pub fn rgi_count(placed: &[PlacedEmoji]) -> u32 {
    placed.iter().filter(|p| p.rgi).count() as u32
}

impl Page {
    /// The inserted emoji that start in `text[start..end]`.
    pub fn inserted_in(&self, start: usize, end: usize) -> &[Inserted] {
        let a = self
            .inserted
            .partition_point(|e| (e.start as usize) < start);
        let b = self.inserted.partition_point(|e| (e.start as usize) < end);
        &self.inserted[a..b]
    }

    /// `cut` (a char boundary of [`Page::text`]) moved back to the start of the inserted emoji it
    /// falls inside, if any: a prefix of the text that ends there splits no emoji sequence, so
    /// it holds exactly the inserted emoji before it (a cut ZWJ, modifier or tag sequence could
    /// leave a shorter emoji behind, or none: not something to know by construction).
    pub fn emoji_safe_cut(&self, cut: usize) -> usize {
        let i = self.inserted.partition_point(|e| (e.start as usize) < cut);
        match i.checked_sub(1).map(|k| self.inserted[k]) {
            Some(e) if e.end() > cut => e.start as usize,
            _ => cut,
        }
    }

    /// Appends `text[start..end]` to `out` through `escape` (an HTML, XML, JSON or PDF string
    /// escaper, or `String::push_str`) and logs each inserted emoji it holds in `placed`, at its
    /// offset in `out`. The range must split no inserted emoji (see [`Page::emoji_safe_cut`]);
    /// the emoji themselves hold nothing an escaper changes (checked).
    pub fn copy_text(
        &self,
        out: &mut String,
        placed: &mut Vec<PlacedEmoji>,
        start: usize,
        end: usize,
        escape: impl Fn(&mut String, &str),
    ) {
        assert!(
            self.emoji_safe_cut(start) == start && self.emoji_safe_cut(end) == end,
            "page {}: text[{start}..{end}] splits an inserted emoji",
            self.index
        );
        let mut pos = start;
        for e in self.inserted_in(start, end) {
            escape(out, &self.text[pos..e.start as usize]);
            let at = out.len();
            escape(out, e.emoji);
            assert_eq!(out.len() - at, e.emoji.len(), "an escaper changed an emoji");
            placed.push(PlacedEmoji {
                start: at,
                emoji: e.emoji,
                rgi: e.rgi,
            });
            pos = e.end();
        }
        escape(out, &self.text[pos..end]);
    }

    /// The offset of `s` in [`Page::text`] when `s` is a slice of it (by address), else `None`.
    pub fn offset_of(&self, s: &str) -> Option<usize> {
        let base = self.text.as_ptr() as usize;
        let at = (s.as_ptr() as usize).checked_sub(base)?;
        (at + s.len() <= self.text.len()).then_some(at)
    }
}

/// What a link to another page shows: its URL and heading (see [`Page::link_target`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkTarget {
    pub url: String,
    pub heading: String,
}

/// The head of a page (see `PageBuilder::head`).
struct Head {
    target: usize,
    undetected: bool,
    fetch_unix: u64,
    ip: [u8; 4],
    site: String,
    title: String,
    heading: String,
    url: String,
}

/// `<urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx>` from 128 random bits.
pub fn format_uuid(hi: u64, lo: u64) -> String {
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "<urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}>",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

fn language_table() -> &'static AliasTable {
    static T: OnceLock<AliasTable> = OnceLock::new();
    T.get_or_init(|| AliasTable::new(&LANGUAGES.iter().map(|l| l.share).collect::<Vec<_>>()))
}

/// Body-size model: log-normal in bytes (then rounded up to whole lines). Median and spread give
/// a mean record of ~6.6 KB with headers, i.e. ~15,900 records per 100 MiB inflated, the figure the
/// task notes give for real WET files, with a heavy right tail (p99 around 40 KB).
pub const BODY_MEDIAN_BYTES: f64 = 3_450.0;
pub const BODY_SIGMA: f64 = 1.1;
/// Real WET bodies are capped by the 1 MiB fetch limit of the crawler (text is smaller still).
pub const BODY_MAX_BYTES: f64 = 600_000.0;
pub const BODY_MIN_BYTES: f64 = 40.0;
/// Mean of the body-size model, `median * e^(sigma^2 / 2)` (~6.3 KB; the clamps lower it by
/// 0.15 %): the unit of page length in [`emoji_page_share`]'s clustering.
const BODY_MEAN_BYTES: f64 = 6_318.0;

/// Marks an [`EMOJI`] entry that is one RGI emoji as written (a fully-qualified or component line
/// of Unicode's `emoji-test.txt`).
pub const RGI: bool = true;
/// Marks an [`EMOJI`] entry that is inserted like the others but is not an RGI emoji as written.
pub const NOT_RGI: bool = false;

/// The emoji pages get: `(text, weight, rgi)`, grouped by kind of sequence so that the datasets
/// exercise every kind an RGI counter must handle (UTS #51: basic emoji, keycaps, flags, tag
/// sequences, modifier sequences, ZWJ sequences) with realistic frequencies.
///
/// Weights are roughly per mille of emoji occurrences (the table is sampled with an alias table,
/// so only their ratios matter). They are calibrated on Unicode's frequency tally
/// (`emoji-freq.txt` of unicodetools: 1.3 G occurrences of 842 single code points, counted on
/// Twitter years ago): 😂 is by far the most used face, then 😍 😘 😊 👌 😁 😭 💕 👍 😉 …, with
/// emoji newer than the tally (🤣 🥰 🥺 🤦 🤷 🥳 🫶 …) placed by their rank in Unicode's 2021
/// frequency list. The tally's top entries, the bare text symbols ♥ (12 %) and ☺ (5 %), belong to
/// an era of feature phones; here ❤️ (with U+FE0F) is the common heart and the bare forms keep a
/// smaller, still realistic share. Shares by kind: single 67 %, with FE0F 10 %, web symbols 10 %,
/// not RGI 3.7 %, ZWJ 3.6 %, modifier 3.2 %, flags 1.7 %, keycaps 0.5 %, tag flags 0.1 %.
///
/// `rgi` says whether the entry is one RGI emoji, and then the page counts it as one match of
/// itself in [`Page::emoji_counts`]; entries marked [`NOT_RGI`] are inserted but give no match.
/// Both claims hold for an entry repeated any number of times ("🔥🔥🔥", "🇺🇸🇺🇸", "♥♥"): no entry
/// starts with something that would extend the end of the one before it (a skin-tone modifier,
/// U+FE0F, U+20E3, a ZWJ, a tag), and none is a lone modifier or regional indicator, which would
/// combine with whatever touches it ("👍" then "🏻" is the one emoji "👍🏻", two indicators are a
/// flag). `tests/emoji.rs` checks every entry, alone and repeated next to text, against Unicode's
/// `emoji-test.txt` when it is available.
pub const EMOJI: &[(&str, f64, bool)] = &[
    // Single code points with emoji presentation (no selector needed), the most used first.
    ("😂", 75.0, RGI),
    ("🤣", 38.0, RGI),
    ("😭", 30.0, RGI),
    ("😍", 28.0, RGI),
    ("👍", 26.0, RGI),
    ("😘", 24.0, RGI),
    ("😊", 24.0, RGI),
    ("🙏", 20.0, RGI),
    ("🥰", 20.0, RGI),
    ("🔥", 20.0, RGI),
    ("😁", 17.0, RGI),
    ("🥺", 14.0, RGI),
    ("💕", 12.0, RGI),
    ("🎉", 12.0, RGI),
    ("👌", 11.0, RGI),
    ("😅", 10.0, RGI),
    ("😉", 10.0, RGI),
    ("😔", 10.0, RGI),
    ("🙄", 9.0, RGI),
    ("🤔", 9.0, RGI),
    ("😒", 8.0, RGI),
    ("😏", 8.0, RGI),
    ("😳", 8.0, RGI),
    ("😎", 8.0, RGI),
    ("👏", 8.0, RGI),
    ("🤗", 7.0, RGI),
    ("✨", 7.0, RGI),
    ("🙂", 7.0, RGI),
    ("😩", 7.0, RGI),
    ("💯", 7.0, RGI),
    ("👀", 6.0, RGI),
    ("🙈", 6.0, RGI),
    ("😆", 6.0, RGI),
    ("😢", 6.0, RGI),
    ("💀", 6.0, RGI),
    ("💪", 6.0, RGI),
    ("🥳", 5.0, RGI),
    ("🎂", 5.0, RGI),
    ("😡", 5.0, RGI),
    ("😜", 5.0, RGI),
    ("😋", 5.0, RGI),
    ("🙌", 5.0, RGI),
    ("😄", 5.0, RGI),
    ("💜", 5.0, RGI),
    ("💖", 5.0, RGI),
    ("🤦", 5.0, RGI),
    ("🤷", 5.0, RGI),
    ("😌", 4.0, RGI),
    ("💔", 4.0, RGI),
    ("💙", 4.0, RGI),
    ("💗", 4.0, RGI),
    ("🤩", 4.0, RGI),
    ("👋", 4.0, RGI),
    ("🌹", 4.0, RGI),
    ("😃", 4.0, RGI),
    ("😴", 3.0, RGI),
    ("😱", 3.0, RGI),
    ("🎶", 3.0, RGI),
    ("💞", 3.0, RGI),
    ("😀", 3.0, RGI),
    ("🤭", 2.0, RGI),
    ("🫶", 2.0, RGI),
    ("🥲", 2.0, RGI),
    ("😇", 2.0, RGI),
    ("😬", 2.0, RGI),
    ("🤪", 2.0, RGI),
    ("🌸", 2.0, RGI),
    ("💋", 2.0, RGI),
    ("🎈", 2.0, RGI),
    ("💐", 2.0, RGI),
    ("🫠", 1.0, RGI),
    ("🩷", 1.0, RGI),
    // Text-default symbols written with U+FE0F, the form that is RGI (fully-qualified).
    ("❤️", 52.0, RGI),
    ("☺️", 7.0, RGI),
    ("♥️", 6.0, RGI),
    ("✌️", 5.0, RGI),
    ("✔️", 5.0, RGI),
    ("➡️", 4.0, RGI),
    ("☀️", 3.0, RGI),
    ("❣️", 2.0, RGI),
    ("☝️", 2.0, RGI),
    ("▶️", 2.0, RGI),
    ("⚠️", 2.0, RGI),
    ("☎️", 1.5, RGI),
    ("✈️", 1.5, RGI),
    ("☑️", 1.0, RGI),
    ("⬇️", 1.0, RGI),
    ("❄️", 1.0, RGI),
    ("✍️", 1.0, RGI),
    ("©️", 1.0, RGI),
    ("®️", 0.5, RGI),
    ("™️", 0.5, RGI),
    // Not RGI as written: the same symbols without U+FE0F (unqualified). Real text is full of
    // them: the bare ♥ U+2665 and ☺ U+263A top Unicode's tally, many keyboards send ❤ U+2764
    // without the selector, and ✔ ™ ✌ are ordinary text characters to most software. An RGI
    // counter must not count them (none contains an RGI sequence, so they give no match at all,
    // also when repeated), and they test exactly that.
    ("❤", 12.0, NOT_RGI),
    ("♥", 10.0, NOT_RGI),
    ("☺", 5.0, NOT_RGI),
    ("✔", 4.0, NOT_RGI),
    ("™", 3.0, NOT_RGI),
    ("✌", 2.0, NOT_RGI),
    // Emoji modifier sequences: an emoji base followed by a skin-tone modifier (one emoji).
    ("👍🏻", 4.0, RGI),
    ("👍🏼", 3.0, RGI),
    ("👍🏽", 3.0, RGI),
    ("👍🏾", 2.0, RGI),
    ("👍🏿", 1.0, RGI),
    ("🙏🏻", 2.0, RGI),
    ("🙏🏽", 2.0, RGI),
    ("🙏🏾", 2.0, RGI),
    ("👏🏼", 2.0, RGI),
    ("👋🏽", 1.5, RGI),
    ("👏🏽", 1.0, RGI),
    ("💪🏽", 1.0, RGI),
    ("💪🏾", 1.0, RGI),
    ("👌🏻", 1.0, RGI),
    ("🙌🏾", 1.0, RGI),
    ("✌🏻", 1.0, RGI),
    ("🤞🏼", 1.0, RGI),
    ("🤙🏽", 0.5, RGI),
    ("🤷🏻", 0.5, RGI),
    ("👊🏿", 0.5, RGI),
    // ZWJ sequences: gender (🤦‍♀️), skin tone and gender (🤷🏽‍♂️), professions with skin tone
    // (👩🏽‍💻), families, couples, hearts (❤️‍🔥), flags (🏳️‍🌈 🏳️‍⚧️), a hair component (👩‍🦰),
    // two skin tones in one sequence (🧑🏻‍🤝‍🧑🏽) and Emoji 15.1 sequences (🐦‍🔥 🏃‍➡️).
    ("🤦‍♀️", 5.0, RGI),
    ("🤷‍♀️", 5.0, RGI),
    ("🤦‍♂️", 3.0, RGI),
    ("🤷‍♂️", 3.0, RGI),
    ("❤️‍🔥", 2.0, RGI),
    ("🏳️‍🌈", 1.5, RGI),
    ("🤦🏻‍♀️", 1.0, RGI),
    ("🤦🏽‍♂️", 1.0, RGI),
    ("🤷🏽‍♂️", 1.0, RGI),
    ("🤷🏻‍♀️", 1.0, RGI),
    ("🙋‍♀️", 1.0, RGI),
    ("💁‍♀️", 1.0, RGI),
    ("❤️‍🩹", 1.0, RGI),
    ("😮‍💨", 1.0, RGI),
    ("👩‍💻", 1.0, RGI),
    ("👨‍💻", 1.0, RGI),
    ("👩🏽‍💻", 0.5, RGI),
    ("🧑‍💻", 0.5, RGI),
    ("🏳️‍⚧️", 0.5, RGI),
    ("🙆‍♀️", 0.5, RGI),
    ("🏃‍♂️", 0.5, RGI),
    ("😵‍💫", 0.5, RGI),
    ("👨‍👩‍👧‍👦", 0.5, RGI),
    ("👨‍👩‍👧", 0.3, RGI),
    ("👩‍❤️‍👨", 0.3, RGI),
    ("👨‍❤️‍👨", 0.2, RGI),
    ("🧑‍🤝‍🧑", 0.2, RGI),
    ("🧑🏻‍🤝‍🧑🏽", 0.1, RGI),
    ("👩‍🦰", 0.2, RGI),
    ("👁️‍🗨️", 0.2, RGI),
    ("🐻‍❄️", 0.2, RGI),
    ("🐦‍🔥", 0.2, RGI),
    ("🏃‍➡️", 0.1, RGI),
    // Keycap sequences (digit or # or *, U+FE0F, U+20E3) and the single code point 🔟.
    ("1️⃣", 1.5, RGI),
    ("2️⃣", 1.0, RGI),
    ("#️⃣", 1.0, RGI),
    ("3️⃣", 0.8, RGI),
    ("🔟", 0.3, RGI),
    ("0️⃣", 0.3, RGI),
    ("*️⃣", 0.2, RGI),
    // Flags: regional-indicator pairs (repeats such as 🇺🇸🇺🇸 pair up again, as they should).
    ("🇺🇸", 3.0, RGI),
    ("🇬🇧", 1.5, RGI),
    ("🇧🇷", 1.5, RGI),
    ("🇮🇳", 1.2, RGI),
    ("🇩🇪", 0.8, RGI),
    ("🇫🇷", 0.8, RGI),
    ("🇺🇦", 0.8, RGI),
    ("🇯🇵", 0.6, RGI),
    ("🇪🇸", 0.6, RGI),
    ("🇮🇹", 0.6, RGI),
    ("🇨🇦", 0.6, RGI),
    ("🇲🇽", 0.6, RGI),
    ("🇳🇬", 0.5, RGI),
    ("🇵🇭", 0.5, RGI),
    ("🇮🇩", 0.4, RGI),
    ("🇰🇷", 0.4, RGI),
    ("🇹🇷", 0.4, RGI),
    ("🇦🇷", 0.4, RGI),
    ("🇪🇺", 0.3, RGI),
    ("🇵🇰", 0.3, RGI),
    ("🇿🇦", 0.3, RGI),
    // Tag-sequence flags (🏴 + tag letters + cancel tag): England, Scotland, Wales.
    ("🏴󠁧󠁢󠁥󠁮󠁧󠁿", 0.6, RGI),
    ("🏴󠁧󠁢󠁳󠁣󠁴󠁿", 0.3, RGI),
    ("🏴󠁧󠁢󠁷󠁬󠁳󠁿", 0.2, RGI),
    // What shops, listings and contact pages use ("👉 Call now", "✅ Free shipping").
    ("👉", 12.0, RGI),
    ("✅", 12.0, RGI),
    ("⭐", 6.0, RGI),
    ("📞", 5.0, RGI),
    ("📧", 4.0, RGI),
    ("📍", 4.0, RGI),
    ("🚀", 4.0, RGI),
    ("👇", 4.0, RGI),
    ("⚡", 3.0, RGI),
    ("🌟", 3.0, RGI),
    ("📌", 3.0, RGI),
    ("🎁", 3.0, RGI),
    ("💡", 3.0, RGI),
    ("❌", 3.0, RGI),
    ("🏠", 2.0, RGI),
    ("💰", 2.0, RGI),
    ("🛒", 2.0, RGI),
    ("📱", 2.0, RGI),
    ("⏰", 2.0, RGI),
    ("📢", 2.0, RGI),
    ("❗", 2.0, RGI),
    ("📅", 2.0, RGI),
    ("🌍", 2.0, RGI),
    ("💥", 2.0, RGI),
    ("🆕", 1.0, RGI),
    ("🚚", 1.0, RGI),
    ("📦", 1.0, RGI),
    ("🔗", 1.0, RGI),
    ("👆", 1.0, RGI),
    ("⬆️", 1.0, RGI),
];

/// Chance that an insertion repeats its emoji once more ("🔥🔥🔥"), up to three more times.
const EMOJI_REPEAT_P: f64 = 0.15;
/// Mean emoji per insertion: `1 + p + p^2 + p^3` for [`EMOJI_REPEAT_P`].
const EMOJI_MEAN_REPS: f64 = 1.0
    + EMOJI_REPEAT_P
    + EMOJI_REPEAT_P * EMOJI_REPEAT_P
    + EMOJI_REPEAT_P * EMOJI_REPEAT_P * EMOJI_REPEAT_P;

fn emoji_table() -> &'static AliasTable {
    static T: OnceLock<AliasTable> = OnceLock::new();
    T.get_or_init(|| AliasTable::new(&EMOJI.iter().map(|e| e.1).collect::<Vec<_>>()))
}

/// Share of pages (of mean length) that carry emoji at all: real web text has them clustered on
/// few pages (social, shops), so at web-like densities (up to 25/MB) only one page in twenty has
/// any; the share grows with the density, and from 500/MB on (tweet-like text) every page has
/// some (see `PageBuilder::start_emoji`). The clustering is what makes a file's density random:
/// on 4 MiB the spread (1 sd over 12 seeds) is 28 % at 10/MB, where ~40 emoji sit on ~30 pages,
/// 7 % at 100/MB, 1.7 % at 1,000/MB and 0.6 % at 10,000/MB; the mean is within 3 % of the
/// nominal density. (Generator 4 picked one page in twenty at any length up to 100/MB, so a
/// few long pages decided a file's count: ~30 % spread at 100/MB.)
fn emoji_page_share(density: f64) -> f64 {
    (density / 500.0).clamp(0.05, 1.0)
}

pub(crate) const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const EN_NAV: &[&str] = &[
    "Home",
    "About",
    "About Us",
    "Contact",
    "Contact Us",
    "Blog",
    "News",
    "Login",
    "Log in",
    "Sign in",
    "Register",
    "Search",
    "Menu",
    "Shop",
    "Cart",
    "Products",
    "Services",
    "Privacy Policy",
    "Terms of Use",
    "Help",
    "FAQ",
    "Events",
    "Gallery",
    "Resources",
    "Careers",
    "Support",
    "Categories",
    "Archives",
    "Subscribe",
    "Skip to content",
];

/// The page's template: what kind of content it holds (decides the HTML layout too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    Article,
    Listing,
    Forum,
    Shop,
}

struct PageBuilder<'c> {
    corpus: &'c Corpus,
    index: u64,
    seed: u64,
    w: Writer,
    second: Option<Writer>,
    text: String,
    blocks: Vec<Block>,
    emoji: u32,
    emoji_counts: BTreeMap<&'static str, u32>,
    inserted: Vec<Inserted>,
    /// Bytes of `text` that are inserted emoji and their separating spaces.
    emoji_bytes: usize,
    /// Bytes of lines written in the second language (without emoji).
    second_bytes: usize,
    /// The emoji process: its own stream, so that everything else about the page is the same at
    /// every density (see `start_emoji`).
    emoji_rng: Rng,
    /// Bytes of text left before the next insertion (infinite for emoji-free pages).
    emoji_gap: f64,
    /// Mean bytes of text from one insertion to the next.
    emoji_mean_gap: f64,
}

impl<'c> PageBuilder<'c> {
    fn new(corpus: &'c Corpus, index: u64) -> Self {
        let seed = prng::derive(&[corpus.seed, TAG_PAGE, index]);
        let mut rng = Rng::new(seed);
        let primary = language_table().sample(&mut rng);
        let secondary = if LANGUAGES[primary].code != "eng" && rng.chance(0.12) {
            text::language_index("eng")
        } else if rng.chance(0.03) {
            Some(language_table().sample(&mut rng)).filter(|&s| s != primary)
        } else {
            None
        };
        let second_rng = Rng::from_parts(&[seed, TAG_SECONDARY]);
        PageBuilder {
            corpus,
            index,
            seed: corpus.seed,
            w: Writer::new(primary, rng),
            second: secondary.map(|s| Writer::new(s, second_rng)),
            text: String::new(),
            blocks: Vec::new(),
            emoji: 0,
            emoji_counts: BTreeMap::new(),
            inserted: Vec::new(),
            emoji_bytes: 0,
            second_bytes: 0,
            emoji_rng: Rng::from_parts(&[seed, TAG_EMOJI]),
            emoji_gap: f64::INFINITY,
            emoji_mean_gap: f64::INFINITY,
        }
    }

    fn rng(&mut self) -> &mut Rng {
        &mut self.w.rng
    }

    /// Decides whether this page of about `target` bytes carries emoji, and starts their process.
    ///
    /// Real web text has emoji clustered on few pages, so a page carries any with a chance that
    /// grows with its length, as if each [`BODY_MEAN_BYTES`] of it did with probability
    /// [`emoji_page_share`]: `p = 1 - (1 - share)^(target / mean)`. A carrying page gets emoji at
    /// the rate `density / p` (exponential gaps between insertions), so every page contributes
    /// `density * length` in expectation and the density is exact on average. Scaling `p` with the
    /// length, rather than picking pages at a fixed rate, keeps the long pages from deciding the
    /// whole file's count: that halves the spread of a 4 MiB file's density at web-like rates.
    ///
    /// All draws come from the page's own emoji stream, and emoji bytes do not count towards the
    /// page's size ([`Self::base_len`]): a page's text, URL and size are the same at every density,
    /// only the inserted emoji differ (the density sweep compares like with like).
    fn start_emoji(&mut self, target: usize) {
        let density = self.corpus.emoji_per_mb;
        if density <= 0.0 {
            return;
        }
        let share = emoji_page_share(density);
        let p = if share >= 1.0 {
            1.0
        } else {
            let units = target as f64 / BODY_MEAN_BYTES;
            1.0 - prng::exp(units * prng::ln(1.0 - share))
        };
        if p > 0.0 && self.emoji_rng.chance(p) {
            self.emoji_mean_gap = 1e6 * p * EMOJI_MEAN_REPS / density;
            self.emoji_gap = self.emoji_rng.exponential(self.emoji_mean_gap);
        }
    }

    /// Length of the text without the inserted emoji: what the page's size model fills.
    fn base_len(&self) -> usize {
        self.text.len() - self.emoji_bytes
    }

    /// Appends `line` as a block, inserting emoji where the page's emoji process says so.
    fn push_line(&mut self, kind: BlockKind, lang: u8, line: &str) {
        if line.is_empty() {
            return;
        }
        let start = self.text.len() as u32;
        // Every byte of the text counts towards the gap, the '\n' too (and, in `push_emoji`, the
        // emoji and its separating space), so the density is exact per byte of page text.
        self.emoji_gap -= (line.len() + 1) as f64;
        if self.emoji_gap <= 0.0 && kind == BlockKind::ListItem {
            self.push_emoji();
            self.text.push(' ');
            self.emoji_bytes += 1;
        }
        self.text.push_str(line);
        if lang == 1 {
            self.second_bytes += line.len();
        }
        // The cap keeps a line finite at absurd densities; a deficit it leaves is paid on the
        // next line, so it does not lower the density (only a page's last line can lose some).
        let mut runs = 0;
        while self.emoji_gap <= 0.0 && runs < 64 {
            self.text.push(' ');
            self.emoji_bytes += 1;
            self.push_emoji();
            runs += 1;
        }
        let end = self.text.len() as u32;
        self.text.push('\n');
        self.blocks.push(Block {
            kind,
            start,
            end,
            lang,
        });
    }

    /// Appends one emoji, sometimes repeated ("🔥🔥🔥", as emoji-rich pages do), and records it.
    ///
    /// The adjacency rule that keeps [`Page::emoji_counts`] exact: an insertion is always
    /// separated from the text by a space or a line end (`push_line` writes `emoji + ' ' + line`
    /// or `line + ' ' + emoji`, and `' ' + emoji` between two insertions), and spaces and line ends
    /// belong to no emoji sequence; the text itself holds no RGI emoji and nothing that combines
    /// into one (its only Emoji-property character is ©, never followed by U+FE0F). So only an
    /// entry's repeats touch each other, and [`EMOJI`] holds no entry whose repeats merge.
    fn push_emoji(&mut self) {
        let (e, _, rgi) = EMOJI[emoji_table().sample(&mut self.emoji_rng)];
        let reps = 1 + self.emoji_rng.geometric(EMOJI_REPEAT_P, 3);
        for _ in 0..reps {
            self.inserted.push(Inserted {
                start: self.text.len() as u32,
                emoji: e,
                rgi,
            });
            self.text.push_str(e);
        }
        self.emoji += reps;
        self.emoji_bytes += e.len() * reps as usize;
        if rgi {
            *self.emoji_counts.entry(e).or_insert(0) += reps;
        }
        // Insertions are a Poisson process over the bytes of the text (the emoji's own bytes and
        // separating space included): memoryless gaps, independent of how many repeats came, so
        // the count is unbiased on every page, short ones too. (Scaling the gap by the repeats, as
        // generator 4 did, made the first insertion of a page come early on average: +20 % at
        // 10/MB, where a carrying page holds one or two.)
        self.emoji_gap +=
            self.emoji_rng.exponential(self.emoji_mean_gap) - (e.len() * reps as usize + 1) as f64;
    }

    /// The first draws of a page: size target, fetch time, address, site name, title and URL.
    /// Cheap (no body text), so other pages can link to this one by URL and heading
    /// ([`Page::link_target`]); [`Self::build`] continues from here with the same stream.
    fn head(&mut self) -> Head {
        let (start_unix, index) = (self.corpus.start_unix, self.index);
        let rng = &mut self.w.rng;
        let target = rng
            .lognormal(BODY_MEDIAN_BYTES, BODY_SIGMA)
            .clamp(BODY_MIN_BYTES, BODY_MAX_BYTES) as usize;
        let undetected = rng.chance(0.004);
        let fetch_unix = start_unix + index * 3 / 5 + rng.below(40);
        let ip = [
            rng.range(1, 223) as u8,
            rng.below(256) as u8,
            rng.below(256) as u8,
            rng.range(1, 254) as u8,
        ];

        // Site name and title, e.g. "Some Heading Words - Site".
        let mut site = String::new();
        let n = 1 + self.rng().geometric(0.35, 2) as usize;
        self.w.phrase(&mut site, n);
        let mut title = String::new();
        let n = self.rng().range(2, 9) as usize;
        self.w.phrase(&mut title, n);
        let heading = title.clone();
        if self.rng().chance(0.7) {
            title.push_str(self.w.title_separator());
            title.push_str(&site);
        }
        let url = self.make_url(&site, &heading);
        Head {
            target,
            undetected,
            fetch_unix,
            ip,
            site,
            title,
            heading,
            url,
        }
    }

    fn build(mut self) -> Page {
        let Head {
            target,
            undetected,
            fetch_unix,
            ip,
            site,
            title,
            heading,
            url,
        } = self.head();
        let script = self.w.script();
        let mut line = String::new();
        self.start_emoji(target);
        self.push_line(BlockKind::Title, 0, &title);

        // Header navigation, often repeated in the footer.
        let mut nav: Vec<String> = Vec::new();
        if self.rng().chance(0.72) {
            let k = self.rng().range(3, 16);
            for _ in 0..k {
                let item = if self.vocab_code() == "eng" && self.rng().chance(0.6) {
                    let r = self.rng().index(EN_NAV.len());
                    EN_NAV[r].to_string()
                } else {
                    let mut s = String::new();
                    let n = 1 + self.rng().geometric(0.3, 2) as usize;
                    self.w.phrase(&mut s, n);
                    s
                };
                nav.push(item);
            }
            for item in &nav {
                self.push_line(BlockKind::Nav, 0, item);
            }
        }
        if self.rng().chance(0.6) {
            self.push_line(BlockKind::Heading, 0, &heading);
        }
        if self.rng().chance(0.45) {
            line.clear();
            self.meta_line(&mut line, fetch_unix);
            self.push_line(BlockKind::Meta, 0, &line);
        }

        // Main content until ~the target size, then the footer. The page kind decides the
        // template: listings, forums and shops repeat the same boilerplate around every item.
        let main_target = target.saturating_sub(target / 14);
        let kind = match self.rng().below(100) {
            0..=59 => PageKind::Article,
            60..=79 => PageKind::Listing,
            80..=89 => PageKind::Forum,
            _ => PageKind::Shop,
        };
        let eng = self.vocab_code() == "eng";
        let stock = |b: &mut Self, choices: &[&str]| -> String {
            if eng {
                choices[b.rng().index(choices.len())].to_string()
            } else {
                let mut s = String::new();
                let n = b.rng().range(1, 2) as usize;
                b.w.phrase(&mut s, n);
                s
            }
        };
        let read_more = stock(
            &mut self,
            &[
                "Read more",
                "Continue reading →",
                "Read More »",
                "Learn more",
                "Read more…",
            ],
        );
        let reply = stock(&mut self, &["Reply", "Reply ↓", "Quote", "Report"]);
        let add_to_cart = stock(
            &mut self,
            &["Add to cart", "Add to basket", "Buy now", "Select options"],
        );
        let n_people = match kind {
            PageKind::Forum => self.rng().range(3, 12),
            _ => self.rng().range(1, 3),
        };
        let people: Vec<String> = (0..n_people)
            .map(|_| {
                let mut s = String::new();
                let n = self.rng().range(1, 2) as usize;
                self.w.phrase(&mut s, n);
                s
            })
            .collect();
        let mut item = 0u32;
        while self.base_len() < main_target {
            line.clear();
            let intro = item < 2 && kind != PageKind::Shop;
            match kind {
                PageKind::Article => self.article_block(&mut line, fetch_unix),
                _ if intro && kind == PageKind::Forum => self.article_block(&mut line, fetch_unix),
                PageKind::Listing => {
                    let n = self.rng().range(3, 8) as usize;
                    self.w.phrase(&mut line, n);
                    self.push_line(BlockKind::Heading, 0, &line);
                    line.clear();
                    let who = people[self.rng().index(people.len())].clone();
                    self.byline(&mut line, fetch_unix, &who);
                    self.push_line(BlockKind::Meta, 0, &line);
                    line.clear();
                    let n = 1 + self.rng().geometric(0.5, 3);
                    self.paragraph(&mut line, n);
                    self.push_line(BlockKind::Paragraph, 0, &line);
                    self.push_line(BlockKind::Meta, 0, &read_more);
                }
                PageKind::Forum => {
                    let who = people[self.rng().index(people.len())].clone();
                    line.push_str(&who);
                    if eng && self.rng().chance(0.5) {
                        line.push_str(" says:");
                    }
                    self.push_line(BlockKind::Meta, 0, &line);
                    line.clear();
                    self.byline(&mut line, fetch_unix, "");
                    self.push_line(BlockKind::Meta, 0, &line);
                    line.clear();
                    let n = 1 + self.rng().geometric(0.45, 5);
                    self.paragraph(&mut line, n);
                    self.push_line(BlockKind::Paragraph, 0, &line);
                    self.push_line(BlockKind::Meta, 0, &reply);
                }
                PageKind::Shop => {
                    if item.is_multiple_of(12) && self.rng().chance(0.5) {
                        let n = self.rng().range(1, 3) as u32;
                        self.paragraph(&mut line, n);
                        self.push_line(BlockKind::Paragraph, 0, &line);
                        line.clear();
                    }
                    let n = self.rng().range(2, 7) as usize;
                    self.w.phrase(&mut line, n);
                    self.push_line(BlockKind::ListItem, 0, &line);
                    line.clear();
                    self.price(&mut line);
                    self.push_line(BlockKind::Meta, 0, &line);
                    self.push_line(BlockKind::Meta, 0, &add_to_cart);
                }
            }
            item += 1;
        }

        // Footer: nav again, a copyright line, sometimes a cookie notice.
        if !nav.is_empty() && self.rng().chance(0.5) {
            let keep = self.rng().range(2, nav.len() as u64) as usize;
            for item in nav.iter().take(keep) {
                self.push_line(BlockKind::Footer, 0, item);
            }
        }
        if self.rng().chance(0.55) {
            line.clear();
            let year = 2010 + self.rng().below(15);
            let _ = match self.rng().below(3) {
                0 => write!(line, "© {} {}.", 2024, site),
                1 => write!(line, "Copyright © {}-{} {}.", year, 2024, site),
                _ => write!(line, "© {} {}", 2024, site),
            };
            if self.vocab_code() == "eng" {
                line.push_str(" All rights reserved.");
            } else if script.spaced() {
                line.push(' ');
                let n = self.rng().range(2, 4) as usize;
                self.w.phrase(&mut line, n);
            }
            self.push_line(BlockKind::Footer, 0, &line);
        }

        let mut languages: Vec<&'static str> = vec![self.w.vocab.lang.code];
        let mut lang_indices = vec![text::language_index(self.w.vocab.lang.code).unwrap()];
        if let Some(s) = &self.second {
            // CLD2 only reports a second language when it covers a real share of the text.
            // (Measured without the emoji, so that it does not depend on the density.)
            lang_indices.push(text::language_index(s.vocab.lang.code).unwrap());
            if self.second_bytes * 20 > self.base_len() {
                languages.push(s.vocab.lang.code);
            }
        }
        if undetected {
            languages.clear();
        }
        Page {
            index: self.index,
            url,
            fetch_unix,
            languages,
            lang_indices,
            title,
            heading,
            site,
            nav,
            kind,
            text: self.text,
            blocks: self.blocks,
            emoji: self.emoji,
            emoji_counts: self.emoji_counts,
            inserted: self.inserted,
            ip,
            seed: self.seed,
        }
    }

    /// One block of an article: paragraphs, headings, lists, single sentences, meta lines, and
    /// paragraphs in the page's second language.
    fn article_block(&mut self, line: &mut String, fetch_unix: u64) {
        let r = self.rng().f64();
        if r < 0.40 {
            let n = 1 + self.rng().geometric(0.62, 14);
            self.paragraph(line, n);
            self.push_line(BlockKind::Paragraph, 0, line);
        } else if r < 0.52 {
            let n = self.rng().range(1, 6) as usize;
            self.w.phrase(line, n);
            self.push_line(BlockKind::Heading, 0, line);
        } else if r < 0.64 {
            let items = self.rng().range(2, 8);
            for _ in 0..items {
                line.clear();
                let n = self.rng().range(2, 9) as usize;
                self.w.phrase(line, n);
                self.push_line(BlockKind::ListItem, 0, line);
            }
        } else if r < 0.78 {
            let n = self.w.sentence_len();
            self.w.sentence(line, n);
            self.push_line(BlockKind::Paragraph, 0, line);
        } else if r < 0.86 {
            self.meta_line(line, fetch_unix);
            self.push_line(BlockKind::Meta, 0, line);
        } else if r < 0.93 && self.second.is_some() {
            let second = self.second.as_mut().unwrap();
            let n = 1 + second.rng.geometric(0.5, 8) as usize;
            for s in 0..n {
                if s > 0 && second.script().spaced() {
                    line.push(' ');
                }
                let len = second.sentence_len();
                second.sentence(line, len);
            }
            self.push_line(BlockKind::Paragraph, 1, line);
        } else {
            let n = 2 + self.rng().geometric(0.5, 6);
            self.paragraph(line, n);
            self.push_line(BlockKind::Paragraph, 0, line);
        }
    }

    /// "Posted on May 17, 2024 by Name" (English) or "17.05.2024 Name".
    fn byline(&mut self, out: &mut String, fetch_unix: u64, who: &str) {
        let days_back = self.rng().below(1500);
        let (y, m, d) = civil_from_days(((fetch_unix / 86_400) as i64) - days_back as i64);
        match (self.vocab_code(), self.w.script()) {
            ("eng", _) => {
                let _ = write!(out, "{} {d}, {y}", EN_MONTHS[m as usize - 1]);
                if !who.is_empty() {
                    let _ = write!(out, " by {who}");
                }
            }
            (_, Script::Han | Script::Japanese) => {
                let _ = write!(out, "{y}年{m}月{d}日 {who}");
            }
            _ => {
                let _ = write!(out, "{d:02}.{m:02}.{y} {who}");
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
    }

    /// A price in the page language's usual currency.
    fn price(&mut self, out: &mut String) {
        let (cur, sep) = match self.vocab_code() {
            "eng" => ("$", "."),
            "jpn" => ("¥", ""),
            "zho" => ("¥", "."),
            "rus" | "ukr" => ("₽", ","),
            "deu" | "fra" | "ita" | "spa" | "nld" | "por" | "fin" => ("€", ","),
            _ => ("$", "."),
        };
        if sep.is_empty() {
            let _ = write!(out, "{cur}{}", self.rng().range(100, 99_999));
        } else {
            let _ = write!(
                out,
                "{cur}{}{sep}{:02}",
                self.rng().range(1, 999),
                [0, 49, 95, 99][self.rng().index(4)]
            );
        }
    }

    fn vocab_code(&self) -> &'static str {
        self.w.vocab.lang.code
    }

    fn paragraph(&mut self, out: &mut String, sentences: u32) {
        let spaced = self.w.script().spaced();
        for s in 0..sentences.max(1) {
            if s > 0 && spaced {
                out.push(' ');
            }
            let n = self.w.sentence_len();
            self.w.sentence(out, n);
        }
    }

    /// Dates, bylines, counters, prices: the short non-prose lines web pages are full of.
    fn meta_line(&mut self, out: &mut String, fetch_unix: u64) {
        let days_back = self.rng().below(3000);
        let (y, m, d) = civil_from_days(((fetch_unix / 86_400) as i64) - days_back as i64);
        let eng = self.vocab_code() == "eng";
        let script = self.w.script();
        let r = self.rng().below(5);
        match (r, eng, script) {
            (0 | 1, true, _) => {
                let _ = write!(
                    out,
                    "Posted on {} {}, {} by ",
                    EN_MONTHS[m as usize - 1],
                    d,
                    y
                );
                self.w.phrase(out, 2);
            }
            (0 | 1, false, Script::Han | Script::Japanese) => {
                let _ = write!(
                    out,
                    "{y}年{m}月{d}日 {:02}:{:02}",
                    self.rng().below(24),
                    self.rng().below(60)
                );
            }
            (0 | 1, false, _) => {
                let _ = write!(out, "{d:02}.{m:02}.{y} ");
                self.w.phrase(out, 2);
            }
            (2, _, _) => {
                let n = self.rng().range(1, 3) as usize;
                self.w.phrase(out, n);
                let _ = write!(out, " ({})", self.rng().range(0, 250));
            }
            (3, _, _) => {
                let n = self.rng().range(1, 4) as usize;
                self.w.phrase(out, n);
                out.push(' ');
                self.price(out);
            }
            _ => {
                let _ = write!(out, "{y}-{m:02}-{d:02}");
            }
        }
    }

    fn make_url(&mut self, site: &str, heading: &str) -> String {
        let lang = self.w.vocab.lang;
        let latin = lang.script == Script::Latin;
        let rng = &mut self.w.rng;
        let scheme = if rng.chance(0.82) { "https" } else { "http" };
        let www = if rng.chance(0.45) { "www." } else { "" };
        let mut host_slug = if latin {
            ascii_slug(site, "")
        } else {
            String::new()
        };
        if host_slug.len() < 3 {
            let n = 2 + rng.below(3) as usize;
            host_slug = latin_syllables(rng, n);
        }
        if rng.chance(0.15) {
            let _ = write!(host_slug, "{}", rng.range(1, 999));
        }
        let tld = lang.tlds[rng.front_biased(lang.tlds.len())];
        // Crawlers record internationalised hosts in their ASCII (IDNA) form.
        let tld = if tld == "рф" { "xn--p1ai" } else { tld };
        let mut url = format!("{scheme}://{www}{host_slug}.{tld}");
        let slug = if latin {
            ascii_slug(heading, "-")
        } else {
            String::new()
        };
        let slug = if slug.len() >= 3 {
            slug
        } else if rng.chance(0.25) {
            percent_encode(heading.split(' ').next().unwrap_or(heading))
        } else {
            format!("{}-{}", latin_syllables(rng, 3), latin_syllables(rng, 2))
        };
        let word = slug.split('-').next().unwrap_or("page").to_string();
        let n = rng.range(1, 99_999);
        let _ = match rng.below(12) {
            0 => write!(url, "/"),
            1 => write!(url, "/{word}/"),
            2 | 3 => write!(url, "/{word}/{slug}/"),
            4 => {
                let (y, m, d) = civil_from_days(
                    (self.corpus.start_unix / 86_400) as i64 - rng.below(2000) as i64,
                );
                write!(url, "/{y}/{m:02}/{d:02}/{slug}/")
            }
            5 | 6 => write!(url, "/{word}/{slug}.html"),
            7 => write!(url, "/product/{slug}-{n}"),
            8 => write!(url, "/index.php?option=com_content&view=article&id={n}"),
            9 => write!(url, "/{word}?page={}", rng.range(2, 40)),
            10 => write!(url, "/tag/{word}/page/{}/", rng.range(2, 40)),
            _ => write!(url, "/{n}.html"),
        };
        url
    }
}

/// Lower-case ASCII slug of `s`: common Latin diacritics folded, anything else dropped, words
/// joined by `sep`.
pub fn ascii_slug(s: &str, sep: &str) -> String {
    let mut out = String::new();
    for word in s.split(' ') {
        let mut w = String::new();
        for c in word.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                w.push(c);
            } else if let Some(f) = text::fold_latin(c) {
                w.push_str(f);
            }
        }
        if !w.is_empty() {
            if !out.is_empty() {
                out.push_str(sep);
            }
            out.push_str(&w);
        }
    }
    out
}

fn latin_syllables(rng: &mut Rng, n: usize) -> String {
    const ON: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch",
    ];
    const NU: &[&str] = &["a", "e", "i", "o", "u", "ai", "ao", "ei", "ou", "ia"];
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(ON[rng.index(ON.len())]);
        s.push_str(NU[rng.index(NU.len())]);
        if rng.chance(0.3) {
            s.push(['n', 'g', 'r', 'x'][rng.index(4)]);
        }
    }
    s
}

/// Percent-encodes everything outside unreserved ASCII (as browsers do for non-ASCII paths).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserted_emoji_are_where_the_page_says() {
        let corpus = Corpus::new(3, 20_000.0);
        for index in 0..40 {
            let p = Page::generate(&corpus, index);
            let mut rgi = BTreeMap::new();
            let mut last = 0;
            for e in &p.inserted {
                assert!(e.start as usize >= last, "in text order, not overlapping");
                assert_eq!(&p.text[e.start as usize..e.end()], e.emoji);
                last = e.end();
                if e.rgi {
                    *rgi.entry(e.emoji).or_insert(0) += 1;
                }
            }
            assert_eq!(rgi, p.emoji_counts);
            assert_eq!(p.inserted.len() as u32, p.emoji);
            // A cut inside an emoji moves back to its start; any other cut stays.
            for (k, e) in p.inserted.iter().enumerate() {
                let near = &p.inserted[k.saturating_sub(1)..(k + 2).min(p.inserted.len())];
                for cut in (e.start as usize).saturating_sub(2)..=e.end() + 2 {
                    if cut <= p.text.len() && p.text.is_char_boundary(cut) {
                        let want = near
                            .iter()
                            .find(|f| (f.start as usize) < cut && cut < f.end())
                            .map_or(cut, |f| f.start as usize);
                        assert_eq!(p.emoji_safe_cut(cut), want, "page {index}, cut {cut}");
                    }
                }
            }
            // Copying the text through an escaper logs every emoji where it lands.
            let (mut out, mut placed) = (String::new(), Vec::new());
            p.copy_text(&mut out, &mut placed, 0, p.text.len(), |o, s| {
                o.push_str(&s.replace('&', "&amp;"))
            });
            assert_eq!(placed.len(), p.inserted.len());
            for (q, e) in placed.iter().zip(&p.inserted) {
                assert_eq!((&out[q.start..q.end()], q.rgi), (e.emoji, e.rgi));
            }
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_861), (2024, 5, 18));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn page_is_pure_and_well_formed() {
        let c = Corpus::new(42, 10.0);
        for i in [0u64, 1, 7, 1000, 123_456] {
            let a = Page::generate(&c, i);
            let b = Page::generate(&c, i);
            assert_eq!(a.text, b.text);
            assert_eq!(a.url, b.url);
            assert!(a.text.ends_with('\n'));
            assert!(a.url.starts_with("http"));
            assert!(!a.host().is_empty());
            assert!(a
                .record_id(RecordKind::Conversion)
                .starts_with("<urn:uuid:"));
            assert_ne!(
                a.record_id(RecordKind::Conversion),
                a.record_id(RecordKind::Response)
            );
            for blk in &a.blocks {
                assert!(!a.text[blk.start as usize..blk.end as usize].contains('\n'));
            }
        }
    }

    #[test]
    fn uuid_shape() {
        let u = format_uuid(u64::MAX, 0);
        assert_eq!(u.len(), "<urn:uuid:>".len() + 36);
        assert_eq!(&u[24..25], "4");
    }
}
