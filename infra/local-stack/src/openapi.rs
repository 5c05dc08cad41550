//! The OpenAPI 3.1 document of the API, generated from `template.yaml` (every route the
//! template gives a function, with its auth) and the request shapes below, which mirror
//! what each handler's `Fields` parser accepts. Served by the local stack at
//! `/openapi.json`; a test fails when a template route has no shape here.
use serde_json::{json, Map, Value};

use crate::template::HttpRoute;

#[derive(Clone, Copy)]
enum Ty {
    Str,
    Bool,
    /// A message body: not blank, up to 5,000 characters, kept as written.
    Text,
    DateTime,
    Email,
    Phone,
    Enum(&'static [&'static str]),
}

fn schema(ty: Ty) -> Value {
    match ty {
        // Free text: not blank, no control characters (what the parsers accept).
        Ty::Str => {
            json!({"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$"})
        }
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Text => json!({"type": "string", "minLength": 1, "maxLength": 5000, "pattern": "\\S"}),
        Ty::DateTime => json!({"type": "string", "format": "date-time"}),
        Ty::Email => json!({"type": "string", "format": "email"}),
        Ty::Phone => json!({"type": "string", "description": "E.164, e.g. +16175550123"}),
        Ty::Enum(values) => json!({"type": "string", "enum": values}),
    }
}

enum Request {
    None,
    Json(&'static [(&'static str, Ty, bool)]),
    Form(&'static [(&'static str, Ty, bool)]),
    /// A body defined by someone else (SNS, the panel): any JSON object.
    Foreign,
}

enum Reply {
    Json,
    /// One JSON object, not a list: no `limit` / `next`.
    Object,
    Csv,
    Html,
    Redirect,
    Empty,
}

/// Success status, request and reply of each route (`METHOD /path`), or `None` for a
/// route this table does not know yet.
fn shape(route_key: &str) -> Option<(u16, Request, Reply)> {
    use Ty::*;
    const ROLE: Ty = Enum(&["admin", "member"]);
    const TEAM_ROLE: Ty = Enum(&["owner", "teammate"]);
    const KIND: Ty = Enum(&["interview", "survey"]);
    const RECRUITMENT: Ty = Enum(&["direct", "respondent"]);
    const BODY: &[(&str, Ty, bool)] = &[("body", Text, true)];
    Some(match route_key {
        "POST /workspaces" => (201, Request::Json(&[("name", Str, true)]), Reply::Json),
        "GET /workspaces/{ws}" | "GET /workspaces/{ws}/members" => {
            (200, Request::None, Reply::Json)
        }
        "PUT /workspaces/{ws}/members/{user_id}" => (
            200,
            Request::Json(&[("role", ROLE, true), ("email", Email, true)]),
            Reply::Json,
        ),
        "GET /workspaces/{ws}/settings/sms" | "GET /workspaces/{ws}/settings/messaging" => {
            (200, Request::None, Reply::Json)
        }
        "PUT /workspaces/{ws}/settings/sms" => {
            (200, Request::Json(&[("enabled", Bool, true)]), Reply::Json)
        }
        "PUT /workspaces/{ws}/settings/messaging" => (
            200,
            Request::Json(&[("require_phone_verification", Bool, true)]),
            Reply::Json,
        ),
        "POST /workspaces/{ws}/studies" => (
            201,
            Request::Json(&[
                ("name", Str, true),
                ("kind", KIND, true),
                ("recruitment", RECRUITMENT, true),
                ("contact_phone", Phone, false),
            ]),
            Reply::Json,
        ),
        "GET /studies/{sid}" | "GET /studies/{sid}/team" => (200, Request::None, Reply::Json),
        "GET /workspaces" | "GET /workspaces/{ws}/studies" => (200, Request::None, Reply::Json),
        "GET /studies/{sid}/participants"
        | "GET /studies/{sid}/participants/{pid}"
        | "GET /studies/{sid}/participants/{pid}/bookings"
        | "GET /studies/{sid}/participants/{pid}/consent-records"
        | "GET /studies/{sid}/bookings" => (200, Request::None, Reply::Json),
        "PUT /studies/{sid}/team/{user_id}" => (
            200,
            Request::Json(&[("role", TEAM_ROLE, true), ("external_panel", Bool, true)]),
            Reply::Json,
        ),
        "DELETE /workspaces/{ws}/members/{user_id}" | "DELETE /studies/{sid}/team/{user_id}" => {
            (204, Request::None, Reply::Empty)
        }
        "PUT /studies/{sid}/sms" => (
            200,
            Request::Json(&[("interview_reminder", Bool, true)]),
            Reply::Json,
        ),
        "POST /studies/{sid}/participants" => (
            201,
            Request::Json(&[
                ("email", Email, true),
                ("name", Str, true),
                ("phone", Phone, false),
                ("source", RECRUITMENT, true),
                ("panel_participant_id", Str, false),
            ]),
            Reply::Json,
        ),
        "POST /studies/{sid}/participants/{pid}/approve" => (200, Request::None, Reply::Json),
        "GET /public/studies/{share_token}" => (200, Request::None, Reply::Json),
        "POST /public/studies/{share_token}/bookings" => (
            201,
            Request::Json(&[
                ("name", Str, true),
                ("email", Email, true),
                ("starts_at", DateTime, true),
                ("time_zone", Str, true),
                ("phone", Phone, false),
                ("sms_consent", Bool, false),
            ]),
            Reply::Json,
        ),
        "GET /public/bookings/{manage_token}" => (200, Request::None, Reply::Json),
        "DELETE /public/bookings/{manage_token}/phone" => (204, Request::None, Reply::Empty),
        "GET /b/{manage_token}" => (200, Request::None, Reply::Html),
        "POST /b/{manage_token}/remove-phone" => {
            (303, Request::Form(&[("csrf", Str, true)]), Reply::Redirect)
        }
        "GET /workspaces/{ws}/sms-consent/records" => (200, Request::None, Reply::Csv),
        "GET /workspaces/{ws}/sms-consent/status" => (200, Request::None, Reply::Json),
        "PUT /studies/{sid}/participants/{pid}/sms-consent" => (
            200,
            Request::Json(&[("granted", Bool, true), ("note", Text, true)]),
            Reply::Json,
        ),
        "GET /studies/{sid}/bookings/{bid}" | "GET /studies/{sid}/bookings/{bid}/sms" => {
            (200, Request::None, Reply::Json)
        }
        "PATCH /studies/{sid}/bookings/{bid}" => (
            200,
            Request::Json(&[("starts_at", DateTime, true)]),
            Reply::Json,
        ),
        "POST /studies/{sid}/bookings/{bid}/cancel" => (200, Request::None, Reply::Json),
        "POST /studies/{sid}/bookings/{bid}/day-of-update" => (
            202,
            Request::Json(&[("update", Enum(&["running_late", "starting_soon"]), true)]),
            Reply::Json,
        ),
        "POST /webhooks/sms" | "POST /webhooks/panel" => (200, Request::Foreign, Reply::Json),
        "POST /studies/{sid}/conversations" => (
            201,
            Request::Json(&[("participant_id", Str, true), ("body", Text, true)]),
            Reply::Json,
        ),
        "GET /studies/{sid}/conversations" | "GET /studies/{sid}/conversations/{cid}/messages" => {
            (200, Request::None, Reply::Json)
        }
        "POST /studies/{sid}/conversations/{cid}/messages" => {
            (201, Request::Json(BODY), Reply::Json)
        }
        "GET /me/conversations"
        | "GET /me/conversations/{cid}/messages"
        | "GET /me/notifications" => (200, Request::None, Reply::Json),
        "POST /me/conversations/{cid}/accept" | "POST /me/notifications/{nid}/read" => {
            (200, Request::None, Reply::Json)
        }
        "POST /me/conversations/{cid}/messages" => (201, Request::Json(BODY), Reply::Json),
        "GET /me/settings/notifications" => (200, Request::None, Reply::Object),
        "PUT /me/settings/notifications" => (
            200,
            Request::Json(&[("reply_emails", Bool, true)]),
            Reply::Object,
        ),
        "POST /me/phone" => (202, Request::Json(&[("phone", Phone, true)]), Reply::Json),
        "POST /me/phone/verify" => (200, Request::Json(&[("code", Str, true)]), Reply::Json),
        "POST /support/requests" => (
            201,
            Request::Json(&[("subject", Str, true), ("body", Text, true)]),
            Reply::Json,
        ),
        "GET /studies/{sid}/chat" | "GET /studies/{sid}/chat/{pid}/messages" => {
            (200, Request::None, Reply::Json)
        }
        "POST /studies/{sid}/chat/{pid}/messages" => (201, Request::Json(BODY), Reply::Json),
        _ => return None,
    })
}

fn object(fields: &[(&str, Ty, bool)]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|(n, t, _)| ((*n).to_owned(), schema(*t)))
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|(_, _, r)| *r)
        .map(|(n, _, _)| *n)
        .collect();
    // Unknown fields are ignored (a tolerant reader), so they are allowed here.
    json!({"type": "object", "properties": properties, "required": required})
}

/// The reply body of a route whose shape is documented in detail (the rest are
/// `{"type": "object"}`).
fn reply_schema(route_key: &str) -> Option<Value> {
    let time = json!({"type": ["string", "null"], "format": "date-time"});
    match route_key {
        "GET /studies/{sid}/bookings/{bid}/sms" => Some(json!({
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {
                "type": "object",
                "required": ["kind", "sent_at", "status"],
                "properties": {
                    "kind": {"type": "string", "enum": ["confirmation", "reminder", "schedule_change", "cancellation", "day_of_update"]},
                    "sent_at": time,
                    "status": {"type": "string", "enum": ["sending", "sent", "failed", "suppressed"],
                               "description": "sent: SNS accepted it; failed: not sent, or (reason unconfirmed) handed over with no answer, so it may or may not have gone out and is never resent"},
                    "reason": {"type": ["string", "null"], "enum": ["opted_out", "no_consent", "booking_changed", "cap_reached", "too_late", "sms_disabled", "destination_not_allowed", "unconfirmed", null]},
                    "message_id": {"type": ["string", "null"], "description": "SNS's id of the message, once it accepted it"},
                    "delivery_status": {"type": ["string", "null"], "enum": ["delivered", "failed", null],
                                        "description": "the carrier's outcome; null until it reports one (up to 72 hours)"},
                    "delivery_reason": {"type": ["string", "null"], "description": "the carrier's event type and status for a failed delivery, e.g. TEXT_BLOCKED: BLOCKED"},
                    "delivery_updated_at": time
                }
            }}}
        })),
        _ => None,
    }
}

/// The query parameters a list route takes besides `limit` and `next`.
fn query_parameters(route_key: &str) -> Vec<Value> {
    let time = |name: &str, what: &str| {
        json!({"name": name, "in": "query", "required": false, "description": what,
               "schema": {"type": "string", "format": "date-time"}})
    };
    match route_key {
        "GET /studies/{sid}/participants" => {
            vec![json!({"name": "status", "in": "query", "required": false,
            "schema": {"type": "string", "enum": ["applied", "approved"]}})]
        }
        "GET /studies/{sid}/bookings" => vec![
            time("from", "bookings starting at or after this time"),
            time("to", "bookings starting before this time"),
        ],
        "GET /workspaces/{ws}/sms-consent/records" | "GET /workspaces/{ws}/sms-consent/status" => {
            vec![
                json!({"name": "phone", "in": "query", "required": route_key.ends_with("/status"),
                "schema": {"type": "string"}, "description": "E.164, e.g. +16175550123"}),
            ]
        }
        _ => Vec::new(),
    }
}

fn problem_ref() -> Value {
    json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}})
}

/// The document for these routes; the keys of routes the table lacks come back too.
pub fn document(routes: &[HttpRoute]) -> (Value, Vec<String>) {
    let mut paths = Map::new();
    let mut missing = Vec::new();
    for route in routes {
        let Some((status, request, reply)) = shape(&route.route_key()) else {
            missing.push(route.route_key());
            continue;
        };
        let params: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut responses = Map::new();
        let success = match reply {
            Reply::Json | Reply::Object => {
                let schema = reply_schema(&route.route_key()).unwrap_or(json!({"type": "object"}));
                json!({"description": "success", "content": {"application/json": {"schema": schema}}})
            }
            Reply::Csv => {
                json!({"description": "success (JSON, or CSV with Accept: text/csv); a page holds at most 1 MiB of records (CSV: up to 5,000; JSON: `limit`), and the same `next` cursor continues it in either format", "headers": {
                    "Link": {"description": "CSV only, when more records follow: `<…?next=…>; rel=\"next\"` (RFC 8288)", "schema": {"type": "string"}},
                    "next-cursor": {"description": "CSV only: the `next` cursor of the Link", "schema": {"type": "string"}}
                }, "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}})
            }
            Reply::Html => {
                json!({"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}})
            }
            Reply::Redirect => {
                json!({"description": "back to the page", "headers": {"Location": {"schema": {"type": "string"}}}})
            }
            Reply::Empty => json!({"description": "done"}),
        };
        responses.insert(status.to_string(), success);
        let errors: &[u16] = &[400, 401, 403, 404, 409, 422, 429, 503];
        for code in errors {
            // The page and its form answer people, in HTML.
            let content = if route.path.starts_with("/b/") {
                json!({"text/html": {"schema": {"type": "string"}}, "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}})
            } else {
                problem_ref()
            };
            responses.insert(
                code.to_string(),
                json!({"description": "problem", "content": content}),
            );
        }
        let mut operation = json!({
            "operationId": route.route_key().replace([' ', '/', '{', '}', '-'], "_"),
            "tags": [route.function],
            "parameters": params,
            "responses": responses,
        });
        if route.authorized {
            operation["security"] = json!([{"bearer": []}]);
            if let (Some(p), "POST") = (
                operation["parameters"].as_array_mut(),
                route.method.as_str(),
            ) {
                p.push(json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"}}));
            }
        } else {
            operation["security"] = json!([]);
        }
        match request {
            Request::None => {}
            Request::Json(fields) => {
                operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": object(fields)}}});
            }
            Request::Form(fields) => {
                operation["requestBody"] = json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": object(fields)}}});
            }
            Request::Foreign => {
                operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}});
            }
        }
        if route.method == "GET"
            && matches!(reply, Reply::Json | Reply::Csv)
            && !route.path.contains("/public/")
        {
            if let Some(p) = operation["parameters"].as_array_mut() {
                p.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100}}));
                p.push(json!({"name": "next", "in": "query", "required": false, "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]*$"}}));
                p.extend(query_parameters(&route.route_key()));
            }
        }
        let entry = paths.entry(route.path.clone()).or_insert_with(|| json!({}));
        entry[route.method.to_lowercase()] = operation;
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Participant messaging API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Generated from template.yaml and the request shapes in infra/local-stack/src/openapi.rs. The contract is ../shared/API.md."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": {"Problem": {
                "type": "object",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"}, "code": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}
                }
            }}
        }
    });
    (doc, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    #[test]
    fn every_template_route_is_documented() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../template.yaml");
        let template = Template::load(&path).expect("template");
        let routes = template.http_routes().expect("routes");
        let (doc, missing) = document(&routes);
        assert!(
            missing.is_empty(),
            "routes without an OpenAPI shape: {missing:?}"
        );
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(documented, routes.len());
        // Spot-check the contract's shapes.
        let booking = &doc["paths"]["/public/studies/{share_token}/bookings"]["post"];
        assert_eq!(booking["security"], json!([]));
        assert!(booking["responses"].get("201").is_some());
        let start = &doc["paths"]["/studies/{sid}/conversations"]["post"];
        assert_eq!(
            start["requestBody"]["content"]["application/json"]["schema"]["required"],
            json!(["participant_id", "body"])
        );
    }
}
