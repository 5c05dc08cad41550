//! The study team's side of a booking. A thin adapter: each route parses its request,
//! calls one domain function and maps the result.

use shared::domain::booking_changes::{DayOfQueued, SmsLog, TeamBookingView};
use shared::domain::pagination::Page;
use shared::domain::{booking_changes, schedule};
use shared::http::{self, Answered, Call};

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
    let ids = call.in_study("bid")?;
    Ok(booking_changes::get_booking(call.store(), ids.ask(&call)).await?)
}

async fn reschedule(call: Call<'_>) -> Answered<TeamBookingView> {
    let ids = call.in_study("bid")?;
    let Reschedule { starts_at } = call.body()?;
    let events = call.state.events();
    Ok(booking_changes::reschedule(call.store(), events, ids.ask(&call), &starts_at).await?)
}

async fn cancel(call: Call<'_>) -> Answered<TeamBookingView> {
    let ids = call.in_study("bid")?;
    let events = call.state.events();
    Ok(booking_changes::cancel(call.store(), events, ids.ask(&call)).await?)
}

async fn day_of_update(call: Call<'_>) -> Answered<DayOfQueued> {
    let ids = call.in_study("bid")?;
    let DayOf { update } = call.body()?;
    let events = call.state.events();
    Ok(booking_changes::day_of_update(call.store(), events, ids.ask(&call), update).await?)
}

async fn sms_log(call: Call<'_>) -> Answered<SmsLog> {
    let ids = call.in_study("bid")?;
    Ok(booking_changes::sms_log(call.store(), ids.ask(&call)).await?)
}
