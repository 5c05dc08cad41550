//! What each route takes and answers, as Rust types: every API function lists its
//! routes with [`Operation`] beside its router, and the local stack assembles the OpenAPI
//! 3.1 document from those lists and `template.yaml`. The schemas come from
//! `schemars::JsonSchema` derived on the same types the handlers read and write.
use schemars::{JsonSchema, Schema, SchemaGenerator};

use super::body::{self, ReadBody};

/// A schema for `T` from the generator (a `$ref` into the shared definitions).
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// The request body a route reads.
#[derive(Clone, Copy)]
pub enum RequestDoc {
    None,
    /// A JSON object read by `T::read`; `check` tells whether that parser and `T`'s
    /// schema name the same fields with the same requiredness.
    Json {
        schema: SchemaFn,
        check: fn() -> Result<(), String>,
    },
    /// An HTML form (`application/x-www-form-urlencoded`).
    Form(SchemaFn),
    /// A body defined by another party and verified by signature (SNS, the panel).
    Foreign(SchemaFn),
}

/// What a route answers on success.
#[derive(Clone, Copy)]
pub enum ReplyDoc {
    Json(SchemaFn),
    /// JSON by default, CSV with `Accept: text/csv` (the same records).
    JsonOrCsv(SchemaFn),
    Html,
    Redirect,
    Empty,
}

#[derive(Clone, Copy)]
pub struct Operation {
    /// `METHOD /path`, as in `template.yaml`.
    pub route: &'static str,
    pub status: u16,
    pub request: RequestDoc,
    pub reply: ReplyDoc,
    /// An object whose properties are the query parameters.
    pub query: Option<SchemaFn>,
    /// Whether the route reads an `Idempotency-Key` header (a POST that creates).
    pub idempotent: bool,
}

impl Operation {
    /// A route answering `status` with nothing read and no body yet.
    pub const fn new(route: &'static str, status: u16) -> Self {
        Self {
            route,
            status,
            request: RequestDoc::None,
            reply: ReplyDoc::Empty,
            query: None,
            idempotent: false,
        }
    }

    /// Reads an `Idempotency-Key`: a repeat within 24 h answers the first response.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Reads a JSON body parsed by `T::read`.
    pub fn body<T: ReadBody + JsonSchema>(mut self) -> Self {
        self.request = RequestDoc::Json {
            schema: schema::<T>,
            check: body::check::<T>,
        };
        self
    }

    pub fn form<T: JsonSchema>(mut self) -> Self {
        self.request = RequestDoc::Form(schema::<T>);
        self
    }

    pub fn foreign_body<T: JsonSchema>(mut self) -> Self {
        self.request = RequestDoc::Foreign(schema::<T>);
        self
    }

    /// Answers a `T` as JSON.
    pub fn replies<T: JsonSchema>(mut self) -> Self {
        self.reply = ReplyDoc::Json(schema::<T>);
        self
    }

    /// Answers a `T` as JSON, or CSV when asked.
    pub fn replies_or_csv<T: JsonSchema>(mut self) -> Self {
        self.reply = ReplyDoc::JsonOrCsv(schema::<T>);
        self
    }

    pub fn html(mut self) -> Self {
        self.reply = ReplyDoc::Html;
        self
    }

    pub fn redirect(mut self) -> Self {
        self.reply = ReplyDoc::Redirect;
        self
    }

    /// Takes the query parameters `Q` describes.
    pub fn query<Q: JsonSchema>(mut self) -> Self {
        self.query = Some(schema::<Q>);
        self
    }
}

/// The query of every list route (`../shared/API.md`, "Lists").
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct PageQuery {
    /// Items per page: 1 to 100, 50 when absent.
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
    /// The `next` cursor of the page before; absent for the first page.
    #[schemars(pattern(r"^[A-Za-z0-9_-]*$"))]
    next: Option<String>,
}
