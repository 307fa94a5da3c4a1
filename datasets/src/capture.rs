//! What a crawler sees when it fetches a page: status, server, content type, headers.
//!
//! A [`Capture`] is, like a [`Page`](crate::page::Page), a pure function of `(corpus seed, page
//! index)`, drawn from its own PRNG stream, so it never changes the page's text and is cheap to
//! compute on its own (the WET writer uses it to skip pages that Common Crawl would not have
//! converted: redirects, errors, PDFs, images). Shares are rounded figures for the 2024 web
//! (W3Techs-style server and CMS shares, Common Crawl's MIME statistics); the README lists them.

use crate::page::Corpus;
use crate::prng::{AliasTable, Rng};
use std::sync::OnceLock;

const TAG_CAPTURE: u64 = 0x4645_5443; // "FETC" (the tag of this stream since generator version 1: kept, so no byte changes)

/// Content types of successful responses and their shares (Common Crawl's MIME statistics: HTML
/// ~95 %, then PDF, plain text, images, JSON, feeds).
pub const MIMES: &[(&str, f64)] = &[
    ("text/html", 90.5),
    ("application/xhtml+xml", 4.5),
    ("application/pdf", 1.5),
    ("text/plain", 1.0),
    ("image/jpeg", 0.8),
    ("application/json", 0.6),
    ("application/rss+xml", 0.6),
];

/// HTTP statuses and their shares among fetches (the index covers Common Crawl's `warc/`,
/// `crawldiagnostics/` and `robotstxt/` records; we put all of them in the `warc/` segments).
pub const STATUSES: &[(u16, &str, f64)] = &[
    (200, "OK", 86.5),
    (301, "Moved Permanently", 5.5),
    (302, "Found", 2.5),
    (404, "Not Found", 3.5),
    (403, "Forbidden", 1.0),
    (500, "Internal Server Error", 0.5),
    (503, "Service Unavailable", 0.5),
];

/// Server software families (share of sites with a `Server` header, 2024, rounded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    Nginx,
    Apache,
    Cloudflare,
    LiteSpeed,
    Iis,
    OpenResty,
    Other,
    /// No `Server` header at all.
    None,
}

const SERVER_KINDS: &[(ServerKind, f64)] = &[
    (ServerKind::Nginx, 30.0),
    (ServerKind::Apache, 25.0),
    (ServerKind::Cloudflare, 19.0),
    (ServerKind::LiteSpeed, 8.0),
    (ServerKind::Iis, 4.5),
    (ServerKind::OpenResty, 2.5),
    (ServerKind::Other, 5.0),
    (ServerKind::None, 6.0),
];

const NGINX_VERSIONS: &[&str] = &[
    "1.14.0", "1.14.2", "1.16.1", "1.18.0", "1.20.1", "1.20.2", "1.21.6", "1.22.1", "1.24.0",
    "1.25.3", "1.25.4", "1.26.0",
];
const APACHE_VERSIONS: &[&str] = &[
    "2.4.6", "2.4.29", "2.4.37", "2.4.41", "2.4.52", "2.4.54", "2.4.56", "2.4.57", "2.4.58",
    "2.4.59",
];
const APACHE_OS: &[&str] = &[
    " (Ubuntu)",
    " (Debian)",
    " (CentOS)",
    " (Unix)",
    " (Red Hat Enterprise Linux)",
    " (Win64) OpenSSL/1.1.1w PHP/8.2.12",
    " (CentOS) OpenSSL/1.0.2k-fips PHP/7.4.33",
    " (Unix) OpenSSL/1.0.2k-fips",
];
const OTHER_SERVERS: &[&str] = &[
    "AmazonS3",
    "Vercel",
    "Netlify",
    "GitHub.com",
    "gws",
    "Google Frontend",
    "ATS",
    "Tengine",
    "Caddy",
    "Kestrel",
    "awselb/2.0",
    "Apache-Coyote/1.1",
    "Microsoft-HTTPAPI/2.0",
    "imunify360-webshield/1.21",
    "Varnish",
    "envoy",
    "istio-envoy",
    "Jetty(9.4.z-SNAPSHOT)",
    "squarespace",
    "Pepyaka",
    "Wix",
    "DPS/2.0.0+sha-8d4e7a9",
    "Tengine/2.3.3",
    "BunnyCDN-DE1-1053",
    "ddos-guard",
    "QRATOR",
    "Zeus",
    "Sucuri/Cloudproxy",
];

/// Which CMS (or none) rendered a page: decides its HTML template and some headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cms {
    WordPress,
    Custom,
    Shopify,
    Joomla,
    Drupal,
    Bitrix,
    Static,
}

const CMSES: &[(Cms, f64)] = &[
    (Cms::WordPress, 43.0),
    (Cms::Custom, 33.0),
    (Cms::Shopify, 5.0),
    (Cms::Joomla, 3.0),
    (Cms::Drupal, 3.0),
    (Cms::Bitrix, 2.0),
    (Cms::Static, 11.0),
];

fn table(
    cell: &'static OnceLock<AliasTable>,
    weights: impl FnOnce() -> Vec<f64>,
) -> &'static AliasTable {
    cell.get_or_init(|| AliasTable::new(&weights()))
}

/// The fetch of one page: everything about the HTTP exchange that does not depend on the page's
/// text. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct Capture {
    pub index: u64,
    pub status: u16,
    pub reason: &'static str,
    /// MIME type of the `Content-Type` header (the CDX `mime`).
    pub mime: &'static str,
    /// What content sniffing finds (the CDX `mime-detected`, `WARC-Identified-Payload-Type`).
    pub mime_detected: &'static str,
    /// Charset parameter of the `Content-Type` header, as the server spells it.
    pub charset_param: Option<&'static str>,
    pub server_kind: ServerKind,
    /// The `Server` header value (None: no header).
    pub server: Option<String>,
    /// Fetched over HTTP/2: header names are lower case in the WARC record (as Common Crawl
    /// writes them), the status line still says `HTTP/1.1`.
    pub http2: bool,
    pub cms: Cms,
    /// `X-Powered-By`, when the server sends one.
    pub powered_by: Option<String>,
    /// The body came gzip-encoded (recorded as `X-Crawler-Content-Encoding: gzip`).
    pub gzip: bool,
    /// The body came chunked (recorded as `X-Crawler-Transfer-Encoding: chunked`).
    pub chunked: bool,
    /// For 200 HTML: the page declares XHTML 1.0 (content sniffing then says xhtml+xml).
    pub xhtml: bool,
    /// `fetchTimeMs` of the metadata record.
    pub fetch_ms: u32,
    /// Redirects: which variant of the URL the `Location` points to (0..4, see `crawl`).
    pub redirect_kind: u8,
    /// Seed of the streams that render the response (HTML, binary bodies).
    pub seed: u64,
}

impl Capture {
    /// The fetch of page `index` (pure; about a microsecond).
    pub fn of(corpus: &Corpus, index: u64) -> Capture {
        static STATUS: OnceLock<AliasTable> = OnceLock::new();
        static MIME: OnceLock<AliasTable> = OnceLock::new();
        static SERVER: OnceLock<AliasTable> = OnceLock::new();
        static CMS: OnceLock<AliasTable> = OnceLock::new();
        let seed = crate::prng::derive(&[corpus.seed, TAG_CAPTURE, index]);
        let mut rng = Rng::new(seed);
        let (status, reason, _) =
            STATUSES[table(&STATUS, || STATUSES.iter().map(|s| s.2).collect()).sample(&mut rng)];
        let mime = if status == 200 {
            MIMES[table(&MIME, || MIMES.iter().map(|m| m.1).collect()).sample(&mut rng)].0
        } else {
            "text/html"
        };
        let server_kind = SERVER_KINDS
            [table(&SERVER, || SERVER_KINDS.iter().map(|k| k.1).collect()).sample(&mut rng)]
        .0;
        let cms = CMSES[table(&CMS, || CMSES.iter().map(|c| c.1).collect()).sample(&mut rng)].0;
        let server = server_name(server_kind, &mut rng);
        let http2 = rng.chance(match server_kind {
            ServerKind::Cloudflare => 0.85,
            ServerKind::LiteSpeed => 0.6,
            ServerKind::Nginx | ServerKind::OpenResty | ServerKind::Other => 0.45,
            ServerKind::Iis => 0.4,
            ServerKind::Apache => 0.25,
            ServerKind::None => 0.5,
        });
        let php = matches!(
            cms,
            Cms::WordPress | Cms::Joomla | Cms::Drupal | Cms::Bitrix
        );
        let powered_by = if server_kind == ServerKind::Iis && rng.chance(0.7) {
            Some("ASP.NET".to_string())
        } else if php && server_kind != ServerKind::Cloudflare && rng.chance(0.45) {
            const PHP: &[&str] = &[
                "PHP/7.4.33",
                "PHP/8.0.30",
                "PHP/8.1.27",
                "PHP/8.1.28",
                "PHP/8.2.18",
                "PHP/8.2.19",
                "PHP/8.3.7",
                "PHP/7.3.33",
                "PHP/5.6.40",
            ];
            Some(PHP[rng.front_biased(PHP.len())].to_string())
        } else {
            None
        };
        let xhtml = mime == "application/xhtml+xml" || (mime == "text/html" && rng.chance(0.12));
        // Most XHTML pages are served as text/html; sniffing tells them apart.
        let mime_detected = match mime {
            "text/html" if xhtml => "application/xhtml+xml",
            m => m,
        };
        let textual = matches!(
            mime,
            "text/html"
                | "application/xhtml+xml"
                | "text/plain"
                | "application/json"
                | "application/rss+xml"
        );
        let charset_param = if textual && rng.chance(0.85) {
            Some(if rng.chance(0.55) { "UTF-8" } else { "utf-8" })
        } else {
            None
        };
        let binary = matches!(mime, "application/pdf" | "image/jpeg");
        let gzip = !binary && status == 200 && rng.chance(0.82);
        let chunked = rng.chance(if gzip { 0.55 } else { 0.15 });
        let fetch_ms = (rng.lognormal(420.0, 0.9) as u32).clamp(15, 30_000);
        let redirect_kind = rng.below(4) as u8;
        Capture {
            index,
            status,
            reason,
            mime,
            mime_detected,
            charset_param,
            server_kind,
            server,
            http2,
            cms,
            powered_by,
            gzip,
            chunked,
            xhtml,
            fetch_ms,
            redirect_kind,
            seed,
        }
    }

    /// The response is HTML (what Common Crawl's WAT extractor parses: `Content-Type` contains
    /// "html").
    pub fn is_html(&self) -> bool {
        self.mime.contains("html")
    }

    /// Common Crawl would have a WET `conversion` record for this page: a 200 HTML response.
    pub fn in_wet(&self) -> bool {
        self.status == 200 && self.is_html()
    }

    /// A redirect (3xx with a `Location`).
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }

    /// The charset the crawler detects (CDX `charset`, metadata `charset-detected`): every
    /// generated text body is UTF-8; binary bodies and error pages have none.
    pub fn charset_detected(&self) -> Option<&'static str> {
        (self.status == 200 && !matches!(self.mime, "application/pdf" | "image/jpeg"))
            .then_some("UTF-8")
    }
}

fn server_name(kind: ServerKind, rng: &mut Rng) -> Option<String> {
    Some(match kind {
        ServerKind::Nginx => {
            if rng.chance(0.55) {
                "nginx".into()
            } else {
                let v = NGINX_VERSIONS[rng.index(NGINX_VERSIONS.len())];
                if rng.chance(0.3) {
                    format!("nginx/{v} (Ubuntu)")
                } else {
                    format!("nginx/{v}")
                }
            }
        }
        ServerKind::Apache => {
            if rng.chance(0.5) {
                "Apache".into()
            } else {
                let v = APACHE_VERSIONS[rng.index(APACHE_VERSIONS.len())];
                if rng.chance(0.6) {
                    format!("Apache/{v}{}", APACHE_OS[rng.front_biased(APACHE_OS.len())])
                } else {
                    format!("Apache/{v}")
                }
            }
        }
        ServerKind::Cloudflare => "cloudflare".into(),
        ServerKind::LiteSpeed => "LiteSpeed".into(),
        ServerKind::Iis => [
            "Microsoft-IIS/10.0",
            "Microsoft-IIS/10.0",
            "Microsoft-IIS/8.5",
            "Microsoft-IIS/7.5",
        ][rng.index(4)]
        .into(),
        ServerKind::OpenResty => [
            "openresty",
            "openresty",
            "openresty/1.21.4.1",
            "openresty/1.19.9.1",
            "openresty/1.25.3.1",
        ][rng.index(5)]
        .into(),
        ServerKind::Other => OTHER_SERVERS[rng.front_biased(OTHER_SERVERS.len())].into(),
        ServerKind::None => return None,
    })
}

/// CLD2's two-letter code and language name for an ISO 639-3 code, as Common Crawl's
/// `languages-cld2` metadata writes them (CLD2 spells a few names in mixed case and still uses
/// `iw` for Hebrew).
pub fn cld2_language(code3: &str) -> (&'static str, &'static str) {
    match code3 {
        "eng" => ("en", "ENGLISH"),
        "rus" => ("ru", "RUSSIAN"),
        "deu" => ("de", "GERMAN"),
        "jpn" => ("ja", "Japanese"),
        "zho" => ("zh", "Chinese"),
        "spa" => ("es", "SPANISH"),
        "fra" => ("fr", "FRENCH"),
        "ita" => ("it", "ITALIAN"),
        "por" => ("pt", "PORTUGUESE"),
        "nld" => ("nl", "DUTCH"),
        "pol" => ("pl", "POLISH"),
        "ces" => ("cs", "CZECH"),
        "vie" => ("vi", "VIETNAMESE"),
        "tur" => ("tr", "TURKISH"),
        "ind" => ("id", "INDONESIAN"),
        "fas" => ("fa", "PERSIAN"),
        "kor" => ("ko", "Korean"),
        "swe" => ("sv", "SWEDISH"),
        "ara" => ("ar", "ARABIC"),
        "hun" => ("hu", "HUNGARIAN"),
        "ell" => ("el", "GREEK"),
        "ukr" => ("uk", "UKRAINIAN"),
        "ron" => ("ro", "ROMANIAN"),
        "dan" => ("da", "DANISH"),
        "fin" => ("fi", "FINNISH"),
        "tha" => ("th", "THAI"),
        "nor" => ("no", "NORWEGIAN"),
        "bul" => ("bg", "BULGARIAN"),
        "heb" => ("iw", "HEBREW"),
        "hin" => ("hi", "HINDI"),
        _ => ("un", "Unknown"),
    }
}

/// The two-letter code an HTML `lang` attribute uses (`he`, not CLD2's `iw`).
pub fn html_lang(code3: &str) -> &'static str {
    match cld2_language(code3).0 {
        "iw" => "he",
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_roughly_right() {
        let c = Corpus::new(3, 10.0);
        let n = 20_000u64;
        let fetches: Vec<Capture> = (0..n).map(|i| Capture::of(&c, i)).collect();
        let share = |f: &dyn Fn(&Capture) -> bool| {
            fetches.iter().filter(|x| f(x)).count() as f64 / n as f64
        };
        assert!((share(&|f| f.status == 200) - 0.865).abs() < 0.02);
        assert!((share(&|f| f.in_wet()) - 0.82).abs() < 0.03);
        assert!(share(&|f| f.http2) > 0.3 && share(&|f| f.http2) < 0.6);
        assert!(share(&|f| f.server.is_none()) > 0.03);
        assert_eq!(Capture::of(&c, 17), Capture::of(&c, 17));
    }
}
