//! The OpenAPI 3.1 document of the API, served by the local stack at `/openapi.json`.
//! Routes, functions and auth come from `template.yaml`; what each route reads and
//! answers comes from the `operations()` its function lists beside its router, whose
//! schemas `schemars` derives from the Rust types the handler parses and serialises
//! (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Responses use the types'
//! serialize contract, request bodies and queries their deserialize contract.
use std::collections::BTreeMap;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{json, Map, Value};
use shared::http::doc::{ReplyDoc, RequestDoc, SchemaFn};
use shared::http::{Operation, Problem};

use crate::functions;
use crate::template::HttpRoute;

/// Every problem status a route may answer.
const PROBLEMS: &[u16] = &[400, 401, 403, 404, 409, 422, 429, 503];

fn generator(settings: SchemaSettings) -> SchemaGenerator {
    settings
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

struct Generators {
    requests: SchemaGenerator,
    responses: SchemaGenerator,
    /// Query types: their properties become parameters, so they are no schemas of
    /// their own in the document.
    queries: Vec<String>,
}

impl Generators {
    fn request(&mut self, schema: SchemaFn) -> Value {
        schema(&mut self.requests).to_value()
    }

    fn response(&mut self, schema: SchemaFn) -> Value {
        schema(&mut self.responses).to_value()
    }

    /// One query parameter per property of the query type's (deserialize) schema.
    fn query_parameters(&mut self, schema: SchemaFn) -> Vec<Value> {
        let reference = self.request(schema);
        let name = reference
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .map(str::to_owned);
        let object = name
            .as_deref()
            .and_then(|name| self.requests.definitions().get(name))
            .cloned()
            .unwrap_or(reference);
        self.queries.extend(name);
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(properties) = object.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        properties
            .iter()
            .map(|(name, schema)| {
                let mut schema = schema.clone();
                let description = schema.as_object_mut().and_then(|s| s.remove("description"));
                let mut parameter = json!({"name": name, "in": "query",
                    "required": required.contains(&name.as_str()), "schema": schema});
                if let Some(description) = description {
                    parameter["description"] = description;
                }
                parameter
            })
            .collect()
    }
}

fn problem_content(route: &HttpRoute, problem: &Value) -> Value {
    let mut content = json!({"application/problem+json": {"schema": problem}});
    if route.path.starts_with("/b/") {
        // The page and its form answer people, in HTML.
        content["text/html"] = json!({"schema": {"type": "string"}});
    }
    content
}

fn success(generators: &mut Generators, reply: ReplyDoc) -> Value {
    match reply {
        ReplyDoc::Json(schema) => {
            json!({"description": "success", "content": {"application/json": {"schema": generators.response(schema)}}})
        }
        ReplyDoc::JsonOrCsv(schema) => {
            json!({"description": "success (JSON, or CSV with Accept: text/csv); a page holds at most 1 MiB of records (CSV: up to 5,000; JSON: `limit`), and the same `next` cursor continues it in either format", "headers": {
                "Link": {"description": "CSV only, when more records follow: `<…?next=…>; rel=\"next\"` (RFC 8288)", "schema": {"type": "string"}},
                "next-cursor": {"description": "CSV only: the `next` cursor of the Link", "schema": {"type": "string"}}
            }, "content": {"application/json": {"schema": generators.response(schema)}, "text/csv": {"schema": {"type": "string"}}}})
        }
        ReplyDoc::Html => {
            json!({"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}})
        }
        ReplyDoc::Redirect => {
            json!({"description": "back to the page", "headers": {"Location": {"schema": {"type": "string"}}}})
        }
        ReplyDoc::Empty => json!({"description": "done"}),
    }
}

fn operation(
    generators: &mut Generators,
    route: &HttpRoute,
    op: &Operation,
    problem: &Value,
) -> Value {
    let mut parameters: Vec<Value> = route
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    if let Some(query) = op.query {
        parameters.extend(generators.query_parameters(query));
    }
    if op.idempotent {
        parameters.push(
            json!({"name": "Idempotency-Key", "in": "header", "required": false,
            "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"}}),
        );
    }
    let mut responses = Map::new();
    responses.insert(op.status.to_string(), success(generators, op.reply));
    for code in PROBLEMS {
        responses.insert(
            code.to_string(),
            json!({"description": "problem", "content": problem_content(route, problem)}),
        );
    }
    if route.authorized {
        // The authorizer's own answer (no token, or one it rejects) comes before any
        // function, as API Gateway writes it; a token that is not an ID token reaches
        // the function and gets the problem `id_token_required`.
        let mut content = problem_content(route, problem);
        content["application/json"] = json!({"schema": {
            "type": "object", "required": ["message"],
            "properties": {"message": {"type": "string", "const": "Unauthorized"}}}});
        responses.insert(
            "401".to_owned(),
            json!({"description": "API Gateway's JWT authorizer: `{\"message\":\"Unauthorized\"}` for a missing or rejected token; problem+json `id_token_required` for a token that is not an ID token",
                   "headers": {"www-authenticate": {"description": "on the authorizer's own answer", "schema": {"type": "string"}}},
                   "content": content}),
        );
    }
    let mut operation = json!({
        "operationId": route.route_key().replace([' ', '/', '{', '}', '-'], "_"),
        "tags": [route.function],
        "parameters": parameters,
        "responses": responses,
        "security": if route.authorized { json!([{"bearer": []}]) } else { json!([]) },
    });
    let body = match op.request {
        RequestDoc::None => None,
        RequestDoc::Json { schema, .. } | RequestDoc::Foreign(schema) => {
            Some(("application/json", generators.request(schema)))
        }
        RequestDoc::Form(schema) => Some((
            "application/x-www-form-urlencoded",
            generators.request(schema),
        )),
    };
    if let Some((media, schema)) = body {
        operation["requestBody"] =
            json!({"required": true, "content": {media: {"schema": schema}}});
    }
    operation
}

/// What is wrong between the template's routes and the functions' lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Gaps {
    /// Template routes no function documents.
    pub undocumented: Vec<String>,
    /// Documented routes the template does not give that function.
    pub unrouted: Vec<String>,
    /// Schema names whose request and response schemas differ.
    pub conflicts: Vec<String>,
}

/// The document for these routes, and what did not fit.
pub fn document(routes: &[HttpRoute]) -> (Value, Gaps) {
    let mut gaps = Gaps::default();
    let mut generators = Generators {
        requests: generator(SchemaSettings::draft2020_12().for_deserialize()),
        responses: generator(SchemaSettings::draft2020_12().for_serialize()),
        queries: Vec::new(),
    };
    let problem = generators.responses.subschema_for::<Problem>().to_value();
    // Each function's list, once, and what in it the template does not give it.
    let mut lists: BTreeMap<&str, Vec<Operation>> = BTreeMap::new();
    for route in routes {
        lists.entry(&route.function).or_insert_with(|| {
            let ops = functions::operations(&route.function).unwrap_or_default();
            for op in &ops {
                let routed = routes
                    .iter()
                    .any(|r| r.function == route.function && r.route_key() == op.route);
                if !routed {
                    gaps.unrouted
                        .push(format!("{}: {}", route.function, op.route));
                }
            }
            ops
        });
    }
    let mut paths = Map::new();
    for route in routes {
        let Some(op) = lists[route.function.as_str()]
            .iter()
            .find(|op| op.route == route.route_key())
        else {
            gaps.undocumented.push(route.route_key());
            continue;
        };
        let operation = operation(&mut generators, route, op, &problem);
        let entry = paths.entry(route.path.clone()).or_insert_with(|| json!({}));
        entry[route.method.to_lowercase()] = operation;
    }
    let mut schemas = generators.responses.take_definitions(true);
    for (name, schema) in generators.requests.take_definitions(true) {
        if generators.queries.contains(&name) {
            continue;
        }
        match schemas.get(&name) {
            Some(existing) if *existing != schema => gaps.conflicts.push(name),
            Some(_) => {}
            None => {
                schemas.insert(name, schema);
            }
        }
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Participant messaging API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Generated from template.yaml and the Rust types each function reads and answers (its `operations()`). The contract is ../shared/API.md."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": schemas,
        }
    });
    (doc, gaps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn routes() -> Vec<HttpRoute> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../template.yaml");
        let template = Template::load(&path).expect("template");
        template.http_routes().expect("routes")
    }

    #[test]
    fn every_template_route_is_documented_by_its_function() {
        let routes = routes();
        let (doc, gaps) = document(&routes);
        assert_eq!(gaps, Gaps::default());
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(documented, routes.len());
    }

    #[test]
    fn a_route_its_function_does_not_list_is_reported() {
        let mut routes = routes();
        let mut extra = routes[0].clone();
        extra.path = "/nowhere".into();
        routes.push(extra);
        let (_, gaps) = document(&routes);
        assert_eq!(gaps.undocumented.len(), 1, "{gaps:?}");
        assert!(gaps.undocumented[0].ends_with(" /nowhere"));
        routes.retain(|r| r.route_key() != "POST /public/studies/{share_token}/bookings");
        let (_, gaps) = document(&routes);
        assert_eq!(
            gaps.unrouted,
            ["PublicBookingFunction: POST /public/studies/{share_token}/bookings"]
        );
    }

    #[test]
    fn every_json_body_parser_reads_its_schema() {
        let mut checked = 0;
        for route in routes() {
            for op in functions::operations(&route.function).unwrap_or_default() {
                if let RequestDoc::Json { check, .. } = op.request {
                    if op.route == route.route_key() {
                        check().unwrap_or_else(|e| panic!("{}: {e}", op.route));
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked >= 20, "only {checked} bodies checked");
    }

    fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => doc
                .pointer(r.trim_start_matches('#'))
                .expect("a defined $ref"),
            None => schema,
        }
    }

    #[test]
    fn every_success_response_and_problem_has_a_real_schema() {
        let (doc, _) = document(&routes());
        let mut json_replies = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for (status, response) in op["responses"].as_object().unwrap() {
                    let Some(content) = response.get("content").and_then(Value::as_object) else {
                        continue;
                    };
                    for (media, body) in content {
                        if !media.contains("json") {
                            continue;
                        }
                        let schema = resolve(&doc, &body["schema"]);
                        let shaped = schema.get("properties").is_some()
                            || schema.get("anyOf").is_some()
                            || schema.get("oneOf").is_some();
                        assert!(shaped, "{method} {path} {status}: {schema}");
                        if status.starts_with('2') {
                            json_replies += 1;
                        }
                    }
                }
            }
        }
        assert!(json_replies >= 40, "{json_replies} JSON replies");
        let problem = &doc["components"]["schemas"]["Problem"];
        assert_eq!(
            problem["required"],
            json!(["type", "title", "status", "detail", "code"])
        );
    }

    #[test]
    fn the_contracts_shapes_are_documented() {
        let (doc, _) = document(&routes());
        let booking = &doc["paths"]["/public/studies/{share_token}/bookings"]["post"];
        assert_eq!(booking["security"], json!([]));
        let body = resolve(
            &doc,
            &booking["requestBody"]["content"]["application/json"]["schema"],
        );
        assert_eq!(
            body["required"],
            json!(["name", "email", "starts_at", "time_zone"])
        );
        let start = &doc["paths"]["/studies/{sid}/conversations"]["post"];
        let body = resolve(
            &doc,
            &start["requestBody"]["content"]["application/json"]["schema"],
        );
        assert_eq!(body["required"], json!(["participant_id", "body"]));
        let list = &doc["paths"]["/studies/{sid}/bookings"]["get"]["parameters"];
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for name in ["sid", "from", "to", "limit", "next"] {
            assert!(names.contains(&name), "{names:?}");
        }
    }

    /// `docs/openapi.json` is the contract a client of this repository reads without
    /// starting anything: the document `/openapi.json` serves, committed. It fails when
    /// a route, body or answer changed and the file did not; `UPDATE_OPENAPI=1 cargo
    /// test -p local-stack openapi` rewrites it.
    #[test]
    fn the_committed_document_is_the_one_served() {
        let (doc, _) = document(&routes());
        let text = serde_json::to_string_pretty(&doc).expect("json") + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(&path, &text).expect("write docs/openapi.json");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "docs/openapi.json is not the document the stack serves: \
             run `UPDATE_OPENAPI=1 cargo test -p local-stack openapi` and commit it"
        );
    }
}
