//! `changes.html` read back: its tables' rows as cell texts (编号, 事项,
//! 修订内容, 修订前, 修订后, or the word diff in one cell), each with the
//! row's HTML (for its `<ins>`/`<del>`).

/// One row of the page.
pub struct Row {
    pub cells: Vec<String>,
    pub html: String,
}

impl Row {
    pub fn id(&self) -> &str {
        &self.cells[0]
    }
    /// 修订内容: 新增, 删除, 撤回（不再公示）, 风险等级…
    pub fn what(&self) -> &str {
        &self.cells[2]
    }
    /// 修订前 and 修订后 (or the diff) together.
    pub fn texts(&self) -> String {
        self.cells[3..].concat()
    }
}

/// The text of an HTML fragment: tags dropped, the escapes read.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Every change row of the page, in page order.
pub fn rows(html: &str) -> Vec<Row> {
    html.split("<tr class=\"change ")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").unwrap_or(row.len())];
            let cells = row
                .split("<td")
                .skip(1)
                .map(|c| {
                    text_of(&c[c.find('>').map_or(0, |i| i + 1)..])
                        .trim()
                        .to_string()
                })
                .collect();
            Row {
                cells,
                html: row.to_string(),
            }
        })
        .collect()
}

/// The ids of the rows whose 修订内容 is `what`.
pub fn ids(html: &str, what: &str) -> Vec<String> {
    rows(html)
        .into_iter()
        .filter(|r| r.what() == what)
        .map(|r| r.id().to_string())
        .collect()
}
