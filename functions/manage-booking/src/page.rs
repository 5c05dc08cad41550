//! The manage-booking HTML page. Server-rendered, no JavaScript, every value escaped.
//! The removal form carries a CSRF token that must match a SameSite=Strict cookie set
//! with the page (double submit), so another site cannot post it on the holder's behalf.
use lambda_http::{Body, Request, Response};
use shared::domain::bookings::{self, BookingStatus};
use shared::domain::ids;
use shared::html::escape;
use shared::http;
use shared::lambda::ApiState;

use super::is_not_found;

const CSRF_COOKIE: &str = "manage_csrf";

fn html(status: u16, title: &str, main: &str, extra_headers: &[(&str, String)]) -> Response<Body> {
    let body = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}}
main{{max-width:32rem;margin:0 auto;padding:1.5rem 1.25rem}}
h1{{font-size:1.4rem;margin:0 0 1rem}}
.card{{background:#fff;border-radius:.75rem;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}}
.when{{font-size:1.15rem;font-weight:600;margin:.25rem 0 1rem}}
.muted{{color:#57606a}}
button{{font:inherit;font-size:1rem;width:100%;padding:.85rem;border:0;border-radius:.5rem;background:#b42318;color:#fff;margin-top:1rem}}
.notice{{background:#e7f5ec;border-radius:.5rem;padding:.75rem;margin-bottom:1rem}}
</style>
</head>
<body><main>{main}</main></body>
</html>
"#,
        title = escape(title),
    );
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .header("referrer-policy", "no-referrer")
        .header("x-frame-options", "DENY")
        .header("x-content-type-options", "nosniff")
        .header(
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        );
    for (name, value) in extra_headers {
        builder = builder.header(*name, value.as_str());
    }
    builder
        .body(Body::Text(body))
        .unwrap_or_else(|_| Response::new(Body::Empty))
}

fn not_found() -> Response<Body> {
    html(
        404,
        "Booking not found",
        r#"<div class="card"><h1>Booking not found</h1><p>This link is not valid. Check the link in your text message.</p></div>"#,
        &[],
    )
}

fn unavailable() -> Response<Body> {
    html(
        503,
        "Try again shortly",
        r#"<div class="card"><h1>Try again shortly</h1><p>We could not load your booking just now. Please reload this page in a moment.</p></div>"#,
        &[],
    )
}

fn cookie(state: &ApiState, value: &str) -> String {
    let secure = if state.config.public_base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!("{CSRF_COOKIE}={value}; Path=/b/; HttpOnly; SameSite=Strict; Max-Age=3600{secure}")
}

fn cookie_value(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// `GET /b/{manage_token}`: the interview time in the participant's own time zone, its
/// status, and the button that removes the phone number.
pub async fn show(state: &ApiState, req: &Request) -> Response<Body> {
    let Ok(token) = http::path_param(req, "manage_token") else {
        return not_found();
    };
    let (booking, view) = match bookings::manage_view(&state.store, &token).await {
        Ok(found) => found,
        Err(e) if is_not_found(&e) => return not_found(),
        Err(_) => return unavailable(),
    };
    let local = booking.starts_at.with_timezone(&booking.time_zone);
    let when = local.format("%A, %B %-d, %Y at %-I:%M %p %Z").to_string();
    let status = match view.status {
        BookingStatus::Booked => "Booked",
        BookingStatus::Cancelled => "Cancelled",
    };
    let removed = http::query_param(req, "removed").is_some();
    let notice = if removed && view.phone_last4.is_none() {
        r#"<p class="notice" role="status">Your phone number was removed. You will not get any more texts about this interview.</p>"#
    } else {
        ""
    };
    let csrf = ids::new_token();
    let phone_part = match &view.phone_last4 {
        Some(last4) => format!(
            r#"<p>Text reminders go to your number ending in <strong>{last4}</strong>.</p>
<form method="post" action="/b/{token}/remove-phone">
<input type="hidden" name="csrf" value="{csrf}">
<button type="submit">Remove my phone number</button>
</form>"#,
            last4 = escape(last4),
            token = escape(&token),
            csrf = escape(&csrf),
        ),
        None => r#"<p class="muted">No phone number is on this booking. You will not get texts about it.</p>"#.to_owned(),
    };
    let main = format!(
        r#"{notice}<div class="card">
<h1>Your interview</h1>
<p class="when">{when}</p>
<p>Status: <strong>{status}</strong></p>
<p class="muted">Time zone: {zone}</p>
{phone_part}
</div>"#,
        when = escape(&when),
        zone = escape(booking.time_zone.name()),
    );
    let title = format!("Your interview – {}", state.config.product_name);
    html(200, &title, &main, &[("set-cookie", cookie(state, &csrf))])
}

/// `POST /b/{manage_token}/remove-phone` from the page's form: removes the phone, then
/// sends the browser back to the page (303), which shows that it is gone.
pub async fn remove_phone(state: &ApiState, req: &Request) -> Response<Body> {
    let Ok(token) = http::path_param(req, "manage_token") else {
        return not_found();
    };
    let body: &[u8] = req.body().as_ref();
    let submitted = form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    let expected = cookie_value(req, CSRF_COOKIE);
    let valid = matches!((&submitted, &expected), (Some(s), Some(e)) if !s.is_empty() && s == e);
    if !valid {
        return html(
            403,
            "Please try again",
            &format!(
                r#"<div class="card"><h1>Please try again</h1><p>This form has expired. <a href="/b/{}">Reload the page</a> and press the button again.</p></div>"#,
                escape(&token)
            ),
            &[],
        );
    }
    match bookings::remove_phone(
        &state.store,
        &token,
        http::client_info(req),
        chrono::Utc::now(),
    )
    .await
    {
        Ok(()) => Response::builder()
            .status(303)
            .header("location", format!("/b/{token}?removed=1"))
            .header("cache-control", "no-store")
            .body(Body::Empty)
            .unwrap_or_else(|_| Response::new(Body::Empty)),
        Err(e) if is_not_found(&e) => not_found(),
        Err(_) => unavailable(),
    }
}
