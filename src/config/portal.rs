//! `portal:` in `gongshi.yaml`: the identity a site carries when its pages
//! go onto a government or state-owned enterprise portal (《政府网站发展指引》:
//! 主办单位, 联系方式, 网站标识码, ICP备案号, 公安机关备案号, 党政机关网站标识,
//! 我为政府网站找错). Every field is optional; with `government: true`,
//! `check` warns for each one a government site must show (W120), and for
//! a badge image the site does not have (W121).

use crate::diag::Location;
use serde::{Deserialize, Serialize};

/// Where an ICP filing number is looked up (工业和信息化部备案管理系统).
pub const ICP_LINK: &str = "https://beian.miit.gov.cn/";

/// Where a public-security filing number is looked up; the number's
/// digits follow.
pub const POLICE_LINK: &str = "https://beian.mps.gov.cn/#/query/webSearch?code=";

/// 我为政府网站找错 for a site code (网站标识码) that follows.
pub const REPORT_LINK: &str =
    "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=";

/// The portal identity (see the module doc).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Portal {
    /// A government site: `check` warns for each required field missing.
    pub government: bool,
    /// The audiences whose pages carry the footer, by name; empty: the
    /// widest (the one that goes on the portal).
    pub scopes: Vec<String>,
    /// 主办单位.
    pub sponsor: Option<String>,
    /// 承办单位.
    pub organizer: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 网站标识码 (ten digits, given by the 政府网站 register).
    pub site_code: Option<String>,
    /// ICP备案号, e.g. 京ICP备00000000号.
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 京公网安备 00000000000000号.
    pub police: Option<String>,
    /// 党政机关网站标识: an image of the site's own `static/` folder
    /// (`static/…`).
    pub badge: Option<String>,
    /// Where the 党政机关网站标识 links (its 开办 record).
    pub badge_link: Option<String>,
    /// 我为政府网站找错; default from `site_code`.
    pub report_link: Option<String>,
    /// Where each required field (else `portal` itself) is written in
    /// gongshi.yaml, for diagnostics, by key.
    #[serde(skip)]
    pub at: std::collections::BTreeMap<&'static str, Location>,
    /// Where `badge` is written, when the site has no such file.
    #[serde(skip)]
    pub badge_missing: Option<Location>,
}

/// A field a government site must show: its key under `portal:`.
pub const REQUIRED: [&str; 7] = [
    "sponsor",
    "phone",
    "address",
    "site_code",
    "icp",
    "police",
    "badge",
];

impl Portal {
    /// The value of field `key` (one of [`REQUIRED`] or another field),
    /// when it holds more than spaces.
    pub fn field(&self, key: &str) -> Option<&str> {
        let v = match key {
            "sponsor" => &self.sponsor,
            "organizer" => &self.organizer,
            "phone" => &self.phone,
            "address" => &self.address,
            "site_code" => &self.site_code,
            "icp" => &self.icp,
            "police" => &self.police,
            "badge" => &self.badge,
            "badge_link" => &self.badge_link,
            "report_link" => &self.report_link,
            _ => &None,
        };
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// The required fields left empty, when this is a government site.
    pub fn missing(&self) -> Vec<&'static str> {
        if !self.government {
            return Vec::new();
        }
        REQUIRED
            .into_iter()
            .filter(|k| self.field(k).is_none())
            .collect()
    }

    /// Whether any footer field is set.
    pub fn is_empty(&self) -> bool {
        REQUIRED
            .iter()
            .chain(&["organizer", "report_link"])
            .all(|k| self.field(k).is_none())
    }

    /// The link of the public-security filing: [`POLICE_LINK`] and the
    /// digits of the number.
    pub fn police_link(&self) -> Option<String> {
        let digits: String = self
            .field("police")?
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        (!digits.is_empty()).then(|| format!("{POLICE_LINK}{digits}"))
    }

    /// 我为政府网站找错: `report_link`, else from the site code.
    pub fn report_link(&self) -> Option<String> {
        self.field("report_link")
            .map(str::to_string)
            .or_else(|| Some(format!("{REPORT_LINK}{}", self.field("site_code")?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_government_site_misses_what_is_empty_and_others_miss_nothing() {
        let mut p = Portal {
            government: true,
            sponsor: Some("某县自然资源局".into()),
            phone: Some("  ".into()),
            ..Portal::default()
        };
        let missing = p.missing();
        assert!(!missing.contains(&"sponsor"));
        assert!(missing.contains(&"phone"), "spaces are empty");
        assert_eq!(missing.len(), REQUIRED.len() - 1);
        p.government = false;
        assert!(p.missing().is_empty());
    }

    #[test]
    fn links_come_from_the_numbers() {
        let p = Portal {
            site_code: Some("0000000000".into()),
            police: Some("示公网安备 00000000000001号".into()),
            ..Portal::default()
        };
        assert_eq!(
            p.police_link().as_deref(),
            Some("https://beian.mps.gov.cn/#/query/webSearch?code=00000000000001")
        );
        assert!(p.report_link().unwrap().ends_with("sitecode=0000000000"));
        assert_eq!(Portal::default().report_link(), None);
    }
}
