//! The participant's manage link (`manage_url`, carried in every text): the booking as
//! JSON, removal of the phone number, and the same as an HTML page that works on a
//! phone without JavaScript.
mod page;

use lambda_http::Request;
use schemars::JsonSchema;
use shared::domain::bookings::{self, ManageView};
use shared::domain::DomainError;
use shared::http::{self, Answered};
use shared::lambda::ApiState;

/// The page's form: the CSRF token it was served with (also in its cookie).
#[derive(JsonSchema)]
#[allow(dead_code)]
struct RemovePhoneForm {
    csrf: String,
}

shared::api! {
    public "GET /public/bookings/{manage_token}" 200 => manage_view;
    public_empty "DELETE /public/bookings/{manage_token}/phone" 204 => remove_phone;
    page "GET /b/{manage_token}" 200 .html() => page::show;
    page "POST /b/{manage_token}/remove-phone" 303 .form::<RemovePhoneForm>() .redirect() => page::remove_phone;
}

/// `GET /public/bookings/{manage_token}`: the booking, as JSON.
async fn manage_view(state: &ApiState, req: &Request) -> Answered<ManageView> {
    let token = http::path_param(req, "manage_token")?;
    let (_, view) = bookings::manage_view(&state.store, &token).await?;
    Ok(view)
}

/// `DELETE /public/bookings/{manage_token}/phone`: removes the booking's phone number.
async fn remove_phone(state: &ApiState, req: &Request) -> Answered<()> {
    let token = http::path_param(req, "manage_token")?;
    bookings::remove_phone(
        &state.store,
        &token,
        http::client_info(req),
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}

/// Whether an error means "no such booking" (a page, not a problem document).
fn is_not_found(e: &DomainError) -> bool {
    matches!(e, DomainError::NotFound(_))
}
