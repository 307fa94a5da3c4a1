//! The tutorial view: every tier's source of every task side by side, read from the repository
//! when the report is rendered (so it can never drift from the code that was measured), with
//! line counts in each column header: what a reader pays in code for each step of speed.
//!
//! Highlighting is done here by a small tokenizer for Python and Rust, so the page needs no
//! script, font or stylesheet from anywhere else.

use super::esc as escape;
use std::fmt::Write as _;
use std::path::Path;

/// The tiers in the order of the report, cheapest to write first.
const TIERS: [&str; 6] = ["pure", "naive", "hotpath", "ecosystem", "pyo3", "rust"];
/// (task, directory under `py_impls/`, file under `rust_impls/src/`).
const TASKS: [(&str, &str); 3] = [
    ("decompress", "decompress"),
    ("json", "json"),
    ("emoji", "emoji"),
];
/// Lines shown before the rest of a file folds into `<details>`.
const VISIBLE_LINES: usize = 60;

pub fn section(root: &Path) -> String {
    let mut html =
        String::from("<section id=\"tutorial\">\n<h2>Tutorial: the code behind each tier</h2>\n");
    html.push_str(STYLE);
    html.push_str(
        "<p>Each task's tiers side by side (scroll sideways). The header counts lines: \
         all of them, and code (not blank, not comment or docstring). The <code>pyo3</code> \
         column is the Python side plus its part of <code>pyo3_impls/src/lib.rs</code>; the \
         Rust it calls is the <code>rust</code> column.</p>\n",
    );
    for (task, file) in TASKS {
        let _ = writeln!(html, "<h3>{task}</h3>\n<div class=\"tiers\">");
        for tier in TIERS {
            html.push_str(&column(root, task, file, tier));
        }
        html.push_str("</div>\n");
    }
    html.push_str("</section>\n");
    html
}

/// One source file (or a part of one) as shown in a column.
struct Source {
    label: String,
    lang: Lang,
    text: String,
}

fn column(root: &Path, task: &str, file: &str, tier: &str) -> String {
    let py = format!("py_impls/{task}/{tier}.py");
    let paths: Vec<(String, Lang)> = match tier {
        "rust" => vec![(format!("rust_impls/src/{file}.rs"), Lang::Rust)],
        "pyo3" => vec![
            (py, Lang::Python),
            ("pyo3_impls/src/lib.rs".into(), Lang::Rust),
        ],
        _ => vec![(py, Lang::Python)],
    };
    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for (path, lang) in paths {
        match std::fs::read_to_string(root.join(&path)) {
            Ok(text) if path.starts_with("pyo3_impls") => sources.push(Source {
                label: format!("{path} ({task} part)"),
                lang,
                text: pyo3_part(&text, task),
            }),
            Ok(text) if lang == Lang::Rust => {
                let (code, tests) = without_tests(&text);
                let label = match tests {
                    0 => path,
                    n => format!("{path} (without its {n} lines of tests)"),
                };
                sources.push(Source {
                    label,
                    lang,
                    text: code.to_string(),
                })
            }
            Ok(text) => sources.push(Source {
                label: path,
                lang,
                text,
            }),
            Err(_) => missing.push(path),
        }
    }
    let highlighted: Vec<Highlighted> =
        sources.iter().map(|s| highlight(&s.text, s.lang)).collect();
    let total: usize = highlighted.iter().map(|h| h.lines.len()).sum();
    let code: usize = highlighted.iter().map(|h| h.code_lines).sum();

    let mut html = format!("<div class=\"tier\">\n<h4>{tier}</h4>\n");
    if !sources.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"loc\">{total} lines, <b>{code}</b> code</p>"
        );
    }
    for (source, h) in sources.iter().zip(&highlighted) {
        let _ = writeln!(
            html,
            "<p class=\"file\">{} <span>({} lines, {} code)</span></p>",
            escape(&source.label),
            h.lines.len(),
            h.code_lines
        );
        html.push_str(&code_block(&h.lines));
    }
    for path in missing {
        let _ = writeln!(
            html,
            "<p class=\"missing\">not found: <code>{}</code></p>",
            escape(&path)
        );
    }
    html.push_str("</div>\n");
    html
}

/// The first [`VISIBLE_LINES`] lines open, the rest folded.
fn code_block(lines: &[String]) -> String {
    let (open, folded) = lines.split_at(lines.len().min(VISIBLE_LINES));
    let mut html = format!("<pre><code>{}</code></pre>\n", open.join("\n"));
    if !folded.is_empty() {
        let _ = writeln!(
            html,
            "<details><summary>{} more lines</summary><pre><code>{}</code></pre></details>",
            folded.len(),
            folded.join("\n")
        );
    }
    html
}

/// A Rust file without its unit tests (a top-level `#[cfg(test)]` item to the end, where Rust
/// keeps them): they are not what the tier costs to write. Returns the rest and the lines cut.
fn without_tests(text: &str) -> (&str, usize) {
    match text.find("\n#[cfg(test)]\n") {
        Some(at) => (&text[..at + 1], text[at + 1..].lines().count()),
        None => (text, 0),
    }
}

/// The part of the PyO3 glue that serves `task`: the glue is divided by marker comments
/// (`// ----…---- json`); a task without a marker of its own is the part before the first one
/// (where `decompress`, the first task, lives together with the shared buffer type).
fn pyo3_part(text: &str, task: &str) -> String {
    let marker = |line: &str| -> Option<String> {
        let rest = line.trim().strip_prefix("//")?.trim_start();
        let name = rest.trim_start_matches('-');
        (rest.len() - name.len() >= 8).then(|| name.trim().to_string())
    };
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| marker(l).map(|m| (i, m)))
        .collect();
    let (from, to) = match starts.iter().position(|(_, name)| name == task) {
        Some(k) => (starts[k].0, starts.get(k + 1).map_or(lines.len(), |s| s.0)),
        None => (0, starts.first().map_or(lines.len(), |s| s.0)),
    };
    lines[from..to].join("\n")
}

// ------------------------------------------------------------------------- highlighting

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Python,
    Rust,
}

/// A token's CSS class; `None` for plain text (identifiers, punctuation, space).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Plain,
    Keyword,
    Str,
    Comment,
    Number,
    Function,
}

impl Class {
    fn css(self) -> Option<&'static str> {
        match self {
            Class::Plain => None,
            Class::Keyword => Some("k"),
            Class::Str => Some("s"),
            Class::Comment => Some("c"),
            Class::Number => Some("n"),
            Class::Function => Some("f"),
        }
    }
}

const PY_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];
const RS_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

/// A file as HTML lines (each line's spans closed at its end, so lines can be split between
/// blocks), and how many lines hold code.
struct Highlighted {
    lines: Vec<String>,
    code_lines: usize,
}

fn highlight(text: &str, lang: Lang) -> Highlighted {
    let mut lines = vec![String::new()];
    let mut has_code = vec![false];
    for (class, token) in tokenize(text, lang) {
        for (i, piece) in token.split('\n').enumerate() {
            if i > 0 {
                lines.push(String::new());
                has_code.push(false);
            }
            if piece.is_empty() {
                continue;
            }
            let line = lines.last_mut().expect("never empty");
            match class.css() {
                Some(css) => {
                    let _ = write!(line, "<span class=\"{css}\">{}</span>", escape(piece));
                }
                None => line.push_str(&escape(piece)),
            }
            if class != Class::Comment && !piece.trim().is_empty() {
                *has_code.last_mut().expect("never empty") = true;
            }
        }
    }
    if text.ends_with('\n') {
        lines.pop();
        has_code.pop();
    }
    Highlighted {
        code_lines: has_code.iter().filter(|c| **c).count(),
        lines,
    }
}

/// Splits `text` into classified tokens that concatenate back to `text`.
fn tokenize(text: &str, lang: Lang) -> Vec<(Class, &str)> {
    let keywords = match lang {
        Lang::Python => PY_KEYWORDS,
        Lang::Rust => RS_KEYWORDS,
    };
    let mut tokens: Vec<(Class, &str)> = Vec::new();
    let mut i = 0;
    // The next identifier names a function (it follows `def` or `fn`).
    let mut naming = false;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().expect("i is on a char boundary");
        let (class, len) = if let Some(len) = comment(rest, lang) {
            (Class::Comment, len)
        } else if let Some(len) = string(rest, lang) {
            // A triple-quoted Python string that opens its line is a docstring: documentation,
            // not code.
            let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            let quotes = rest[..len].trim_start_matches(char::is_alphabetic);
            let doc = lang == Lang::Python
                && text[line_start..i].trim().is_empty()
                && (quotes.starts_with("\"\"\"") || quotes.starts_with("'''"));
            (if doc { Class::Comment } else { Class::Str }, len)
        } else if c.is_ascii_digit() {
            (Class::Number, number(rest))
        } else if c == '_' || c.is_alphabetic() {
            let len = rest
                .find(|c: char| !(c == '_' || c.is_alphanumeric()))
                .unwrap_or(rest.len());
            let word = &rest[..len];
            let class = if naming {
                Class::Function
            } else if keywords.contains(&word) {
                Class::Keyword
            } else {
                Class::Plain
            };
            naming = matches!(word, "def" | "fn");
            i += len;
            push(&mut tokens, text, class, i - len, i);
            continue;
        } else if lang == Lang::Rust && c == '\'' {
            // A lifetime or label (`'a`), unless it is a char literal (handled by `string`).
            let len = 1 + rest[1..]
                .find(|c: char| !(c == '_' || c.is_alphanumeric()))
                .unwrap_or(rest.len() - 1);
            (Class::Plain, len)
        } else {
            (Class::Plain, c.len_utf8())
        };
        // Only space may separate `def`/`fn` from the name.
        naming &= c.is_whitespace();
        push(&mut tokens, text, class, i, i + len);
        i += len;
    }
    tokens
}

/// Appends `text[from..to]`, merging plain runs so the output is not a node per character.
fn push<'t>(
    tokens: &mut Vec<(Class, &'t str)>,
    text: &'t str,
    class: Class,
    from: usize,
    to: usize,
) {
    match tokens.last_mut() {
        Some((Class::Plain, prev)) if class == Class::Plain => *prev = &text[from - prev.len()..to],
        _ => tokens.push((class, &text[from..to])),
    }
}

/// Length of the comment starting `s`, if one does.
fn comment(s: &str, lang: Lang) -> Option<usize> {
    let line = || s.find('\n').unwrap_or(s.len());
    match lang {
        Lang::Python => s.starts_with('#').then(line),
        Lang::Rust if s.starts_with("//") => Some(line()),
        Lang::Rust if s.starts_with("/*") => {
            // Rust block comments nest.
            let (mut depth, mut j) = (0usize, 0);
            while j < s.len() {
                if s[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if s[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        return Some(j);
                    }
                } else {
                    j += s[j..].chars().next().map_or(1, char::len_utf8);
                }
            }
            Some(s.len())
        }
        Lang::Rust => None,
    }
}

/// Length of the string (or Rust char) literal starting `s`, prefix included, if one does.
/// An unterminated literal runs to the end of its line (or of a triple-quoted one, the file).
fn string(s: &str, lang: Lang) -> Option<usize> {
    // Look at the first three characters only: a search through the rest of the file at every
    // position would make highlighting quadratic.
    let head = &s[..s.char_indices().nth(3).map_or(s.len(), |(i, _)| i)];
    let prefix = head.find(['"', '\''])?;
    let (pre, body) = s.split_at(prefix);
    let pre = pre.to_ascii_lowercase();
    match lang {
        Lang::Python => {
            let ok = ["", "r", "b", "u", "f", "rb", "br", "fr", "rf"].contains(&pre.as_str());
            if !ok {
                return None;
            }
            let q = &body[..1];
            let triple = q.repeat(3);
            let (open, close, multiline) = if body.starts_with(&triple) {
                (3, triple.as_str(), true)
            } else {
                (1, q, false)
            };
            Some(prefix + open + scan(&body[open..], close, multiline))
        }
        Lang::Rust => {
            if let Some(inner) = body.strip_prefix('\'') {
                // Char literal: `'x'`, `'\n'`, `'\u{1F600}'`, `b'x'`; otherwise a lifetime.
                if !(pre.is_empty() || pre == "b") {
                    return None;
                }
                let len = if inner.starts_with('\\') {
                    2 + inner.get(2..)?.find('\'')? + 1
                } else {
                    let c = inner.chars().next()?;
                    if !inner[c.len_utf8()..].starts_with('\'') {
                        return None;
                    }
                    c.len_utf8() + 1
                };
                return Some(prefix + 1 + len);
            }
            // Raw strings: `r"…"`, `r#"…"#`, `br##"…"##`; the hashes sit between `r` and `"`.
            let raw_at = s.find(|c: char| c != 'b').filter(|&p| p <= 1)?;
            if s[raw_at..].starts_with('r') {
                let hashes = s[raw_at + 1..].find(|c: char| c != '#')?;
                let open = raw_at + 1 + hashes;
                if !s[open..].starts_with('"') {
                    return None;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let len = s[open + 1..]
                    .find(&close)
                    .map_or(s.len() - open - 1, |p| p + close.len());
                return Some(open + 1 + len);
            }
            if !(pre.is_empty() || pre == "b" || pre == "c") {
                return None;
            }
            Some(prefix + 1 + scan(&body[1..], "\"", true))
        }
    }
}

/// Length up to and including `close`, skipping backslash escapes.
fn scan(s: &str, close: &str, multiline: bool) -> usize {
    let mut chars = s.char_indices();
    while let Some((j, c)) = chars.next() {
        if s[j..].starts_with(close) {
            return j + close.len();
        }
        match c {
            '\\' => {
                chars.next();
            }
            '\n' if !multiline => return j,
            _ => {}
        }
    }
    s.len()
}

/// Length of the number literal starting `s` (digits, `_`, suffixes, `0x…`, one `.`, `e±`).
fn number(s: &str) -> usize {
    let b = s.as_bytes();
    let mut j = 0;
    while j < b.len() {
        let c = b[j];
        let exponent_sign =
            (c == b'+' || c == b'-') && matches!(b[j - 1], b'e' | b'E') && !s.starts_with("0x");
        // `1.5` but not the range `0..n` or the method call `1.max(2)`.
        let point = c == b'.' && b.get(j + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_alphanumeric() || c == b'_' || point || exponent_sign {
            j += 1;
        } else {
            break;
        }
    }
    j
}

const STYLE: &str = "<style>
#tutorial .tiers { display: flex; gap: 1em; overflow-x: auto; align-items: flex-start; padding-bottom: .5em; }
#tutorial .tier { flex: 0 0 36em; max-width: 36em; min-width: 0; border: 1px solid #ddd; border-radius: 4px; padding: 0 .6em .6em; }
#tutorial .tier h4 { margin: .5em 0 0; }
#tutorial .loc { margin: .2em 0; color: #555; }
#tutorial .file { margin: .6em 0 .2em; font-family: monospace; font-size: .85em; }
#tutorial .file span, #tutorial summary { color: #666; }
#tutorial .missing { color: #a40; }
#tutorial pre { margin: 0; padding: .4em; background: #f8f8f8; overflow-x: auto; font-size: .8em; line-height: 1.35; }
#tutorial .k { color: #0033b3; font-weight: bold; }
#tutorial .s { color: #067d17; }
#tutorial .c { color: #8c8c8c; font-style: italic; }
#tutorial .n { color: #1750eb; }
#tutorial .f { color: #00627a; }
</style>
";

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(text: &str, lang: Lang) -> Vec<(Class, &str)> {
        tokenize(text, lang)
            .into_iter()
            .filter(|(c, _)| *c != Class::Plain)
            .collect()
    }

    #[test]
    fn tokens_concatenate_back_to_the_text() {
        for (text, lang) in [
            (
                "def f(x):\n    return x < 1 and 'a\\'b' # c\n",
                Lang::Python,
            ),
            (
                "fn f<'a>(x: &'a [u8]) -> u32 { /* a /* b */ c */ x.len() as u32 + 0..2 }",
                Lang::Rust,
            ),
            ("s = \"unterminated\nx = 1", Lang::Python),
            ("let s = r#\"no end", Lang::Rust),
        ] {
            let joined: String = tokenize(text, lang).iter().map(|t| t.1).collect();
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("a < b && c > \"d\""),
            "a &lt; b &amp;&amp; c &gt; &quot;d&quot;"
        );
        let h = highlight("if a<b & c>d: pass  # <tag>\n", Lang::Python);
        assert_eq!(
            h.lines,
            [
                "<span class=\"k\">if</span> a&lt;b &amp; c&gt;d: <span class=\"k\">pass</span>  \
              <span class=\"c\"># &lt;tag&gt;</span>"
            ]
        );
    }

    #[test]
    fn python_triple_quoted_strings_and_docstrings() {
        let text = "def f():\n    \"\"\"Doc with \"quotes\"\n    and # no comment\"\"\"\n    x = b'''a\n'b'''\n";
        assert_eq!(
            classes(text, Lang::Python),
            [
                (Class::Keyword, "def"),
                (Class::Function, "f"),
                (
                    Class::Comment,
                    "\"\"\"Doc with \"quotes\"\n    and # no comment\"\"\""
                ),
                (Class::Str, "b'''a\n'b'''"),
            ]
        );
        let h = highlight(text, Lang::Python);
        assert_eq!(
            (h.lines.len(), h.code_lines),
            (5, 3),
            "the docstring lines are not code"
        );
        assert!(
            h.lines[2].starts_with("<span class=\"c\">"),
            "spans reopen on each line"
        );
    }

    #[test]
    fn rust_raw_strings_chars_and_lifetimes() {
        let text =
            "let s = r#\"a \"quoted\" \\ b\"#; let c = '\\''; fn g<'a>(x: &'a str) -> char { 'x' }";
        assert_eq!(
            classes(text, Lang::Rust),
            [
                (Class::Keyword, "let"),
                (Class::Str, "r#\"a \"quoted\" \\ b\"#"),
                (Class::Keyword, "let"),
                (Class::Str, "'\\''"),
                (Class::Keyword, "fn"),
                (Class::Function, "g"),
                (Class::Str, "'x'"),
            ]
        );
        assert_eq!(
            classes("br\"\\\"", Lang::Rust),
            [(Class::Str, "br\"\\\"")],
            "raw: no escapes"
        );
    }

    #[test]
    fn keywords_numbers_and_comments() {
        assert_eq!(
            classes(
                "for i in range(0x1F, 1e-3): yield None  # done",
                Lang::Python
            ),
            [
                (Class::Keyword, "for"),
                (Class::Keyword, "in"),
                (Class::Number, "0x1F"),
                (Class::Number, "1e-3"),
                (Class::Keyword, "yield"),
                (Class::Keyword, "None"),
                (Class::Comment, "# done"),
            ]
        );
        assert_eq!(
            classes(
                "/// doc\npub fn main() { for _ in 0..10_u8 {} } // end",
                Lang::Rust
            ),
            [
                (Class::Comment, "/// doc"),
                (Class::Keyword, "pub"),
                (Class::Keyword, "fn"),
                (Class::Function, "main"),
                (Class::Keyword, "for"),
                (Class::Keyword, "in"),
                (Class::Number, "0"),
                (Class::Number, "10_u8"),
                (Class::Comment, "// end"),
            ]
        );
        // `define` is no keyword, and `format` after it names nothing.
        assert_eq!(classes("define format", Lang::Python), []);
    }

    #[test]
    fn rust_tests_are_cut() {
        let text = "fn f() {}\n\n#[cfg(test)]\nmod tests {\n    fn t() {}\n}\n";
        assert_eq!(without_tests(text), ("fn f() {}\n\n", 4));
        assert_eq!(without_tests("fn f() {}\n"), ("fn f() {}\n", 0));
    }

    #[test]
    fn pyo3_part_follows_the_markers() {
        let lib = "//! glue\nfn decompress() {}\n// ------------------------ json\nfn cdxj() {}\n// ------------------------ emoji\nfn count() {}";
        assert_eq!(pyo3_part(lib, "decompress"), "//! glue\nfn decompress() {}");
        assert_eq!(
            pyo3_part(lib, "json"),
            "// ------------------------ json\nfn cdxj() {}"
        );
        assert!(pyo3_part(lib, "emoji").ends_with("fn count() {}"));
    }

    #[test]
    fn long_files_fold_and_missing_files_are_noted() {
        let dir = std::env::temp_dir().join(format!("gluebench-tutorial-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("py_impls/emoji")).unwrap();
        let long: String = (0..100).map(|i| format!("x = {i}\n")).collect();
        std::fs::write(dir.join("py_impls/emoji/naive.py"), long).unwrap();
        let html = section(&dir);
        assert!(html.starts_with("<section id=\"tutorial\">"));
        assert!(html.contains("100 lines, <b>100</b> code"));
        assert!(html.contains("<details><summary>40 more lines</summary>"));
        assert!(html.contains("not found: <code>py_impls/decompress/pure.py</code>"));
        assert!(html.contains("not found: <code>rust_impls/src/emoji.rs</code>"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn renders_this_repository() {
        let html = section(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(
            !html.contains("not found"),
            "every tier of every task has its file"
        );
        assert_eq!(html.matches("<div class=\"tier\">").count(), 18);
    }
}
