//! The study team's side of a booking. A thin adapter: each route parses its request,
//! calls one domain function and maps the result.

use lambda_http::Request;
use shared::domain::booking_changes::{DayOfQueued, SmsLog, TeamBookingView};
use shared::domain::pagination::Page;
use shared::domain::sms::DayOfUpdate;
use shared::domain::{booking_changes, schedule};
use shared::http::{self, read_body, Answered, ApiError, Call};

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
async fn study_schedule(call: Call<'_>) -> Answered<Page<TeamBookingView>> {
    let sid = call.path("sid")?;
    let page = call.page()?;
    let (from, to) = (
        http::query_param(call.req, "from"),
        http::query_param(call.req, "to"),
    );
    let schedule = schedule::study_schedule(
        call.store(),
        call.caller,
        &sid,
        from.as_deref(),
        to.as_deref(),
        &page,
    )
    .await?;
    Ok(schedule)
}

async fn get_booking(call: Call<'_>) -> Answered<TeamBookingView> {
    let (sid, bid) = booking_ids(call.req)?;
    Ok(booking_changes::get_booking(call.store(), call.caller, &sid, &bid).await?)
}

async fn reschedule(call: Call<'_>) -> Answered<TeamBookingView> {
    let (sid, bid) = booking_ids(call.req)?;
    let now = chrono::Utc::now();
    let (store, events) = (call.store(), call.state.events());
    let starts_at = starts_at(call.req)?;
    let view = booking_changes::reschedule(store, events, call.caller, &sid, &bid, &starts_at, now)
        .await?;
    Ok(view)
}

async fn cancel(call: Call<'_>) -> Answered<TeamBookingView> {
    let (sid, bid) = booking_ids(call.req)?;
    let now = chrono::Utc::now();
    Ok(booking_changes::cancel(
        call.store(),
        call.state.events(),
        call.caller,
        &sid,
        &bid,
        now,
    )
    .await?)
}

async fn day_of_update(call: Call<'_>) -> Answered<DayOfQueued> {
    let (sid, bid) = booking_ids(call.req)?;
    let now = chrono::Utc::now();
    let (store, events) = (call.store(), call.state.events());
    let update = day_of(call.req)?;
    let queued =
        booking_changes::day_of_update(store, events, call.caller, &sid, &bid, update, now).await?;
    Ok(queued)
}

async fn sms_log(call: Call<'_>) -> Answered<SmsLog> {
    let (sid, bid) = booking_ids(call.req)?;
    Ok(booking_changes::sms_log(call.store(), call.caller, &sid, &bid).await?)
}

fn starts_at(req: &Request) -> Result<String, ApiError> {
    let body: Reschedule = read_body(&http::json_body(req)?)?;
    Ok(body.starts_at)
}

fn day_of(req: &Request) -> Result<DayOfUpdate, ApiError> {
    let body: DayOf = read_body(&http::json_body(req)?)?;
    Ok(body.update)
}
