//! The certificate authorities our HTTPS clients trust, compiled into the binary.
//!
//! Why not the system's store: `rustls-native-certs` reads every file of
//! `/etc/ssl/certs` at each cold start, and the AWS SDK parses the result again for
//! every client it builds — most of a function's init time (docs/benchmarks.md). The
//! roots compiled in here are Mozilla's root program (`webpki-roots`), the same source
//! the Debian and Amazon Linux bundles are made from, so what we trust does not change;
//! only where it is read from. Updating them is a dependency update, like any other.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::sync::{Arc, LazyLock};

/// One rustls client configuration per process, for the HTTPS clients that are not
/// the AWS SDK's (SNS signing certificates, the panel's API). The roots are already
/// parsed trust anchors: building it reads no file and parses no certificate.
pub fn client_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: LazyLock<Arc<rustls::ClientConfig>> = LazyLock::new(|| {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        Arc::new(
            rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .expect("aws-lc-rs supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth(),
        )
    });
    CONFIG.clone()
}

/// The same roots as PEM, the only form the AWS SDK's HTTP client accepts
/// (`TrustStore::with_pem_certificate`). Encoded once per process.
pub fn roots_pem() -> &'static str {
    static PEM: LazyLock<String> = LazyLock::new(|| {
        let mut pem = String::with_capacity(webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() * 2048);
        for cert in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
            pem.push_str("-----BEGIN CERTIFICATE-----\n");
            let encoded = STANDARD.encode(cert.as_ref());
            for line in encoded.as_bytes().chunks(64) {
                // Base64 output is ASCII.
                pem.push_str(std::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
        }
        pem
    });
    &PEM
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;

    /// Every AWS endpoint we call (DynamoDB, SNS and its signing certificates, SES,
    /// EventBridge, SQS, Secrets Manager, STS) presents an Amazon Trust Services chain.
    const AWS_ROOTS: [&str; 5] = [
        "Amazon Root CA 1",
        "Amazon Root CA 2",
        "Amazon Root CA 3",
        "Amazon Root CA 4",
        "Starfield Services Root Certificate Authority - G2",
    ];

    fn names_root(subject: &[u8], name: &str) -> bool {
        subject.windows(name.len()).any(|w| w == name.as_bytes())
    }

    #[test]
    fn the_roots_include_every_amazon_trust_services_root() {
        for name in AWS_ROOTS {
            assert!(
                webpki_roots::TLS_SERVER_ROOTS
                    .iter()
                    .any(|anchor| names_root(anchor.subject.as_ref(), name)),
                "{name} is missing from the compiled-in roots"
            );
        }
    }

    #[test]
    fn the_pem_the_sdk_gets_holds_every_root_and_each_one_parses() {
        // The SDK panics on a PEM certificate rustls cannot add: prove none is.
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_slice_iter(roots_pem().as_bytes())
                .collect::<Result<_, _>>()
                .expect("valid PEM");
        assert_eq!(certs.len(), webpki_root_certs::TLS_SERVER_ROOT_CERTS.len());
        assert!(certs.len() > 100, "only {} roots", certs.len());
        let mut store = rustls::RootCertStore::empty();
        for cert in certs {
            store.add(cert).expect("every root parses");
        }
        for name in AWS_ROOTS {
            assert!(
                store
                    .roots
                    .iter()
                    .any(|anchor| names_root(anchor.subject.as_ref(), name)),
                "{name} is missing from the SDK's roots"
            );
        }
    }
}
