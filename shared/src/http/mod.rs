//! What every API handler shares: the caller's identity from the JWT authorizer, body
//! and query parsing, and the one place errors become problem+json.
mod body;
mod call;
pub mod doc;
mod error;
mod fields;
mod problem;
mod request;
mod response;
mod routes;
pub mod schema;

pub use body::{check as check_body, read_body, MessageBody, ReadBody};
pub use call::{Call, InStudy};
pub use doc::Operation;
pub use error::ApiError;
pub use fields::{checked, Field, Fields, Read, ReadKind};
#[doc(hidden)]
pub use lambda_http;
pub use problem::Problem;
pub use request::{
    accepts, asked, caller, client_info, json_body, page_request, path_param, phone_query,
    query_param, route_key,
};
pub use response::{json, no_content, respond};
pub use routes::{Answer, Answered, Reply, Routes};
