//! Schemas of the string fields whose rules are the parsers' own, for
//! `#[schemars(with = "...")]` on a request body's `String` fields.
use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

macro_rules! string_schema {
    ($(#[$doc:meta])* $name:ident, $schema:tt) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_schema!(
    /// Free text on one line: not blank, no control characters, up to 200 characters.
    Name,
    {"type": "string", "minLength": 1, "maxLength": 200,
     "pattern": "^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$"}
);
string_schema!(
    /// A message: not blank, up to 5,000 characters, kept as written.
    Text,
    {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": "\\S"}
);
string_schema!(
    /// An email address.
    Email,
    {"type": "string", "format": "email"}
);
string_schema!(
    /// A phone number in E.164, e.g. +16175550123.
    Phone,
    {"type": "string", "description": "E.164, e.g. +16175550123"}
);
string_schema!(
    /// An RFC 3339 time with its offset, e.g. 2026-12-02T15:00:00Z.
    Timestamp,
    {"type": "string", "format": "date-time"}
);
string_schema!(
    /// An IANA time zone name, e.g. America/New_York.
    TimeZone,
    {"type": "string", "minLength": 1, "description": "IANA time zone name, e.g. America/New_York"}
);
