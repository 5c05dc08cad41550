//! The participant's manage link (`manage_url`, carried in every text): the booking as
//! JSON, removal of the phone number, and the same as an HTML page that works on a
//! phone without JavaScript.
mod page;

use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::bookings::{self, ManageView};
use shared::domain::DomainError;
use shared::http::{self, ApiError, Operation};
use shared::lambda::ApiState;

/// The page's form: the CSRF token it was served with (also in its cookie).
#[derive(JsonSchema)]
#[allow(dead_code)]
struct RemovePhoneForm {
    csrf: String,
}

/// What each route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("GET /public/bookings/{manage_token}", 200).replies::<ManageView>(),
        Operation::new("DELETE /public/bookings/{manage_token}/phone", 204),
        Operation::new("GET /b/{manage_token}", 200).html(),
        Operation::new("POST /b/{manage_token}/remove-phone", 303)
            .form::<RemovePhoneForm>()
            .redirect(),
    ]
}

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    match http::route_key(&req).as_deref() {
        Some("GET /b/{manage_token}") => page::show(state, &req).await,
        Some("POST /b/{manage_token}/remove-phone") => page::remove_phone(state, &req).await,
        _ => {
            let result = route(state, &req).await;
            http::respond(&req, result)
        }
    }
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let token = http::path_param(req, "manage_token")?;
    match http::route_key(req).as_deref() {
        Some("GET /public/bookings/{manage_token}") => {
            let (_, view) = bookings::manage_view(&state.store, &token).await?;
            http::json(200, &view)
        }
        Some("DELETE /public/bookings/{manage_token}/phone") => {
            bookings::remove_phone(
                &state.store,
                &token,
                http::client_info(req),
                chrono::Utc::now(),
            )
            .await?;
            http::no_content()
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

/// Whether an error means "no such booking" (a page, not a problem document).
fn is_not_found(e: &DomainError) -> bool {
    matches!(e, DomainError::NotFound(_))
}
