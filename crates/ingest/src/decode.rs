//! Bytes to text. UTF-8 (with or without BOM) and UTF-16 with BOM are taken as they
//! are; anything else is handed to chardetng, which guesses legacy encodings such as
//! windows-1251 or KOI8-R from the bytes, and encoding_rs decodes it. Binary data and
//! bytes that decode to garbage are rejected rather than stored as mojibake.

use crate::IngestError;

/// Share of control characters above which decoded text is judged binary.
const MAX_CONTROL_SHARE: f64 = 0.01;

pub fn decode(bytes: &[u8]) -> Result<String, IngestError> {
    let sniff = &bytes[..bytes.len().min(8192)];
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(IngestError::Undecodable(format!("invalid {} after its byte-order mark", enc.name())));
        }
        return check_text(text.into_owned());
    }
    if sniff.contains(&0) {
        return Err(IngestError::Binary(binary_kind(bytes)));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_string());
    }
    // Not UTF-8: a truncated final multi-byte sequence is still UTF-8 text, cut short.
    if let Err(e) = std::str::from_utf8(bytes) {
        if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() && e.valid_up_to() > 0 {
            return check_text(String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned());
        }
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, true);
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        return Err(IngestError::Undecodable(format!("not UTF-8, and invalid as {}", enc.name())));
    }
    check_text(text.into_owned())
}

fn check_text(text: String) -> Result<String, IngestError> {
    let (mut total, mut control) = (0usize, 0usize);
    for c in text.chars().take(20_000) {
        total += 1;
        control += (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) as usize;
    }
    let total = total.max(1);
    if control as f64 / total as f64 > MAX_CONTROL_SHARE {
        return Err(IngestError::Binary(format!("{control} control characters in the first {total}")));
    }
    Ok(text)
}

/// A short name for common binary formats, so the error says what the file is.
fn binary_kind(bytes: &[u8]) -> String {
    let kind = match bytes {
        [0x1f, 0x8b, ..] => "gzip",
        [b'P', b'K', 3, 4, ..] => "zip",
        [b'%', b'P', b'D', b'F', ..] => "PDF",
        [0x89, b'P', b'N', b'G', ..] => "PNG",
        [0xff, 0xd8, 0xff, ..] => "JPEG",
        [0x7f, b'E', b'L', b'F', ..] => "ELF executable",
        [b'S', b'Q', b'L', b'i', b't', b'e', ..] => "SQLite database",
        _ => "NUL bytes",
    };
    kind.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_bom() {
        assert_eq!(decode("Суджа".as_bytes()).unwrap(), "Суджа");
        assert_eq!(decode(b"\xef\xbb\xbfhello").unwrap(), "hello");
    }

    #[test]
    fn windows_1251_russian_is_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Российские войска вошли в Суджу. Министерство обороны сообщило об этом в пятницу.");
        assert_eq!(decode(&bytes).unwrap(), "Российские войска вошли в Суджу. Министерство обороны сообщило об этом в пятницу.");
    }

    #[test]
    fn koi8r_russian_is_decoded() {
        let (bytes, _, _) = encoding_rs::KOI8_R.encode("Украинские военные отступили из Суджи, сообщил Генштаб.");
        assert_eq!(decode(&bytes).unwrap(), "Украинские военные отступили из Суджи, сообщил Генштаб.");
    }

    #[test]
    fn binary_is_rejected_with_its_kind() {
        let err = decode(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03").unwrap_err();
        assert_eq!(err, IngestError::Binary("gzip".into()));
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(IngestError::Binary(_))));
    }
}
