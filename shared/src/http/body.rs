//! A JSON request body as a type: `T::read` asks `Fields` for each field (so one 422
//! lists every problem), and `T`'s derived schema is what `/openapi.json` documents.
//! [`check`] holds the two together: the fields read, their requiredness and their kind
//! must be the schema's.
use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{Map, Value};

use super::fields::{Read, ReadKind};
use super::{ApiError, Fields};

/// A request body read field by field.
pub trait ReadBody: Sized {
    /// Asks `fields` for every field first, then builds the body: `None` when any was
    /// missing or wrong (`Fields` has noted why).
    fn read(fields: &mut Fields<'_>) -> Option<Self>;
}

/// `{"body": "..."}`: a message, the body of every route that posts one.
#[derive(JsonSchema)]
pub struct MessageBody {
    #[schemars(with = "super::schema::Text")]
    pub body: String,
}

crate::read_fields!(MessageBody { body });

/// Reads `T` from a JSON object: 422 naming every bad field.
pub fn read_body<T: ReadBody>(body: &Value) -> Result<T, ApiError> {
    let mut fields = Fields::new(body)?;
    let read = T::read(&mut fields);
    fields.finish()?;
    super::checked(read)
}

/// `Ok` when `T::read` asks for exactly the properties of `T`'s schema, each required
/// when the schema requires it, with the schema's type (and enum values).
pub fn check<T: ReadBody + JsonSchema>() -> Result<(), String> {
    let empty = Value::Object(Map::new());
    let mut fields = Fields::recording(&empty).map_err(|e| e.to_string())?;
    let _ = T::read(&mut fields);
    let reads: BTreeMap<&str, &Read> = fields
        .reads()
        .iter()
        .map(|r| (r.field.as_str(), r))
        .collect();
    let root = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    let name = T::schema_name();
    let properties = root
        .get("properties")
        .and_then(Value::as_object)
        .ok_or(format!("{name}: its schema has no properties"))?;
    let required: Vec<&str> = root
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    for field in reads.keys() {
        if !properties.contains_key(*field) {
            problems.push(format!("reads `{field}`, which the schema lacks"));
        }
    }
    for (field, property) in properties {
        let Some(read) = reads.get(field.as_str()) else {
            problems.push(format!("the schema has `{field}`, which is never read"));
            continue;
        };
        if read.required != required.contains(&field.as_str()) {
            problems.push(format!(
                "`{field}`: read as {}, schema says {}",
                if read.required {
                    "required"
                } else {
                    "optional"
                },
                if required.contains(&field.as_str()) {
                    "required"
                } else {
                    "optional"
                },
            ));
        }
        let property = resolve(&root, property);
        if let Err(e) = kind_matches(&read.kind, property) {
            problems.push(format!("`{field}`: {e}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {}", problems.join("; ")))
    }
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| root.pointer(pointer))
        .unwrap_or(schema)
}

/// The JSON types a schema allows, ignoring `null` (an optional field may be null).
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    }
}

/// The values of a string enum: `enum`, or `oneOf` of `const`s (documented variants).
fn enum_values(schema: &Value) -> Vec<String> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
    }
    schema
        .get("oneOf")
        .and_then(Value::as_array)
        .map(|variants| {
            variants
                .iter()
                .filter_map(|v| v.get("const").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn kind_matches(kind: &ReadKind, schema: &Value) -> Result<(), String> {
    let expected = match kind {
        ReadKind::String | ReadKind::OneOf(_) => "string",
        ReadKind::Bool => "boolean",
    };
    let found = types(schema);
    if found != [expected] {
        return Err(format!("read as {expected}, schema types {found:?}"));
    }
    if let ReadKind::OneOf(names) = kind {
        let mut values = enum_values(schema);
        let mut names = names.clone();
        values.sort();
        names.sort();
        if values != names {
            return Err(format!("accepts {names:?}, schema lists {values:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::schema::Name;

    #[derive(Debug, JsonSchema)]
    #[allow(dead_code)]
    struct Good {
        #[schemars(with = "Name")]
        name: String,
        flag: Option<bool>,
    }

    crate::read_fields!(Good { name, flag });

    /// Reads `nmae` and treats `flag` as required: both drifts are reported.
    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Drifted {
        name: String,
        flag: Option<bool>,
    }

    impl ReadBody for Drifted {
        fn read(fields: &mut Fields<'_>) -> Option<Self> {
            let name = fields.string("nmae");
            let flag = fields.bool("flag");
            Some(Self {
                name: name?,
                flag: Some(flag?),
            })
        }
    }

    #[test]
    fn a_parser_that_reads_its_schema_passes() {
        assert_eq!(check::<Good>(), Ok(()));
        let body = read_body::<Good>(&serde_json::json!({"name": "A"})).unwrap();
        assert_eq!((body.name.as_str(), body.flag), ("A", None));
    }

    #[test]
    fn a_parser_that_drifts_from_its_schema_fails() {
        let err = check::<Drifted>().unwrap_err();
        assert!(err.contains("reads `nmae`"), "{err}");
        assert!(err.contains("`name`, which is never read"), "{err}");
        assert!(
            err.contains("`flag`: read as required, schema says optional"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_body_is_refused_with_every_field() {
        let err = read_body::<Good>(&serde_json::json!({"flag": "yes"})).unwrap_err();
        let text = format!("{:?}", err);
        assert!(text.contains("name") && text.contains("flag"), "{text}");
    }
}
