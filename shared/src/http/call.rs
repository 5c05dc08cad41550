//! One request to a signed-in caller's route, as its handler reads it: the function's
//! state, the request and the caller the JWT authorizer vouched for, with the parts of
//! the request handlers ask for.
use lambda_http::Request;

use super::{ApiError, ReadBody};
use crate::adapters::dynamodb::DynamoStore;
use crate::domain::pagination::PageRequest;
use crate::domain::{Asked, Caller, TeamAsk};
use crate::lambda::ApiState;

pub struct Call<'a, S = ApiState> {
    pub state: &'a S,
    pub req: &'a Request,
    pub caller: &'a Caller,
}

impl<'a, S> Call<'a, S> {
    /// A path parameter of the route (`{ws}`): a 404 when absent or empty.
    pub fn path(&self, name: &str) -> Result<String, ApiError> {
        super::path_param(self.req, name)
    }

    /// The ids of a route about one thing of a study: `{sid}`, then the thing's own
    /// (`{bid}`, `{pid}`, `{cid}`): a 404 when either is absent or empty.
    pub fn in_study(&self, id: &str) -> Result<InStudy, ApiError> {
        Ok(InStudy {
            sid: self.path("sid")?,
            id: self.path(id)?,
        })
    }

    /// The page a list route is asked for (`limit`, `next`).
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        super::page_request(self.req)
    }

    /// The JSON body, read as `T` reads it: every problem in one 422.
    pub fn body<T: ReadBody>(&self) -> Result<T, ApiError> {
        super::read_body(&super::json_body(self.req)?)
    }

    /// A create's body, and the write as the domain takes it: the caller, the
    /// `Idempotency-Key` bound to this method, path and body, and now.
    pub fn create<T: ReadBody>(&self) -> Result<(T, Asked<'a>), ApiError> {
        let body = super::json_body(self.req)?;
        let read = super::read_body(&body)?;
        Ok((read, super::asked(self.req, self.caller, &body)?))
    }
}

impl Call<'_, ApiState> {
    pub fn store(&self) -> &DynamoStore {
        &self.state.store
    }
}

/// The ids a route names for one thing of a study (`Call::in_study`).
pub struct InStudy {
    sid: String,
    id: String,
}

impl InStudy {
    /// The caller's request about this thing, now.
    pub fn ask<'a, S>(&'a self, call: &Call<'a, S>) -> TeamAsk<'a> {
        TeamAsk {
            caller: call.caller,
            study_id: &self.sid,
            id: &self.id,
            now: chrono::Utc::now(),
        }
    }
}
