//! The participant's manage link (`manage_url`, carried in every text): the booking as
//! JSON, removal of the phone number, and the same as an HTML page that works on a
//! phone without JavaScript.
mod page;

use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::bookings::{self, ManageView};
use shared::domain::DomainError;
use shared::http::{self, Operation, Reply, Routes};
use shared::lambda::ApiState;

/// The page's form: the CSRF token it was served with (also in its cookie).
#[derive(JsonSchema)]
#[allow(dead_code)]
struct RemovePhoneForm {
    csrf: String,
}

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    ROUTES.answer(state, &req).await
}

/// What each route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    ROUTES.operations()
}

static ROUTES: LazyLock<Routes<ApiState>> = LazyLock::new(|| {
    Routes::new()
        .public(
            Operation::new("GET /public/bookings/{manage_token}", 200).replies::<ManageView>(),
            |s, r| Box::pin(manage_view(s, r)),
        )
        .public(
            Operation::new("DELETE /public/bookings/{manage_token}/phone", 204),
            |s, r| Box::pin(remove_phone(s, r)),
        )
        .page(
            Operation::new("GET /b/{manage_token}", 200).html(),
            |s, r| Box::pin(page::show(s, r)),
        )
        .page(
            Operation::new("POST /b/{manage_token}/remove-phone", 303)
                .form::<RemovePhoneForm>()
                .redirect(),
            |s, r| Box::pin(page::remove_phone(s, r)),
        )
});

/// `GET /public/bookings/{manage_token}`: the booking, as JSON.
async fn manage_view(state: &ApiState, req: &Request) -> Reply {
    let token = http::path_param(req, "manage_token")?;
    let (_, view) = bookings::manage_view(&state.store, &token).await?;
    http::json(200, &view)
}

/// `DELETE /public/bookings/{manage_token}/phone`: removes the booking's phone number.
async fn remove_phone(state: &ApiState, req: &Request) -> Reply {
    let token = http::path_param(req, "manage_token")?;
    bookings::remove_phone(
        &state.store,
        &token,
        http::client_info(req),
        chrono::Utc::now(),
    )
    .await?;
    http::no_content()
}

/// Whether an error means "no such booking" (a page, not a problem document).
fn is_not_found(e: &DomainError) -> bool {
    matches!(e, DomainError::NotFound(_))
}
