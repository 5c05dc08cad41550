//! One route table per API function: each route key written once, beside what the
//! route reads and answers (its [`Operation`], for `/openapi.json`) and the handler that
//! answers it. Dispatch and the OpenAPI document both read the table, so a route cannot
//! be served without being documented, or documented without being served.
use std::future::Future;
use std::pin::Pin;

use lambda_http::{Body, Request, Response};

use super::{ApiError, Operation};
use crate::domain::Caller;

/// A handler's answer, boxed so that every handler of a table has one type.
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a JSON route answers: a response, or the error [`super::respond`] turns into
/// problem+json.
pub type Reply = Result<Response<Body>, ApiError>;

/// A route for a signed-in caller: the caller is read from the JWT before the handler.
pub type CallerHandler<S> = for<'a> fn(&'a S, &'a Request, &'a Caller) -> Answer<'a, Reply>;

/// A public route (a share or manage token, a signed webhook): no caller.
pub type PublicHandler<S> = for<'a> fn(&'a S, &'a Request) -> Answer<'a, Reply>;

/// A route that answers HTML itself, errors included (the manage page).
pub type PageHandler<S> = for<'a> fn(&'a S, &'a Request) -> Answer<'a, Response<Body>>;

enum Handler<S> {
    Caller(CallerHandler<S>),
    Public(PublicHandler<S>),
    Page(PageHandler<S>),
}

struct Route<S> {
    operation: Operation,
    handler: Handler<S>,
}

/// An API function's routes, in the order its OpenAPI operations are listed.
pub struct Routes<S> {
    routes: Vec<Route<S>>,
}

impl<S> Default for Routes<S> {
    fn default() -> Self {
        Self { routes: Vec::new() }
    }
}

impl<S> Routes<S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A route for a signed-in caller.
    pub fn caller(self, operation: Operation, handler: CallerHandler<S>) -> Self {
        self.with(operation, Handler::Caller(handler))
    }

    /// A public route.
    pub fn public(self, operation: Operation, handler: PublicHandler<S>) -> Self {
        self.with(operation, Handler::Public(handler))
    }

    /// A route that answers HTML, its errors included.
    pub fn page(self, operation: Operation, handler: PageHandler<S>) -> Self {
        self.with(operation, Handler::Page(handler))
    }

    fn with(mut self, operation: Operation, handler: Handler<S>) -> Self {
        self.routes.push(Route { operation, handler });
        self
    }

    /// What the routes read and answer, for `/openapi.json`.
    pub fn operations(&self) -> Vec<Operation> {
        self.routes.iter().map(|r| r.operation).collect()
    }

    /// Answers a request: the route its route key names, its errors as problem+json; a
    /// route key not in the table is a 404 problem.
    pub async fn answer(&self, state: &S, req: &Request) -> Response<Body> {
        let key = super::route_key(req);
        let route = self
            .routes
            .iter()
            .find(|r| Some(r.operation.route) == key.as_deref());
        let result = match route.map(|r| &r.handler) {
            Some(Handler::Page(handler)) => return handler(state, req).await,
            Some(Handler::Caller(handler)) => match super::caller(req) {
                Ok(caller) => handler(state, req, &caller).await,
                Err(e) => Err(e),
            },
            Some(Handler::Public(handler)) => handler(state, req).await,
            None => Err(ApiError::RouteNotFound),
        };
        super::respond(req, result)
    }
}
