//! Secure messaging for the participant: the conversations study teams started with
//! them (met by their verified email), accepting one, reading and replying, and the
//! bell (a team member's bell too: replies in their studies), and the user's own
//! notification settings. There is no route by which a participant starts a
//! conversation.
use lambda_http::{Body, Request, Response};
use shared::domain::messaging::{self, team_notice, team_notice::NotificationSettings};
use shared::http::{self, checked, ApiError, Fields};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    let cid = || http::path_param(req, "cid");
    match http::route_key(req).as_deref() {
        Some("GET /me/conversations") => http::json(
            200,
            &messaging::my_conversations(&state.store, &caller, &http::page_request(req)?).await?,
        ),
        Some("POST /me/conversations/{cid}/accept") => http::json(
            200,
            &messaging::accept_conversation(&state.store, &caller, &cid()?).await?,
        ),
        Some("GET /me/conversations/{cid}/messages") => http::json(
            200,
            &messaging::my_messages(&state.store, &caller, &cid()?, &http::page_request(req)?)
                .await?,
        ),
        Some("POST /me/conversations/{cid}/messages") => {
            let body = http::json_body(req)?;
            let mut fields = Fields::new(&body)?;
            let text = fields.string("body");
            fields.finish()?;
            let text = checked(text)?;
            let key = http::idempotency_key(req, &caller, &body)?;
            let created = messaging::post_participant_message(
                &state.store,
                state.mailer(),
                &state.messaging,
                &caller,
                &cid()?,
                &text,
                key,
                chrono::Utc::now(),
            )
            .await?;
            http::json(201, &created)
        }
        Some("GET /me/notifications") => http::json(
            200,
            &messaging::my_notifications(&state.store, &caller, &http::page_request(req)?).await?,
        ),
        Some("POST /me/notifications/{nid}/read") => {
            let nid = http::path_param(req, "nid")?;
            http::json(
                200,
                &messaging::read_notification(&state.store, &caller, &nid).await?,
            )
        }
        Some("GET /me/settings/notifications") => {
            http::json(200, &team_notice::my_settings(&state.store, &caller).await?)
        }
        Some("PUT /me/settings/notifications") => {
            let body = http::json_body(req)?;
            let mut fields = Fields::new(&body)?;
            let reply_emails = fields.bool("reply_emails");
            fields.finish()?;
            let settings = NotificationSettings {
                reply_emails: checked(reply_emails)?,
            };
            http::json(
                200,
                &team_notice::set_my_settings(&state.store, &caller, settings).await?,
            )
        }
        _ => Err(ApiError::RouteNotFound),
    }
}
