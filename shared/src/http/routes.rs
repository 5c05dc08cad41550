//! One route table per API function: each route key written once, beside what the
//! route reads (its [`Operation`], for `/openapi.json`) and the handler that answers it.
//! Dispatch and the OpenAPI document both read the table, so a route cannot be served
//! without being documented, or documented without being served; and a typed handler's
//! reply is documented from the type it returns, so the two cannot drift apart.
use std::future::Future;
use std::pin::Pin;

use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use serde::Serialize;

use super::{ApiError, Call, Operation};
use crate::domain::Caller;

/// A handler's answer, boxed so that every handler of a table has one type.
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a JSON route answers: a response, or the error [`super::respond`] turns into
/// problem+json.
pub type Reply = Result<Response<Body>, ApiError>;

/// What a typed handler answers: the value the route's status carries as JSON.
pub type Answered<T> = Result<T, ApiError>;

/// A route for a signed-in caller: the caller is read from the JWT before the handler.
pub type CallerHandler<S, T = Response<Body>> = for<'a> fn(Call<'a, S>) -> Answer<'a, Answered<T>>;

/// A public route (a share or manage token, a signed webhook): no caller.
pub type PublicHandler<S, T = Response<Body>> =
    for<'a> fn(&'a S, &'a Request) -> Answer<'a, Answered<T>>;

/// A route that answers HTML itself, errors included (the manage page).
pub type PageHandler<S> = for<'a> fn(&'a S, &'a Request) -> Answer<'a, Response<Body>>;

type Dyn<S> =
    Box<dyn for<'a> Fn(&'a S, &'a Request, Option<&'a Caller>) -> Answer<'a, Reply> + Send + Sync>;

/// Boxes a handler; passing the closure here gives it its higher-ranked signature.
fn boxed<S, F>(handler: F) -> Dyn<S>
where
    F: for<'a> Fn(&'a S, &'a Request, Option<&'a Caller>) -> Answer<'a, Reply>
        + Send
        + Sync
        + 'static,
{
    Box::new(handler)
}

enum Handler<S> {
    /// Needs a signed-in caller.
    Caller(Dyn<S>),
    Public(Dyn<S>),
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

impl<S: Sync + 'static> Routes<S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A route for a signed-in caller, answering a `T` as JSON with the route's status.
    pub fn caller<T: Serialize + JsonSchema + Send + 'static>(
        self,
        operation: Operation,
        handler: CallerHandler<S, T>,
    ) -> Self {
        let status = operation.status;
        let answer = boxed(move |s, r, c| {
            Box::pin(async move { super::json(status, &handler(call(s, r, c)?).await?) })
        });
        self.with(operation.replies::<T>(), Handler::Caller(answer))
    }

    /// A route for a signed-in caller that answers no content (204).
    pub fn caller_empty(self, operation: Operation, handler: CallerHandler<S, ()>) -> Self {
        let answer = boxed(move |s, r, c| {
            Box::pin(async move {
                handler(call(s, r, c)?).await?;
                super::no_content()
            })
        });
        self.with(operation, Handler::Caller(answer))
    }

    /// A route for a signed-in caller that makes its response itself (CSV, a redirect).
    pub fn caller_raw(self, operation: Operation, handler: CallerHandler<S>) -> Self {
        let answer = boxed(move |s, r, c| Box::pin(async move { handler(call(s, r, c)?).await }));
        self.with(operation, Handler::Caller(answer))
    }

    /// A public route, answering a `T` as JSON with the route's status.
    pub fn public<T: Serialize + JsonSchema + Send + 'static>(
        self,
        operation: Operation,
        handler: PublicHandler<S, T>,
    ) -> Self {
        let status = operation.status;
        let answer = boxed(move |s, r, _| {
            Box::pin(async move { super::json(status, &handler(s, r).await?) })
        });
        self.with(operation.replies::<T>(), Handler::Public(answer))
    }

    /// A public route that answers no content (204).
    pub fn public_empty(self, operation: Operation, handler: PublicHandler<S, ()>) -> Self {
        let answer = boxed(move |s, r, _| {
            Box::pin(async move {
                handler(s, r).await?;
                super::no_content()
            })
        });
        self.with(operation, Handler::Public(answer))
    }

    /// A public route that makes its response itself.
    pub fn public_raw(self, operation: Operation, handler: PublicHandler<S>) -> Self {
        let answer = boxed(move |s, r, _| handler(s, r));
        self.with(operation, Handler::Public(answer))
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
                Ok(caller) => handler(state, req, Some(&caller)).await,
                Err(e) => Err(e),
            },
            Some(Handler::Public(handler)) => handler(state, req, None).await,
            None => Err(ApiError::RouteNotFound),
        };
        super::respond(req, result)
    }
}

/// A caller route's [`Call`]: [`Routes::answer`] always hands it the caller.
fn call<'a, S>(
    state: &'a S,
    req: &'a Request,
    caller: Option<&'a Caller>,
) -> Result<Call<'a, S>, ApiError> {
    let caller = caller.ok_or(ApiError::Unauthenticated)?;
    Ok(Call { state, req, caller })
}

/// A table of routes, one line each:
/// `kind "METHOD /path" status .modifier()… => handler;`, where `kind` is a [`Routes`]
/// method (`caller`, `caller_empty`, `caller_raw`, `public`, `public_empty`,
/// `public_raw`, `page`) and the modifiers are [`Operation`]'s (`.idempotent()`,
/// `.body::<T>()`, `.query::<Q>()`).
#[macro_export]
macro_rules! routes {
    (@handler caller $h:path) => { |call| Box::pin($h(call)) };
    (@handler caller_empty $h:path) => { |call| Box::pin($h(call)) };
    (@handler caller_raw $h:path) => { |call| Box::pin($h(call)) };
    (@handler $kind:ident $h:path) => { |s, r| Box::pin($h(s, r)) };
    ($($kind:ident $route:literal $status:literal $(. $m:ident $(::<$t:ty>)? ())* => $handler:path;)+) => {
        $crate::http::Routes::new()
            $(.$kind(
                $crate::http::Operation::new($route, $status) $(.$m $(::<$t>)? ())*,
                $crate::routes!(@handler $kind $handler),
            ))+
    };
}

/// An API function's surface, from its route table (the lines of [`routes!`]): `handle`,
/// which `main` runs and the local stack calls, and `operations`, for `/openapi.json`,
/// both reading one table built once per cold start.
#[macro_export]
macro_rules! api {
    ($($table:tt)+) => {
        static ROUTES: ::std::sync::LazyLock<$crate::http::Routes<$crate::lambda::ApiState>> =
            ::std::sync::LazyLock::new(|| $crate::routes! { $($table)+ });

        /// Answers one API Gateway request by the route table.
        pub async fn handle(
            state: &$crate::lambda::ApiState,
            req: $crate::http::lambda_http::Request,
        ) -> $crate::http::lambda_http::Response<$crate::http::lambda_http::Body> {
            ROUTES.answer(state, &req).await
        }

        /// What each route reads and answers, for `/openapi.json`.
        pub fn operations() -> Vec<$crate::http::Operation> {
            ROUTES.operations()
        }
    };
}
