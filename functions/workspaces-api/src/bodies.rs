//! The JSON bodies this function reads.
use schemars::JsonSchema;
use shared::domain::workspaces::WorkspaceRole;
use shared::http::{schema, Fields, ReadBody};

/// `POST /workspaces`.
#[derive(JsonSchema)]
pub struct CreateWorkspace {
    #[schemars(with = "schema::Name")]
    pub name: String,
}

impl ReadBody for CreateWorkspace {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let name = fields.string("name");
        Some(Self { name: name? })
    }
}

/// `PUT /workspaces/{ws}/members/{user_id}`.
#[derive(JsonSchema)]
pub struct SetMember {
    pub role: WorkspaceRole,
    #[schemars(with = "schema::Email")]
    pub email: String,
}

impl ReadBody for SetMember {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let role = fields.one_of("role", WorkspaceRole::NAMES, WorkspaceRole::parse);
        let email = fields.string("email");
        Some(Self {
            role: role?,
            email: email?,
        })
    }
}

/// `PUT /workspaces/{ws}/settings/sms`.
#[derive(JsonSchema)]
pub struct SetSms {
    pub enabled: bool,
}

impl ReadBody for SetSms {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let enabled = fields.bool("enabled");
        Some(Self { enabled: enabled? })
    }
}

/// `PUT /workspaces/{ws}/settings/messaging`.
#[derive(JsonSchema)]
pub struct SetMessaging {
    pub require_phone_verification: bool,
}

impl ReadBody for SetMessaging {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let required = fields.bool("require_phone_verification");
        Some(Self {
            require_phone_verification: required?,
        })
    }
}
