//! The study team's side of a booking. A thin adapter: each route parses its request,
//! calls one domain function and maps the result.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use shared::domain::booking_changes::{DayOfQueued, SmsLog, TeamBookingView};
use shared::domain::pagination::Page;
use shared::domain::sms::DayOfUpdate;
use shared::domain::{booking_changes, schedule, Caller};
use shared::http::{self, read_body, ApiError, Operation, Reply, Routes};
use shared::lambda::ApiState;

mod bodies;
use bodies::{DayOf, Reschedule, ScheduleQuery};

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    ROUTES.answer(state, &req).await
}

/// What each route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    ROUTES.operations()
}

static ROUTES: LazyLock<Routes<ApiState>> = LazyLock::new(|| {
    Routes::new()
        .caller(
            Operation::new("GET /studies/{sid}/bookings", 200)
                .query::<ScheduleQuery>()
                .replies::<Page<TeamBookingView>>(),
            |s, r, c| Box::pin(study_schedule(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}/bookings/{bid}", 200).replies::<TeamBookingView>(),
            |s, r, c| Box::pin(get_booking(s, r, c)),
        )
        .caller(
            Operation::new("PATCH /studies/{sid}/bookings/{bid}", 200)
                .body::<Reschedule>()
                .replies::<TeamBookingView>(),
            |s, r, c| Box::pin(reschedule(s, r, c)),
        )
        .caller(
            Operation::new("POST /studies/{sid}/bookings/{bid}/cancel", 200)
                .replies::<TeamBookingView>(),
            |s, r, c| Box::pin(cancel(s, r, c)),
        )
        .caller(
            Operation::new("POST /studies/{sid}/bookings/{bid}/day-of-update", 202)
                .body::<DayOf>()
                .replies::<DayOfQueued>(),
            |s, r, c| Box::pin(day_of_update(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}/bookings/{bid}/sms", 200).replies::<SmsLog>(),
            |s, r, c| Box::pin(sms_log(s, r, c)),
        )
});

/// The booking a route names: its study's `sid`, then its `bid`.
fn booking_ids(req: &Request) -> Result<(String, String), ApiError> {
    let sid = http::path_param(req, "sid")?;
    let bid = http::path_param(req, "bid")?;
    Ok((sid, bid))
}

/// `GET /studies/{sid}/bookings`: the study's schedule, optionally `from`/`to`.
async fn study_schedule(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
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
    http::json(200, &schedule)
}

async fn get_booking(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let (sid, bid) = booking_ids(req)?;
    http::json(
        200,
        &booking_changes::get_booking(&state.store, caller, &sid, &bid).await?,
    )
}

async fn reschedule(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let (sid, bid) = booking_ids(req)?;
    let now = chrono::Utc::now();
    let (store, events) = (&state.store, state.events());
    let starts_at = starts_at(req)?;
    let view =
        booking_changes::reschedule(store, events, caller, &sid, &bid, &starts_at, now).await?;
    http::json(200, &view)
}

async fn cancel(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let (sid, bid) = booking_ids(req)?;
    let now = chrono::Utc::now();
    http::json(
        200,
        &booking_changes::cancel(&state.store, state.events(), caller, &sid, &bid, now).await?,
    )
}

async fn day_of_update(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let (sid, bid) = booking_ids(req)?;
    let now = chrono::Utc::now();
    let (store, events) = (&state.store, state.events());
    let update = day_of(req)?;
    let queued =
        booking_changes::day_of_update(store, events, caller, &sid, &bid, update, now).await?;
    http::json(202, &queued)
}

async fn sms_log(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let (sid, bid) = booking_ids(req)?;
    http::json(
        200,
        &booking_changes::sms_log(&state.store, caller, &sid, &bid).await?,
    )
}

fn starts_at(req: &Request) -> Result<String, ApiError> {
    let body: Reschedule = read_body(&http::json_body(req)?)?;
    Ok(body.starts_at)
}

fn day_of(req: &Request) -> Result<DayOfUpdate, ApiError> {
    let body: DayOf = read_body(&http::json_body(req)?)?;
    Ok(body.update)
}
