//! One zip container on every platform.
//!
//! The `zip` crate under `rust_xlsxwriter` records the building system in
//! each central-directory entry's "version made by" (`unx` on Linux, `fat`
//! on Windows), so the same workbook would differ by one byte per part
//! between the Windows and the Linux build. [`made_on_unix`] rewrites that
//! byte to Unix: the parts, their order and every other byte stay as
//! written, and the output is the same everywhere (builds are deterministic
//! across platforms, checked by `scripts/dist.sh`).

const END_OF_DIRECTORY: [u8; 4] = *b"PK\x05\x06";
const DIRECTORY_ENTRY: [u8; 4] = *b"PK\x01\x02";
/// The host system value for Unix in "version made by" (APPNOTE 4.4.2).
const HOST_UNIX: u8 = 3;

/// `zip` with every central-directory entry marked as made on Unix.
/// A container it cannot walk is returned unchanged.
pub fn made_on_unix(mut zip: Vec<u8>) -> Vec<u8> {
    let Some(end) = end_of_directory(&zip) else {
        return zip;
    };
    let entries = u16_at(&zip, end + 10);
    let mut at = u32_at(&zip, end + 16) as usize;
    for _ in 0..entries {
        if zip.get(at..at + 4) != Some(&DIRECTORY_ENTRY[..]) || at + 46 > zip.len() {
            break;
        }
        zip[at + 5] = HOST_UNIX;
        let variable = u16_at(&zip, at + 28) + u16_at(&zip, at + 30) + u16_at(&zip, at + 32);
        at += 46 + variable;
    }
    zip
}

/// Where the end-of-central-directory record starts: the last signature
/// with room for its 22 bytes (a zip comment may follow it).
fn end_of_directory(zip: &[u8]) -> Option<usize> {
    let last = zip.len().checked_sub(22)?;
    (0..=last)
        .rev()
        .find(|&at| zip[at..at + 4] == END_OF_DIRECTORY)
}

fn u16_at(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..at + 2)
        .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize)
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::made_on_unix;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::{DateTime, System, ZipWriter};

    /// A two-part container as `rust_xlsxwriter` writes it, built as if on `system`.
    fn container(system: System) -> Vec<u8> {
        let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .unix_permissions(0o600)
            .last_modified_time(DateTime::default())
            .system(system);
        for (name, text) in [
            ("[Content_Types].xml", "<Types/>"),
            ("xl/workbook.xml", "<workbook/>"),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.set_comment("built by a test").unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_workbook_built_on_windows_has_the_linux_bytes() {
        let windows = container(System::Dos);
        let linux = container(System::Unix);
        assert_ne!(windows, linux, "the host system shows in the container");
        assert_eq!(made_on_unix(windows), linux);
        assert_eq!(made_on_unix(linux.clone()), linux);
    }

    #[test]
    fn what_is_not_a_zip_comes_back_unchanged() {
        for bytes in [Vec::new(), b"PK\x05\x06".to_vec(), vec![0x50; 100]] {
            assert_eq!(made_on_unix(bytes.clone()), bytes);
        }
        let mut cut = container(System::Dos);
        cut.truncate(cut.len() - 30);
        assert_eq!(made_on_unix(cut.clone()), cut);
    }
}
