//! External-panel chat for study owners and teammates with the panel permission, in
//! studies recruiting from the panel; for everyone else these routes 404.

use lambda_http::Request;
use shared::domain::pagination::Page;
use shared::domain::panel_chat::{self, PanelMessageCreated, PanelMessageView, ThreadView};
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, Answered, MessageBody};
use shared::lambda::ApiState;

shared::api! {
    caller "GET /studies/{sid}/chat" 200 .query::<PageQuery>() => list_threads;
    caller "GET /studies/{sid}/chat/{pid}/messages" 200 .query::<PageQuery>() => list_messages;
    caller "POST /studies/{sid}/chat/{pid}/messages" 201 .idempotent() .body::<MessageBody>() => post_message;
}

/// `GET /studies/{sid}/chat`: one thread per approved panel participant.
async fn list_threads(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<ThreadView>> {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    Ok(panel_chat::list_threads(&state.store, caller, &sid, &page).await?)
}

/// `GET /studies/{sid}/chat/{pid}/messages`: the thread with one participant.
async fn list_messages(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<PanelMessageView>> {
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    let page = http::page_request(req)?;
    Ok(panel_chat::list_messages(&state.store, caller, &sid, &pid, &page).await?)
}

/// `POST /studies/{sid}/chat/{pid}/messages`: the body is read before the path.
async fn post_message(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<PanelMessageCreated> {
    let body = http::json_body(req)?;
    let text = read_body::<MessageBody>(&body)?.body;
    let asked = http::asked(req, caller, &body)?;
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    let created =
        panel_chat::post_message(&state.store, state.events(), asked, &sid, &pid, &text).await?;
    Ok(created)
}
