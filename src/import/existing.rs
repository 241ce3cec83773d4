//! Which existing item a ledger row is: a row without an id is matched by
//! its title within its department, after setting aside spaces (full-width
//! ones included) and the difference between full-width and half-width
//! punctuation, so an office's ledger imported twice creates nothing the
//! second time. Rows of the same sheet are entered as they are given ids,
//! so a row repeated lower down is caught too.

use super::headers::norm;
use crate::model::{Kind, Site};

/// A title made comparable: no spaces of any width, full-width letters,
/// digits and punctuation as half-width, curly quotes as straight ones,
/// Latin letters in lower case (`集体审议流于形式, 个人意志…` is
/// `集体审议流于形式，个人意志…`), without a sentence's end mark.
pub fn title_key(title: &str) -> String {
    let key: String = norm(title)
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' | '″' => '"',
            '‘' | '’' | '′' => '\'',
            '。' => '.',
            '〔' | '［' => '[',
            '〕' | '］' => ']',
            '—' | '－' | '–' => '-',
            _ => c,
        })
        .collect();
    key.trim_end_matches(['.', ';', '!', '?']).to_string()
}

/// An item a row may turn out to be.
#[derive(Debug, Clone)]
struct Known {
    id: String,
    key: String,
    department: Option<String>,
    /// The sheet row it came from, for items of this import.
    row: Option<usize>,
}

/// What a title is, among the items of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleMatch {
    /// An item of the site (its id).
    Item(String),
    /// A row above in the same sheet: (row, the id it was given).
    Row(usize, String),
    /// Several items could be meant (their ids, sorted).
    Several(Vec<String>),
    New,
}

/// The items of one kind, by title and department.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    known: Vec<Known>,
}

impl Titles {
    /// The site's items of `kind` (risks, powers and posts have a
    /// department; other kinds match by title alone).
    pub fn of(site: &Site, kind: Kind) -> Titles {
        let item = |m: &crate::model::Meta, d: &Option<String>| Known {
            id: m.id.clone(),
            key: title_key(&m.title),
            department: d.clone(),
            row: None,
        };
        let known = match kind {
            Kind::Risk => site
                .risks
                .iter()
                .map(|x| item(&x.meta, &x.department))
                .collect(),
            Kind::Power => site
                .powers
                .iter()
                .map(|x| item(&x.meta, &x.department))
                .collect(),
            Kind::Post => site
                .posts
                .iter()
                .map(|x| item(&x.meta, &x.department))
                .collect(),
            _ => site
                .metas()
                .into_iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, m)| item(m, &None))
                .collect(),
        };
        Titles { known }
    }

    /// Enters a row of this import, given `id`.
    pub fn add_row(&mut self, row: usize, id: &str, title: &str, department: Option<&str>) {
        self.known.push(Known {
            id: id.to_string(),
            key: title_key(title),
            department: department.map(str::to_string),
            row: Some(row),
        });
    }

    /// The item `title` names within `department` (its id). A row naming
    /// no department (or none the site knows) is matched among all
    /// departments: one item of that title is it, several are reported.
    pub fn find(&self, title: &str, department: Option<&str>) -> TitleMatch {
        let key = title_key(title);
        if key.is_empty() {
            return TitleMatch::New;
        }
        let hits: Vec<&Known> = self
            .known
            .iter()
            .filter(|k| k.key == key)
            .filter(|k| department.is_none() || k.department.as_deref() == department)
            .collect();
        match hits.as_slice() {
            [] => TitleMatch::New,
            [one] => match one.row {
                Some(row) => TitleMatch::Row(row, one.id.clone()),
                None => TitleMatch::Item(one.id.clone()),
            },
            many => {
                let mut ids: Vec<String> = many.iter().map(|k| k.id.clone()).collect();
                ids.sort();
                ids.dedup();
                TitleMatch::Several(ids)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles() -> Titles {
        let mut t = Titles::default();
        let mut add = |id: &str, title: &str, d: Option<&str>| {
            t.known.push(Known {
                id: id.into(),
                key: title_key(title),
                department: d.map(str::to_string),
                row: None,
            })
        };
        add(
            "R-004",
            "集体审议流于形式，个人意志代替集体决策",
            Some("D-01"),
        );
        add("R-015", "化整为零规避公开招标", Some("D-02"));
        add("R-020", "矿山企业和中介机构“围猎”审批人员", Some("D-04"));
        t
    }

    #[test]
    fn titles_match_across_spaces_and_widths_within_the_department() {
        let t = titles();
        let item = |id: &str| TitleMatch::Item(id.into());
        let f = |s: &str, d: &str| t.find(s, Some(d));
        assert_eq!(
            f(" 集体审议流于形式, 个人意志代替集体决策 ", "D-01"),
            item("R-004")
        );
        assert_eq!(
            f("矿山企业和中介机构\"围猎\"审批人员", "D-04"),
            item("R-020")
        );
        assert_eq!(f("化整为零　规避公开招标", "D-02"), item("R-015"));
        assert_eq!(f("化整为零规避公开招标", "D-03"), TitleMatch::New);
        assert_eq!(t.find("化整为零规避公开招标", None), item("R-015"));
        assert_eq!(f("化整为零规避公开招标。", "D-02"), item("R-015"));
        assert_eq!(f("化整为零规避招标", "D-02"), TitleMatch::New);
        assert_eq!(t.find("", None), TitleMatch::New);
    }

    #[test]
    fn rows_of_the_sheet_are_matched_and_doubles_reported() {
        let mut t = titles();
        t.add_row(4, "R-031", "化整为零规避公开招标", Some("D-03"));
        assert_eq!(
            t.find("化整为零规避公开招标", Some("D-03")),
            TitleMatch::Row(4, "R-031".into())
        );
        assert_eq!(
            t.find("化整为零规避公开招标", None),
            TitleMatch::Several(vec!["R-015".into(), "R-031".into()])
        );
    }
}
