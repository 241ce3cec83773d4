//! Splitting a file into YAML front matter and Markdown body.

/// Where the parts of a file are, as byte ranges of its (decoded) text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Start of the YAML (the line after the opening `---`).
    pub yaml_start: usize,
    /// End of the YAML (the start of the closing `---` line).
    pub yaml_end: usize,
    /// Start of the Markdown body.
    pub body_start: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// Empty, or the first line is not `---`.
    NoOpening,
    /// The opening `---` has no closing `---`.
    NoClosing,
}

/// Finds the front matter: a first line `---`, YAML, a line `---` (or `...`).
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoOpening)?;
    if first.trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let yaml_start = first.len();
    let mut pos = yaml_start;
    for line in lines {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Ok(Split {
                yaml_start,
                yaml_end: pos,
                body_start: pos + line.len(),
            });
        }
        pos += line.len();
    }
    Err(SplitError::NoClosing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let t = "---\ntitle: a\n---\nbody\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml_start..s.yaml_end], "title: a\n");
        assert_eq!(&t[s.body_start..], "body\n");
    }

    #[test]
    fn errors() {
        assert_eq!(split(""), Err(SplitError::NoOpening));
        assert_eq!(split("title: a\n"), Err(SplitError::NoOpening));
        assert_eq!(split("---\ntitle: a\nbody"), Err(SplitError::NoClosing));
        assert!(split("---\n---\n").is_ok());
        assert!(split("--- \ntitle: a\n---").is_ok());
    }
}
