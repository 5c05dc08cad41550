//! Type-checks a JSON object's fields, collecting every problem so the caller hears of
//! all of them in one 422.
use serde_json::{Map, Value};

use super::ApiError;
use crate::domain::enums::WireName;
use crate::domain::{DomainError, FieldError};

pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    errors: Vec<FieldError>,
    /// Every field asked for, in order, when recording (`body::check` compares them
    /// with the schema); `None` when serving a request, which records nothing.
    reads: Option<Vec<Read>>,
}

/// One field a parser asked for: its name, whether it must be there, and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    pub field: String,
    pub required: bool,
    pub kind: ReadKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadKind {
    String,
    Bool,
    OneOf(Vec<String>),
}

impl<'a> Fields<'a> {
    /// `body` must be an object (as `json_body` guarantees).
    pub fn new(body: &'a Value) -> Result<Self, ApiError> {
        let object = body
            .as_object()
            .ok_or(ApiError::MalformedBody("a JSON object"))?;
        Ok(Self {
            object,
            errors: Vec::new(),
            reads: None,
        })
    }

    /// Like `new`, but noting every field asked for (`reads`).
    pub fn recording(body: &'a Value) -> Result<Self, ApiError> {
        let mut fields = Self::new(body)?;
        fields.reads = Some(Vec::new());
        Ok(fields)
    }

    /// The fields asked for so far, when recording.
    pub fn reads(&self) -> &[Read] {
        self.reads.as_deref().unwrap_or_default()
    }

    fn note(&mut self, field: &str, required: bool, kind: impl FnOnce() -> ReadKind) {
        if let Some(reads) = &mut self.reads {
            reads.push(Read {
                field: field.to_owned(),
                required,
                kind: kind(),
            });
        }
    }

    fn fail<T>(&mut self, field: &str, message: &str) -> Option<T> {
        self.errors.push(FieldError::new(field, message));
        None
    }

    pub fn optional_string(&mut self, field: &str) -> Option<String> {
        self.note(field, false, || ReadKind::String);
        match self.object.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => self.fail(field, "must be a string"),
        }
    }

    pub fn string(&mut self, field: &str) -> Option<String> {
        self.note(field, true, || ReadKind::String);
        self.required_string(field)
    }

    fn required_string(&mut self, field: &str) -> Option<String> {
        match self.object.get(field) {
            None | Some(Value::Null) => self.fail(field, "is required"),
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => self.fail(field, "must be a string"),
        }
    }

    pub fn bool(&mut self, field: &str) -> Option<bool> {
        self.note(field, true, || ReadKind::Bool);
        match self.object.get(field) {
            None | Some(Value::Null) => self.fail(field, "is required"),
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => self.fail(field, "must be true or false"),
        }
    }

    pub fn optional_bool(&mut self, field: &str) -> Option<bool> {
        self.note(field, false, || ReadKind::Bool);
        match self.object.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => self.fail(field, "must be true or false"),
        }
    }

    /// A required string that must be one of `names`, parsed with `parse`.
    pub fn one_of<T>(
        &mut self,
        field: &str,
        names: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.note(field, true, || {
            ReadKind::OneOf(names.iter().map(|n| (*n).to_owned()).collect())
        });
        let raw = self.required_string(field)?;
        match parse(&raw) {
            Some(value) => Some(value),
            None => self.fail(field, &format!("must be one of: {}", names.join(", "))),
        }
    }

    /// Ends the checks: 422 listing every problem found, if any.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Domain(DomainError::Validation(self.errors)))
        }
    }
}

/// A type a body field is read as, asked of [`Fields`] by the field's name: `None` when
/// the field is missing or wrong (`Fields` has noted why). An `Option` is a field that
/// may be absent.
pub trait Field: Sized {
    fn read(fields: &mut Fields<'_>, name: &str) -> Option<Self>;
}

impl Field for String {
    fn read(fields: &mut Fields<'_>, name: &str) -> Option<Self> {
        fields.string(name)
    }
}

impl Field for bool {
    fn read(fields: &mut Fields<'_>, name: &str) -> Option<Self> {
        fields.bool(name)
    }
}

impl Field for Option<String> {
    fn read(fields: &mut Fields<'_>, name: &str) -> Option<Self> {
        Some(fields.optional_string(name))
    }
}

impl Field for Option<bool> {
    fn read(fields: &mut Fields<'_>, name: &str) -> Option<Self> {
        Some(fields.optional_bool(name))
    }
}

impl<T: WireName> Field for T {
    fn read(fields: &mut Fields<'_>, name: &str) -> Option<Self> {
        fields.one_of(name, T::NAMES, T::parse)
    }
}

/// A body's [`super::ReadBody`] from its field names: each field is read as its type
/// reads (see [`Field`]), all of them first, so every problem is reported at once.
#[macro_export]
macro_rules! read_fields {
    ($body:ident { $($field:ident),+ $(,)? }) => {
        impl $crate::http::ReadBody for $body {
            fn read(fields: &mut $crate::http::Fields<'_>) -> Option<Self> {
                $(let $field = $crate::http::Field::read(fields, stringify!($field));)+
                Some(Self { $($field: $field?),+ })
            }
        }
    };
}

/// Unwraps a field `Fields::finish` has vouched for.
pub fn checked<T>(value: Option<T>) -> Result<T, ApiError> {
    value.ok_or(ApiError::MalformedBody(
        "a JSON object with the documented fields",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_bad_field_is_reported() {
        let body = json!({"name": 5, "flag": "yes", "kind": "other"});
        let mut f = Fields::new(&body).unwrap();
        assert_eq!(f.string("name"), None);
        assert_eq!(f.bool("flag"), None);
        assert_eq!(f.one_of("kind", &["a"], |_| None::<u8>), None);
        assert_eq!(f.string("missing"), None);
        match f.finish() {
            Err(ApiError::Domain(DomainError::Validation(errors))) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["name", "flag", "kind", "missing"]);
            }
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn good_fields_pass() {
        let body = json!({"name": "x", "flag": true});
        let mut f = Fields::new(&body).unwrap();
        assert_eq!(f.string("name").as_deref(), Some("x"));
        assert_eq!(f.bool("flag"), Some(true));
        assert_eq!(f.optional_string("absent"), None);
        assert!(f.finish().is_ok());
    }
}
