//! The study team's side of a booking. A thin adapter: each route parses its request,
//! calls one domain function and maps the result.

use lambda_http::Request;
use shared::domain::booking_changes::{DayOfQueued, SmsLog, TeamBookingView};
use shared::domain::pagination::Page;
use shared::domain::sms::DayOfUpdate;
use shared::domain::{booking_changes, schedule, Caller};
use shared::http::{self, read_body, Answered, ApiError};
use shared::lambda::ApiState;

mod bodies;
use bodies::{DayOf, Reschedule, ScheduleQuery};

shared::api! {
    caller "GET /studies/{sid}/bookings" 200 .query::<ScheduleQuery>() => study_schedule;
    caller "GET /studies/{sid}/bookings/{bid}" 200 => get_booking;
    caller "PATCH /studies/{sid}/bookings/{bid}" 200 .body::<Reschedule>() => reschedule;
    caller "POST /studies/{sid}/bookings/{bid}/cancel" 200 => cancel;
    caller "POST /studies/{sid}/bookings/{bid}/day-of-update" 202 .body::<DayOf>() => day_of_update;
    caller "GET /studies/{sid}/bookings/{bid}/sms" 200 => sms_log;
}

/// The booking a route names: its study's `sid`, then its `bid`.
fn booking_ids(req: &Request) -> Result<(String, String), ApiError> {
    let sid = http::path_param(req, "sid")?;
    let bid = http::path_param(req, "bid")?;
    Ok((sid, bid))
}

/// `GET /studies/{sid}/bookings`: the study's schedule, optionally `from`/`to`.
async fn study_schedule(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<TeamBookingView>> {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    let (from, to) = (http::query_param(req, "from"), http::query_param(req, "to"));
    let schedule = schedule::study_schedule(
        &state.store,
        caller,
        &sid,
        from.as_deref(),
        to.as_deref(),
        &page,
    )
    .await?;
    Ok(schedule)
}

async fn get_booking(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<TeamBookingView> {
    let (sid, bid) = booking_ids(req)?;
    Ok(booking_changes::get_booking(&state.store, caller, &sid, &bid).await?)
}

async fn reschedule(state: &ApiState, req: &Request, caller: &Caller) -> Answered<TeamBookingView> {
    let (sid, bid) = booking_ids(req)?;
    let now = chrono::Utc::now();
    let (store, events) = (&state.store, state.events());
    let starts_at = starts_at(req)?;
    let view =
        booking_changes::reschedule(store, events, caller, &sid, &bid, &starts_at, now).await?;
    Ok(view)
}

async fn cancel(state: &ApiState, req: &Request, caller: &Caller) -> Answered<TeamBookingView> {
    let (sid, bid) = booking_ids(req)?;
    let now = chrono::Utc::now();
    Ok(booking_changes::cancel(&state.store, state.events(), caller, &sid, &bid, now).await?)
}

async fn day_of_update(state: &ApiState, req: &Request, caller: &Caller) -> Answered<DayOfQueued> {
    let (sid, bid) = booking_ids(req)?;
    let now = chrono::Utc::now();
    let (store, events) = (&state.store, state.events());
    let update = day_of(req)?;
    let queued =
        booking_changes::day_of_update(store, events, caller, &sid, &bid, update, now).await?;
    Ok(queued)
}

async fn sms_log(state: &ApiState, req: &Request, caller: &Caller) -> Answered<SmsLog> {
    let (sid, bid) = booking_ids(req)?;
    Ok(booking_changes::sms_log(&state.store, caller, &sid, &bid).await?)
}

fn starts_at(req: &Request) -> Result<String, ApiError> {
    let body: Reschedule = read_body(&http::json_body(req)?)?;
    Ok(body.starts_at)
}

fn day_of(req: &Request) -> Result<DayOfUpdate, ApiError> {
    let body: DayOf = read_body(&http::json_body(req)?)?;
    Ok(body.update)
}
