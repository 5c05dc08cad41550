//! One type made from another by one list of the fields it takes: a view from its
//! entity, an event from what it announces, a domain request from the body it came in.

/// `From<Source>` (or `From<&Source>`, cloning) for a type that takes these fields of
/// the source as they are; after a `;`, the fields it computes from the source, by the
/// name the closure gives it.
///
/// `shared::from_fields!(|m: Membership| MemberView { workspace_id, user_id; role: m.role });`
#[macro_export]
macro_rules! from_fields {
    (|$e:ident: &$entity:ty| $view:ident {
        $($field:ident),* $(; $($computed:ident: $value:expr),+)? $(,)?
    }) => {
        impl From<&$entity> for $view {
            fn from($e: &$entity) -> Self {
                Self {
                    $($field: ToOwned::to_owned(&$e.$field),)*
                    $($($computed: $value,)+)?
                }
            }
        }
    };
    (|$e:ident: $entity:ty| $view:ident {
        $($field:ident),* $(; $($computed:ident: $value:expr),+)? $(,)?
    }) => {
        impl From<$entity> for $view {
            fn from($e: $entity) -> Self {
                Self {
                    $($($computed: $value,)+)?
                    $($field: $e.$field,)*
                }
            }
        }
    };
}
