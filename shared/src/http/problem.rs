//! RFC 9457 problem details.
use lambda_http::{Body, Response};
use serde::Serialize;

use crate::domain::FieldError;

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem; ends with `code`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Machine-readable problem code (e.g. `last_admin`), also the end of `type`.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds the client should wait, sent as `Retry-After` (429, 503).
    #[serde(skip)]
    pub retry_after_seconds: Option<i64>,
}

impl Problem {
    pub fn new(status: u16, code: &str, title: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("/problems/{code}"),
            title: title.to_owned(),
            status,
            detail: detail.into(),
            code: code.to_owned(),
            errors: Vec::new(),
            retry_after_seconds: (status == 503).then_some(1),
        }
    }

    pub fn with_retry_after(mut self, seconds: i64) -> Self {
        self.retry_after_seconds = Some(seconds.max(1));
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn into_response(self) -> Response<Body> {
        let body = serde_json::to_string(&self).unwrap_or_default();
        let mut builder = Response::builder()
            .status(self.status)
            .header("content-type", "application/problem+json");
        if let Some(seconds) = self.retry_after_seconds {
            builder = builder.header("retry-after", seconds.to_string());
        }
        builder
            .body(Body::Text(body))
            .unwrap_or_else(|_| Response::new(Body::Empty))
    }
}
