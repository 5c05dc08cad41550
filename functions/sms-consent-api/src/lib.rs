//! The consent record: the evidence export for admins (JSON or CSV), the consent status
//! for members, and staff changes to a participant's consent.
mod csv;

use lambda_http::{Body, Request, Response};
use shared::domain::consent;
use shared::domain::pagination::{PageRequest, MAX_LIMIT};
use shared::domain::Caller;
use shared::http::{self, checked, ApiError, Fields};
use shared::lambda::ApiState;

/// The most rows one CSV export carries; past it the `next-cursor` header continues.
const CSV_MAX_ROWS: usize = 10_000;

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
        _ => Err(ApiError::RouteNotFound),
    }
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
        let records =
            consent::consent_records(&state.store, caller, &ws, phone.as_deref(), &page).await?;
        return http::json(200, &records);
    }
    // CSV is for producing the evidence: every record, not one page.
    let mut rows = Vec::new();
    let mut cursor = page.cursor;
    loop {
        let request = PageRequest {
            limit: MAX_LIMIT,
            cursor,
        };
        let found =
            consent::consent_records(&state.store, caller, &ws, phone.as_deref(), &request).await?;
        rows.extend(found.items);
        cursor = found.next;
        if cursor.is_none() || rows.len() >= CSV_MAX_ROWS {
            break;
        }
    }
    let mut response = Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header(
            "content-disposition",
            "attachment; filename=\"sms-consent-records.csv\"",
        );
    if let Some(next) = cursor {
        response = response.header("next-cursor", next);
    }
    Ok(response
        .body(Body::Text(csv::records(&rows)))
        .unwrap_or_else(|_| Response::new(Body::Empty)))
}

async fn staff_update(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Result<Response<Body>, ApiError> {
    let sid = http::path_param(req, "sid")?;
    let pid = http::path_param(req, "pid")?;
    let body = http::json_body(req)?;
    let mut fields = Fields::new(&body)?;
    let granted = fields.bool("granted");
    let note = fields.string("note");
    fields.finish()?;
    let status = consent::staff_set_consent(
        &state.store,
        caller,
        &sid,
        &pid,
        checked(granted)?,
        &checked(note)?,
        chrono::Utc::now(),
    )
    .await?;
    http::json(200, &status)
}
