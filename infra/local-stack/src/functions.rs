//! Which crate's handler serves each function of the template. This is the one list
//! the local stack keeps by hand; it refuses to start when the template names a
//! function that is missing here, so the two cannot drift apart silently.
use futures_like::BoxFuture;
use lambda_http::{Body, Request, Response};
use shared::lambda::ApiState;
use std::sync::Arc;

pub type HttpHandler = Arc<dyn Fn(Request) -> BoxFuture<Response<Body>> + Send + Sync>;

mod futures_like {
    use std::future::Future;
    use std::pin::Pin;
    pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
}

pub fn http_handler(function: &str, state: &'static ApiState) -> Option<HttpHandler> {
    let handler: HttpHandler = match function {
        "WorkspacesApiFunction" => {
            Arc::new(move |req| Box::pin(workspaces_api::handle(state, req)))
        }
        "StudiesApiFunction" => Arc::new(move |req| Box::pin(studies_api::handle(state, req))),
        "ConsentCaptureFunction" => {
            Arc::new(move |req| Box::pin(consent_capture::handle(state, req)))
        }
        "ManageBookingFunction" => {
            Arc::new(move |req| Box::pin(manage_booking::handle(state, req)))
        }
        "SmsConsentApiFunction" => {
            Arc::new(move |req| Box::pin(sms_consent_api::handle(state, req)))
        }
        "ParticipantsApiFunction" => {
            Arc::new(move |req| Box::pin(participants_api::handle(state, req)))
        }
        _ => return None,
    };
    Some(handler)
}
