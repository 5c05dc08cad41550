//! The consent record: the evidence export for admins (JSON or CSV), the consent status
//! for members, staff changes to a participant's consent, and the participant profile
//! the study team sees, with that phone's consent history (this function is the only
//! reader of the consent table).
mod bodies;
mod csv;

use bodies::{ProfileQuery, RecordsQuery, StaffConsent, StatusQuery};
use lambda_http::{Body, Request, Response};
use shared::domain::booking_changes::TeamBookingView;
use shared::domain::consent::{ConsentRecord, ConsentStatus};
use shared::domain::pagination::{Page, PageRequest};
use shared::domain::profiles::{ConsentHistoryEntry, ParticipantProfile};
use shared::domain::Caller;
use shared::domain::{consent, profiles};
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, ApiError, Operation};
use shared::lambda::ApiState;

/// The most one page of the evidence holds, as JSON or as CSV: well under the 6 MB a
/// Lambda function may return through API Gateway, even with every byte escaped.
const PAGE_MAX_BYTES: usize = 1024 * 1024;

/// The most records one CSV page carries; past it (or `PAGE_MAX_BYTES`) the `Link`
/// header's `next` continues.
const CSV_PAGE_ROWS: u32 = 5_000;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    match http::route_key(req).as_deref() {
        Some("GET /workspaces/{ws}/sms-consent/records") => records(state, req, &caller).await,
        Some("GET /workspaces/{ws}/sms-consent/status") => {
            let ws = http::path_param(req, "ws")?;
            let phone = http::phone_query(req);
            let status =
                consent::consent_status(&state.store, &caller, &ws, phone.as_deref()).await?;
            http::json(200, &status)
        }
        Some("PUT /studies/{sid}/participants/{pid}/sms-consent") => {
            staff_update(state, req, &caller).await
        }
        Some("GET /studies/{sid}/participants/{pid}") => {
            let (sid, pid) = (http::path_param(req, "sid")?, http::path_param(req, "pid")?);
            let page = http::page_request(req)?;
            let profile =
                profiles::participant_profile(&state.store, &caller, &sid, &pid, &page).await?;
            http::json(200, &profile)
        }
        Some("GET /studies/{sid}/participants/{pid}/bookings") => {
            let (sid, pid) = (http::path_param(req, "sid")?, http::path_param(req, "pid")?);
            let page = http::page_request(req)?;
            let bookings =
                profiles::participant_bookings(&state.store, &caller, &sid, &pid, &page).await?;
            http::json(200, &bookings)
        }
        Some("GET /studies/{sid}/participants/{pid}/consent-records") => {
            let (sid, pid) = (http::path_param(req, "sid")?, http::path_param(req, "pid")?);
            let page = http::page_request(req)?;
            let records =
                profiles::participant_consent_records(&state.store, &caller, &sid, &pid, &page)
                    .await?;
            http::json(200, &records)
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("GET /workspaces/{ws}/sms-consent/records", 200)
            .query::<RecordsQuery>()
            .replies_or_csv::<Page<ConsentRecord>>(),
        Operation::new("GET /workspaces/{ws}/sms-consent/status", 200)
            .query::<StatusQuery>()
            .replies::<ConsentStatus>(),
        Operation::new("PUT /studies/{sid}/participants/{pid}/sms-consent", 200)
            .body::<StaffConsent>()
            .replies::<ConsentStatus>(),
        Operation::new("GET /studies/{sid}/participants/{pid}", 200)
            .query::<ProfileQuery>()
            .replies::<ParticipantProfile>(),
        Operation::new("GET /studies/{sid}/participants/{pid}/bookings", 200)
            .query::<PageQuery>()
            .replies::<Page<TeamBookingView>>(),
        Operation::new("GET /studies/{sid}/participants/{pid}/consent-records", 200)
            .query::<PageQuery>()
            .replies::<Page<ConsentHistoryEntry>>(),
    ]
}

async fn records(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let ws = http::path_param(req, "ws")?;
    let phone = http::phone_query(req);
    let page = http::page_request(req)?;
    if !http::accepts(req, "text/csv") {
        let records = consent::consent_records(
            &state.store,
            caller,
            &ws,
            phone.as_deref(),
            &page,
            PAGE_MAX_BYTES,
            |r| serde_json::to_vec(r).map_or(0, |json| json.len() + 1),
        )
        .await?;
        return http::json(200, &records);
    }
    // CSV is for producing the evidence: pages as large as a response may safely be.
    let csv_page = PageRequest {
        limit: CSV_PAGE_ROWS,
        cursor: page.cursor,
    };
    let found = consent::consent_records(
        &state.store,
        caller,
        &ws,
        phone.as_deref(),
        &csv_page,
        PAGE_MAX_BYTES,
        |r| csv::row(r).len(),
    )
    .await?;
    let mut response = Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header(
            "content-disposition",
            "attachment; filename=\"sms-consent-records.csv\"",
        );
    if let Some(next) = &found.next {
        response = response
            .header("link", next_link(req, phone.as_deref(), next))
            .header("next-cursor", next);
    }
    Ok(response
        .body(Body::Text(csv::records(&found.items)))
        .unwrap_or_else(|_| Response::new(Body::Empty)))
}

/// `Link: <same path?phone=…&next=…>; rel="next"` (RFC 8288), relative to the request.
fn next_link(req: &Request, phone: Option<&str>, next: &str) -> String {
    let mut query = Vec::new();
    if let Some(phone) = phone {
        query.push(format!("phone={}", phone.replace('+', "%2B")));
    }
    query.push(format!("next={next}"));
    format!("<{}?{}>; rel=\"next\"", req.uri().path(), query.join("&"))
}

async fn staff_update(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    let body: StaffConsent = read_body(&http::json_body(req)?)?;
    let status = consent::staff_set_consent(
        &state.store,
        caller,
        &sid,
        &pid,
        body.granted,
        &body.note,
        chrono::Utc::now(),
    )
    .await?;
    http::json(200, &status)
}
