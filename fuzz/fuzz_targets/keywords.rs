//! The inbound keyword classifier never panics, and a message it calls an opt-out stays
//! one however its ASCII case or surrounding spaces change.
#![no_main]
use libfuzzer_sys::fuzz_target;
use shared::domain::inbound::keywords::{keyword, Intent};
use shared::domain::inbound::reading::classify;

fuzz_target!(|body: &str| {
    let intent = classify(body);
    let _ = keyword(body);
    if intent == Intent::OptOut {
        assert_eq!(classify(&format!("  {}  ", body.to_ascii_uppercase())), Intent::OptOut, "{body:?}");
    }
});
