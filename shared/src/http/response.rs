use lambda_http::{Body, Request, Response};
use serde::Serialize;

use super::ApiError;

pub fn json<T: Serialize>(status: u16, value: &T) -> Result<Response<Body>, ApiError> {
    let body = serde_json::to_string(value).map_err(|_| ApiError::MalformedBody("serialisable"))?;
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::Text(body))
        .unwrap_or_else(|_| Response::new(Body::Empty)))
}

pub fn no_content() -> Result<Response<Body>, ApiError> {
    Ok(Response::builder()
        .status(204)
        .body(Body::Empty)
        .unwrap_or_else(|_| Response::new(Body::Empty)))
}

/// Turns a handler's result into the response, logging the outcome by route and
/// status only (never a body: it may hold a phone number or a message).
pub fn respond(req: &Request, result: Result<Response<Body>, ApiError>) -> Response<Body> {
    let route = super::route_key(req).unwrap_or_default();
    match result {
        Ok(response) => {
            tracing::info!(route = %route, status = response.status().as_u16(), "handled");
            response
        }
        Err(err) => {
            let problem = err.to_problem();
            if problem.status >= 500 {
                tracing::error!(route = %route, status = problem.status, error = %err, "failed");
            } else {
                tracing::info!(route = %route, status = problem.status, code = %problem.code, "refused");
            }
            problem.into_response()
        }
    }
}
