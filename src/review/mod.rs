//! Review stamps (签字备案): the fingerprint of an item's substantive
//! content, what each item's stamp says of it now ([`assess`], which the
//! pipeline puts on the model as `Site::reviews`), and `gongshi review`'s
//! stamping of files ([`stamp`]).
//!
//! A fingerprint is two parts: `fingerprint`, 16 hex digits of the SHA-256
//! of every field of [`canon::field_names`] in canonical form, which tells
//! whether anything changed; and `fields`, three hex digits per field in
//! that order, which tells which ones did.

pub mod canon;
pub mod stamp;

use crate::model::{Kind, ReviewState, Reviews, Site, Stamp};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// The fingerprint of an item as a stamp writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    /// Over every field: 16 hex digits.
    pub whole: String,
    /// Three hex digits per field, in [`canon::field_names`] order.
    pub fields: String,
}

const FIELD_DIGITS: usize = 3;

/// The first `digits` hex digits of `bytes`.
fn hex(bytes: &[u8], digits: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..digits)
        .map(|i| {
            let b = bytes[i / 2];
            let nibble = if i % 2 == 0 { b >> 4 } else { b & 15 };
            char::from(HEX[usize::from(nibble)])
        })
        .collect()
}

/// The fingerprint of canonical `fields` of an item of `kind`.
pub fn fingerprint(kind: Kind, fields: &canon::Fields) -> Fingerprint {
    let mut whole = Sha256::new();
    whole.update(kind.name().as_bytes());
    let mut each = String::with_capacity(fields.len() * FIELD_DIGITS);
    for (name, value) in fields {
        for part in [name.as_bytes(), b"\0", value.as_bytes(), b"\0"] {
            whole.update(part);
        }
        let one = Sha256::new()
            .chain_update(name.as_bytes())
            .chain_update(b"\0")
            .chain_update(value.as_bytes())
            .finalize();
        each.push_str(&hex(&one, FIELD_DIGITS));
    }
    Fingerprint {
        whole: hex(&whole.finalize(), 16),
        fields: each,
    }
}

/// The fingerprint of item `id` of `kind` as it is now.
pub fn of(site: &Site, kind: Kind, id: &str) -> Option<Fingerprint> {
    Some(fingerprint(kind, &canon::fields(site, kind, id)?))
}

/// What `stamp` says of an item whose fingerprint is now `now`.
pub fn state(kind: Kind, stamp: Option<&Stamp>, now: &Fingerprint) -> ReviewState {
    let Some(stamp) = stamp else {
        return ReviewState::Never;
    };
    let Some(was) = &stamp.fingerprint else {
        return ReviewState::Unverified;
    };
    if *was == now.whole {
        return ReviewState::Current;
    }
    let names = canon::field_names(kind);
    let fields = match &stamp.fields {
        Some(f) if f.len() == now.fields.len() && f.is_ascii() => names
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let r = i * FIELD_DIGITS..(i + 1) * FIELD_DIGITS;
                f[r.clone()] != now.fields[r]
            })
            .map(|(_, n)| *n)
            .collect(),
        _ => Vec::new(),
    };
    ReviewState::Changed { fields }
}

/// Every stamped item's review state, fingerprints computed in parallel.
pub fn assess(site: &Site) -> Reviews {
    let items: Vec<(Kind, &crate::model::Meta)> = site
        .metas()
        .into_iter()
        .filter(|(k, _)| k.stamped())
        .collect();
    let states: Vec<(Kind, &str, ReviewState)> = items
        .par_iter()
        .map(|(kind, m)| (*kind, m.id.as_str(), now(site, *kind, m)))
        .collect();
    let mut out = Reviews::default();
    for (kind, id, s) in states {
        out.set(kind, id, s);
    }
    out
}

/// The state of one risk (`serve`'s fast path re-assesses an edited risk).
pub fn risk_state(site: &Site, r: &crate::model::Risk) -> ReviewState {
    now(site, Kind::Risk, &r.meta)
}

/// What an item's stamp says of it now. The fingerprint is computed only
/// for a stamp that has one to compare with: without a stamp an item was
/// never reviewed, with a date-only stamp it is unverified, whatever the
/// fields say.
fn now(site: &Site, kind: Kind, m: &crate::model::Meta) -> ReviewState {
    let stamp = m.review.as_ref();
    if stamp.is_none_or(|s| s.fingerprint.is_none()) {
        return state(kind, stamp, &Fingerprint::default());
    }
    match of(site, kind, &m.id) {
        Some(fp) => state(kind, stamp, &fp),
        None => ReviewState::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_field_is_named() {
        let names = canon::field_names(Kind::Department);
        let a: canon::Fields = names.iter().map(|n| (*n, format!("{n} 的值"))).collect();
        let was = fingerprint(Kind::Department, &a);
        let stamp = Stamp {
            date: "2025-05-20".into(),
            by: Some("局党组".into()),
            fingerprint: Some(was.whole.clone()),
            fields: Some(was.fields.clone()),
        };
        assert_eq!(
            state(Kind::Department, Some(&stamp), &was),
            ReviewState::Current
        );
        let mut b = a.clone();
        let body = names.iter().position(|n| *n == "body").unwrap();
        b[body].1 = "改过的正文".into();
        let now = fingerprint(Kind::Department, &b);
        assert_eq!(
            state(Kind::Department, Some(&stamp), &now),
            ReviewState::Changed {
                fields: vec!["body"]
            }
        );
        // digests of another length (an older list of fields): changed,
        // without naming fields
        let short = Stamp {
            fields: Some("abc".into()),
            ..stamp
        };
        assert_eq!(
            state(Kind::Department, Some(&short), &now),
            ReviewState::Changed { fields: vec![] }
        );
    }

    #[test]
    fn a_bare_date_is_unverified_and_no_stamp_is_never() {
        let f = fingerprint(Kind::Risk, &vec![("title", "甲".into())]);
        let bare = Stamp {
            date: "2025-05-01".into(),
            ..Stamp::default()
        };
        assert_eq!(state(Kind::Risk, Some(&bare), &f), ReviewState::Unverified);
        assert_eq!(state(Kind::Risk, None, &f), ReviewState::Never);
    }
}
