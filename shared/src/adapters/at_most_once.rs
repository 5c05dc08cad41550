//! Calls with an outside effect (a text, an email) are not idempotent: a retry of a
//! request the service accepted sends it twice. Their clients retry only what surely
//! did not arrive; everything else is reported as unconfirmed, never repeated.
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};

/// Whether a transport error happened before any byte of the request was written:
/// the connection (TCP, TLS, DNS) was never established, so the service cannot have it.
pub(crate) fn failed_before_sending(error: &ConnectorError) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(err) = next {
        if err
            .downcast_ref::<hyper_util::client::legacy::Error>()
            .is_some_and(|e| e.is_connect())
        {
            return true;
        }
        next = err.source();
    }
    false
}

/// The retry rule of the clients whose calls have an outside effect (SNS `Publish`,
/// SES `SendEmail`): forbids a retry of anything the service may have accepted. The
/// standard classifiers still decide, with backoff and jitter, for what is left:
/// throttling answers (and other 4xx they know to be retryable) and connections that
/// failed before sending.
#[derive(Clone, Copy, Debug, Default)]
pub struct AtMostOnceRetryClassifier;

impl ClassifyRetry for AtMostOnceRetryClassifier {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(error)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        if let Some(connector) = error.as_connector_error() {
            return if failed_before_sending(connector) {
                RetryAction::NoActionIndicated
            } else {
                RetryAction::RetryForbidden
            };
        }
        if error.is_operation_error() {
            // The service answered. A 4xx is a refusal (throttling among them):
            // nothing was sent. A 5xx may come after the message was accepted.
            return match ctx.response().map(|r| r.status().as_u16()) {
                Some(status) if status < 500 => RetryAction::NoActionIndicated,
                _ => RetryAction::RetryForbidden,
            };
        }
        // Timeouts, unreadable answers, anything else: the request may have landed.
        RetryAction::RetryForbidden
    }

    fn name(&self) -> &'static str {
        "a send is not idempotent: retry only what the service surely did not accept"
    }
}

/// What a failed send means when the service did not answer with an error of its own
/// (the service's own errors are each adapter's to read): a connection that never
/// opened or a request that could not be built surely did not arrive; a timeout, a
/// connection lost after the request went out or an unreadable answer may have.
pub(crate) fn transport_error<E, R>(err: &SdkError<E, R>) -> crate::ports::SendError {
    use crate::ports::SendError;
    match err {
        SdkError::DispatchFailure(failure)
            if failure
                .as_connector_error()
                .is_some_and(failed_before_sending) =>
        {
            SendError::Unavailable("connection failed before the request was sent".into())
        }
        SdkError::ConstructionFailure(_) => {
            SendError::Unavailable("the request could not be built".into())
        }
        SdkError::TimeoutError(_) => SendError::Unconfirmed("timed out".into()),
        SdkError::DispatchFailure(_) => {
            SendError::Unconfirmed("connection lost after the request was sent".into())
        }
        SdkError::ResponseError(_) => SendError::Unconfirmed("unreadable answer".into()),
        _ => SendError::Unconfirmed("unknown error".into()),
    }
}
