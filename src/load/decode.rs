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

/// Decodes `bytes`, normalising line ends to LF.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), NotText> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors || text.contains('\0') {
            return Err(NotText::Binary);
        }
        let kind = if enc == encoding_rs::UTF_8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        return Ok((normalise(&text), kind));
    }
    if bytes.contains(&0) {
        return Err(NotText::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((normalise(text), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors || looks_binary(&text) {
        return Err(NotText::Binary);
    }
    Ok((normalise(&text), Encoding::Gb18030))
}

/// [`decode`] of bytes the caller gives up: UTF-8 without a BOM and without
/// CR, what nearly every content file is, becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<(String, Encoding), NotText> {
    let plain = encoding_rs::Encoding::for_bom(&bytes).is_none()
        && memchr::memchr2(0, b'\r', &bytes).is_none();
    if !plain {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, Encoding::Utf8)),
        Err(e) => decode(e.as_bytes()),
    }
}

/// GB18030 decodes almost any byte string; real text has few control characters.
fn looks_binary(text: &str) -> bool {
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    controls * 20 > text.chars().count().max(1)
}

fn normalise(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
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
        let (text, enc) = decode(&gbk).unwrap();
        assert!(text.contains("违规审批"));
        assert_eq!(enc, Encoding::Gb18030);
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones_do() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 违规审批\n---\n");
        for bytes in [
            "---\ntitle: 违规审批\n---\n正文".as_bytes(),
            b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\n",
            b"a\rb",
            &gbk,
            b"\x89PNG\r\n\x1a\n\0\0\0",
            b"",
        ] {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0"), Err(NotText::Binary));
    }
}
