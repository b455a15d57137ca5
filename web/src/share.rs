//! Share links: the scenario's YAML in the URL fragment, `#s=` followed by the base64url (no
//! padding) of its DEFLATE-compressed bytes (raw DEFLATE, RFC 1951, level 9). The fragment is never
//! sent to a server, so a shared scenario does not leave the browser until someone opens the link.
//! Pure Rust (`miniz_oxide`, `base64`): the same code runs natively in the unit tests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// What starts the fragment of a share link, after the `#`.
pub const KEY: &str = "s=";

/// The most a share link may inflate to: far above any scenario, low enough that a hostile link
/// cannot exhaust the page's memory.
pub const MAX_YAML: usize = 4 << 20;

/// The fragment's text for a scenario: base64url of its DEFLATE-compressed YAML.
pub fn encode(yaml: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(yaml.as_bytes(), 9))
}

/// The scenario in a fragment's text, or why it cannot be read.
pub fn decode(data: &str) -> Result<String, String> {
    let data = data.trim();
    if data.is_empty() {
        return Err("the link holds no scenario".into());
    }
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|e| base64_sentence(&e))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_YAML)
        .map_err(|e| inflate_sentence(e.status))?;
    String::from_utf8(bytes).map_err(|_| "the link's scenario is not UTF-8 text".into())
}

/// Why the link's text is not base64url, as a sentence (no decoder names or offsets).
fn base64_sentence(e: &base64::DecodeError) -> String {
    use base64::DecodeError as E;
    match e {
        E::InvalidByte(_, b) if *b == b'=' => {
            "the link has padding (`=`) in the middle; was it changed?".into()
        }
        E::InvalidByte(_, b) => format!(
            "the link holds `{}`, which does not belong in one (only letters, digits, `-` and `_`); was it changed?",
            char::from(*b).escape_default()
        ),
        E::InvalidLength(_) | E::InvalidLastSymbol(_, _) | E::InvalidPadding => {
            "the link ends in the middle of a character; was it cut short?".into()
        }
    }
}

/// Why the link's data does not inflate, as a sentence (no `TINFLStatus` names).
fn inflate_sentence(status: miniz_oxide::inflate::TINFLStatus) -> String {
    use miniz_oxide::inflate::TINFLStatus as S;
    match status {
        S::HasMoreOutput => format!(
            "the link's scenario is too large: it unpacks to more than {} MiB, the most a link may hold",
            MAX_YAML >> 20
        ),
        S::NeedsMoreInput | S::FailedCannotMakeProgress => {
            "the link's data ends too early; was it cut short?".into()
        }
        // Failed, BadParam, Adler32Mismatch and any status a later miniz_oxide adds (the enum is
        // non_exhaustive, so a wildcard is required here).
        _ => "the link's data is not a compressed scenario; was it changed or cut short?".into(),
    }
}

/// The fragment of a share link, `#s=...`.
pub fn fragment(yaml: &str) -> String {
    format!("#{KEY}{}", encode(yaml))
}

/// A share link: `base` (the page's address; any fragment it has is dropped) with the scenario.
pub fn link(base: &str, yaml: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}{}", fragment(yaml))
}

/// The scenario of a page's fragment (`location.hash`, with or without its `#`): `None` when the
/// fragment is not a share link, else the scenario or why it cannot be read.
pub fn from_fragment(hash: &str) -> Option<Result<String, String>> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    hash.strip_prefix(KEY).map(decode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::EXAMPLES;

    #[test]
    fn every_example_round_trips() {
        for e in EXAMPLES {
            let f = fragment(e.yaml);
            assert!(f.starts_with("#s="), "{}", e.file);
            assert!(
                f.bytes()
                    .skip(1)
                    .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)),
                "{}: only URL-safe characters",
                e.file
            );
            assert_eq!(
                from_fragment(&f),
                Some(Ok(e.yaml.to_string())),
                "{}",
                e.file
            );
        }
        assert_eq!(decode(&encode("")).unwrap(), "");
        let unicode = "name: café ✔\n";
        assert_eq!(decode(&encode(unicode)).unwrap(), unicode);
    }

    #[test]
    fn links_replace_the_fragment() {
        let l = link("http://127.0.0.1:8080/#s=old", "name: x\n");
        assert!(l.starts_with("http://127.0.0.1:8080/#s="));
        assert_eq!(
            from_fragment(l.split_once('#').unwrap().1)
                .unwrap()
                .unwrap(),
            "name: x\n"
        );
        assert_eq!(from_fragment(""), None);
        assert_eq!(from_fragment("#results"), None);
    }

    #[test]
    fn broken_fragments_say_why() {
        let good = encode(EXAMPLES[0].yaml);
        let cases = [
            ("", "the link holds no scenario"),
            (
                "not base64!",
                "the link holds ` `, which does not belong in one (only letters, digits, `-` and `_`); was it changed?",
            ),
            (
                "abcde",
                "the link ends in the middle of a character; was it cut short?",
            ),
            (
                &good[..good.len() / 2],
                "the link's data ends too early; was it cut short?",
            ),
            // "hello world", not DEFLATE
            (
                "aGVsbG8gd29ybGQ",
                "the link's data is not a compressed scenario; was it changed or cut short?",
            ),
        ];
        for (data, why) in cases {
            assert_eq!(decode(data).unwrap_err(), why, "{data:?}");
        }
        // Valid DEFLATE of bytes that are not UTF-8.
        let bad = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 9));
        assert!(decode(&bad).unwrap_err().contains("not UTF-8"));
        // A bomb (64 MiB of zeros) is refused, not inflated.
        let bomb =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![0; 64 << 20], 9));
        assert_eq!(
            decode(&bomb).unwrap_err(),
            "the link's scenario is too large: it unpacks to more than 4 MiB, the most a link may hold"
        );
    }

    #[test]
    fn no_message_names_the_decoders_internals() {
        let good = encode(EXAMPLES[0].yaml);
        let bomb = encode(&"a".repeat(MAX_YAML + 1));
        for data in [
            "x=y",
            "abcde",
            "####",
            &good[..20],
            &good[..good.len() - 1],
            &bomb,
        ] {
            let e = decode(data).unwrap_err();
            for internal in [
                "HasMoreOutput",
                "NeedsMoreInput",
                "Failed",
                "Invalid",
                "status",
                "offset",
                "symbol",
            ] {
                assert!(!e.contains(internal), "{data:?}: {e}");
            }
            assert!(e.starts_with("the link"), "{e}");
        }
    }

    #[test]
    fn a_large_scenarios_link_stays_short() {
        let largest = EXAMPLES.iter().max_by_key(|e| e.yaml.len()).unwrap();
        let l = link("https://example.org/archsim/", largest.yaml);
        // DEFLATE shrinks YAML about 3 times; base64 adds a third back.
        assert!(
            l.len() < largest.yaml.len() * 2 / 3,
            "{}: {} bytes of YAML, a link of {}",
            largest.file,
            largest.yaml.len(),
            l.len()
        );
        // Browsers and chat apps keep links of this size whole (Chromium allows 2 MB).
        assert!(l.len() < 8_000, "{}", l.len());
        println!(
            "{}: {} bytes of YAML, a link of {} characters",
            largest.file,
            largest.yaml.len(),
            l.len()
        );
    }
}
