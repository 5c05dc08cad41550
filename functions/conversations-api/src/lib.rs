//! Secure messaging for the study team: only the team starts a conversation, and every
//! owner and teammate sees and answers the same thread.
use lambda_http::{Body, Request, Response};
use shared::domain::messaging;
use shared::domain::Caller;
use shared::http::{self, checked, ApiError, Fields};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    let sid = || http::path_param(req, "sid");
    let cid = || http::path_param(req, "cid");
    match http::route_key(req).as_deref() {
        Some("POST /studies/{sid}/conversations") => start(state, req, &caller, &sid()?).await,
        Some("GET /studies/{sid}/conversations") => http::json(
            200,
            &messaging::list_team_conversations(
                &state.store,
                &caller,
                &sid()?,
                &http::page_request(req)?,
            )
            .await?,
        ),
        Some("POST /studies/{sid}/conversations/{cid}/messages") => {
            write(state, req, &caller, &sid()?, &cid()?).await
        }
        Some("GET /studies/{sid}/conversations/{cid}/messages") => http::json(
            200,
            &messaging::team_messages(
                &state.store,
                &caller,
                &sid()?,
                &cid()?,
                &http::page_request(req)?,
            )
            .await?,
        ),
        _ => Err(ApiError::RouteNotFound),
    }
}

async fn start(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
    sid: &str,
) -> Result<Response<Body>, ApiError> {
    let body = http::json_body(req)?;
    let mut fields = Fields::new(&body)?;
    let participant_id = fields.string("participant_id");
    let text = fields.string("body");
    fields.finish()?;
    let (participant_id, text) = (checked(participant_id)?, checked(text)?);
    let key = http::idempotency_key(req, caller, &body)?;
    let created = messaging::start_conversation(
        &state.store,
        state.mailer(),
        &state.messaging,
        caller,
        sid,
        &participant_id,
        &text,
        key,
        chrono::Utc::now(),
    )
    .await?;
    http::json(201, &created)
}

async fn write(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
    sid: &str,
    cid: &str,
) -> Result<Response<Body>, ApiError> {
    let body = http::json_body(req)?;
    let mut fields = Fields::new(&body)?;
    let text = fields.string("body");
    fields.finish()?;
    let text = checked(text)?;
    let key = http::idempotency_key(req, caller, &body)?;
    let created = messaging::post_team_message(
        &state.store,
        state.mailer(),
        &state.messaging,
        caller,
        sid,
        cid,
        &text,
        key,
        chrono::Utc::now(),
    )
    .await?;
    http::json(201, &created)
}
