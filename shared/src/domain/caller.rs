/// The signed-in person making a request, as the identity provider vouches for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The identity provider's stable user id (`sub`).
    pub user_id: String,
    /// The verified email address, when the token carries one.
    pub email: Option<String>,
}
