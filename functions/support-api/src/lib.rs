//! `POST /support/requests`: to platform support, never to a study team.
use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::support::{self, SupportRequestCreated};
use shared::http::{self, read_body, schema, ApiError, Fields, Operation, ReadBody};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    match http::route_key(req).as_deref() {
        Some("POST /support/requests") => {
            let body = http::json_body(req)?;
            let read: NewSupportRequest = read_body(&body)?;
            let (subject, text) = (read.subject, read.body);
            let key = http::idempotency_key(req, &caller, &body)?;
            let created = support::create_support_request(
                &state.store,
                state.mailer(),
                &state.config.support_email,
                &caller,
                &subject,
                &text,
                key,
                chrono::Utc::now(),
            )
            .await?;
            http::json(201, &created)
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

/// `POST /support/requests`.
#[derive(JsonSchema)]
pub struct NewSupportRequest {
    #[schemars(with = "schema::Name")]
    pub subject: String,
    #[schemars(with = "schema::Text")]
    pub body: String,
}

impl ReadBody for NewSupportRequest {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let subject = fields.string("subject");
        let body = fields.string("body");
        Some(Self {
            subject: subject?,
            body: body?,
        })
    }
}

/// What the route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![Operation::new("POST /support/requests", 201)
        .idempotent()
        .body::<NewSupportRequest>()
        .replies::<SupportRequestCreated>()]
}
