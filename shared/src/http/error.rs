//! The API layer's errors, and the one place any error becomes a problem+json answer.
use thiserror::Error;

use super::Problem;
use crate::domain::DomainError;
use crate::ports::StoreError;

#[derive(Debug, Error)]
pub enum ApiError {
    /// The body is not JSON, or not the JSON object the route expects.
    #[error("malformed request body: {0}")]
    MalformedBody(&'static str),
    /// No identity, or one the authorizer did not vouch for.
    #[error("sign-in required")]
    Unauthenticated,
    /// A token the authorizer accepted that is not a Cognito ID token (an access token).
    #[error("an ID token is required")]
    IdTokenRequired,
    #[error("no such route")]
    RouteNotFound,
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::Domain(DomainError::Store(e))
    }
}

impl ApiError {
    pub fn to_problem(&self) -> Problem {
        match self {
            Self::MalformedBody(why) => Problem::new(
                400,
                "malformed_body",
                "The request body could not be read",
                format!("The body must be {why}."),
            ),
            Self::Unauthenticated => Problem::new(
                401,
                "unauthenticated",
                "Sign-in required",
                "This route needs a valid identity token.",
            ),
            Self::IdTokenRequired => Problem::new(
                401,
                "id_token_required",
                "ID token required",
                "Send the Cognito ID token (token_use \"id\") as the bearer token, not the access token.",
            ),
            Self::RouteNotFound => Problem::new(404, "not_found", "Not found", "No such route."),
            Self::Domain(e) => domain_problem(e),
        }
    }
}

fn domain_problem(e: &DomainError) -> Problem {
    match e {
        DomainError::Validation(errors) => Problem::new(
            422,
            "validation_failed",
            "The request has invalid fields",
            errors
                .iter()
                .map(|fe| format!("{} {}", fe.field, fe.message))
                .collect::<Vec<_>>()
                .join("; "),
        )
        .with_errors(errors.clone()),
        DomainError::NotFound(what) => Problem::new(
            404,
            "not_found",
            "Not found",
            format!("No such {what}, or it is not visible to you."),
        ),
        DomainError::Forbidden(why) => Problem::new(403, "forbidden", "Not allowed", *why),
        DomainError::Conflict { code, message } => Problem::new(
            409,
            code,
            "The request conflicts with the current state",
            message,
        ),
        DomainError::RateLimited {
            message,
            retry_after_seconds,
        } => Problem::new(
            429,
            "rate_limited",
            "Too many requests",
            format!("{message} Try again in {retry_after_seconds} seconds."),
        )
        .with_retry_after(*retry_after_seconds),
        DomainError::DeliveryUnavailable(_) => Problem::new(
            503,
            "delivery_unavailable",
            "Temporarily unavailable",
            "The message could not be sent just now; retry shortly.",
        ),
        // Whichever list it came from, a cursor no list returned is the `next` field's
        // fault, answered as every other invalid field is.
        DomainError::Store(StoreError::InvalidCursor) => domain_problem(&DomainError::invalid(
            "next",
            "is not a cursor this list returned",
        )),
        DomainError::Store(StoreError::Corrupt(_)) => Problem::new(
            500,
            "internal_error",
            "Internal error",
            "Stored data could not be read; the team has been alerted.",
        ),
        DomainError::Store(_) => Problem::new(
            503,
            "service_unavailable",
            "Temporarily unavailable",
            "Storage is temporarily unavailable; retry shortly.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FieldError;

    #[test]
    fn each_error_has_its_status() {
        let cases: Vec<(ApiError, u16)> = vec![
            (ApiError::MalformedBody("a JSON object"), 400),
            (ApiError::Unauthenticated, 401),
            (ApiError::IdTokenRequired, 401),
            (DomainError::Forbidden("no").into(), 403),
            (DomainError::NotFound("study").into(), 404),
            (DomainError::conflict("last_admin", "x").into(), 409),
            (
                DomainError::Validation(vec![FieldError::new("name", "bad")]).into(),
                422,
            ),
            (StoreError::Unavailable("x".into()).into(), 503),
            (
                DomainError::RateLimited {
                    message: "x".into(),
                    retry_after_seconds: 30,
                }
                .into(),
                429,
            ),
        ];
        for (err, status) in cases {
            assert_eq!(err.to_problem().status, status, "{err}");
        }
    }

    #[test]
    fn a_rate_limited_answer_says_when_to_retry() {
        let err: ApiError = DomainError::RateLimited {
            message: "Too many.".into(),
            retry_after_seconds: 1234,
        }
        .into();
        let response = err.to_problem().into_response();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "1234");
        let unavailable: ApiError = StoreError::Unavailable("x".into()).into();
        assert_eq!(
            unavailable.to_problem().into_response().headers()["retry-after"],
            "1"
        );
    }

    #[test]
    fn validation_problems_list_their_fields() {
        let err: ApiError =
            DomainError::Validation(vec![FieldError::new("name", "must not be empty")]).into();
        let problem = err.to_problem();
        assert_eq!(problem.errors[0].field, "name");
        assert_eq!(problem.kind, "/problems/validation_failed");
    }

    #[test]
    fn a_cursor_no_list_returned_is_the_next_field_at_fault() {
        let problem = ApiError::from(StoreError::InvalidCursor).to_problem();
        assert_eq!((problem.status, problem.errors.len()), (422, 1));
        assert_eq!(problem.errors[0].field, "next");
    }
}
