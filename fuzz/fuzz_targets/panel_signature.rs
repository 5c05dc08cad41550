//! The panel webhook verifier never panics and accepts only the true signature.
#![no_main]
use libfuzzer_sys::fuzz_target;
use shared::domain::panel_chat::signature::{sign, verify};

const NOW: i64 = 1_800_000_000;

fuzz_target!(|input: (&str, &str, &[u8])| {
    let (timestamp, signature, body) = input;
    let secret = b"fuzz-secret";
    if verify(secret, Some(timestamp), Some(signature), body, NOW).is_ok() {
        let ts: i64 = timestamp.trim().parse().unwrap();
        assert_eq!(signature.trim(), sign(secret, ts, body));
    }
});
