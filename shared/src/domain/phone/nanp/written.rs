//! Which texts libphonenumber reads as exactly `+1` and ten digits, so the table may
//! answer for them: a `+`, then eleven digits, the first a `1`, with only spaces, `-`,
//! `.`, `(` and `)` between them (it drops those). Anything else (letters, other
//! spaces, a second `+`, an extension) is left to libphonenumber.

/// The ten digits after `+1`, for a text written as above; `None` for any other text.
pub fn national_number(written: &str) -> Option<u64> {
    let rest = written.strip_prefix('+')?;
    let mut digits = 0u64;
    let mut count = 0;
    for byte in rest.bytes() {
        match byte {
            b'0'..=b'9' => {
                count += 1;
                if count > 11 {
                    return None;
                }
                digits = digits * 10 + u64::from(byte - b'0');
            }
            b' ' | b'-' | b'.' | b'(' | b')' => {}
            _ => return None,
        }
    }
    if count != 11 || digits / super::SPACE != 1 {
        return None;
    }
    // Without a space libphonenumber first tries the text as an RFC 3966 number, where
    // the digits from the `+` to the first `-`, `.`, `(` or `)` are the country code:
    // `+1617-555-0123` has country code 1617 and is refused. Only `+1-…` (code 1) and
    // `+-1…` (no code: read as above) are read as `+1` and ten digits.
    if !rest.contains(' ') {
        if let Some(end) = rest.find(['-', '.', '(', ')']) {
            if end != 0 && &rest[..end] != "1" {
                return None;
            }
        }
    }
    Some(digits % super::SPACE)
}

#[cfg(test)]
mod tests {
    use super::national_number;

    #[test]
    fn plus_one_and_ten_digits_with_the_usual_separators_are_read() {
        for written in [
            "+16175550123",
            "+1 617 555 0123",
            "+1 (617) 555-0123",
            "+1-617-555-0123",
            "+1.617.555.0123",
            "+1(617)555-0123",
            "+(1) 617 555 0123",
        ] {
            assert_eq!(national_number(written), Some(6_175_550_123), "{written}");
        }
    }

    #[test]
    fn anything_else_is_left_to_libphonenumber() {
        for written in [
            "16175550123",
            "+1 617 555 012",
            "+1 617 555 01234",
            "+44 20 7946 0123",
            "++16175550123",
            "+1 617 555 O123",
            "+1\u{a0}617 555 0123",
            "+1617-555-0123",
            "+16175550123.",
            "+1 617 555 0123 ext 4",
            "tel:+1-617-555-0123",
            " +16175550123",
        ] {
            assert_eq!(national_number(written), None, "{written}");
        }
    }
}
