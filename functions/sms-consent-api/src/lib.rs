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
use shared::domain::{consent, profiles};
use shared::http::doc::PageQuery;
use shared::http::{self, Answered, Call, Reply};

/// The most one page of the evidence holds, as JSON or as CSV: well under the 6 MB a
/// Lambda function may return through API Gateway, even with every byte escaped.
const PAGE_MAX_BYTES: usize = 1024 * 1024;

/// The most records one CSV page carries; past it (or `PAGE_MAX_BYTES`) the `Link`
/// header's `next` continues.
const CSV_PAGE_ROWS: u32 = 5_000;

shared::api! {
    caller_raw "GET /workspaces/{ws}/sms-consent/records" 200 .query::<RecordsQuery>() .replies_or_csv::<Page<ConsentRecord>>() => records;
    caller "GET /workspaces/{ws}/sms-consent/status" 200 .query::<StatusQuery>() => status;
    caller "PUT /studies/{sid}/participants/{pid}/sms-consent" 200 .body::<StaffConsent>() => staff_update;
    caller "GET /studies/{sid}/participants/{pid}" 200 .query::<ProfileQuery>() => profile;
    caller "GET /studies/{sid}/participants/{pid}/bookings" 200 .query::<PageQuery>() => participant_bookings;
    caller "GET /studies/{sid}/participants/{pid}/consent-records" 200 .query::<PageQuery>() => consent_history;
}

/// `GET /workspaces/{ws}/sms-consent/status`: one phone's consent, for members.
async fn status(call: Call<'_>) -> Answered<ConsentStatus> {
    let ws = call.path("ws")?;
    let phone = http::phone_query(call.req);
    let status = consent::consent_status(call.store(), call.caller, &ws, phone.as_deref()).await?;
    Ok(status)
}

/// `GET /studies/{sid}/participants/{pid}`: the profile, with the first page of their
/// bookings and of their phone's consent history.
async fn profile(call: Call<'_>) -> Answered<ParticipantProfile> {
    let (ids, page) = (call.in_study("pid")?, call.page()?);
    Ok(profiles::participant_profile(call.store(), ids.ask(&call), &page).await?)
}

/// `GET /studies/{sid}/participants/{pid}/bookings`.
async fn participant_bookings(call: Call<'_>) -> Answered<Page<TeamBookingView>> {
    let (ids, page) = (call.in_study("pid")?, call.page()?);
    Ok(profiles::participant_bookings(call.store(), ids.ask(&call), &page).await?)
}

/// `GET /studies/{sid}/participants/{pid}/consent-records`.
async fn consent_history(call: Call<'_>) -> Answered<Page<ConsentHistoryEntry>> {
    let (ids, page) = (call.in_study("pid")?, call.page()?);
    let records = profiles::participant_consent_records(call.store(), ids.ask(&call), &page);
    Ok(records.await?)
}

/// `GET /workspaces/{ws}/sms-consent/records`: the evidence, as JSON or (`Accept:
/// text/csv`) as CSV.
async fn records(call: Call<'_>) -> Reply {
    let ws = call.path("ws")?;
    let phone = http::phone_query(call.req);
    let page = call.page()?;
    if !http::accepts(call.req, "text/csv") {
        let records = consent::consent_records(
            call.store(),
            call.caller,
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
        call.store(),
        call.caller,
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
            .header("link", next_link(call.req, phone.as_deref(), next))
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

/// `PUT /studies/{sid}/participants/{pid}/sms-consent`: staff change a participant's
/// consent.
async fn staff_update(call: Call<'_>) -> Answered<ConsentStatus> {
    let ids = call.in_study("pid")?;
    let StaffConsent { granted, note } = call.body()?;
    Ok(consent::staff_set_consent(call.store(), ids.ask(&call), granted, &note).await?)
}
