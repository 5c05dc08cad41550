//! Phone parsing never panics, and whatever it accepts is E.164 that parses to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use shared::domain::phone::{parse_e164, parse_mobile};

fuzz_target!(|raw: &str| {
    if let Ok(e164) = parse_e164("phone", raw) {
        assert!(e164.starts_with('+') && e164[1..].chars().all(|c| c.is_ascii_digit()), "{e164}");
        assert_eq!(parse_e164("phone", &e164).as_deref(), Ok(e164.as_str()));
    }
    let _ = parse_mobile("phone", raw);
});
