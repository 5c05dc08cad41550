//! The JSON bodies this function reads.
use schemars::JsonSchema;
use shared::domain::workspaces::WorkspaceRole;
use shared::http::schema;

/// `POST /workspaces`.
#[derive(JsonSchema)]
pub struct CreateWorkspace {
    #[schemars(with = "schema::Name")]
    pub name: String,
}

shared::read_fields!(CreateWorkspace { name });

/// `PUT /workspaces/{ws}/members/{user_id}`.
#[derive(JsonSchema)]
pub struct SetMember {
    pub role: WorkspaceRole,
    #[schemars(with = "schema::Email")]
    pub email: String,
}

shared::read_fields!(SetMember { role, email });

/// `PUT /workspaces/{ws}/settings/sms`.
#[derive(JsonSchema)]
pub struct SetSms {
    pub enabled: bool,
}

shared::read_fields!(SetSms { enabled });

/// `PUT /workspaces/{ws}/settings/messaging`.
#[derive(JsonSchema)]
pub struct SetMessaging {
    pub require_phone_verification: bool,
}

shared::read_fields!(SetMessaging {
    require_phone_verification
});
