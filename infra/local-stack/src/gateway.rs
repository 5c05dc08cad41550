//! The local stand-in for API Gateway's HTTP API: matches a request to the template's
//! routes, checks the JWT where the route is authorized, and hands the function the
//! same payload 2.0 event Lambda would.
use chrono::Utc;
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

use crate::functions::HttpHandler;
use crate::template::HttpRoute;

enum Segment {
    Literal(String),
    Param(String),
}

pub struct CompiledRoute {
    pub route: HttpRoute,
    segments: Vec<Segment>,
    pub handler: HttpHandler,
}

impl CompiledRoute {
    pub fn new(route: HttpRoute, handler: HttpHandler) -> Self {
        let segments = route
            .path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name.to_owned()),
                    None => Segment::Literal(s.to_owned()),
                },
            )
            .collect();
        Self {
            route,
            segments,
            handler,
        }
    }

    /// The path parameters if `path` matches, with how many literal segments matched
    /// (API Gateway prefers the most specific route).
    fn matches(&self, path: &str) -> Option<(usize, HashMap<String, String>)> {
        let parts: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut params = HashMap::new();
        let mut literals = 0;
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(l) if l == part => literals += 1,
                Segment::Literal(_) => return None,
                Segment::Param(name) => {
                    let decoded = percent_decode_str(part).decode_utf8().ok()?;
                    params.insert(name.clone(), decoded.into_owned());
                }
            }
        }
        Some((literals, params))
    }
}

/// The best route for this method and path, and its path parameters.
pub fn find_route<'a>(
    routes: &'a [CompiledRoute],
    method: &str,
    path: &str,
) -> Option<(&'a CompiledRoute, HashMap<String, String>)> {
    routes
        .iter()
        .filter(|r| r.route.method == method)
        .filter_map(|r| r.matches(path).map(|(score, params)| (score, r, params)))
        .max_by_key(|(score, _, _)| *score)
        .map(|(_, r, params)| (r, params))
}

pub struct IncomingRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub raw_query: &'a str,
    pub headers: &'a axum::http::HeaderMap,
    pub body: &'a [u8],
    pub source_ip: String,
}

/// Whether a content type is text, which API Gateway passes as it is.
fn is_text(content_type: Option<&str>) -> bool {
    let Some(value) = content_type else {
        return false;
    };
    let media = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || media == "application/json"
        || media.ends_with("+json")
        || media == "application/xml"
        || media.ends_with("+xml")
        || media == "application/javascript"
}

/// Builds the API Gateway HTTP API payload 2.0 event for this request.
pub fn build_event(
    req: &IncomingRequest<'_>,
    route: &HttpRoute,
    path_parameters: &HashMap<String, String>,
    claims: Option<&HashMap<String, String>>,
) -> Value {
    let mut headers = Map::new();
    let mut cookies = Vec::new();
    for name in req.headers.keys() {
        // Payload 2.0 moves every cookie into the `cookies` array (API Gateway developer
        // guide, "Create AWS Lambda proxy integrations for HTTP APIs").
        if name.as_str() == "cookie" {
            for value in req
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
            {
                cookies.extend(
                    value
                        .split(';')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(|c| Value::String(c.to_owned())),
                );
            }
            continue;
        }
        let joined = req
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        headers.insert(name.as_str().to_owned(), Value::String(joined));
    }
    let mut query = Map::new();
    for (k, v) in form_urlencoded::parse(req.raw_query.as_bytes()) {
        let entry = query
            .entry(k.into_owned())
            .or_insert_with(|| Value::String(String::new()));
        // API Gateway joins repeated query parameters with commas.
        if let Value::String(existing) = entry {
            if existing.is_empty() {
                *existing = v.into_owned();
            } else {
                existing.push(',');
                existing.push_str(&v);
            }
        }
    }
    // A body without a text content type (a form post included) reaches the function
    // base64-encoded, as HTTP APIs hand it over; so the manage page's form is read
    // through the same decoding path locally as on AWS.
    let content_type = req
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    let (body, is_base64) = match std::str::from_utf8(req.body) {
        Ok(text) if is_text(content_type) => (text.to_owned(), false),
        _ => {
            use base64::Engine;
            (
                base64::engine::general_purpose::STANDARD.encode(req.body),
                true,
            )
        }
    };
    let now = Utc::now();
    let user_agent = req
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut context = json!({
        "accountId": "000000000000",
        "apiId": "local",
        "domainName": "127.0.0.1",
        "domainPrefix": "local",
        "http": {
            "method": req.method,
            "path": req.path,
            "protocol": "HTTP/1.1",
            "sourceIp": req.source_ip,
            "userAgent": user_agent,
        },
        "requestId": uuid::Uuid::new_v4().to_string(),
        "routeKey": route.route_key(),
        "stage": "$default",
        "time": now.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
        "timeEpoch": now.timestamp_millis(),
    });
    if let Some(claims) = claims {
        context["authorizer"] = json!({"jwt": {"claims": claims, "scopes": null}});
    }
    let mut event = json!({
        "version": "2.0",
        "routeKey": route.route_key(),
        "rawPath": req.path,
        "rawQueryString": req.raw_query,
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": is_base64,
    });
    if !query.is_empty() {
        event["queryStringParameters"] = Value::Object(query);
    }
    if !cookies.is_empty() {
        event["cookies"] = Value::Array(cookies);
    }
    if !path_parameters.is_empty() {
        event["pathParameters"] = json!(path_parameters);
    }
    if !req.body.is_empty() {
        event["body"] = Value::String(body);
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn route(method: &str, path: &str) -> CompiledRoute {
        let handler: HttpHandler =
            Arc::new(|_| Box::pin(async { lambda_http::Response::new(lambda_http::Body::Empty) }));
        CompiledRoute::new(
            HttpRoute {
                function: "F".into(),
                method: method.into(),
                path: path.into(),
                authorized: true,
            },
            handler,
        )
    }

    fn event_for(content_type: &str, body: &[u8], cookie: Option<&str>) -> Value {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("content-type", content_type.parse().unwrap());
        if let Some(cookie) = cookie {
            headers.insert("cookie", cookie.parse().unwrap());
        }
        let req = IncomingRequest {
            method: "POST",
            path: "/b/tok",
            raw_query: "",
            headers: &headers,
            body,
            source_ip: "127.0.0.1".into(),
        };
        let route = HttpRoute {
            function: "F".into(),
            method: "POST".into(),
            path: "/b/{manage_token}".into(),
            authorized: false,
        };
        build_event(&req, &route, &HashMap::new(), None)
    }

    #[test]
    fn a_form_post_arrives_base64_encoded_and_json_as_it_is() {
        use base64::Engine;
        let form = event_for("application/x-www-form-urlencoded", b"action=cancel", None);
        assert_eq!(form["isBase64Encoded"], true);
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(form["body"].as_str().unwrap())
            .unwrap();
        assert_eq!(decoded, b"action=cancel");
        // lambda_http decodes it back, so a handler reads the same bytes.
        let request = lambda_http::request::from_str(&form.to_string()).unwrap();
        assert_eq!(request.body().as_ref(), b"action=cancel");
        let json = event_for("application/json; charset=utf-8", br#"{"a":1}"#, None);
        assert_eq!(json["isBase64Encoded"], false);
        assert_eq!(json["body"], r#"{"a":1}"#);
    }

    #[test]
    fn cookies_move_into_the_cookies_array() {
        let event = event_for("application/json", b"{}", Some("a=1; b=2"));
        assert_eq!(event["cookies"], json!(["a=1", "b=2"]));
        assert!(event["headers"].get("cookie").is_none());
    }

    #[test]
    fn the_most_specific_route_wins_and_params_are_decoded() {
        let routes = vec![
            route("GET", "/studies/{sid}/{x}"),
            route("GET", "/studies/{sid}/team"),
        ];
        let (found, params) = find_route(&routes, "GET", "/studies/st%201/team").unwrap();
        assert_eq!(found.route.path, "/studies/{sid}/team");
        assert_eq!(params["sid"], "st 1");
        assert!(find_route(&routes, "POST", "/studies/a/team").is_none());
        assert!(find_route(&routes, "GET", "/studies/a").is_none());
    }
}
