//! The +1 metadata gives the answers the whole set gives: parse, validity, E.164 form,
//! mobile or not, region, on a generated sample of +1 numbers (valid or not, formatted
//! as people type them), other countries' numbers and malformed input.
use phonenumber::metadata::DATABASE;
use phonenumber::Mode;

/// What the product asks of a number, answered with the whole set, as before issue #31.
fn whole_set(raw: &str) -> (Option<String>, Option<bool>, Option<String>) {
    let trimmed = raw.trim();
    let Ok(parsed) = phonenumber::parse_with(&DATABASE, None, trimmed) else {
        return (None, None, None);
    };
    let e164 = phonenumber::is_valid_with(&DATABASE, &parsed)
        .then(|| parsed.format_with(&DATABASE).mode(Mode::E164).to_string());
    let mobile = e164.as_ref().map(|_| {
        matches!(
            parsed.number_type(&DATABASE),
            phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile
        )
    });
    let region = parsed.metadata(&DATABASE).map(|m| m.id().to_owned());
    (e164, mobile, region)
}

/// The same questions through the product's functions.
fn ours(raw: &str) -> (Option<String>, Option<bool>, Option<String>) {
    let e164 = super::parse_e164("p", raw).ok();
    let mobile = e164.as_ref().map(|_| super::parse_mobile("p", raw).is_ok());
    let region = e164
        .as_deref()
        .map_or_else(|| super::region(raw.trim()), super::region);
    (e164, mobile, region)
}

/// A small deterministic generator (xorshift64*): the sample is the same on every run.
struct Digits(u64);

impl Digits {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % below
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.next(10) as u8))
            .collect()
    }
}

fn sample() -> Vec<String> {
    let mut g = Digits(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::new();
    for _ in 0..12_000 {
        // A NANP-shaped number: area code and exchange from 2–9, as real ones are, or
        // any digits at all.
        let area = format!("{}{}", 2 + g.next(8), g.digits(2));
        let exchange = format!("{}{}", 2 + g.next(8), g.digits(2));
        let line = g.digits(4);
        out.push(format!("+1{area}{exchange}{line}"));
        out.push(format!("+1 ({area}) {exchange}-{line}"));
        out.push(format!(" +1.{area}.{exchange}.{line} "));
        let len = 1 + g.next(13) as usize;
        out.push(format!("+1{}", g.digits(len)));
    }
    for _ in 0..6_000 {
        // Another country's code (1–3 digits, some not assigned) and a national number.
        let code_len = 1 + g.next(3) as usize;
        let code = format!("{}{}", 2 + g.next(8), g.digits(code_len - 1));
        let len = 4 + g.next(10) as usize;
        out.push(format!("+{code}{}", g.digits(len)));
    }
    for raw in [
        "",
        "+",
        "+1",
        "++16175550123",
        "+1abc",
        "+1 617 555 0123 ext. 4",
        "+16175550123#",
        "+1-800-FLOWERS",
        "+٣٣١٢٣٤٥٦٧٨٩",
        "+1６１７５５５０１２３",
        "+0123456789",
        "+44",
        "+1 (617) 555-0123",
        "+1 809 555 0123",
        "+1 684 733 1234",
        "tel:+16175550123",
    ] {
        out.push(raw.to_owned());
    }
    out
}

#[test]
fn same_answers_as_the_full_metadata() {
    let sample = sample();
    let mut valid = 0;
    for raw in &sample {
        let expected = whole_set(raw);
        if !raw.trim().starts_with('+') {
            // Refused before any metadata is read.
            assert_eq!(ours(raw).0, None, "{raw:?}");
            continue;
        }
        valid += usize::from(expected.0.is_some());
        assert_eq!(ours(raw), expected, "{raw:?}");
    }
    // The sample reaches both answers often.
    assert!(
        valid > 5_000 && valid < sample.len() - 5_000,
        "{valid} valid"
    );
}
