//! Names in a ledger to ids in the site: departments, posts, powers, flows
//! and shared measures are found by title — exactly, then after
//! normalising (spaces, full-width forms), then by id. Nothing is made up:
//! a name that matches nothing, or several things, comes back as such.

use super::headers::norm;

/// An item a name may point at.
#[derive(Debug, Clone)]
pub struct Named {
    pub id: String,
    pub title: String,
    /// For posts: the department, to tell apart posts of the same title.
    pub group: Option<String>,
}

/// What a name was found to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The title, as written.
    Exact(String),
    /// The title once spaces and full-width forms are set aside.
    Normalised(String),
    /// The cell held the id itself.
    ById(String),
    /// Several items have this title.
    Ambiguous(Vec<String>),
    Missing,
}

#[derive(Debug, Clone, Default)]
pub struct Matcher {
    items: Vec<Named>,
}

impl Matcher {
    pub fn new(items: Vec<Named>) -> Matcher {
        Matcher { items }
    }

    /// Adds an item, or replaces the one with its id.
    pub fn add(&mut self, item: Named) {
        self.items.retain(|x| x.id != item.id);
        self.items.push(item);
    }

    pub fn title(&self, id: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.title.as_str())
    }

    /// Finds `name`; `group` prefers items of that group among equals.
    pub fn find(&self, name: &str, group: Option<&str>) -> Found {
        let name = name.trim();
        if name.is_empty() {
            return Found::Missing;
        }
        let pick = |hits: Vec<&Named>| -> Result<String, Vec<String>> {
            if hits.len() > 1 {
                let same: Vec<&&Named> = hits
                    .iter()
                    .filter(|x| group.is_some() && x.group.as_deref() == group)
                    .collect();
                if same.len() == 1 {
                    return Ok(same[0].id.clone());
                }
                return Err(hits.iter().map(|x| x.id.clone()).collect());
            }
            Ok(hits[0].id.clone())
        };
        let exact: Vec<&Named> = self.items.iter().filter(|x| x.title == name).collect();
        if !exact.is_empty() {
            return pick(exact).map_or_else(Found::Ambiguous, Found::Exact);
        }
        let n = norm(name);
        let close: Vec<&Named> = self.items.iter().filter(|x| norm(&x.title) == n).collect();
        if !close.is_empty() {
            return pick(close).map_or_else(Found::Ambiguous, Found::Normalised);
        }
        if let Some(x) = self.items.iter().find(|x| x.id == name) {
            return Found::ById(x.id.clone());
        }
        Found::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> Matcher {
        let n = |id: &str, title: &str, group: &str| Named {
            id: id.into(),
            title: title.into(),
            group: Some(group.into()),
        };
        Matcher::new(vec![
            n("P-1", "科长", "D-1"),
            n("P-2", "科长", "D-2"),
            n("P-3", "审批员", "D-1"),
        ])
    }

    #[test]
    fn finds_by_title_then_normalised_then_id() {
        assert_eq!(m().find("审批员", None), Found::Exact("P-3".into()));
        assert_eq!(m().find("审　批 员", None), Found::Normalised("P-3".into()));
        assert_eq!(m().find("P-2", None), Found::ById("P-2".into()));
        assert_eq!(m().find("局长", None), Found::Missing);
    }

    #[test]
    fn same_titles_are_told_apart_by_department_or_reported() {
        assert_eq!(m().find("科长", Some("D-2")), Found::Exact("P-2".into()));
        assert_eq!(
            m().find("科长", None),
            Found::Ambiguous(vec!["P-1".into(), "P-2".into()])
        );
    }
}
