//! How often the routes that text may be used: counters per share link, source IP,
//! destination phone and user, each in a fixed window (a clock hour or a UTC day). All
//! the counters a request needs are taken at once or not at all; past a limit the
//! request gets 429 with the seconds until its window ends, and nothing else is written.
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::DomainError;
use crate::ports::RateLimitStore;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    Hour,
    Day,
}

impl Window {
    pub fn seconds(self) -> i64 {
        match self {
            Self::Hour => 3600,
            Self::Day => 86_400,
        }
    }

    /// The window `now` falls in, as its start (Unix seconds).
    pub fn start(self, now: DateTime<Utc>) -> i64 {
        now.timestamp().div_euclid(self.seconds()) * self.seconds()
    }
}

/// What a counter counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    BookingsPerShareLink,
    BookingsPerSourceIp,
    BookingTextsPerPhone,
    CodesPerUser,
    CodesPerPhone,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BookingsPerShareLink => "booking-link",
            Self::BookingsPerSourceIp => "booking-ip",
            Self::BookingTextsPerPhone => "booking-phone",
            Self::CodesPerUser => "code-user",
            Self::CodesPerPhone => "code-phone",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Self::BookingsPerShareLink => "This study's booking link has taken too many bookings.",
            Self::BookingsPerSourceIp => "Too many bookings were made from your network.",
            Self::BookingTextsPerPhone => "Too many bookings were made for this phone number.",
            Self::CodesPerUser => "Too many codes were sent to you.",
            Self::CodesPerPhone => "Too many codes were sent to this phone number.",
        }
    }
}

/// The deployment's limits (template parameters; docs/deploy.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsLimits {
    pub bookings_per_share_link_per_hour: u32,
    pub bookings_per_source_ip_per_hour: u32,
    pub booking_texts_per_phone_per_day: u32,
    pub codes_per_user_per_hour: u32,
    pub codes_per_phone_per_day: u32,
}

impl Default for SmsLimits {
    /// The template's defaults.
    fn default() -> Self {
        Self {
            bookings_per_share_link_per_hour: 200,
            bookings_per_source_ip_per_hour: 20,
            booking_texts_per_phone_per_day: 5,
            codes_per_user_per_hour: 5,
            codes_per_phone_per_day: 10,
        }
    }
}

/// One counter to take: at most `limit` in the window `window_start` begins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quota {
    pub scope: Scope,
    /// A hash of what is counted: no phone number, IP or token is stored in a counter.
    pub subject: String,
    pub limit: u32,
    pub window: Window,
    pub window_start: i64,
}

impl Quota {
    pub fn new(
        scope: Scope,
        subject: &str,
        limit: u32,
        window: Window,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            scope,
            subject: hex::encode(&Sha256::digest(subject.as_bytes())[..16]),
            limit,
            window,
            window_start: window.start(now),
        }
    }

    pub fn window_end(&self) -> i64 {
        self.window_start + self.window.seconds()
    }
}

/// What a source address is counted as: an IPv4 address itself, an IPv6 address by its
/// /64 (one subscriber's whole allocation), anything unreadable as itself.
pub fn source_subject(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map(|v4| v4.to_string())
            .unwrap_or_default(),
        Ok(addr) => addr.to_string(),
        Err(_) => ip.to_owned(),
    }
}

/// Takes every quota or none. Past one, the caller gets `RateLimited` with the seconds
/// until that quota's window ends.
pub async fn take<S: RateLimitStore>(
    store: &S,
    quotas: &[Quota],
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if quotas.is_empty() {
        return Ok(());
    }
    match store.take_quotas(quotas).await? {
        None => Ok(()),
        Some(index) => {
            let quota = quotas.get(index).unwrap_or(&quotas[0]);
            tracing::warn!(
                limit = quota.scope.as_str(),
                subject = %quota.subject,
                "rate limit reached"
            );
            Err(DomainError::RateLimited {
                message: quota.scope.message().to_owned(),
                retry_after_seconds: (quota.window_end() - now.timestamp()).max(1),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn windows_are_clock_hours_and_utc_days() {
        let now = at("2026-12-02T10:59:30Z");
        let hour = Quota::new(Scope::CodesPerUser, "u1", 5, Window::Hour, now);
        assert_eq!(hour.window_end() - now.timestamp(), 30);
        let day = Quota::new(Scope::CodesPerPhone, "+16175550123", 5, Window::Day, now);
        assert_eq!(day.window_end() - now.timestamp(), 13 * 3600 + 30);
    }

    #[test]
    fn counters_hold_no_phone_number_or_address() {
        let q = Quota::new(
            Scope::BookingTextsPerPhone,
            "+16175550123",
            5,
            Window::Day,
            at("2026-12-02T10:00:00Z"),
        );
        assert!(!q.subject.contains("6175550123"));
        assert_eq!(q.subject.len(), 32);
        let other = Quota::new(
            Scope::BookingTextsPerPhone,
            "+16175550124",
            5,
            Window::Day,
            at("2026-12-02T10:00:00Z"),
        );
        assert_ne!(q.subject, other.subject);
    }

    #[test]
    fn an_ipv6_subscriber_counts_as_one_source() {
        assert_eq!(
            source_subject("2001:db8:1:2:aaaa::1"),
            source_subject("2001:db8:1:2:bbbb::9")
        );
        assert_ne!(
            source_subject("2001:db8:1:2::1"),
            source_subject("2001:db8:1:3::1")
        );
        assert_eq!(source_subject("203.0.113.7"), "203.0.113.7");
        assert_eq!(source_subject("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
