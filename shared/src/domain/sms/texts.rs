//! The fixed SMS texts. Researchers cannot change them: each names the product (never
//! the study), gives the time in the participant's own time zone, carries the manage
//! link, and ends with the STOP/HELP line.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{DayOfUpdate, SmsKind};

pub const STOP_HELP: &str = "Reply STOP to opt out, HELP for help.";

pub struct TextContext<'a> {
    pub product_name: &'a str,
    pub starts_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub manage_url: &'a str,
    pub day_of_update: Option<DayOfUpdate>,
}

fn when(ctx: &TextContext<'_>) -> String {
    ctx.starts_at
        .with_timezone(&ctx.time_zone)
        .format("%a, %b %-d at %-I:%M %p %Z")
        .to_string()
}

fn clock(ctx: &TextContext<'_>) -> String {
    ctx.starts_at
        .with_timezone(&ctx.time_zone)
        .format("%-I:%M %p %Z")
        .to_string()
}

/// Every text in one frame: the product's name, what happened, the manage link, and
/// how to stop or get help.
pub fn render(kind: SmsKind, ctx: &TextContext<'_>) -> String {
    let (what, details) = match kind {
        SmsKind::Confirmation => (
            format!("Your interview is booked for {}", when(ctx)),
            "Details or changes",
        ),
        SmsKind::Reminder => (
            format!("Reminder: your interview starts at {}", clock(ctx)),
            "Details",
        ),
        SmsKind::ScheduleChange => (
            format!("Your interview has moved to {}", when(ctx)),
            "Details",
        ),
        SmsKind::Cancellation => (
            format!("Your interview on {} has been cancelled", when(ctx)),
            "Details",
        ),
        SmsKind::DayOfUpdate => match ctx.day_of_update.unwrap_or(DayOfUpdate::RunningLate) {
            DayOfUpdate::RunningLate => (
                format!(
                    "Your interviewer is running a few minutes late for your {} interview",
                    clock(ctx)
                ),
                "Details",
            ),
            DayOfUpdate::StartingSoon => (
                format!("Your interview at {} is starting soon", clock(ctx)),
                "Details",
            ),
        },
    };
    let (product, link) = (ctx.product_name, ctx.manage_url);
    format!("{product}: {what}. {details}: {link} {STOP_HELP}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(update: Option<DayOfUpdate>) -> TextContext<'static> {
        TextContext {
            product_name: "Rally",
            starts_at: "2026-12-01T15:00:00Z".parse().unwrap(),
            time_zone: "America/New_York".parse().unwrap(),
            manage_url: "https://api.example/b/tok",
            day_of_update: update,
        }
    }

    #[test]
    fn every_text_has_product_local_time_link_and_stop_line() {
        let kinds = [
            SmsKind::Confirmation,
            SmsKind::Reminder,
            SmsKind::ScheduleChange,
            SmsKind::Cancellation,
            SmsKind::DayOfUpdate,
        ];
        for kind in kinds {
            let text = render(kind, &ctx(Some(DayOfUpdate::StartingSoon)));
            assert!(text.starts_with("Rally: "), "{text}");
            assert!(text.contains("10:00 AM EST"), "{text}");
            assert!(text.contains("https://api.example/b/tok"), "{text}");
            assert!(text.ends_with(STOP_HELP), "{text}");
        }
        assert_eq!(
            render(SmsKind::Confirmation, &ctx(None)),
            "Rally: Your interview is booked for Tue, Dec 1 at 10:00 AM EST. Details or changes: https://api.example/b/tok Reply STOP to opt out, HELP for help."
        );
    }
}
