//! Consent capture on the public sign-up page: whether the study needs SMS consent
//! (with the exact, versioned disclosure), and the booking that records it.

use lambda_http::Request;
use shared::domain::bookings::{self, BookingCreated, PublicSettings, PublicStudyView};
use shared::domain::Caller;
use shared::http::{self, read_body, Answered};
use shared::lambda::ApiState;

mod bodies;
use bodies::Book;

shared::api! {
    public "GET /public/studies/{share_token}" 200 => public_study;
    public "POST /public/studies/{share_token}/bookings" 201 .idempotent() .body::<Book>() => book;
}

fn settings(state: &ApiState) -> PublicSettings<'_> {
    PublicSettings {
        product_name: &state.config.product_name,
        public_base_url: &state.config.public_base_url,
        destinations: &state.destinations,
        limits: &state.config.sms.limits,
    }
}

/// `GET /public/studies/{share_token}`: the study as its share link shows it.
async fn public_study(state: &ApiState, req: &Request) -> Answered<PublicStudyView> {
    let token = http::path_param(req, "share_token")?;
    Ok(bookings::public_study(&state.store, &settings(state), &token).await?)
}

/// `POST /public/studies/{share_token}/bookings`: books a slot, with any SMS consent.
async fn book(state: &ApiState, req: &Request) -> Answered<BookingCreated> {
    let token = http::path_param(req, "share_token")?;
    let body = http::json_body(req)?;
    let new = read_body::<Book>(&body)?.into();
    // Anonymous callers' keys are scoped to the share link they book through.
    let scope = Caller {
        user_id: format!("public:{token}"),
        email: None,
    };
    let asked = http::asked(req, &scope, &body)?;
    let created = bookings::book(
        &state.store,
        state.events(),
        &settings(state),
        &token,
        new,
        http::client_info(req),
        asked,
    )
    .await?;
    Ok(created)
}
