//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or
//! GB18030/GBK as saved by older Windows editors; CRLF and CR become LF.

/// How a file was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Gb18030,
}

/// Why a file could not be read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotText {
    /// NUL bytes or undecodable bytes: an image, a Word file, garbage.
    Binary,
}

/// Decodes `bytes`, normalising line ends to LF. Bytes handed over (a
/// `Vec`) that are UTF-8 without a BOM and without CR, what nearly every
/// content file is, become the text without a copy.
pub fn decode(bytes: impl Into<Vec<u8>>) -> Result<(String, Encoding), NotText> {
    let bytes = bytes.into();
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors || text.contains('\0') {
            return Err(NotText::Binary);
        }
        let kind = if enc == encoding_rs::UTF_8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        return Ok((normalise(text.into_owned()), kind));
    }
    if bytes.contains(&0) {
        return Err(NotText::Binary);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((normalise(text), Encoding::Utf8)),
        Err(e) => e.into_bytes(),
    };
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
    if had_errors || looks_binary(&text) {
        return Err(NotText::Binary);
    }
    Ok((normalise(text.into_owned()), Encoding::Gb18030))
}

/// GB18030 decodes almost any byte string; real text has few control characters.
fn looks_binary(text: &str) -> bool {
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    controls * 20 > text.chars().count().max(1)
}

fn normalise(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_crlf() {
        let bytes = b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\n";
        let (text, enc) = decode(bytes).unwrap();
        assert_eq!(text, "---\ntitle: a\n---\n");
        assert_eq!(enc, Encoding::Utf8);
    }

    #[test]
    fn gbk_is_detected() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 违规审批\n---\n");
        let (text, enc) = decode(gbk.into_owned()).unwrap();
        assert!(text.contains("违规审批"));
        assert_eq!(enc, Encoding::Gb18030);
    }

    #[test]
    fn plain_utf8_and_bare_cr() {
        let text = "---\ntitle: 违规审批\n---\n正文";
        assert_eq!(
            decode(text.as_bytes()),
            Ok((text.to_string(), Encoding::Utf8))
        );
        assert_eq!(
            decode(b"a\rb".to_vec()),
            Ok(("a\nb".to_string(), Encoding::Utf8))
        );
        assert_eq!(decode(Vec::new()), Ok((String::new(), Encoding::Utf8)));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0"), Err(NotText::Binary));
    }
}
