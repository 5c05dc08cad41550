//! The study team's side of a booking. A thin adapter: each route parses its request,
//! calls one domain function and maps the result.
use lambda_http::{Body, Request, Response};
use shared::domain::booking_changes::{DayOfQueued, SmsLog, TeamBookingView};
use shared::domain::pagination::Page;
use shared::domain::sms::DayOfUpdate;
use shared::domain::{booking_changes, schedule};
use shared::http::{self, read_body, ApiError, Operation};
use shared::lambda::ApiState;

mod bodies;
use bodies::{DayOf, Reschedule, ScheduleQuery};

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    let sid = http::path_param(req, "sid")?;
    if http::route_key(req).as_deref() == Some("GET /studies/{sid}/bookings") {
        let page = http::page_request(req)?;
        let (from, to) = (http::query_param(req, "from"), http::query_param(req, "to"));
        let schedule = schedule::study_schedule(
            &state.store,
            &caller,
            &sid,
            from.as_deref(),
            to.as_deref(),
            &page,
        )
        .await?;
        return http::json(200, &schedule);
    }
    let bid = http::path_param(req, "bid")?;
    let now = chrono::Utc::now();
    let (store, events) = (&state.store, state.events());
    match http::route_key(req).as_deref() {
        Some("GET /studies/{sid}/bookings/{bid}") => http::json(
            200,
            &booking_changes::get_booking(store, &caller, &sid, &bid).await?,
        ),
        Some("PATCH /studies/{sid}/bookings/{bid}") => {
            let starts_at = starts_at(req)?;
            let view =
                booking_changes::reschedule(store, events, &caller, &sid, &bid, &starts_at, now)
                    .await?;
            http::json(200, &view)
        }
        Some("POST /studies/{sid}/bookings/{bid}/cancel") => http::json(
            200,
            &booking_changes::cancel(store, events, &caller, &sid, &bid, now).await?,
        ),
        Some("POST /studies/{sid}/bookings/{bid}/day-of-update") => {
            let update = day_of(req)?;
            let queued =
                booking_changes::day_of_update(store, events, &caller, &sid, &bid, update, now)
                    .await?;
            http::json(202, &queued)
        }
        Some("GET /studies/{sid}/bookings/{bid}/sms") => http::json(
            200,
            &booking_changes::sms_log(store, &caller, &sid, &bid).await?,
        ),
        _ => Err(ApiError::RouteNotFound),
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("GET /studies/{sid}/bookings", 200)
            .query::<ScheduleQuery>()
            .replies::<Page<TeamBookingView>>(),
        Operation::new("GET /studies/{sid}/bookings/{bid}", 200).replies::<TeamBookingView>(),
        Operation::new("PATCH /studies/{sid}/bookings/{bid}", 200)
            .body::<Reschedule>()
            .replies::<TeamBookingView>(),
        Operation::new("POST /studies/{sid}/bookings/{bid}/cancel", 200)
            .replies::<TeamBookingView>(),
        Operation::new("POST /studies/{sid}/bookings/{bid}/day-of-update", 202)
            .body::<DayOf>()
            .replies::<DayOfQueued>(),
        Operation::new("GET /studies/{sid}/bookings/{bid}/sms", 200).replies::<SmsLog>(),
    ]
}

fn starts_at(req: &Request) -> Result<String, ApiError> {
    let body: Reschedule = read_body(&http::json_body(req)?)?;
    Ok(body.starts_at)
}

fn day_of(req: &Request) -> Result<DayOfUpdate, ApiError> {
    let body: DayOf = read_body(&http::json_body(req)?)?;
    Ok(body.update)
}
