//! External-panel chat for study owners and teammates with the panel permission, in
//! studies recruiting from the panel; for everyone else these routes 404.

use shared::domain::pagination::Page;
use shared::domain::panel_chat::{self, PanelMessageCreated, PanelMessageView, ThreadView};
use shared::http::doc::PageQuery;
use shared::http::{Answered, Call, MessageBody};

shared::api! {
    caller "GET /studies/{sid}/chat" 200 .query::<PageQuery>() => list_threads;
    caller "GET /studies/{sid}/chat/{pid}/messages" 200 .query::<PageQuery>() => list_messages;
    caller "POST /studies/{sid}/chat/{pid}/messages" 201 .idempotent() .body::<MessageBody>() => post_message;
}

/// `GET /studies/{sid}/chat`: one thread per approved panel participant.
async fn list_threads(call: Call<'_>) -> Answered<Page<ThreadView>> {
    let sid = call.path("sid")?;
    let page = call.page()?;
    Ok(panel_chat::list_threads(call.store(), call.caller, &sid, &page).await?)
}

/// `GET /studies/{sid}/chat/{pid}/messages`: the thread with one participant.
async fn list_messages(call: Call<'_>) -> Answered<Page<PanelMessageView>> {
    let sid = call.path("sid")?;
    let pid = call.path("pid")?;
    let page = call.page()?;
    Ok(panel_chat::list_messages(call.store(), call.caller, &sid, &pid, &page).await?)
}

/// `POST /studies/{sid}/chat/{pid}/messages`: the body is read before the path.
async fn post_message(call: Call<'_>) -> Answered<PanelMessageCreated> {
    let (MessageBody { body: text }, asked) = call.create()?;
    let sid = call.path("sid")?;
    let pid = call.path("pid")?;
    let created =
        panel_chat::post_message(call.store(), call.state.events(), asked, &sid, &pid, &text)
            .await?;
    Ok(created)
}
