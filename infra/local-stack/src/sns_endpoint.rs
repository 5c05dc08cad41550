//! The local stand-in for AWS's SNS certificate host. It serves the certificate the
//! local stack was started with (the tests generate one and sign with its key), for
//! URLs the verifier already accepted as SNS URLs. Without a certificate nothing
//! verifies, so the local webhook refuses everything. Never used in production: the
//! Lambda binary can only build the HTTPS endpoint.
use shared::adapters::sns_webhook::{is_sns_url, SnsEndpoint, VerifyError};
use std::sync::Mutex;

pub struct LocalSnsEndpoint {
    pub certificate_pem: Option<Vec<u8>>,
    pub confirmed: Mutex<Vec<String>>,
}

impl SnsEndpoint for LocalSnsEndpoint {
    async fn certificate_pem(&self, url: &str) -> Result<Vec<u8>, VerifyError> {
        if !is_sns_url(url) {
            return Err(VerifyError::UntrustedCertificateUrl);
        }
        self.certificate_pem.clone().ok_or_else(|| {
            VerifyError::CertificateUnavailable(
                "the local stack has no SNS test certificate".into(),
            )
        })
    }

    async fn confirm_subscription(&self, subscribe_url: &str) -> Result<(), VerifyError> {
        if !is_sns_url(subscribe_url) {
            return Err(VerifyError::UntrustedCertificateUrl);
        }
        self.confirmed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(subscribe_url.to_owned());
        Ok(())
    }
}
