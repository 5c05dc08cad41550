//! Enums that travel as snake_case strings in JSON and in storage.

/// A fieldless enum that travels as one of a fixed set of snake_case names.
pub trait WireName: Sized + Copy {
    /// Every wire name, in declaration order.
    const NAMES: &'static [&'static str];
    fn parse(raw: &str) -> Option<Self>;
    fn as_str(self) -> &'static str;
}

/// Gives a fieldless enum `NAMES`, `parse` and `as_str` for its wire names.
macro_rules! string_enum {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $crate::domain::enums::WireName for $ty {
            const NAMES: &'static [&'static str] = Self::NAMES;
            fn parse(raw: &str) -> Option<Self> {
                Self::parse(raw)
            }
            fn as_str(self) -> &'static str {
                Self::as_str(self)
            }
        }

        impl $ty {
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $($name => Some(Self::$variant),)+
                    _ => None,
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }
    };
}

pub(crate) use string_enum;
