//! Reading the parts of an API Gateway HTTP API (payload 2.0) request.
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde_json::Value;

use super::ApiError;
use crate::domain::consent::ClientInfo;
use crate::domain::idempotency::IdempotencyKey;
use crate::domain::pagination::PageRequest;
use crate::domain::{Asked, Caller, DomainError};

/// The caller as the JWT authorizer vouched for them: `sub` and `email` from
/// `requestContext.authorizer.jwt.claims`, where API Gateway puts every claim as a
/// string. No claims means no identity: 401. The authorizer also lets a Cognito
/// access token through (it checks `client_id` where `aud` is absent), which carries
/// no email: anything but an ID token (`token_use` `id`) is 401 `id_token_required`.
pub fn caller(req: &Request) -> Result<Caller, ApiError> {
    let claims = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx
            .authorizer
            .as_ref()
            .and_then(|a| a.jwt.as_ref())
            .map(|jwt| &jwt.claims),
        _ => None,
    };
    let claims = claims.ok_or(ApiError::Unauthenticated)?;
    if claims.get("token_use").map(String::as_str) != Some("id") {
        return Err(ApiError::IdTokenRequired);
    }
    let user_id = claims
        .get("sub")
        .filter(|sub| !sub.is_empty())
        .ok_or(ApiError::Unauthenticated)?;
    // Only an address the identity provider says it verified (`"true"`, as API Gateway
    // hands the claim over) links the caller to participant records; an unverified or
    // unstated one proves nothing.
    let verified = claims.get("email_verified").is_some_and(|v| v == "true");
    Ok(Caller {
        user_id: user_id.clone(),
        email: claims
            .get("email")
            .filter(|_| verified)
            .map(|e| e.to_lowercase()),
    })
}

/// The route the API matched, e.g. `PUT /workspaces/{ws}/members/{user_id}`; handlers
/// dispatch on it so they serve exactly the routes the template gives them.
pub fn route_key(req: &Request) -> Option<String> {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.route_key.clone(),
        _ => None,
    }
}

pub fn path_param(req: &Request, name: &str) -> Result<String, ApiError> {
    req.path_parameters_ref()
        .and_then(|params| params.first(name))
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
        .ok_or(ApiError::RouteNotFound)
}

/// The body as a JSON object: 400 if it is absent, not JSON, or not an object.
pub fn json_body(req: &Request) -> Result<Value, ApiError> {
    let bytes: &[u8] = req.body().as_ref();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::MalformedBody("a JSON object; it was empty"));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(ApiError::MalformedBody("a JSON object")),
        Err(_) => Err(ApiError::MalformedBody("valid JSON")),
    }
}

pub fn page_request(req: &Request) -> Result<PageRequest, ApiError> {
    let query = req.query_string_parameters_ref();
    let get = |name: &str| query.and_then(|q| q.first(name));
    PageRequest::parse(get("limit"), get("next"))
        .map_err(|e| ApiError::Domain(DomainError::Validation(vec![e])))
}

/// The `Idempotency-Key` header, if sent, bound to this caller and this request.
fn idempotency_key(
    req: &Request,
    caller: &Caller,
    body: &Value,
) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(raw) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = raw.to_str().unwrap_or("\u{0}");
    IdempotencyKey::new(
        &caller.user_id,
        key,
        req.method().as_str(),
        req.uri().path(),
        body,
    )
    .map(Some)
    .map_err(|e| ApiError::Domain(DomainError::Validation(vec![e])))
}

/// A signed-in caller's write as the domain takes it: the caller, the key read from
/// `Idempotency-Key` (checked against this request's method, path and `body`) and now.
pub fn asked<'a>(req: &Request, caller: &'a Caller, body: &Value) -> Result<Asked<'a>, ApiError> {
    Ok(Asked {
        caller,
        idempotency_key: idempotency_key(req, caller, body)?,
        now: chrono::Utc::now(),
    })
}

/// The caller's IP and user agent as API Gateway reports them (consent evidence).
pub fn client_info(req: &Request) -> ClientInfo {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ClientInfo {
            ip: ctx.http.source_ip.clone(),
            user_agent: ctx.http.user_agent.clone().filter(|ua| !ua.is_empty()),
        },
        _ => ClientInfo::default(),
    }
}

pub fn query_param(req: &Request, name: &str) -> Option<String> {
    req.query_string_parameters_ref()
        .and_then(|q| q.first(name))
        .map(str::to_owned)
}

/// A phone number from the query string. An unescaped `+` arrives as a space; read it
/// as the `+` the client meant.
pub fn phone_query(req: &Request) -> Option<String> {
    query_param(req, "phone").map(|p| match p.strip_prefix(' ') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => format!("+{rest}"),
        _ => p,
    })
}

/// Whether the client asked for this media type in `Accept`.
pub fn accepts(req: &Request, media_type: &str) -> bool {
    req.headers()
        .get_all("accept")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.split(';').next().map(str::trim) == Some(media_type))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An API Gateway HTTP API (payload 2.0) request carrying these authorizer claims.
    fn with_claims(claims: Value) -> Request {
        let event = json!({
            "version": "2.0", "routeKey": "GET /me/conversations", "rawPath": "/me/conversations",
            "rawQueryString": "", "headers": {"host": "api.example.com"},
            "requestContext": {
                "accountId": "123456789012", "apiId": "api", "domainName": "api.example.com",
                "domainPrefix": "api", "requestId": "r", "routeKey": "GET /me/conversations",
                "stage": "$default", "time": "04/Dec/2026:18:00:00 +0000", "timeEpoch": 1796407200000_i64,
                "http": {"method": "GET", "path": "/me/conversations", "protocol": "HTTP/1.1",
                         "sourceIp": "192.0.2.1", "userAgent": "test"},
                "authorizer": {"jwt": {"claims": claims, "scopes": null}}
            },
            "isBase64Encoded": false
        });
        lambda_http::request::from_str(&event.to_string()).expect("an HTTP API event")
    }

    #[test]
    fn an_id_token_with_a_verified_address_links_by_email() {
        let caller = caller(&with_claims(json!({"sub": "u1", "token_use": "id",
            "email": "Ann@Example.org", "email_verified": "true"})))
        .unwrap();
        assert_eq!(caller.user_id, "u1");
        assert_eq!(caller.email.as_deref(), Some("ann@example.org"));
    }

    #[test]
    fn an_unverified_or_unstated_address_links_nothing() {
        for claims in [
            json!({"sub": "u1", "token_use": "id", "email": "a@example.org", "email_verified": "false"}),
            json!({"sub": "u1", "token_use": "id", "email": "a@example.org"}),
        ] {
            let caller = caller(&with_claims(claims.clone())).unwrap();
            assert_eq!(caller.email, None, "{claims}");
        }
    }

    #[test]
    fn an_access_token_or_no_token_use_is_refused() {
        for claims in [
            json!({"sub": "u1", "token_use": "access", "client_id": "app", "scope": "aws.cognito.signin.user.admin"}),
            json!({"sub": "u1", "email": "a@example.org", "email_verified": "true"}),
        ] {
            let err = caller(&with_claims(claims.clone())).unwrap_err();
            assert_eq!(err.to_problem().code, "id_token_required", "{claims}");
            assert_eq!(err.to_problem().status, 401);
        }
    }
}
