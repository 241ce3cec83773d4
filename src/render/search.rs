//! `search-index.js`: the offline search data of one audience's version,
//! built from its filtered model only, and the `search.html` page that
//! reads it (with `static/search.js`).
//!
//! The file is a script (`window.GONGSHI_SEARCH = {…}`), so it loads from
//! `file://` where `fetch` cannot. It holds:
//!
//! - `items`: `[kind, id, title, href, grade, text]` per item — kind an
//!   index into `kinds`, grade an index into `grades` (risks) or -1, text
//!   the item's words as plain text (Markdown syntax stripped) for
//!   checking hits and showing snippets. Order: `kinds`, then the model's.
//! - `bigrams`: every pair of adjacent [`is_bigram_char`] characters in an
//!   item's lowercased id, title or text, sorted, concatenated (two UTF-16
//!   units each, so the browser binary-searches the string), with
//!   `bigram_postings` beside it.
//! - `words`: every run of `[0-9a-z]` (after lowercasing), sorted, with
//!   `word_postings`.
//!
//! A postings string lists item indices, ascending: either gaps as
//! base-32 varints in [`ALPHABET`] (a digit ≥ 32 means more digits follow;
//! the first number is the index, then each index minus the previous minus
//! one), or, when shorter, `!` and a bitmap, six items per character (bit j
//! of character k is item 6k + j).
//!
//! The browser derives from a query only tokens that any text containing
//! the query must hold, intersects their postings, then checks every
//! candidate by substring, so results are exact. Same site, same bytes.

use super::pages::Job;
use super::view::{grade_views, href};
use crate::model::body::replace_links;
use crate::model::{Kind, MeasureUse, Site};
use crate::render::markdown::escape_markdown;
use crate::write::Rendered;
use pulldown_cmark::{Event, Options, Parser, TagEnd};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The file's path in a version folder.
pub const PATH: &str = "search-index.js";

/// Digits of a postings string (base64url order).
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Kinds in index order, which is also the order of equally ranked results.
pub const KINDS: [Kind; 7] = Kind::LOOKUP;

/// One searchable item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    /// Relative to the version root.
    pub href: String,
    /// Index into the config's grades (risks only).
    pub grade: Option<usize>,
    /// Plain text: body and the item's own text fields.
    pub text: String,
}

/// Characters indexed by pairs: CJK ideographs (with extension A and
/// compatibility), kana, hangul, 々, 〇 and full-width digits. All in the
/// BMP, so a pair is two UTF-16 units in the browser too. `search.js` has
/// the same ranges.
pub fn is_bigram_char(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{3040}'..='\u{30ff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ac00}'..='\u{d7af}'
        | '\u{ff10}'..='\u{ff19}'
        | '\u{3005}'
        | '\u{3007}')
}

/// Punctuation with no case: general, CJK and full-width (not letters).
fn is_caseless_punctuation(c: char) -> bool {
    matches!(c,
        '\u{2000}'..='\u{206f}'
        | '\u{3000}'..='\u{303f}'
        | '\u{ff01}'..='\u{ff20}'
        | '\u{ff3b}'..='\u{ff40}'
        | '\u{ff5b}'..='\u{ffef}')
}

/// Characters of words (after lowercasing).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_lowercase()
}

/// Adds the tokens of `text` lowercased: adjacent bigram-char pairs as
/// `first << 32 | second`, and `[0-9a-z]` runs. Lowercasing goes a
/// character at a time, which differs from the whole string's only in
/// final sigma (no token character), so no lowercased copy is made.
pub fn tokenize(text: &str, bigrams: &mut Vec<u64>, words: &mut Vec<String>) {
    let mut prev: Option<char> = None;
    let mut word = String::new();
    let mut step = |c: char| {
        if is_bigram_char(c) {
            if let Some(p) = prev {
                bigrams.push((u64::from(p) << 32) | u64::from(c));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
        if is_word_char(c) {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            step(c.to_ascii_lowercase());
        } else if is_bigram_char(c) || is_caseless_punctuation(c) {
            step(c); // the common case, without a table lookup
        } else {
            c.to_lowercase().for_each(&mut step);
        }
    }
    step(' ');
}

/// Markdown as plain text: text and code kept, syntax and raw HTML
/// dropped, `[[ID]]` shown as the item's title, whitespace collapsed.
pub fn plain(site: &Site, markdown: &str) -> String {
    plain_markdown(&replace_links(markdown, |l, out| {
        escape_markdown(site.link_title(&l.id), out)
    }))
}

/// Markdown (links already resolved) as plain text.
fn plain_markdown(source: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(source.len());
    for ev in Parser::new_ext(source, opts) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            // A soft break joins Chinese lines without a space.
            Event::SoftBreak if out.chars().next_back().is_some_and(|c| c.is_ascii()) => {
                out.push(' ')
            }
            Event::HardBreak | Event::Rule => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::Image,
            ) => out.push(' '),
            _ => {}
        }
    }
    squeeze(&out)
}

/// Runs of whitespace as one space, trimmed.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Joins the non-empty parts with a space.
fn join<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    squeeze(&parts.into_iter().collect::<Vec<_>>().join(" "))
}

/// Every item of the filtered site, in index order. Risks carry their
/// body, inline measures and basis; powers their body, basis, materials,
/// time limit and fee; flows their step labels and body; posts their body
/// and holders (present only where the audience may see them); the other
/// kinds their body.
pub fn entries(site: &Site) -> Vec<Entry> {
    let entry = |kind: Kind, meta: &crate::model::Meta, grade, fields: Vec<&str>| {
        let body = plain(site, &meta.body);
        Entry {
            kind,
            id: meta.id.clone(),
            title: meta.title.clone(),
            href: href(kind, &meta.id),
            grade,
            text: join(std::iter::once(body.as_str()).chain(fields)),
        }
    };
    let mut out: Vec<Entry> = site
        .risks
        .par_iter()
        .map(|r| {
            let measures: Vec<String> = r
                .measures
                .iter()
                .filter_map(|m| match m {
                    MeasureUse::Inline { text, .. } => Some(plain(site, text)),
                    MeasureUse::Shared { .. } => None,
                })
                .collect();
            let mut fields: Vec<&str> = measures.iter().map(String::as_str).collect();
            fields.extend(r.basis.iter().map(String::as_str));
            entry(Kind::Risk, &r.meta, Some(r.grade), fields)
        })
        .collect();
    out.par_extend(site.powers.par_iter().map(|p| {
        let mut fields: Vec<&str> = p.basis.iter().map(String::as_str).collect();
        fields.extend(p.materials.iter().map(String::as_str));
        fields.extend(p.time_limit.as_deref());
        fields.extend(p.fee.as_deref());
        entry(Kind::Power, &p.meta, None, fields)
    }));
    out.par_extend(site.flows.par_iter().map(|f| {
        let labels = f.steps.iter().map(|s| s.label.as_str()).collect();
        entry(Kind::Flow, &f.meta, None, labels)
    }));
    out.par_extend(site.posts.par_iter().map(|p| {
        let names = p.holders.iter().map(|h| h.name.as_str()).collect();
        entry(Kind::Post, &p.meta, None, names)
    }));
    let bare = |kind: Kind, metas: Vec<&crate::model::Meta>| {
        metas
            .into_par_iter()
            .map(|m| entry(kind, m, None, Vec::new()))
            .collect::<Vec<_>>()
    };
    out.extend(bare(
        Kind::Department,
        site.departments.iter().map(|x| &x.meta).collect(),
    ));
    out.extend(bare(
        Kind::Measure,
        site.measures.iter().map(|x| &x.meta).collect(),
    ));
    out.extend(bare(
        Kind::Page,
        site.pages.iter().map(|x| &x.meta).collect(),
    ));
    out
}

/// The entries with their token postings, sorted by token.
pub struct Index {
    pub entries: Vec<Entry>,
    pub bigrams: Vec<(u64, Vec<u32>)>,
    pub words: Vec<(String, Vec<u32>)>,
}

/// Tokens of one entry, each once, in no particular order (each token's
/// postings get the entry's index once; the tokens are sorted at the end).
fn entry_tokens(e: &Entry) -> (Vec<u64>, Vec<String>) {
    let mut bigrams = Vec::new();
    let mut words = Vec::new();
    for field in [&e.id, &e.title, &e.text] {
        tokenize(field, &mut bigrams, &mut words);
    }
    // A text repeats its pairs often: a set is cheaper than sorting them all.
    let unique: HashSet<u64, BuildHasherDefault<KeyHasher>> = bigrams.into_iter().collect();
    words.sort_unstable();
    words.dedup();
    (unique.into_iter().collect(), words)
}

/// Builds the index of a filtered site.
pub fn index(site: &Site) -> Index {
    let entries = entries(site);
    let mut bigrams: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>> = HashMap::default();
    let mut words: HashMap<String, Vec<u32>> = HashMap::new();
    // Tokens a chunk at a time (in parallel within it), so that only one
    // chunk's token lists are ever held.
    const CHUNK: usize = 512;
    for (c, chunk) in entries.chunks(CHUNK).enumerate() {
        let tokens: Vec<(Vec<u64>, Vec<String>)> = chunk.par_iter().map(entry_tokens).collect();
        for (j, (b, w)) in tokens.into_iter().enumerate() {
            let i = (c * CHUNK + j) as u32;
            for t in b {
                bigrams.entry(t).or_default().push(i);
            }
            for t in w {
                words.entry(t).or_default().push(i);
            }
        }
    }
    // Items were visited in order, so each list is ascending; only the
    // tokens need sorting (no HashMap order reaches the output).
    let mut bigrams: Vec<(u64, Vec<u32>)> = bigrams.into_iter().collect();
    bigrams.sort_unstable_by_key(|(k, _)| *k);
    let mut words: Vec<(String, Vec<u32>)> = words.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Index {
        entries,
        bigrams,
        words,
    }
}

/// Hashes a bigram key with one multiplication: SipHash made merging
/// the postings of a large site several times slower, and the keys come
/// from the site's own text (nothing to defend against).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A postings string for an ascending, non-empty list (see the module doc).
pub fn encode_postings(list: &[u32]) -> String {
    let mut gaps = Vec::with_capacity(list.len() + 2);
    let mut prev: Option<u32> = None;
    for &i in list {
        let v = prev.map_or(i, |p| i - p - 1);
        push_varint(&mut gaps, v);
        prev = Some(i);
    }
    let last = list.last().copied().unwrap_or(0) as usize;
    let bitmap_len = 1 + last / 6 + 1;
    if bitmap_len < gaps.len() {
        let mut bits = vec![0u8; last / 6 + 1];
        for &i in list {
            bits[i as usize / 6] |= 1 << (i % 6);
        }
        let mut s = String::with_capacity(bitmap_len);
        s.push('!');
        s.extend(bits.iter().map(|&b| ALPHABET[b as usize] as char));
        return s;
    }
    String::from_utf8(gaps).expect("postings are digits of ALPHABET, which is ASCII")
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    let mut buf = [0u8; 8];
    let mut at = buf.len() - 1;
    buf[at] = ALPHABET[(v & 31) as usize];
    v >>= 5;
    while v > 0 {
        at -= 1;
        buf[at] = ALPHABET[(32 + (v & 31)) as usize];
        v >>= 5;
    }
    out.extend_from_slice(&buf[at..]);
}

/// Reads a postings string back (what `search.js` does).
pub fn decode_postings(s: &str) -> Vec<u32> {
    let digit = |b: u8| ALPHABET.iter().position(|&a| a == b).unwrap_or(0) as u32;
    let mut out = Vec::new();
    if let Some(bitmap) = s.strip_prefix('!') {
        for (k, b) in bitmap.bytes().enumerate() {
            let v = digit(b);
            for j in 0..6 {
                if v >> j & 1 == 1 {
                    out.push(k as u32 * 6 + j);
                }
            }
        }
        return out;
    }
    let mut n = 0u32;
    let mut prev: Option<u32> = None;
    for b in s.bytes() {
        let v = digit(b);
        n = n * 32 + (v & 31);
        if v < 32 {
            let i = prev.map_or(n, |p| p + 1 + n);
            out.push(i);
            prev = Some(i);
            n = 0;
        }
    }
    out
}

#[derive(Serialize)]
struct GradeOut<'a> {
    name: &'a str,
    color: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Document<'a> {
    format: u32,
    kinds: Vec<&'static str>,
    grades: Vec<GradeOut<'a>>,
    items: Vec<(usize, &'a str, &'a str, &'a str, i64, &'a str)>,
    bigrams: String,
    bigram_postings: Vec<String>,
    words: Vec<&'a str>,
    word_postings: Vec<String>,
}

/// The bytes of `search-index.js`, printed straight into one buffer.
pub fn script_bytes(site: &Site, index: &Index) -> Vec<u8> {
    let grades = grade_views(&site.config);
    let doc = Document {
        format: 1,
        kinds: KINDS.iter().map(|k| k.name()).collect(),
        grades: grades
            .iter()
            .map(|g| GradeOut {
                name: &g.name,
                color: &g.color,
                text: &g.text,
            })
            .collect(),
        items: index
            .entries
            .iter()
            .map(|e| {
                let kind = KINDS
                    .iter()
                    .position(|k| *k == e.kind)
                    .expect("every kind of item is in KINDS");
                let grade = e.grade.map_or(-1, |g| g as i64);
                (kind, &*e.id, &*e.title, &*e.href, grade, &*e.text)
            })
            .collect(),
        bigrams: index
            .bigrams
            .iter()
            .flat_map(|(k, _)| [(k >> 32) as u32, *k as u32])
            .filter_map(char::from_u32)
            .collect(),
        bigram_postings: index
            .bigrams
            .par_iter()
            .map(|(_, l)| encode_postings(l))
            .collect(),
        words: index.words.iter().map(|(w, _)| w.as_str()).collect(),
        word_postings: index
            .words
            .par_iter()
            .map(|(_, l)| encode_postings(l))
            .collect(),
    };
    let mut out = b"window.GONGSHI_SEARCH = ".to_vec();
    let text = out.len() + index.entries.iter().map(|e| e.text.len()).sum::<usize>();
    out.reserve(text + text / 2);
    serde_json::to_writer(&mut out, &doc)
        .expect("the index is text and numbers written into memory: it always prints");
    out.extend_from_slice(b";\n");
    out
}

/// The text of `search-index.js`.
pub fn script(site: &Site, index: &Index) -> String {
    String::from_utf8(script_bytes(site, index)).expect("JSON is printed as UTF-8")
}

/// `search-index.js` of one audience's filtered site.
pub fn render(site: &Site) -> Rendered {
    Rendered {
        path: PATH.into(),
        bytes: script_bytes(site, &index(site)),
    }
}

/// Writes `search-index.js` into `sink`.
pub fn render_into(site: &Site, sink: &dyn crate::write::Sink) -> Result<(), super::RenderError> {
    super::put(sink, PATH, script_bytes(site, &index(site)))
}

/// The results page; `search.js` fills it from the address's `?q=`.
pub fn job() -> Job<'static> {
    Job {
        path: "search.html".into(),
        template: "search.html",
        data: super::page_data::PageData::Search(super::page_data::SearchPage {}),
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
