/// The signed-in person making a request, as the identity provider vouches for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The identity provider's stable user id (`sub`).
    pub user_id: String,
    /// The verified email address, when the token carries one.
    pub email: Option<String>,
}

/// What a write carries beside its own fields: who asks (a signed-in person, or an
/// anonymous one scoped to the share link they book through), the key that makes a
/// retry answer as the first attempt did, and when it was asked.
#[derive(Clone, Debug)]
pub struct Asked<'a> {
    pub caller: &'a Caller,
    pub idempotency_key: Option<super::idempotency::IdempotencyKey>,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Asked<'_> {
    /// The create's idempotency steps, under this key and at this time.
    pub fn once(&self) -> super::idempotency::Once<'_> {
        super::idempotency::Once::new(self.idempotency_key.as_ref(), self.now)
    }
}

/// A study team member's request about one thing of their study (a booking, a
/// participant, a conversation): who asks, when, and the ids the route names, the
/// study's and the thing's own.
#[derive(Clone, Copy, Debug)]
pub struct TeamAsk<'a> {
    pub caller: &'a Caller,
    pub study_id: &'a str,
    pub id: &'a str,
    pub now: chrono::DateTime<chrono::Utc>,
}
