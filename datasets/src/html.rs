//! HTML rendering of a page, recording on the way what Common Crawl's WAT extractor would find.
//!
//! The body of a WARC `response` is the page's text blocks ([`Page::blocks`]) dressed the way CMS
//! templates dress text: a `<head>` with metas, stylesheets, scripts, inline CSS and JSON-LD; a
//! header with logo and menu (often twice, for mobile); the content with the page's headings,
//! paragraphs, lists, cards and images; sidebars with links to other pages of the crawl; a footer
//! with menus, social icons (inline SVG) and scripts. Sizes are calibrated against the real
//! response records in `../shared/datasets/cc` (median ~20 KB of HTML per page, ~75 links).
//!
//! Every tag ia-web-commons extracts is written through [`Doc`], which records it exactly as the
//! extractor reports it (`HTML-Metadata`: `Head{Metas, Title, Link, Scripts}` in order of first
//! use, `Links[{path, url, ..., text}]` in document order; see `ExtractingParseObserver`), so the
//! WAT documents agree with the HTML without parsing it.
//!
//! [`Doc`] also knows where the page's emoji went: page text written through it is copied with
//! [`Page::copy_text`], which logs each inserted emoji at its offset in the HTML
//! ([`Doc::placed`]). The page's description (meta description, `og:description`, JSON-LD) is its
//! first paragraph cut to 155 bytes, and the cut never falls inside an inserted emoji, so every
//! copy holds whole emoji and the response's emoji count is known by construction.

use crate::capture::{html_lang, Capture, Cms};
use crate::page::{
    ascii_slug, percent_encode, BlockKind, Corpus, Page, PageKind, PlacedEmoji, EN_MONTHS,
};
use crate::prng::{derive, Rng};
use crate::text::{Writer, LANGUAGES};
use std::fmt::Write as _;

const TAG_HTML: u64 = 0x4854_4D4C; // "HTML"
const TAG_HTML_WORDS: u64 = 0x4854_5744; // "HTWD"

/// Attributes of one extracted element, in the extractor's key order.
pub type Attrs = Vec<(&'static str, String)>;

/// What ia-web-commons' `ExtractingParseObserver` reports for a page (its `HTML-Metadata`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HtmlMeta {
    /// Keys of the `Head` object in creation order (`Metas`, `Title`, `Link`, `Scripts`).
    pub head_keys: Vec<&'static str>,
    /// `Head` was created before `Links` (decides their order in `HTML-Metadata`).
    pub head_before_links: bool,
    pub metas: Vec<Attrs>,
    pub title: Option<String>,
    /// `<link href>` tags (`Head.Link`).
    pub link_tags: Vec<Attrs>,
    /// `<script src>` tags anywhere in the page (`Head.Scripts`).
    pub scripts: Vec<Attrs>,
    /// Outgoing links of the body (`Links`): `A@/href`, `IMG@/src`, `FORM@/action`, `IFRAME@/src`.
    pub links: Vec<Attrs>,
}

/// An HTML document being written, with its extraction record and the emoji it holds.
#[derive(Default)]
pub struct Doc<'p> {
    pub html: String,
    pub meta: HtmlMeta,
    /// The page's inserted emoji as they were copied into `html`, at their offsets there.
    pub placed: Vec<PlacedEmoji>,
    /// The page whose text this document copies. Any slice of [`Page::text`] handed to a
    /// writing method (text, an attribute value, an anchor's text, raw) is recognised by its
    /// address and copied with [`Page::copy_text`], which logs its emoji in `placed`. Page text
    /// must reach the document as such a slice: a copy of it would be written unlogged.
    page: Option<&'p Page>,
}

/// Text as the extractor reports titles and anchor texts: whitespace runs collapsed, trimmed,
/// cut to 128 UTF-16 code units (`MAX_TEXT_LEN`; we cut before a surrogate pair instead of
/// splitting it).
pub fn extracted_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut units = 0usize;
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || (c as u32) < 0x20 || c == '\u{a0}' {
            pending_space = !out.is_empty();
            continue;
        }
        let need = c.len_utf16() + usize::from(pending_space);
        if units + need > 128 {
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        units += need;
    }
    out
}

pub fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

pub fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

impl<'p> Doc<'p> {
    /// An empty document that copies the text of `page`.
    pub fn of(page: &'p Page, capacity: usize) -> Self {
        Doc {
            html: String::with_capacity(capacity),
            page: Some(page),
            ..Doc::default()
        }
    }

    /// Writes `s` through `escape`, logging the emoji when `s` is page text.
    fn put(&mut self, s: &str, escape: fn(&mut String, &str)) {
        match self.page.and_then(|p| Some((p, p.offset_of(s)?))) {
            Some((page, at)) => {
                page.copy_text(&mut self.html, &mut self.placed, at, at + s.len(), escape)
            }
            None => escape(&mut self.html, s),
        }
    }

    pub fn raw(&mut self, s: &str) {
        self.put(s, |out, s| out.push_str(s));
    }

    pub fn text(&mut self, s: &str) {
        self.put(s, escape_text);
    }

    /// `s` as the inside of a JSON string (no quotes), as [`crate::json::push_str`] escapes it.
    pub fn json_text(&mut self, s: &str) {
        self.put(s, crate::json::push_escaped);
    }

    fn head_key(&mut self, key: &'static str) {
        if self.meta.head_keys.is_empty() {
            self.meta.head_before_links = self.meta.links.is_empty();
        }
        if !self.meta.head_keys.contains(&key) {
            self.meta.head_keys.push(key);
        }
    }

    /// `<tag a="v" ...>` (no closing), attributes in the given order.
    fn open(&mut self, tag: &str, attrs: &[(&str, &str)], self_close: bool) {
        self.html.push('<');
        self.html.push_str(tag);
        for (k, v) in attrs {
            self.html.push(' ');
            self.html.push_str(k);
            self.html.push_str("=\"");
            self.put(v, escape_attr);
            self.html.push('"');
        }
        self.html.push_str(if self_close { " />" } else { ">" });
    }

    /// The extractor's record of `attrs`: `url` from `url_attr`, then `optional` attributes in
    /// that order when present.
    fn record(
        path: &'static str,
        url: &str,
        attrs: &[(&str, &str)],
        optional: &[&'static str],
    ) -> Attrs {
        let mut rec: Attrs = vec![("path", path.to_string()), ("url", url.to_string())];
        for &o in optional {
            if let Some((_, v)) = attrs.iter().find(|(k, _)| *k == o) {
                rec.push((o, v.to_string()));
            }
        }
        rec
    }

    /// `<html ...>`: `lang` / `xml:lang` become metas named `HTML@/lang`, `HTML@/xml:lang`.
    pub fn html_open(&mut self, attrs: &[(&str, &str)]) {
        self.open("html", attrs, false);
        for key in ["lang", "xml:lang"] {
            if let Some((_, v)) = attrs.iter().find(|(k, _)| *k == key) {
                self.head_key("Metas");
                self.meta.metas.push(vec![
                    ("name", format!("HTML@/{key}")),
                    ("content", v.to_string()),
                ]);
            }
        }
        self.raw("\n");
    }

    /// `<meta ...>`; recorded when it has `name`, `rel`, `content`, `http-equiv` or `property`.
    pub fn meta(&mut self, attrs: &[(&str, &str)], xhtml: bool) {
        self.open("meta", attrs, xhtml);
        self.raw("\n");
        self.record_meta(attrs);
    }

    fn record_meta(&mut self, attrs: &[(&str, &str)]) {
        let mut rec: Attrs = Vec::new();
        for key in ["name", "rel", "content", "http-equiv", "property"] {
            if let Some((_, v)) = attrs.iter().find(|(k, _)| *k == key) {
                rec.push((key, v.to_string()));
            }
        }
        if !rec.is_empty() {
            self.head_key("Metas");
            self.meta.metas.push(rec);
        }
    }

    /// `<meta key="value" content="...">` whose content is the pieces of `content` in order (a
    /// description and its ellipsis): written and recorded as [`Self::meta`] would the whole.
    pub fn meta_content(&mut self, key: (&str, &str), content: &[&str], xhtml: bool) {
        self.html.push_str("<meta ");
        self.html.push_str(key.0);
        self.html.push_str("=\"");
        escape_attr(&mut self.html, key.1);
        self.html.push_str("\" content=\"");
        for piece in content {
            self.put(piece, escape_attr);
        }
        self.html.push('"');
        self.html.push_str(if xhtml { " />\n" } else { ">\n" });
        let full = content.concat();
        self.record_meta(&[key, ("content", &full)]);
    }

    pub fn title(&mut self, t: &str) {
        self.raw("<title>");
        self.text(t);
        self.raw("</title>\n");
        let x = extracted_text(t);
        if !x.is_empty() && self.meta.title.is_none() {
            self.head_key("Title");
            self.meta.title = Some(x);
        }
    }

    /// `<link ...>` with an `href`.
    pub fn link_tag(&mut self, attrs: &[(&str, &str)], xhtml: bool) {
        self.open("link", attrs, xhtml);
        self.raw("\n");
        if let Some((_, href)) = attrs.iter().find(|(k, _)| *k == "href") {
            self.head_key("Link");
            let rec = Self::record("LINK@/href", href, attrs, &["rel", "type"]);
            self.meta.link_tags.push(rec);
        }
    }

    /// `<script src=...></script>`.
    pub fn script_src(&mut self, attrs: &[(&str, &str)]) {
        self.open("script", attrs, false);
        self.raw("</script>\n");
        if let Some((_, src)) = attrs.iter().find(|(k, _)| *k == "src") {
            self.head_key("Scripts");
            let rec = Self::record("SCRIPT@/src", src, attrs, &["type"]);
            self.meta.scripts.push(rec);
        }
    }

    /// An inline `<script>` or `<style>` (nothing extracted: we write no `url(...)` in CSS).
    pub fn inline(&mut self, tag: &str, attrs: &[(&str, &str)], body: &str) {
        self.open(tag, attrs, false);
        self.raw(body);
        self.raw("</");
        self.raw(tag);
        self.raw(">\n");
    }

    /// `<a href=...>text</a>`.
    pub fn a(&mut self, attrs: &[(&str, &str)], text: &str) {
        self.open("a", attrs, false);
        self.text(text);
        self.raw("</a>");
        self.record_a(attrs, text);
    }

    /// `<a href=...>` around other content (write it, then call [`Self::a_close`]).
    pub fn a_open(&mut self, attrs: &[(&str, &str)]) {
        self.open("a", attrs, false);
    }

    /// Closes an anchor opened with [`Self::a_open`]; `text` is the text written inside it. Its
    /// record comes after those of elements inside it (the extractor adds it at `</a>`).
    pub fn a_close(&mut self, attrs: &[(&str, &str)], text: &str) {
        self.raw("</a>");
        self.record_a(attrs, text);
    }

    fn record_a(&mut self, attrs: &[(&str, &str)], text: &str) {
        if let Some((_, href)) = attrs.iter().find(|(k, _)| *k == "href") {
            let mut rec = Self::record(
                "A@/href",
                href,
                attrs,
                &["target", "alt", "title", "rel", "hreflang", "type"],
            );
            let t = extracted_text(text);
            if !t.is_empty() {
                rec.push(("text", t));
            }
            self.meta.links.push(rec);
        }
    }

    pub fn img(&mut self, attrs: &[(&str, &str)], xhtml: bool) {
        self.open("img", attrs, xhtml);
        if let Some((_, src)) = attrs.iter().find(|(k, _)| *k == "src") {
            let rec = Self::record("IMG@/src", src, attrs, &["alt", "title"]);
            self.meta.links.push(rec);
        }
    }

    pub fn form_open(&mut self, attrs: &[(&str, &str)]) {
        self.open("form", attrs, false);
        if let Some((_, action)) = attrs.iter().find(|(k, _)| *k == "action") {
            let rec = Self::record("FORM@/action", action, attrs, &["target", "method"]);
            self.meta.links.push(rec);
        }
    }

    pub fn iframe(&mut self, attrs: &[(&str, &str)]) {
        self.open("iframe", attrs, false);
        self.raw("</iframe>");
        if let Some((_, src)) = attrs.iter().find(|(k, _)| *k == "src") {
            self.meta
                .links
                .push(Self::record("IFRAME@/src", src, attrs, &[]));
        }
    }
}

// ------------------------------------------------------------------------------------ vocabulary

const CSS_WORDS: &[&str] = &[
    "header",
    "nav",
    "menu",
    "item",
    "link",
    "btn",
    "card",
    "title",
    "content",
    "footer",
    "widget",
    "post",
    "entry",
    "meta",
    "container",
    "row",
    "col",
    "wrapper",
    "inner",
    "logo",
    "search",
    "icon",
    "social",
    "list",
    "grid",
    "image",
    "thumb",
    "excerpt",
    "date",
    "author",
    "tag",
    "category",
    "sidebar",
    "main",
    "section",
    "hero",
    "banner",
    "cta",
    "button",
    "form",
    "input",
    "label",
    "modal",
    "dropdown",
    "toggle",
    "active",
    "mobile",
    "primary",
    "secondary",
    "block",
    "media",
    "body",
    "text",
    "small",
    "large",
    "wide",
    "top",
    "bottom",
    "left",
    "right",
];
const CSS_PROPS: &[&str] = &[
    "margin",
    "padding",
    "color",
    "background-color",
    "font-size",
    "line-height",
    "display",
    "width",
    "max-width",
    "height",
    "border",
    "border-radius",
    "font-weight",
    "text-align",
    "position",
    "top",
    "left",
    "z-index",
    "opacity",
    "transition",
    "box-shadow",
    "gap",
    "justify-content",
    "align-items",
    "flex-wrap",
    "letter-spacing",
    "text-decoration",
    "font-family",
    "overflow",
    "min-height",
];
const THEMES: &[&str] = &[
    "astra",
    "generatepress",
    "oceanwp",
    "twentytwentyfour",
    "twentytwentyone",
    "hello-elementor",
    "kadence",
    "neve",
    "divi",
    "avada",
    "flatsome",
    "blocksy",
    "newspaper",
    "enfold",
    "storefront",
];
const EN_CATEGORIES: &[&str] = &[
    "News",
    "Uncategorized",
    "Business",
    "Travel",
    "Health",
    "Lifestyle",
    "Technology",
    "Sports",
    "Food",
    "Events",
    "Education",
    "Tips",
    "Reviews",
    "Home",
    "Culture",
    "Music",
];
const SOCIAL: &[(&str, &str)] = &[
    ("facebook", "https://www.facebook.com/"),
    ("twitter", "https://twitter.com/"),
    ("instagram", "https://www.instagram.com/"),
    ("youtube", "https://www.youtube.com/@"),
    ("linkedin", "https://www.linkedin.com/company/"),
    ("pinterest", "https://www.pinterest.com/"),
    ("tiktok", "https://www.tiktok.com/@"),
    ("x", "https://x.com/"),
];

/// Per-page rendering state.
struct Ctx<'a> {
    page: &'a Page,
    capture: &'a Capture,
    corpus: &'a Corpus,
    rng: Rng,
    /// Page-language phrases for boilerplate (widget titles, categories, alt texts).
    words: Writer,
    eng: bool,
    base: String,
    host: String,
    /// Internal links written absolute (`https://host/x/`) rather than relative (`/x/`).
    absolute: bool,
    xhtml: bool,
    lang: String,
    site_slug: String,
    year: u64,
    month: u64,
    next_menu_id: u64,
    /// Page-builder markup around each content block.
    wrap: Wrap,
}

/// How a page builder wraps content blocks (a large share of real markup).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wrap {
    None,
    Elementor,
    Bootstrap,
    Tailwind,
}

fn wrap_open(cx: &mut Ctx, d: &mut Doc, widget: &str) {
    match cx.wrap {
        Wrap::None => {}
        Wrap::Elementor => {
            let id = token(&mut cx.rng, 7, b"0123456789abcdef");
            let _ = write!(
                d.html,
                "<div class=\"elementor-element elementor-element-{id} elementor-widget elementor-widget-{widget}\" data-id=\"{id}\" data-element_type=\"widget\" data-widget_type=\"{widget}.default\">\n<div class=\"elementor-widget-container\">\n"
            );
        }
        Wrap::Bootstrap => d.raw("<div class=\"row\"><div class=\"col-12 col-lg-10 offset-lg-1\">"),
        Wrap::Tailwind => d.raw("<div class=\"mx-auto max-w-3xl px-4 sm:px-6 lg:px-8 py-2 text-base leading-7 text-gray-700\">"),
    }
}

/// `<li><a href="/slug-of-text/">text</a></li>`: an item of a navigation or footer link list.
fn slug_item(cx: &mut Ctx, d: &mut Doc, text: &str) {
    let slug = cx.slug(text);
    let href = cx.href(&format!("/{slug}/"));
    d.raw("<li>");
    d.a(&[("href", &href)], text);
    d.raw("</li>\n");
}

fn wrap_close(cx: &Ctx, d: &mut Doc) {
    match cx.wrap {
        Wrap::None => {}
        Wrap::Elementor | Wrap::Bootstrap => d.raw("</div>\n</div>\n"),
        Wrap::Tailwind => d.raw("</div>\n"),
    }
}

impl Ctx<'_> {
    fn href(&self, path: &str) -> String {
        if self.absolute {
            format!("{}{path}", self.base)
        } else {
            path.to_string()
        }
    }

    fn phrase(&mut self, n: usize) -> String {
        let mut s = String::new();
        self.words.phrase(&mut s, n);
        s
    }

    /// A URL path slug for `text` (ASCII slug, percent-encoded words, or syllables).
    fn slug(&mut self, text: &str) -> String {
        let s = ascii_slug(text, "-");
        if s.len() >= 2 {
            s
        } else if self.rng.chance(0.4) && !text.is_empty() {
            percent_encode(&text.replace(' ', "-")).to_ascii_lowercase()
        } else {
            let n = self.rng.range(6, 14) as usize;
            token(&mut self.rng, n, b"abcdefghijklmnopqrstuvwxyz")
        }
    }

    fn upload_img(&mut self, slug: &str) -> (String, u64, u64) {
        let (w, h) = [
            (1024, 683),
            (800, 600),
            (300, 200),
            (768, 512),
            (1200, 800),
            (640, 427),
        ][self.rng.index(6)];
        let y = 2016 + self.rng.below(9);
        let m = 1 + self.rng.below(12);
        let ext = ["jpg", "jpg", "jpg", "png", "webp"][self.rng.index(5)];
        let url = match self.capture.cms {
            Cms::WordPress => format!(
                "{}/wp-content/uploads/{y}/{m:02}/{slug}-{w}x{h}.{ext}",
                self.base
            ),
            Cms::Shopify => format!(
                "//{}/cdn/shop/files/{slug}_{w}x.{ext}?v={}",
                self.host,
                1_600_000_000 + self.rng.below(120_000_000)
            ),
            Cms::Joomla => format!("/images/{slug}.{ext}"),
            Cms::Drupal => format!("/sites/default/files/{y}-{m:02}/{slug}.{ext}"),
            Cms::Bitrix => format!(
                "/upload/iblock/{}/{}.{ext}",
                token(&mut self.rng, 3, b"0123456789abcdef"),
                token(&mut self.rng, 32, b"0123456789abcdef")
            ),
            _ => format!("/img/{slug}.{ext}"),
        };
        (url, w, h)
    }
}

fn token(rng: &mut Rng, n: usize, alphabet: &[u8]) -> String {
    (0..n)
        .map(|_| alphabet[rng.index(alphabet.len())] as char)
        .collect()
}

fn split_url(url: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let host = rest.split(['/', '?']).next().unwrap_or(rest);
    (format!("{scheme}://{host}"), host.to_string())
}

/// Renders the HTML of a successful HTML response.
pub fn render_page<'p>(page: &'p Page, capture: &Capture, corpus: &Corpus) -> Doc<'p> {
    let mut cx = context(page, capture, corpus);
    let mut d = Doc::of(page, page.text.len() * 3 + 16 * 1024);
    head(&mut cx, &mut d, false);
    body(&mut cx, &mut d);
    d
}

fn context<'a>(page: &'a Page, capture: &'a Capture, corpus: &'a Corpus) -> Ctx<'a> {
    let mut rng = Rng::new(derive(&[capture.seed, TAG_HTML]));
    let words = Writer::new(
        page.lang_indices[0],
        Rng::new(derive(&[capture.seed, TAG_HTML_WORDS])),
    );
    let (base, host) = split_url(&page.url);
    let absolute = match capture.cms {
        Cms::WordPress | Cms::Shopify => true,
        Cms::Static => false,
        _ => rng.chance(0.3),
    };
    let code = LANGUAGES[page.lang_indices[0]].code;
    let two = html_lang(code);
    let lang = if capture.cms == Cms::WordPress || rng.chance(0.3) {
        let region = match two {
            "en" => ["US", "US", "GB", "AU"][rng.index(4)],
            "pt" => "BR",
            "zh" => "CN",
            "ja" => "JP",
            "ko" => "KR",
            "sv" => "SE",
            "da" => "DK",
            "el" => "GR",
            "uk" => "UA",
            "he" => "IL",
            "hi" => "IN",
            "fa" => "IR",
            "vi" => "VN",
            "cs" => "CZ",
            "nb" | "no" => "NO",
            other => {
                // "de-DE", "fr-FR", ...
                let up: String = other.to_ascii_uppercase();
                region_of(&up)
            }
        };
        format!("{two}-{region}")
    } else {
        two.to_string()
    };
    let site_slug = {
        let h = host.trim_start_matches("www.");
        h.split('.').next().unwrap_or(h).to_string()
    };
    let (y, m, _) = crate::page::civil_from_days((page.fetch_unix / 86_400) as i64);
    let wrap = match (capture.cms, rng.below(100)) {
        (Cms::WordPress, 0..=39) => Wrap::Elementor,
        (Cms::Custom, 0..=34) => Wrap::Bootstrap,
        (Cms::Custom, 35..=54) => Wrap::Tailwind,
        (Cms::Drupal | Cms::Joomla | Cms::Bitrix, 0..=49) => Wrap::Bootstrap,
        _ => Wrap::None,
    };
    Ctx {
        page,
        capture,
        corpus,
        rng,
        words,
        eng: code == "eng",
        base,
        host,
        absolute,
        xhtml: capture.xhtml,
        lang,
        site_slug,
        year: y as u64,
        month: m as u64,
        next_menu_id: 0,
        wrap,
    }
}

fn region_of(up: &str) -> &'static str {
    // The languages whose region code is their own code in upper case.
    const REGIONS: &[&str] = &[
        "DE", "FR", "ES", "IT", "NL", "PL", "RU", "TR", "ID", "AR", "HU", "RO", "FI", "TH", "BG",
    ];
    REGIONS.iter().find(|r| **r == up).copied().unwrap_or("US")
}

fn head(cx: &mut Ctx, d: &mut Doc, minimal: bool) {
    let x = cx.xhtml;
    if x {
        d.raw("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n");
        let lang = cx.lang.clone();
        d.html_open(&[
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("xml:lang", &lang),
            ("lang", &lang),
        ]);
    } else {
        d.raw("<!DOCTYPE html>\n");
        if cx.rng.chance(0.8) {
            let lang = cx.lang.clone();
            if cx.capture.cms == Cms::Custom && cx.rng.chance(0.3) {
                d.html_open(&[("lang", &lang), ("class", "no-js")]);
            } else {
                d.html_open(&[("lang", &lang)]);
            }
        } else {
            d.raw("<html>\n");
        }
    }
    d.raw("<head>\n");
    if x {
        d.meta(
            &[
                ("http-equiv", "Content-Type"),
                ("content", "text/html; charset=utf-8"),
            ],
            true,
        );
    } else {
        d.meta(&[("charset", "utf-8")], false);
    }
    if cx.rng.chance(0.3) {
        d.meta(
            &[("http-equiv", "X-UA-Compatible"), ("content", "IE=edge")],
            x,
        );
    }
    d.meta(
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
        x,
    );
    let title = cx.page.title.clone();
    let desc = description(cx.page);
    let wp = cx.capture.cms == Cms::WordPress;
    if wp && cx.rng.chance(0.6) {
        d.meta(
            &[
                ("name", "robots"),
                (
                    "content",
                    "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1",
                ),
            ],
            x,
        );
    }
    d.title(&title);
    if minimal {
        d.raw("</head>\n");
        return;
    }
    if cx.rng.chance(0.7) {
        d.meta_content(("name", "description"), &desc.pieces(), x);
    }
    let url = cx.page.url.clone();
    if cx.rng.chance(0.55) {
        d.link_tag(&[("rel", "canonical"), ("href", &url)], x);
    }
    // Open Graph and Twitter cards (SEO plugins, most CMS themes).
    if cx.rng.chance(if wp { 0.5 } else { 0.25 }) {
        let locale = cx.lang.replace('-', "_");
        let site = cx.page.site.clone();
        d.meta(&[("property", "og:locale"), ("content", &locale)], x);
        d.meta(&[("property", "og:type"), ("content", "article")], x);
        d.meta(
            &[("property", "og:title"), ("content", &cx.page.heading)],
            x,
        );
        d.meta_content(("property", "og:description"), &desc.pieces(), x);
        d.meta(&[("property", "og:url"), ("content", &url)], x);
        if !site.is_empty() {
            d.meta(&[("property", "og:site_name"), ("content", &site)], x);
        }
        let slug = cx.slug(&cx.page.heading.clone());
        let (img, w, h) = cx.upload_img(&slug);
        let img = if img.starts_with("http") {
            img
        } else {
            format!("{}{img}", cx.base)
        };
        d.meta(&[("property", "og:image"), ("content", &img)], x);
        d.meta(
            &[("property", "og:image:width"), ("content", &w.to_string())],
            x,
        );
        d.meta(
            &[("property", "og:image:height"), ("content", &h.to_string())],
            x,
        );
        if cx.rng.chance(0.4) {
            d.meta(
                &[("name", "twitter:card"), ("content", "summary_large_image")],
                x,
            );
            let handle = format!("@{}", cx.site_slug);
            d.meta(&[("name", "twitter:site"), ("content", &handle)], x);
        }
    }
    match cx.capture.cms {
        Cms::WordPress => {
            let v = [
                "6.5.3", "6.5.2", "6.4.4", "6.4.3", "6.3.4", "6.2.5", "5.9.9",
            ][cx.rng.front_biased(7)];
            d.meta(
                &[
                    ("name", "generator"),
                    ("content", &format!("WordPress {v}")),
                ],
                x,
            );
        }
        Cms::Joomla => d.meta(
            &[
                ("name", "generator"),
                ("content", "Joomla! - Open Source Content Management"),
            ],
            x,
        ),
        Cms::Drupal => d.meta(
            &[
                ("name", "Generator"),
                ("content", "Drupal 10 (https://www.drupal.org)"),
            ],
            x,
        ),
        _ => {}
    }
    if cx.rng.chance(0.15) {
        let code = token(
            &mut cx.rng,
            43,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        );
        d.meta(
            &[("name", "google-site-verification"), ("content", &code)],
            x,
        );
    }
    if cx.rng.chance(0.3) {
        let c = format!("#{:06x}", cx.rng.below(1 << 24));
        d.meta(&[("name", "theme-color"), ("content", &c)], x);
    }
    // Stylesheets, icons, feeds, preconnects.
    let base = cx.base.clone();
    if cx.rng.chance(0.25) {
        d.link_tag(
            &[
                ("rel", "preconnect"),
                ("href", "https://fonts.googleapis.com"),
            ],
            x,
        );
        d.link_tag(
            &[
                ("rel", "preconnect"),
                ("href", "https://fonts.gstatic.com"),
                ("crossorigin", ""),
            ],
            x,
        );
    }
    let n_css = 1 + cx.rng.below(4);
    let css_dir = ["css", "assets/css", "static/css", "templates/site/css"][cx.rng.index(4)];
    let css_ver = cx.rng.below(1000);
    let css_first = cx.rng.index(8);
    let theme = THEMES[cx.rng.index(THEMES.len())];
    for k in 0..n_css {
        let href = match cx.capture.cms {
            Cms::WordPress => {
                let plugin = [
                    "contact-form-7",
                    "elementor",
                    "woocommerce",
                    "wp-block-library",
                    "jetpack",
                    "yoast",
                ][cx.rng.index(6)];
                if k == 0 {
                    format!(
                        "{base}/wp-content/themes/{theme}/style.css?ver={}.{}.{}",
                        1 + cx.rng.below(5),
                        cx.rng.below(10),
                        cx.rng.below(10)
                    )
                } else {
                    format!(
                        "{base}/wp-content/plugins/{plugin}/assets/css/{}.min.css?ver={}.{}",
                        ["style", "frontend", "main", "common"][cx.rng.index(4)],
                        1 + cx.rng.below(9),
                        cx.rng.below(20)
                    )
                }
            }
            Cms::Shopify => format!(
                "//{}/cdn/shop/t/{}/assets/{}.css?v={}",
                cx.host,
                1 + cx.rng.below(40),
                ["base", "theme", "component-card", "section-header"][cx.rng.index(4)],
                cx.rng.below(1 << 40)
            ),
            Cms::Bitrix => format!(
                "/bitrix/cache/css/s1/{theme}/template_{}.css?{}",
                token(&mut cx.rng, 32, b"0123456789abcdef"),
                1_700_000_000 + cx.rng.below(20_000_000)
            ),
            _ => format!(
                "/{css_dir}/{}.css?v={css_ver}",
                [
                    "style",
                    "main",
                    "bootstrap.min",
                    "app",
                    "custom",
                    "theme",
                    "fonts",
                    "print"
                ][(k as usize + css_first) % 8]
            ),
        };
        if cx.rng.chance(0.5) {
            d.link_tag(
                &[
                    ("rel", "stylesheet"),
                    ("href", &href),
                    ("type", "text/css"),
                    ("media", "all"),
                ],
                x,
            );
        } else {
            d.link_tag(&[("rel", "stylesheet"), ("href", &href)], x);
        }
    }
    if cx.rng.chance(0.6) {
        d.link_tag(
            &[
                ("rel", "icon"),
                ("href", &cx.href("/favicon.ico")),
                ("type", "image/x-icon"),
            ],
            x,
        );
    }
    if cx.rng.chance(0.25) {
        d.link_tag(
            &[
                ("rel", "apple-touch-icon"),
                ("href", &cx.href("/apple-touch-icon.png")),
            ],
            x,
        );
    }
    if wp {
        let feed = format!("{base}/feed/");
        let t = format!("{} &raquo; Feed", cx.page.site);
        d.link_tag(
            &[
                ("rel", "alternate"),
                ("type", "application/rss+xml"),
                ("title", &t),
                ("href", &feed),
            ],
            x,
        );
        d.link_tag(
            &[
                ("rel", "https://api.w.org/"),
                ("href", &format!("{base}/wp-json/")),
            ],
            x,
        );
        if cx.rng.chance(0.6) {
            d.link_tag(
                &[
                    ("rel", "EditURI"),
                    ("type", "application/rsd+xml"),
                    ("title", "RSD"),
                    ("href", &format!("{base}/xmlrpc.php?rsd")),
                ],
                x,
            );
        }
        if cx.rng.chance(0.5) {
            d.link_tag(
                &[
                    ("rel", "shortlink"),
                    ("href", &format!("{base}/?p={}", cx.rng.range(10, 40_000))),
                ],
                x,
            );
        }
    }
    if cx.rng.chance(0.12) {
        // Multilingual sites announce their translations.
        for l in ["en", "de", "fr", "es"].iter().take(2 + cx.rng.index(3)) {
            let href = format!("{base}/{l}/");
            d.link_tag(&[("rel", "alternate"), ("hreflang", l), ("href", &href)], x);
        }
    }
    // Scripts in the head: analytics, jQuery, the CMS's own.
    if cx.rng.chance(0.55) {
        let id = format!(
            "G-{}",
            token(&mut cx.rng, 10, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        );
        d.script_src(&[
            ("async", ""),
            (
                "src",
                &format!("https://www.googletagmanager.com/gtag/js?id={id}"),
            ),
        ]);
        let body = format!(
            "\n  window.dataLayer = window.dataLayer || [];\n  function gtag(){{dataLayer.push(arguments);}}\n  gtag('js', new Date());\n\n  gtag('config', '{id}');\n"
        );
        d.inline("script", &[], &body);
    }
    if wp || cx.rng.chance(0.35) {
        let src = if wp {
            format!("{base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1")
        } else {
            [
                "https://code.jquery.com/jquery-3.6.0.min.js",
                "https://ajax.googleapis.com/ajax/libs/jquery/3.5.1/jquery.min.js",
                "/js/jquery.min.js",
                "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js",
            ][cx.rng.index(4)]
            .to_string()
        };
        if x || cx.rng.chance(0.4) {
            d.script_src(&[("type", "text/javascript"), ("src", &src)]);
        } else {
            d.script_src(&[("src", &src), ("id", "jquery-core-js")]);
        }
    }
    if wp && cx.rng.chance(0.6) {
        d.inline("script", &[], &wp_emoji_settings(cx));
    }
    if wp && cx.rng.chance(0.6) {
        d.inline(
            "style",
            &[("id", "global-styles-inline-css")],
            global_styles(),
        );
    }
    // Inline CSS: theme customisations, plugin styles, critical CSS.
    let css = inline_css(&mut cx.rng);
    d.inline(
        "style",
        &[("id", if wp { "wp-custom-css" } else { "inline-css" })],
        &css,
    );
    if cx.rng.chance(if wp { 0.7 } else { 0.3 }) {
        json_ld(cx, d, &desc);
    }
    d.raw("</head>\n");
}

/// The block-theme "global styles" a WordPress 6 page inlines: the same few KB on every page of
/// every such site (synthetic values in that style).
fn global_styles() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(|| {
        const COLORS: &[(&str, &str)] = &[
            ("black", "#000000"), ("cyan-bluish-gray", "#abb8c3"), ("white", "#ffffff"),
            ("pale-pink", "#f78da7"), ("vivid-red", "#cf2e2e"), ("luminous-vivid-orange", "#ff6900"),
            ("luminous-vivid-amber", "#fcb900"), ("light-green-cyan", "#7bdcb5"),
            ("vivid-green-cyan", "#00d084"), ("pale-cyan-blue", "#8ed1fc"),
            ("vivid-cyan-blue", "#0693e3"), ("vivid-purple", "#9b51e0"),
        ];
        const SIZES: &[(&str, &str)] = &[
            ("small", "13px"), ("medium", "20px"), ("large", "36px"), ("x-large", "42px"),
        ];
        let mut s = String::from("body{");
        for (n, v) in COLORS {
            let _ = write!(s, "--wp--preset--color--{n}: {v};");
        }
        for (n, v) in SIZES {
            let _ = write!(s, "--wp--preset--font-size--{n}: {v};");
        }
        for k in 20..=80 {
            if k % 10 == 0 {
                let _ = write!(s, "--wp--preset--spacing--{k}: {:.2}rem;", k as f64 / 40.0);
            }
        }
        s.push_str("}\n");
        for (prop, cls) in [("color", "color"), ("background-color", "background-color"), ("border-color", "border-color")] {
            for (n, _) in COLORS {
                let _ = write!(s, ".has-{n}-{cls}{{{prop}: var(--wp--preset--color--{n}) !important;}}");
            }
        }
        for (n, _) in SIZES {
            let _ = write!(s, ".has-{n}-font-size{{font-size: var(--wp--preset--font-size--{n}) !important;}}");
        }
        s.push_str("\n:where(.wp-block-columns.is-layout-flex){gap: 2em;}:where(.wp-block-columns.is-layout-grid){gap: 2em;}\n:where(.wp-block-post-template.is-layout-flex){gap: 1.25em;}:where(.wp-block-post-template.is-layout-grid){gap: 1.25em;}\n");
        s
    })
}

/// The page's description: its first paragraph (else its heading), cut to at most 155 bytes
/// and then followed by "…" when longer. A cut that would fall inside an inserted emoji goes
/// back to the emoji's start ([`Page::emoji_safe_cut`]): the description holds whole emoji only.
struct Description<'p> {
    /// A slice of [`Page::text`] (or the heading).
    text: &'p str,
    cut: bool,
}

impl<'p> Description<'p> {
    fn pieces(&self) -> [&'p str; 2] {
        [self.text, if self.cut { "…" } else { "" }]
    }
}

fn description(page: &Page) -> Description<'_> {
    const MAX: usize = 155;
    let para = page
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph)
        .map(|b| &page.text[b.start as usize..b.end as usize])
        .unwrap_or(&page.heading);
    if para.len() <= MAX {
        return Description {
            text: para,
            cut: false,
        };
    }
    let mut cut = MAX;
    while !para.is_char_boundary(cut) {
        cut -= 1;
    }
    if let Some(at) = page.offset_of(para) {
        cut = page.emoji_safe_cut(at + cut) - at;
    }
    Description {
        text: &para[..cut],
        cut: true,
    }
}

fn wp_emoji_settings(cx: &mut Ctx) -> String {
    let ver = format!("6.{}.{}", 2 + cx.rng.below(4), cx.rng.below(5));
    format!(
        "\nwindow._wpemojiSettings = {{\"baseUrl\":\"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/\",\"ext\":\".png\",\"svgUrl\":\"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/svg\\/\",\"svgExt\":\".svg\",\"source\":{{\"concatemoji\":\"{}\\/wp-includes\\/js\\/wp-emoji-release.min.js?ver={ver}\"}}}};\n/*! This file is auto-generated */\n!function(i,n){{var o,s,e;function c(e){{try{{var t={{supportTests:e,timestamp:(new Date).valueOf()}};sessionStorage.setItem(o,JSON.stringify(t))}}catch(e){{}}}}function p(e,t,n){{e.clearRect(0,0,e.canvas.width,e.canvas.height),e.fillText(t,0,0);var t=new Uint32Array(e.getImageData(0,0,e.canvas.width,e.canvas.height).data),r=(e.clearRect(0,0,e.canvas.width,e.canvas.height),e.fillText(n,0,0),new Uint32Array(e.getImageData(0,0,e.canvas.width,e.canvas.height).data));return t.every(function(e,t){{return e===r[t]}})}}function u(e,t,n){{switch(t){{case\"flag\":return n(e,\"\\ud83c\\udff3\\ufe0f\\u200d\\u26a7\\ufe0f\",\"\\ud83c\\udff3\\ufe0f\\u200b\\u26a7\\ufe0f\")?!1:!n(e,\"\\ud83c\\uddfa\\ud83c\\uddf3\",\"\\ud83c\\uddfa\\u200b\\ud83c\\uddf3\");case\"emoji\":return!n(e,\"\\ud83d\\udc26\\u200d\\u2b1b\",\"\\ud83d\\udc26\\u200b\\u2b1b\")}}return!1}}}}(window,document);\n",
        cx.base.replace('/', "\\/")
    )
}

fn inline_css(rng: &mut Rng) -> String {
    // A site uses a handful of colours and sizes over and over, as real stylesheets do.
    let palette: Vec<String> = (0..rng.range(3, 7))
        .map(|_| format!("#{:06x}", rng.below(1 << 24)))
        .collect();
    let rules = rng.lognormal(30.0, 0.9).clamp(3.0, 400.0) as usize;
    let mut css = String::with_capacity(rules * 90);
    for _ in 0..rules {
        css.push('.');
        let parts = 1 + rng.below(3);
        for p in 0..parts {
            if p > 0 {
                css.push('-');
            }
            css.push_str(CSS_WORDS[rng.front_biased(CSS_WORDS.len())]);
        }
        if rng.chance(0.3) {
            css.push_str(" .");
            css.push_str(CSS_WORDS[rng.front_biased(CSS_WORDS.len())]);
        }
        css.push('{');
        let props = 1 + rng.below(5);
        for _ in 0..props {
            let k = rng.front_biased(CSS_PROPS.len());
            let prop = CSS_PROPS[k];
            css.push_str(prop);
            css.push(':');
            let _ = match prop {
                "color" | "background-color" => {
                    write!(css, "{}", palette[rng.front_biased(palette.len())])
                }
                "border" => write!(
                    css,
                    "1px solid {}",
                    palette[rng.front_biased(palette.len())]
                ),
                "display" => write!(
                    css,
                    "{}",
                    ["block", "flex", "none", "inline-block", "grid"][rng.front_biased(5)]
                ),
                "position" => write!(
                    css,
                    "{}",
                    ["relative", "absolute", "fixed", "sticky"][rng.front_biased(4)]
                ),
                "font-weight" => write!(
                    css,
                    "{}",
                    ["700", "600", "400", "bold", "500"][rng.front_biased(5)]
                ),
                "text-align" | "justify-content" | "align-items" => write!(
                    css,
                    "{}",
                    ["center", "left", "flex-start", "space-between", "right"][rng.front_biased(5)]
                ),
                "transition" => write!(
                    css,
                    "all {}s ease",
                    ["0.3", "0.2", "0.5", ".15"][rng.front_biased(4)]
                ),
                "font-family" => write!(
                    css,
                    "{}",
                    [
                        "inherit",
                        "\"Open Sans\",sans-serif",
                        "Roboto,Arial,sans-serif",
                        "-apple-system,BlinkMacSystemFont,\"Segoe UI\",sans-serif"
                    ][rng.front_biased(4)]
                ),
                "width" | "max-width" | "min-height" | "height" => write!(
                    css,
                    "{}",
                    ["100%", "auto", "50%", "1200px", "33.333%", "280px"][rng.front_biased(6)]
                ),
                "opacity" | "z-index" => write!(
                    css,
                    "{}",
                    ["0", "1", "0.8", "10", "99", "999"][rng.front_biased(6)]
                ),
                _ => write!(
                    css,
                    "{}",
                    [
                        "0",
                        "10px",
                        "20px",
                        "1rem",
                        "0 auto",
                        "15px",
                        "5px 10px",
                        "2em",
                        "1.5",
                        "4px",
                        "30px",
                        "0.5rem 1rem"
                    ][rng.front_biased(12)]
                ),
            };
            css.push(';');
        }
        css.push_str("}\n");
        if rng.chance(0.08) {
            css.push_str("@media (max-width: ");
            css.push_str(["767px", "991px", "1024px", "600px", "480px"][rng.front_biased(5)]);
            css.push_str("){.");
            css.push_str(CSS_WORDS[rng.front_biased(CSS_WORDS.len())]);
            css.push_str("{display:none;}}\n");
        }
    }
    css
}

/// The JSON-LD script, written straight into the document so that the description's emoji are
/// logged where they land (non-ASCII is written as is, as [`crate::json::push_str`] does).
fn json_ld(cx: &mut Ctx, d: &mut Doc, desc: &Description) {
    let mut s = String::new();
    let url = &cx.page.url;
    let date = crate::warc::warc_date(cx.page.fetch_unix - cx.rng.below(3 * 365 * 86_400));
    s.push_str("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebPage\",\"@id\":");
    crate::json::push_str(&mut s, url);
    s.push_str(",\"url\":");
    crate::json::push_str(&mut s, url);
    s.push_str(",\"name\":");
    crate::json::push_str(&mut s, &cx.page.title);
    s.push_str(",\"isPartOf\":{\"@id\":");
    crate::json::push_str(&mut s, &format!("{}/#website", cx.base));
    s.push_str("},\"datePublished\":");
    crate::json::push_str(&mut s, &date);
    s.push_str(",\"description\":\"");
    d.open("script", &[("type", "application/ld+json")], false);
    d.raw(&s);
    s.clear();
    for piece in desc.pieces() {
        d.json_text(piece);
    }
    s.push_str("\",\"inLanguage\":");
    crate::json::push_str(&mut s, &cx.lang);
    s.push_str("},{\"@type\":\"WebSite\",\"@id\":");
    crate::json::push_str(&mut s, &format!("{}/#website", cx.base));
    s.push_str(",\"url\":");
    crate::json::push_str(&mut s, &format!("{}/", cx.base));
    s.push_str(",\"name\":");
    crate::json::push_str(&mut s, &cx.page.site);
    s.push_str("}]}");
    d.raw(&s);
    d.raw("</script>\n");
}

/// A nav `<li>` in the CMS's markup.
fn nav_item(cx: &mut Ctx, d: &mut Doc, text: &str, path: &str) {
    let href = cx.href(path);
    match cx.capture.cms {
        Cms::WordPress => {
            cx.next_menu_id += 1 + cx.rng.below(3);
            let id = cx.next_menu_id;
            let _ = write!(
                d.html,
                "<li id=\"menu-item-{id}\" class=\"menu-item menu-item-type-{} menu-item-object-{} menu-item-{id}\">",
                ["post_type", "taxonomy", "custom"][cx.rng.index(3)],
                ["page", "category", "custom"][cx.rng.index(3)]
            );
            d.a(&[("href", &href)], text);
            d.raw("</li>\n");
        }
        Cms::Bitrix | Cms::Joomla => {
            d.raw("<li class=\"nav-item item-");
            let _ = write!(d.html, "{}", 100 + cx.rng.below(900));
            d.raw("\">");
            d.a(&[("href", &href), ("class", "nav-link")], text);
            d.raw("</li>\n");
        }
        Cms::Static => {
            d.raw("<li>");
            d.a(&[("href", &href)], text);
            d.raw("</li>\n");
        }
        _ => {
            d.raw("<li class=\"nav-item\">");
            d.a(&[("class", "nav-link"), ("href", &href)], text);
            d.raw("</li>\n");
        }
    }
}

fn nav_menu(cx: &mut Ctx, d: &mut Doc, items: &[String], id: &str) {
    let _ = writeln!(d.html, "<ul id=\"{id}\" class=\"menu nav-menu\">");
    for (i, item) in items.iter().enumerate() {
        let path = if i == 0 && cx.rng.chance(0.5) {
            "/".to_string()
        } else {
            format!("/{}/", cx.slug(item))
        };
        nav_item(cx, d, item, &path);
    }
    d.raw("</ul>\n");
}

/// Page-language (or stock English) words for boilerplate labels.
fn label(cx: &mut Ctx, english: &[&str]) -> String {
    if cx.eng {
        english[cx.rng.index(english.len())].to_string()
    } else {
        let n = cx.rng.range(1, 2) as usize;
        cx.phrase(n)
    }
}

/// An inline SVG icon; `name` picks its (fixed, synthetic) path, the same on every page.
fn svg_icon(name: &str, d: &mut Doc) {
    let mut rng = Rng::new(derive(&name.bytes().map(u64::from).collect::<Vec<_>>()));
    d.raw("<svg class=\"icon icon-");
    d.raw(name);
    d.raw("\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\"><path d=\"M");
    let segs = rng.range(6, 14);
    let _ = write!(
        d.html,
        "{}.{} {}.{}",
        rng.below(24),
        rng.below(100),
        rng.below(24),
        rng.below(100)
    );
    for _ in 0..segs {
        let cmd = ["c", "l", "h", "v", "s", "C", "L"][rng.index(7)];
        d.raw(cmd);
        let args = match cmd {
            "c" | "C" => 6,
            "s" => 4,
            "h" | "v" => 1,
            _ => 2,
        };
        for a in 0..args {
            if a > 0 {
                d.raw(if rng.chance(0.5) { " " } else { "," });
            }
            if rng.chance(0.4) {
                d.raw("-");
            }
            let _ = write!(d.html, "{}.{:02}", rng.below(12), rng.below(100));
        }
    }
    d.raw("z\"></path></svg>");
}

/// Links to other pages of the crawl: (url, heading).
fn other_pages(cx: &mut Ctx, n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|_| {
            let back = cx.rng.range(1, 3000);
            let j = if cx.rng.chance(0.5) || cx.page.index < back {
                cx.page.index + back
            } else {
                cx.page.index - back
            };
            let t = Page::link_target(cx.corpus, j);
            (t.url, t.heading)
        })
        .collect()
}

fn header(cx: &mut Ctx, d: &mut Doc) {
    let x = cx.xhtml;
    let home = cx.href("/");
    let site = if cx.page.site.is_empty() {
        cx.site_slug.clone()
    } else {
        cx.page.site.clone()
    };
    if cx.rng.chance(0.5) {
        let t = label(cx, &["Skip to content"]);
        d.a(
            &[
                ("class", "skip-link screen-reader-text"),
                ("href", "#content"),
            ],
            &t,
        );
        d.raw("\n");
    }
    d.raw("<header id=\"masthead\" class=\"site-header\" role=\"banner\">\n");
    if cx.rng.chance(0.3) {
        d.raw("<div class=\"top-bar\"><div class=\"container\"><ul class=\"top-links\">\n");
        let n = cx.rng.range(2, 5);
        for _ in 0..n {
            let t = label(
                cx,
                &[
                    "Login",
                    "Register",
                    "My Account",
                    "Cart",
                    "Wishlist",
                    "Contact",
                    "Help",
                    "Track Order",
                    "Blog",
                    "Newsletter",
                ],
            );
            slug_item(cx, d, &t);
        }
        d.raw("</ul></div></div>\n");
    }
    d.raw("<div class=\"container header-inner\">\n<div class=\"site-branding\">\n");
    let slug = cx.site_slug.clone();
    let logo = match cx.capture.cms {
        Cms::WordPress => format!(
            "{}/wp-content/uploads/{}/{:02}/{slug}-logo.png",
            cx.base,
            cx.year - cx.rng.below(5),
            1 + cx.rng.below(12)
        ),
        _ => {
            let p = format!(
                "/{}/logo.{}",
                ["images", "img", "assets/img", "static"][cx.rng.index(4)],
                ["png", "svg"][cx.rng.index(2)]
            );
            cx.href(&p)
        }
    };
    let a_attrs = [
        ("href", home.as_str()),
        ("class", "custom-logo-link"),
        ("rel", "home"),
    ];
    d.a_open(&a_attrs);
    let w = (120 + cx.rng.below(200)).to_string();
    let h = (40 + cx.rng.below(80)).to_string();
    d.img(
        &[
            ("width", &w),
            ("height", &h),
            ("src", &logo),
            ("class", "custom-logo"),
            ("alt", &site),
        ],
        x,
    );
    d.a_close(&a_attrs, "");
    d.raw("\n");
    if cx.rng.chance(0.5) {
        d.raw("<p class=\"site-title\">");
        d.a(&[("href", &home), ("rel", "home")], &site);
        d.raw("</p>\n");
    }
    d.raw("</div>\n");
    let nav = cx.page.nav.clone();
    if !nav.is_empty() {
        d.raw("<nav id=\"site-navigation\" class=\"main-navigation\" aria-label=\"Primary\">\n<button class=\"menu-toggle\" aria-controls=\"primary-menu\" aria-expanded=\"false\"><span class=\"screen-reader-text\">Menu</span></button>\n");
        nav_menu(cx, d, &nav, "primary-menu");
        d.raw("</nav>\n");
        if cx.rng.chance(0.45) {
            d.raw("<div class=\"mobile-menu\" hidden>\n");
            nav_menu(cx, d, &nav, "mobile-menu");
            d.raw("</div>\n");
        }
    }
    if cx.rng.chance(0.5) {
        search_form(cx, d);
    }
    d.raw("</div>\n</header>\n");
}

fn search_form(cx: &mut Ctx, d: &mut Doc) {
    let action = cx.href("/");
    let x = cx.xhtml;
    d.form_open(&[
        ("role", "search"),
        ("method", "get"),
        ("class", "search-form"),
        ("action", &action),
    ]);
    d.raw("\n<label><span class=\"screen-reader-text\">Search for:</span>");
    d.open(
        "input",
        &[
            ("type", "search"),
            ("class", "search-field"),
            ("placeholder", "Search …"),
            ("value", ""),
            ("name", "s"),
        ],
        x,
    );
    d.raw("</label>\n");
    d.open(
        "input",
        &[
            ("type", "submit"),
            ("class", "search-submit"),
            ("value", "Search"),
        ],
        x,
    );
    d.raw("\n</form>\n");
}

fn body(cx: &mut Ctx, d: &mut Doc) {
    let body_class = match cx.capture.cms {
        Cms::WordPress => format!(
            "post-template-default single single-post postid-{} single-format-standard wp-custom-logo wp-embed-responsive {}",
            cx.rng.range(10, 40_000),
            ["no-sidebar", "right-sidebar", "left-sidebar", "elementor-default elementor-kit-5", "ast-separate-container"][cx.rng.index(5)]
        ),
        Cms::Shopify => "template-product gradient".into(),
        Cms::Drupal => "path-node page-node-type-article".into(),
        Cms::Bitrix => "bx-core bx-no-touch".into(),
        _ => ["home page", "page-template", "d-flex flex-column h-100", "is-article"][cx.rng.index(4)].into(),
    };
    let _ = writeln!(d.html, "<body class=\"{body_class}\">");
    if cx.rng.chance(0.2) {
        let id = format!(
            "GTM-{}",
            token(&mut cx.rng, 7, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        );
        d.raw("<noscript>");
        d.iframe(&[
            (
                "src",
                &format!("https://www.googletagmanager.com/ns.html?id={id}"),
            ),
            ("height", "0"),
            ("width", "0"),
            ("style", "display:none;visibility:hidden"),
        ]);
        d.raw("</noscript>\n");
    }
    d.raw("<div id=\"page\" class=\"site\">\n");
    header(cx, d);
    d.raw("<div id=\"content\" class=\"site-content\">\n<div class=\"container\">\n<div class=\"row\">\n<main id=\"main\" class=\"site-main col-md-8\">\n");
    content(cx, d);
    d.raw("</main>\n");
    if cx.capture.cms != Cms::Static && cx.rng.chance(0.6) {
        sidebar(cx, d);
    }
    d.raw("</div>\n</div>\n</div>\n");
    footer(cx, d);
    d.raw("</div>\n");
    scripts_at_end(cx, d);
    d.raw("</body>\n</html>\n");
}

/// The page's text blocks (everything after the title, menu and footer).
fn content(cx: &mut Ctx, d: &mut Doc) {
    let page = cx.page;
    let x = cx.xhtml;
    let kind = page.kind;
    // Lines that repeat on the page are template strings: "Read more", "Reply", "Add to cart".
    let mut counts: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for b in &page.blocks {
        if b.kind == BlockKind::Meta {
            *counts
                .entry(&page.text[b.start as usize..b.end as usize])
                .or_insert(0) += 1;
        }
    }
    let article_id = cx.rng.range(10, 40_000);
    let _ = write!(
        d.html,
        "<article id=\"post-{article_id}\" class=\"post-{article_id} post type-post status-publish format-standard has-post-thumbnail hentry category-{}\">\n<div class=\"entry-content\">\n",
        ascii_slug(&page.site, "-")
    );
    if cx.rng.chance(0.4) {
        d.raw("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><span>");
        let home = cx.href("/");
        let t = label(cx, &["Home"]);
        d.a(&[("href", &home)], &t);
        d.raw("</span> » <span>");
        let cat = label(cx, EN_CATEGORIES);
        let slug = cx.slug(&cat);
        let href = cx.href(&format!("/category/{slug}/"));
        d.a(&[("href", &href)], &cat);
        d.raw("</span> » <span class=\"breadcrumb_last\" aria-current=\"page\">");
        d.text(&page.heading);
        d.raw("</span></nav>\n");
    }
    let mut in_list = false;
    let mut in_card = false;
    let mut first_heading = true;
    let mut since_img = 0u32;
    let blocks: Vec<_> = page
        .blocks
        .iter()
        .filter(|b| {
            !matches!(
                b.kind,
                BlockKind::Title | BlockKind::Nav | BlockKind::Footer
            )
        })
        .collect();
    for b in blocks {
        let line = &page.text[b.start as usize..b.end as usize];
        if in_list && b.kind != BlockKind::ListItem {
            d.raw("</ul>\n");
            wrap_close(cx, d);
            in_list = false;
        }
        let card_start = match kind {
            PageKind::Listing => b.kind == BlockKind::Heading && !first_heading,
            PageKind::Shop => b.kind == BlockKind::ListItem,
            PageKind::Forum => {
                b.kind == BlockKind::Meta && counts.get(line) == Some(&1) && !in_card
            }
            PageKind::Article => false,
        };
        if card_start {
            if in_card {
                d.raw("</div>\n");
            }
            in_card = true;
            card(cx, d, kind, line);
            if kind == PageKind::Shop {
                continue;
            }
        }
        match b.kind {
            BlockKind::Heading => {
                if first_heading {
                    first_heading = false;
                    d.raw("<header class=\"entry-header\"><h1 class=\"entry-title\">");
                    d.text(line);
                    d.raw("</h1></header>\n");
                } else if kind == PageKind::Listing {
                    d.raw("<h2 class=\"entry-title\">");
                    let path = format!("/{}/", cx.slug(line));
                    let href = cx.href(&path);
                    d.a(&[("href", &href), ("rel", "bookmark")], line);
                    d.raw("</h2>\n");
                } else {
                    wrap_open(cx, d, "heading");
                    if cx.rng.chance(0.7) {
                        d.raw("<h2 class=\"wp-block-heading\">");
                        d.text(line);
                        d.raw("</h2>\n");
                    } else {
                        d.raw("<h3>");
                        d.text(line);
                        d.raw("</h3>\n");
                    }
                    wrap_close(cx, d);
                }
            }
            BlockKind::Paragraph => {
                wrap_open(cx, d, "text-editor");
                paragraph(cx, d, line);
                wrap_close(cx, d);
                since_img += 1;
                if kind == PageKind::Article && since_img >= 3 && cx.rng.chance(0.2) {
                    since_img = 0;
                    figure(cx, d);
                }
            }
            BlockKind::ListItem => {
                if !in_list {
                    wrap_open(cx, d, "icon-list");
                    d.raw("<ul class=\"wp-block-list\">\n");
                    in_list = true;
                }
                d.raw("<li>");
                d.text(line);
                d.raw("</li>\n");
            }
            BlockKind::Meta => {
                if counts.get(line).copied().unwrap_or(0) >= 2 {
                    // A template button or link.
                    let href = match kind {
                        PageKind::Shop => format!("?add-to-cart={}", cx.rng.range(100, 9999)),
                        PageKind::Forum => "#respond".to_string(),
                        _ => {
                            let s = cx.slug(line);
                            let p = format!("/{s}-{}/", cx.rng.range(2, 999));
                            cx.href(&p)
                        }
                    };
                    d.raw("<p class=\"more\">");
                    d.a(&[("href", &href), ("class", "more-link button")], line);
                    d.raw("</p>\n");
                } else if kind == PageKind::Shop && line.chars().any(|c| c.is_ascii_digit()) {
                    d.raw("<span class=\"price\"><span class=\"woocommerce-Price-amount amount\"><bdi>");
                    d.text(line);
                    d.raw("</bdi></span></span>\n");
                } else {
                    d.raw("<div class=\"entry-meta\"><span class=\"posted-on\">");
                    d.text(line);
                    d.raw("</span></div>\n");
                }
            }
            _ => {}
        }
    }
    if in_list {
        d.raw("</ul>\n");
        wrap_close(cx, d);
    }
    if in_card {
        d.raw("</div>\n");
    }
    d.raw("</div>\n");
    if kind == PageKind::Listing || (kind == PageKind::Shop && cx.rng.chance(0.6)) {
        d.raw("<nav class=\"pagination\"><div class=\"nav-links\">");
        let pages = cx.rng.range(3, 9);
        let here = cx.rng.range(1, pages);
        for n in 1..=pages {
            if n == here {
                let _ = write!(
                    d.html,
                    "<span aria-current=\"page\" class=\"page-numbers current\">{n}</span>"
                );
            } else {
                let href = cx.href(&format!("/page/{n}/"));
                d.a(
                    &[("class", "page-numbers"), ("href", &href)],
                    &n.to_string(),
                );
            }
        }
        let next = cx.href(&format!("/page/{}/", here + 1));
        let t = label(cx, &["Next »", "Next", "Older posts"]);
        d.a(&[("class", "next page-numbers"), ("href", &next)], &t);
        d.raw("</div></nav>\n");
    }
    if kind == PageKind::Article && cx.rng.chance(0.45) {
        related_posts(cx, d);
    }
    // Share buttons, tags, post navigation.
    if cx.rng.chance(0.35) {
        share_buttons(cx, d);
    }
    if cx.capture.cms == Cms::WordPress && cx.rng.chance(0.6) {
        d.raw("<nav class=\"navigation post-navigation\" aria-label=\"Posts\"><div class=\"nav-links\">");
        for (i, (url, heading)) in other_pages(cx, 2).into_iter().enumerate() {
            let rel = if i == 0 { "prev" } else { "next" };
            let _ = write!(
                d.html,
                "<div class=\"nav-{}\">",
                if i == 0 { "previous" } else { "next" }
            );
            d.a(&[("href", &url), ("rel", rel)], &heading);
            d.raw("</div>");
        }
        d.raw("</div></nav>\n");
    }
    if cx.capture.cms == Cms::WordPress && cx.rng.chance(0.3) {
        comment_form(cx, d, x);
    }
    d.raw("</article>\n");
}

fn card(cx: &mut Ctx, d: &mut Doc, kind: PageKind, line: &str) {
    let x = cx.xhtml;
    let slug = cx.slug(line);
    let (img, w, h) = cx.upload_img(&slug);
    let path = match kind {
        PageKind::Shop => format!("/products/{slug}"),
        PageKind::Forum => format!("/members/{slug}/"),
        _ => format!("/{slug}/"),
    };
    let href = cx.href(&path);
    match kind {
        PageKind::Shop => {
            d.raw("<div class=\"product type-product instock has-post-thumbnail\">\n");
            let a = [
                ("href", href.as_str()),
                ("class", "woocommerce-LoopProduct-link"),
            ];
            d.a_open(&a);
            let (ws, hs) = (w.to_string(), h.to_string());
            d.img(
                &[
                    ("width", &ws),
                    ("height", &hs),
                    ("src", &img),
                    ("class", "attachment-woocommerce_thumbnail"),
                    ("alt", line),
                    ("loading", "lazy"),
                ],
                x,
            );
            d.raw("<h2 class=\"woocommerce-loop-product__title\">");
            d.text(line);
            d.raw("</h2>");
            d.a_close(&a, line);
            d.raw("\n");
        }
        PageKind::Forum => {
            d.raw(
                "<div class=\"comment-body post-message\">\n<div class=\"comment-author vcard\">",
            );
            let av = format!(
                "https://secure.gravatar.com/avatar/{}?s=48&d=mm&r=g",
                token(&mut cx.rng, 32, b"0123456789abcdef")
            );
            d.img(
                &[
                    ("alt", ""),
                    ("src", &av),
                    ("class", "avatar avatar-48 photo"),
                    ("height", "48"),
                    ("width", "48"),
                ],
                x,
            );
            d.raw("</div>\n");
        }
        _ if cx.rng.chance(0.4) => d.raw("<div class=\"post-card no-thumbnail\">\n"),
        _ => {
            d.raw("<div class=\"post-card\">\n<div class=\"post-thumbnail\">");
            let a = [
                ("href", href.as_str()),
                ("aria-hidden", "true"),
                ("tabindex", "-1"),
            ];
            d.a_open(&a);
            let (ws, hs) = (w.to_string(), h.to_string());
            d.img(
                &[
                    ("width", &ws),
                    ("height", &hs),
                    ("src", &img),
                    (
                        "class",
                        "attachment-post-thumbnail size-post-thumbnail wp-post-image",
                    ),
                    ("alt", line),
                    ("decoding", "async"),
                ],
                x,
            );
            d.a_close(&a, "");
            d.raw("</div>\n");
        }
    }
}

/// A paragraph, sometimes with a few of its words linked (to a page of this site, another page
/// of the crawl or a well-known site).
fn paragraph(cx: &mut Ctx, d: &mut Doc, line: &str) {
    d.raw("<p>");
    if cx.rng.chance(0.22) && line.len() > 40 {
        // Link a run of words (or characters, for unspaced scripts) in the middle.
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let n = chars.len();
        let spaced = line.contains(' ');
        let (mut a, mut b) = {
            let s = cx.rng.range(n as u64 / 4, n as u64 / 2) as usize;
            let len = if spaced {
                cx.rng.range(8, 30)
            } else {
                cx.rng.range(2, 8)
            } as usize;
            (s, (s + len).min(n - 1))
        };
        if spaced {
            while a > 0 && chars[a - 1].1 != ' ' {
                a -= 1;
            }
            while b < n && chars[b].1 != ' ' {
                b += 1;
            }
        }
        let (ba, bb) = (chars[a].0, if b < n { chars[b].0 } else { line.len() });
        let anchor = &line[ba..bb];
        if !anchor.trim().is_empty() {
            d.text(&line[..ba]);
            let href = match cx.rng.below(3) {
                0 => other_pages(cx, 1).remove(0).0,
                1 => {
                    let s = cx.slug(anchor);
                    cx.href(&format!("/{s}/"))
                }
                _ => {
                    let w = percent_encode(anchor.split(' ').next().unwrap_or(anchor));
                    [
                        format!("https://en.wikipedia.org/wiki/{w}"),
                        format!(
                            "https://www.youtube.com/watch?v={}",
                            token(
                                &mut cx.rng,
                                11,
                                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
                            )
                        ),
                        format!("https://www.google.com/maps/place/{w}"),
                        format!(
                            "https://www.amazon.com/dp/B0{}",
                            token(&mut cx.rng, 8, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                        ),
                    ][cx.rng.index(4)]
                    .clone()
                }
            };
            if href.starts_with("https://www.") || href.starts_with("https://en.") {
                d.a(
                    &[("href", &href), ("target", "_blank"), ("rel", "noopener")],
                    anchor,
                );
            } else {
                d.a(&[("href", &href)], anchor);
            }
            d.text(&line[bb..]);
            d.raw("</p>\n");
            return;
        }
    }
    d.text(line);
    d.raw("</p>\n");
}

fn figure(cx: &mut Ctx, d: &mut Doc) {
    let x = cx.xhtml;
    let n = cx.rng.range(1, 5) as usize;
    let alt = cx.phrase(n);
    let slug = cx.slug(&alt);
    let (src, w, h) = cx.upload_img(&slug);
    let id = cx.rng.range(100, 40_000);
    d.raw("<figure class=\"wp-block-image size-large\">");
    let (ws, hs) = (w.to_string(), h.to_string());
    let class = format!("wp-image-{id}");
    if cx.capture.cms == Cms::WordPress {
        let stem = src
            .rsplit_once('-')
            .map_or(src.as_str(), |p| p.0)
            .to_string();
        let ext = src.rsplit_once('.').map_or("jpg", |p| p.1).to_string();
        let srcset = format!("{src} {w}w, {stem}-300x200.{ext} 300w, {stem}-768x512.{ext} 768w");
        let sizes = format!("(max-width: {w}px) 100vw, {w}px");
        d.img(
            &[
                ("decoding", "async"),
                ("width", &ws),
                ("height", &hs),
                ("src", &src),
                ("alt", &alt),
                ("class", &class),
                ("srcset", &srcset),
                ("sizes", &sizes),
            ],
            x,
        );
    } else {
        d.img(
            &[
                ("src", &src),
                ("alt", &alt),
                ("width", &ws),
                ("height", &hs),
                ("loading", "lazy"),
            ],
            x,
        );
    }
    if cx.rng.chance(0.3) {
        d.raw("<figcaption class=\"wp-element-caption\">");
        d.text(&alt);
        d.raw("</figcaption>");
    }
    d.raw("</figure>\n");
}

fn share_buttons(cx: &mut Ctx, d: &mut Doc) {
    let enc = percent_encode(&cx.page.url);
    d.raw("<div class=\"share-buttons\">");
    let targets = [
        format!("https://www.facebook.com/sharer/sharer.php?u={enc}"),
        format!("https://twitter.com/intent/tweet?url={enc}"),
        format!("https://www.linkedin.com/sharing/share-offsite/?url={enc}"),
        format!("https://api.whatsapp.com/send?text={enc}"),
        format!("mailto:?subject=&body={enc}"),
    ];
    let n = cx.rng.range(2, 5) as usize;
    for (t, name) in targets
        .iter()
        .zip(["facebook", "twitter", "linkedin", "whatsapp", "email"])
        .take(n)
    {
        d.a_open(&[
            ("href", t),
            ("target", "_blank"),
            ("rel", "nofollow noopener"),
            ("class", "share-link"),
        ]);
        svg_icon(name, d);
        d.a_close(
            &[
                ("href", t),
                ("target", "_blank"),
                ("rel", "nofollow noopener"),
            ],
            "",
        );
    }
    d.raw("</div>\n");
}

fn comment_form(cx: &mut Ctx, d: &mut Doc, x: bool) {
    let action = format!("{}/wp-comments-post.php", cx.base);
    d.raw("<div id=\"respond\" class=\"comment-respond\">\n<h3 id=\"reply-title\" class=\"comment-reply-title\">");
    let t = label(cx, &["Leave a Reply", "Leave a Comment", "Add a comment"]);
    d.text(&t);
    d.raw("</h3>\n");
    d.form_open(&[
        ("action", &action),
        ("method", "post"),
        ("id", "commentform"),
        ("class", "comment-form"),
    ]);
    d.raw("\n<p class=\"comment-form-comment\"><label for=\"comment\">Comment</label> <textarea id=\"comment\" name=\"comment\" cols=\"45\" rows=\"8\" maxlength=\"65525\" required=\"required\"></textarea></p>\n");
    for (name, t) in [("author", "text"), ("email", "email"), ("url", "url")] {
        let _ = write!(
            d.html,
            "<p class=\"comment-form-{name}\"><label for=\"{name}\">{name}</label> "
        );
        d.open(
            "input",
            &[
                ("id", name),
                ("name", name),
                ("type", t),
                ("value", ""),
                ("size", "30"),
            ],
            x,
        );
        d.raw("</p>\n");
    }
    d.raw("<p class=\"form-submit\">");
    d.open(
        "input",
        &[
            ("name", "submit"),
            ("type", "submit"),
            ("id", "submit"),
            ("class", "submit"),
            ("value", "Post Comment"),
        ],
        x,
    );
    d.raw("</p>\n</form>\n</div>\n");
}

fn related_posts(cx: &mut Ctx, d: &mut Doc) {
    let x = cx.xhtml;
    let t = label(cx, &["Related Posts", "You may also like", "Read also"]);
    d.raw("<section class=\"related-posts\"><h3 class=\"related-title\">");
    d.text(&t);
    d.raw("</h3>\n<div class=\"related-grid\">\n");
    let n = cx.rng.range(3, 6) as usize;
    let thumbs = cx.rng.chance(0.5);
    for (url, heading) in other_pages(cx, n) {
        let slug = cx.slug(&heading);
        let (img, _, _) = cx.upload_img(&slug);
        d.raw("<div class=\"related-item\">");
        if thumbs {
            let a = [("href", url.as_str()), ("class", "related-thumb")];
            d.a_open(&a);
            d.img(
                &[
                    ("src", &img),
                    ("alt", &heading),
                    ("width", "300"),
                    ("height", "200"),
                    ("loading", "lazy"),
                ],
                x,
            );
            d.a_close(&a, "");
        }
        d.raw("<h4 class=\"related-item-title\">");
        d.a(&[("href", &url), ("rel", "bookmark")], &heading);
        d.raw("</h4></div>\n");
    }
    d.raw("</div>\n</section>\n");
}

fn tag_cloud(cx: &mut Ctx, d: &mut Doc) {
    let t = label(cx, &["Tags", "Popular Tags"]);
    d.raw("<section class=\"widget widget_tag_cloud\"><h2 class=\"widget-title\">");
    d.text(&t);
    d.raw("</h2><div class=\"tagcloud\">\n");
    for _ in 0..cx.rng.range(5, 20) {
        let n = cx.rng.range(1, 2) as usize;
        let tag = cx.phrase(n);
        let slug = cx.slug(&tag);
        let href = cx.href(&format!("/tag/{slug}/"));
        let size = format!("font-size: {}pt;", 8 + cx.rng.below(15));
        let class = format!("tag-cloud-link tag-link-{}", cx.rng.range(10, 900));
        d.a(
            &[("href", &href), ("class", &class), ("style", &size)],
            &tag,
        );
        d.raw("\n");
    }
    d.raw("</div></section>\n");
}

fn footer_columns(cx: &mut Ctx, d: &mut Doc) {
    let cols = cx.rng.range(2, 4);
    d.raw("<div class=\"footer-columns row\">\n");
    for _ in 0..cols {
        let t = label(
            cx,
            &[
                "Company",
                "Information",
                "Customer Service",
                "Useful Links",
                "Quick Links",
                "Resources",
                "Support",
                "About",
            ],
        );
        d.raw("<div class=\"footer-column col-md-3\"><h4 class=\"footer-title\">");
        d.text(&t);
        d.raw("</h4>\n<ul class=\"footer-links\">\n");
        for _ in 0..cx.rng.range(3, 8) {
            let l = label(
                cx,
                &[
                    "About Us",
                    "Contact Us",
                    "Careers",
                    "Privacy Policy",
                    "Terms & Conditions",
                    "Shipping",
                    "Returns",
                    "FAQ",
                    "Sitemap",
                    "Blog",
                    "Press",
                    "Partners",
                    "Store Locator",
                    "Gift Cards",
                    "Accessibility",
                ],
            );
            slug_item(cx, d, &l);
        }
        d.raw("</ul></div>\n");
    }
    d.raw("</div>\n");
}

fn sidebar(cx: &mut Ctx, d: &mut Doc) {
    d.raw("<aside id=\"secondary\" class=\"widget-area col-md-4\" role=\"complementary\">\n");
    // Recent posts: other pages of the crawl.
    let n = cx.rng.range(3, 8) as usize;
    let t = label(cx, &["Recent Posts", "Latest News", "Popular Posts"]);
    d.raw("<section class=\"widget widget_recent_entries\"><h2 class=\"widget-title\">");
    d.text(&t);
    d.raw("</h2>\n<ul>\n");
    for (url, heading) in other_pages(cx, n) {
        d.raw("<li>");
        d.a(&[("href", &url)], &heading);
        d.raw("</li>\n");
    }
    d.raw("</ul>\n</section>\n");
    if cx.rng.chance(0.6) {
        let t = label(cx, &["Categories"]);
        d.raw("<section class=\"widget widget_categories\"><h2 class=\"widget-title\">");
        d.text(&t);
        d.raw("</h2>\n<ul>\n");
        for _ in 0..cx.rng.range(3, 12) {
            let name = label(cx, EN_CATEGORIES);
            let slug = cx.slug(&name);
            let href = cx.href(&format!("/category/{slug}/"));
            d.raw("<li class=\"cat-item\">");
            d.a(&[("href", &href)], &name);
            d.raw("</li>\n");
        }
        d.raw("</ul>\n</section>\n");
    }
    if cx.rng.chance(0.45) {
        let t = label(cx, &["Archives"]);
        d.raw("<section class=\"widget widget_archive\"><h2 class=\"widget-title\">");
        d.text(&t);
        d.raw("</h2>\n<ul>\n");
        let (mut y, mut m) = (cx.year, cx.month);
        for _ in 0..cx.rng.range(4, 24) {
            let href = cx.href(&format!("/{y}/{m:02}/"));
            let text = if cx.eng {
                format!("{} {y}", EN_MONTHS[m as usize - 1])
            } else {
                format!("{y}-{m:02}")
            };
            d.raw("<li>");
            d.a(&[("href", &href)], &text);
            d.raw("</li>\n");
            if m == 1 {
                m = 12;
                y -= 1;
            } else {
                m -= 1;
            }
        }
        d.raw("</ul>\n</section>\n");
    }
    if cx.rng.chance(0.3) {
        tag_cloud(cx, d);
    }
    if cx.rng.chance(0.25) {
        let src = format!(
            "https://www.facebook.com/plugins/page.php?href={}&tabs=timeline&width=340&height=500",
            percent_encode(&format!("https://www.facebook.com/{}", cx.site_slug))
        );
        d.iframe(&[
            ("src", &src),
            ("width", "340"),
            ("height", "500"),
            ("style", "border:none;overflow:hidden"),
            ("scrolling", "no"),
            ("frameborder", "0"),
        ]);
        d.raw("\n");
    }
    d.raw("</aside>\n");
}

fn footer(cx: &mut Ctx, d: &mut Doc) {
    let page = cx.page;
    d.raw("<footer id=\"colophon\" class=\"site-footer\" role=\"contentinfo\">\n<div class=\"footer-widgets container\">\n");
    // The page's footer lines: the menu again, then the copyright line.
    let footer: Vec<&str> = page
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Footer)
        .map(|b| &page.text[b.start as usize..b.end as usize])
        .collect();
    let menu: Vec<String> = footer
        .iter()
        .filter(|l| page.nav.iter().any(|n| n == *l))
        .map(|s| s.to_string())
        .collect();
    if !menu.is_empty() {
        d.raw("<nav class=\"footer-navigation\">\n");
        nav_menu(cx, d, &menu, "footer-menu");
        d.raw("</nav>\n");
    }
    if cx.capture.cms != Cms::Static && cx.rng.chance(0.75) {
        footer_columns(cx, d);
    }
    if cx.rng.chance(0.6) {
        d.raw("<div class=\"social-links\"><ul class=\"social-icons\">\n");
        let n = cx.rng.range(2, 6) as usize;
        let start = cx.rng.index(SOCIAL.len());
        for k in 0..n {
            let (name, prefix) = SOCIAL[(start + k) % SOCIAL.len()];
            let href = format!("{prefix}{}", cx.site_slug);
            d.raw("<li>");
            let attrs = [
                ("href", href.as_str()),
                ("target", "_blank"),
                ("rel", "noopener"),
                ("aria-label", name),
            ];
            d.a_open(&attrs);
            svg_icon(name, d);
            d.a_close(&attrs, "");
            d.raw("</li>\n");
        }
        d.raw("</ul></div>\n");
    }
    if cx.rng.chance(0.3) {
        // Contact block with a map link and phone number.
        d.raw("<div class=\"contact-info\"><p>");
        let t = cx.phrase(3);
        d.text(&t);
        d.raw("</p><p>");
        let tel = format!(
            "tel:+{}{}",
            1 + cx.rng.below(99),
            cx.rng.range(100_000_000, 999_999_999)
        );
        d.a(&[("href", &tel)], &tel[4..]);
        d.raw(" · ");
        let mail = format!("mailto:info@{}", cx.host.trim_start_matches("www."));
        d.a(&[("href", &mail)], &mail[7..]);
        d.raw("</p></div>\n");
    }
    d.raw("</div>\n<div class=\"site-info\">\n");
    for l in footer.iter().filter(|l| !page.nav.iter().any(|n| n == *l)) {
        d.raw("<p class=\"copyright\">");
        d.text(l);
        d.raw("</p>\n");
    }
    match cx.capture.cms {
        Cms::WordPress if cx.rng.chance(0.5) => {
            d.raw("<span class=\"powered\">");
            d.a(
                &[("href", "https://wordpress.org/")],
                "Proudly powered by WordPress",
            );
            d.raw("</span>\n");
        }
        Cms::Shopify => {
            d.raw("<small class=\"copyright__content\">");
            d.a(&[("href", "https://www.shopify.com?utm_campaign=poweredby&utm_medium=shopify&utm_source=onlinestore"), ("target", "_blank"), ("rel", "nofollow")], "Powered by Shopify");
            d.raw("</small>\n");
        }
        _ => {}
    }
    if cx.rng.chance(0.5) {
        let t = label(
            cx,
            &[
                "Privacy Policy",
                "Imprint",
                "Terms of Service",
                "Cookie Policy",
            ],
        );
        let s = cx.slug(&t);
        let href = cx.href(&format!("/{s}/"));
        d.a(&[("href", &href), ("class", "privacy-policy-link")], &t);
        d.raw("\n");
    }
    d.raw("</div>\n</footer>\n");
}

fn scripts_at_end(cx: &mut Ctx, d: &mut Doc) {
    let base = cx.base.clone();
    if cx.capture.cms == Cms::Custom && cx.rng.chance(0.15) {
        // Server-rendered apps ship their page data again as JSON.
        // Written straight into the document, so that the blocks' emoji are logged in place.
        let page = cx.page;
        d.open(
            "script",
            &[("id", "__NEXT_DATA__"), ("type", "application/json")],
            false,
        );
        let mut j = String::with_capacity(256);
        j.push_str("{\"props\":{\"pageProps\":{\"page\":{\"title\":");
        crate::json::push_str(&mut j, &page.title);
        j.push_str(",\"url\":");
        crate::json::push_str(&mut j, &page.url);
        j.push_str(",\"blocks\":[");
        for (i, b) in page.blocks.iter().enumerate() {
            if i > 0 {
                j.push(',');
            }
            let _ = write!(
                j,
                "{{\"__typename\":\"Block{:?}\",\"id\":\"{}\",\"text\":\"",
                b.kind,
                token(&mut cx.rng, 12, b"0123456789abcdef")
            );
            d.raw(&j);
            j.clear();
            d.json_text(&page.text[b.start as usize..b.end as usize]);
            j.push_str("\"}");
        }
        let _ = write!(j, "]}}}},\"page\":\"/[...slug]\",\"query\":{{}},\"buildId\":\"{}\",\"isFallback\":false,\"gsp\":true,\"scriptLoader\":[]}}", token(&mut cx.rng, 21, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"));
        d.raw(&j);
        d.raw("</script>\n");
    }
    let n = cx.rng.range(1, 8);
    for _ in 0..n {
        let src = match cx.capture.cms {
            Cms::WordPress => {
                let plugin = [
                    "contact-form-7",
                    "elementor",
                    "woocommerce",
                    "jetpack",
                    "wp-rocket",
                    "complianz-gdpr",
                ][cx.rng.index(6)];
                format!(
                    "{base}/wp-content/plugins/{plugin}/assets/js/{}.min.js?ver={}.{}.{}",
                    ["frontend", "index", "scripts", "main", "cookie"][cx.rng.index(5)],
                    1 + cx.rng.below(9),
                    cx.rng.below(10),
                    cx.rng.below(10)
                )
            }
            Cms::Shopify => format!(
                "//{}/cdn/shop/t/{}/assets/{}.js?v={}",
                cx.host,
                1 + cx.rng.below(40),
                ["global", "product-form", "cart", "details-disclosure"][cx.rng.index(4)],
                cx.rng.below(1 << 40)
            ),
            _ => {
                let p = format!(
                    "/{}/{}.js?v={}",
                    ["js", "assets/js", "static/js", "scripts"][cx.rng.index(4)],
                    [
                        "main",
                        "app",
                        "bootstrap.bundle.min",
                        "custom",
                        "scripts",
                        "vendor"
                    ][cx.rng.index(6)],
                    cx.rng.below(10_000)
                );
                cx.href(&p)
            }
        };
        if cx.xhtml {
            d.script_src(&[("type", "text/javascript"), ("src", &src)]);
        } else {
            d.script_src(&[
                ("src", &src),
                ("id", &format!("script-{}-js", cx.rng.below(100))),
            ]);
        }
    }
    if cx.rng.chance(0.4) {
        let body = format!(
            "\n(function(){{var d=document,s=d.createElement('script');s.async=true;s.src='https://{}/js/track.js?id={}';d.getElementsByTagName('head')[0].appendChild(s);}})();\n",
            ["stats.wp.com", "cdn.jsdelivr.net", "static.hotjar.com", "mc.yandex.ru", "connect.facebook.net"][cx.rng.index(5)],
            cx.rng.below(100_000_000)
        );
        d.inline("script", &[], &body);
    }
}

// ------------------------------------------------------------------------------------ error pages

/// The body of a non-200 HTML response (redirect, 404, 403, 5xx) and what the extractor finds
/// in it. `location` is the redirect target. An empty body is possible (many redirects).
pub fn render_error<'p>(
    page: &'p Page,
    capture: &Capture,
    corpus: &Corpus,
    location: Option<&str>,
) -> Doc<'p> {
    let mut cx = context(page, capture, corpus);
    let mut d = Doc::of(page, 0);
    let status = capture.status;
    let reason = capture.reason;
    // CMS-rendered "not found" pages are whole pages with the site's template.
    if status == 404 && capture.cms != Cms::Static && cx.rng.chance(0.5) {
        cx.xhtml = false;
        let heading = label(
            &mut cx,
            &[
                "Page not found",
                "Oops! That page can’t be found.",
                "Nothing Found",
                "404 - Page Not Found",
            ],
        );
        head(&mut cx, &mut d, true);
        d.raw("<body class=\"error404\">\n<div id=\"page\" class=\"site\">\n");
        header(&mut cx, &mut d);
        d.raw("<main id=\"main\" class=\"site-main\"><section class=\"error-404 not-found\"><header class=\"page-header\"><h1 class=\"page-title\">");
        d.text(&heading);
        d.raw("</h1></header><div class=\"page-content\"><p>");
        let p = cx.phrase(8);
        d.text(&p);
        d.raw("</p>\n");
        search_form(&mut cx, &mut d);
        d.raw("</div></section></main>\n");
        footer(&mut cx, &mut d);
        d.raw("</div>\n");
        scripts_at_end(&mut cx, &mut d);
        d.raw("</body>\n</html>\n");
        return d;
    }
    if location.is_some()
        && (capture.server_kind == crate::capture::ServerKind::Cloudflare || cx.rng.chance(0.3))
    {
        return d; // empty body
    }
    let server = capture.server.clone().unwrap_or_default();
    let title = format!("{status} {reason}");
    match capture.server_kind {
        crate::capture::ServerKind::Apache => {
            d.raw("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n");
            d.title(&title);
            d.raw("</head><body>\n<h1>");
            d.text(reason);
            d.raw("</h1>\n<p>");
            match location {
                Some(loc) => {
                    d.raw("The document has moved ");
                    d.a(&[("href", loc)], "here");
                    d.raw(".</p>\n");
                }
                None => {
                    d.text(match status {
                        404 => "The requested URL was not found on this server.",
                        403 => "You don't have permission to access this resource.",
                        _ => "The server encountered an internal error or misconfiguration and was unable to complete your request.",
                    });
                    d.raw("</p>\n<hr>\n<address>");
                    let port = if page.url.starts_with("https") {
                        443
                    } else {
                        80
                    };
                    let _ = write!(
                        d.html,
                        "{} Server at {} Port {port}",
                        if server.is_empty() { "Apache" } else { &server },
                        cx.host
                    );
                    d.raw("</address>\n");
                }
            }
            d.raw("</body></html>\n");
        }
        crate::capture::ServerKind::Iis if location.is_some() => {
            d.raw("<head>");
            d.title("Document Moved");
            d.raw("</head>\n<body><h1>Object Moved</h1>This document may be found ");
            d.a(&[("href", location.unwrap_or_default())], "here");
            d.raw("</body>");
        }
        _ => {
            d.raw("<html>\r\n<head>");
            d.title(&title);
            d.raw("</head>\r\n<body>\r\n<center><h1>");
            d.text(&title);
            d.raw("</h1></center>\r\n<hr><center>");
            d.text(if server.is_empty() { "nginx" } else { &server });
            d.raw("</center>\r\n</body>\r\n</html>\r\n");
        }
    }
    d
}
