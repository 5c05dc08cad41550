//! Secure messaging for the study team: only the team starts a conversation, and every
//! owner and teammate sees and answers the same thread.
use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::messaging::{
    self, ConversationCreated, MessageCreated, MessageView, TeamConversationView,
};
use shared::domain::pagination::Page;
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, schema, ApiError, Fields, MessageBody, Operation, ReadBody};
use shared::lambda::ApiState;

/// `POST /studies/{sid}/conversations`: the first message to a participant.
#[derive(JsonSchema)]
pub struct StartConversation {
    #[schemars(with = "schema::Name")]
    pub participant_id: String,
    #[schemars(with = "schema::Text")]
    pub body: String,
}

impl ReadBody for StartConversation {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let participant_id = fields.string("participant_id");
        let body = fields.string("body");
        Some(Self {
            participant_id: participant_id?,
            body: body?,
        })
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("POST /studies/{sid}/conversations", 201)
            .idempotent()
            .body::<StartConversation>()
            .replies::<ConversationCreated>(),
        Operation::new("GET /studies/{sid}/conversations", 200)
            .query::<PageQuery>()
            .replies::<Page<TeamConversationView>>(),
        Operation::new("POST /studies/{sid}/conversations/{cid}/messages", 201)
            .idempotent()
            .body::<MessageBody>()
            .replies::<MessageCreated>(),
        Operation::new("GET /studies/{sid}/conversations/{cid}/messages", 200)
            .query::<PageQuery>()
            .replies::<Page<MessageView>>(),
    ]
}

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
    let read: StartConversation = read_body(&body)?;
    let (participant_id, text) = (read.participant_id, read.body);
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
    let text = read_body::<MessageBody>(&body)?.body;
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
