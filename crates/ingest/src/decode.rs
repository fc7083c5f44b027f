//! Bytes to text. UTF-8 (with or without BOM) and UTF-16 with BOM are taken as they
//! are. Otherwise, in this order: UTF-8 with a few stray bad bytes (a UTF-8 page with one
//! pasted Latin-1 quote) stays UTF-8; the encoding the document declares (`<meta
//! charset>`, `http-equiv` Content-Type, the XML declaration) is used if the bytes decode
//! cleanly in it; and last chardetng guesses legacy encodings such as windows-1251 or
//! KOI8-R from the bytes. encoding_rs decodes. Binary data and bytes that decode to
//! garbage are rejected rather than stored as mojibake.

use std::sync::OnceLock;

use encoding_rs::Encoding;
use regex::bytes::Regex;

use crate::IngestError;

/// How far into the bytes a charset declaration is looked for (the HTML standard's
/// prescan reads 1024 bytes; some CMSs put long comments first, hence more).
const DECLARATION_SCAN_BYTES: usize = 4096;

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
    if let Some(text) = mostly_utf8(bytes) {
        return check_text(text);
    }
    if let Some(enc) = declared_encoding(&bytes[..bytes.len().min(DECLARATION_SCAN_BYTES)]) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return check_text(text.into_owned());
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

/// UTF-8 with a handful of invalid bytes among many valid multi-byte characters: decoded
/// with U+FFFD for the bad bytes, because reading the whole page as a legacy encoding
/// would garble every one of its good characters. (Text in a legacy encoding has no
/// such run of valid multi-byte sequences.)
fn mostly_utf8(bytes: &[u8]) -> Option<String> {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (invalid <= 3 + bytes.len() / 2000 && multibyte >= 10 * invalid).then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// The encoding a document declares for itself, unless that is UTF-8 or UTF-16 (the
/// bytes were just found not to be UTF-8, and a UTF-16 declaration in ASCII-compatible
/// bytes is always wrong).
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?i-u)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_:.\-]+)"#).unwrap()
    });
    let caps = re.captures(head)?;
    let label = caps.get(1).or_else(|| caps.get(2))?.as_bytes();
    let enc = Encoding::for_label(label)?;
    (enc != encoding_rs::UTF_8 && enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE).then_some(enc)
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
    fn declared_meta_charset_is_used_before_guessing() {
        // Too short for chardetng, which takes these bytes for windows-1254.
        let page = "<html><head><meta charset=\"windows-1256\"></head><body><p>قصف في حلب</p></body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(page);
        assert_eq!(decode(&bytes).unwrap(), page);
        let page = "<html><head><meta charset=\"windows-1251\"><title>Суджа</title></head><body><p>Бои у Суджи.</p></body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
        assert_eq!(decode(&bytes).unwrap(), page);
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"></head><body>Харьков</body></html>";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(page);
        assert_eq!(decode(&bytes).unwrap(), page);
        let feed = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel><title>Лента</title></channel></rss>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(feed);
        assert_eq!(decode(&bytes).unwrap(), feed);
    }

    #[test]
    fn a_false_utf8_declaration_does_not_win_over_the_bytes() {
        let page = "<html><head><meta charset=\"utf-8\"></head><body><p>Российские войска вошли в Суджу. Министерство обороны сообщило об этом в пятницу.</p></body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
        assert_eq!(decode(&bytes).unwrap(), page);
    }

    #[test]
    fn utf8_with_one_stray_byte_stays_utf8() {
        let mut bytes = "Украинские военные отступили из Суджи, сообщил Генштаб. ".repeat(3).into_bytes();
        bytes.push(0xe9); // a Latin-1 é pasted into a UTF-8 page
        bytes.extend_from_slice(" Конец.".as_bytes());
        let text = decode(&bytes).unwrap();
        assert!(text.starts_with("Украинские военные"));
        assert!(text.ends_with("\u{fffd} Конец."));
    }

    #[test]
    fn binary_is_rejected_with_its_kind() {
        let err = decode(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03").unwrap_err();
        assert_eq!(err, IngestError::Binary("gzip".into()));
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(IngestError::Binary(_))));
    }
}
