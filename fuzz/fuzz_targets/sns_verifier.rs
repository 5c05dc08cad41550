//! The SNS verifier never panics and never accepts a message it could not verify: with
//! a certificate source that has no certificates, nothing may pass.
#![no_main]
use libfuzzer_sys::fuzz_target;
use shared::adapters::sns_webhook::{SnsEndpoint, SnsVerifier, VerifyError};

struct NoCertificates;

impl SnsEndpoint for NoCertificates {
    async fn certificate_pem(&self, _url: &str) -> Result<Vec<u8>, VerifyError> {
        Ok(b"-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n".to_vec())
    }
    async fn confirm_subscription(&self, _url: &str) -> Result<(), VerifyError> {
        Ok(())
    }
}

fuzz_target!(|body: &[u8]| {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let verifier = SnsVerifier::new(NoCertificates, "arn:aws:sns:us-east-1:123456789012:inbound");
    assert!(runtime.block_on(verifier.verify(body)).is_err());
});
