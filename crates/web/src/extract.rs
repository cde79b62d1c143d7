//! Extractors whose refusals are the application's own: on the API a JSON error body
//! (`ApiJson`, `ApiQuery`), on pages the error page in the page's language (`PageQuery`,
//! `PageForm`). A malformed body or query string never answers axum's plain text.

use axum::extract::{Form, FromRequest, FromRequestParts, Json, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use plan361_core::i18n::Lang;
use serde::de::DeserializeOwned;

use crate::BODY_LIMIT;
use crate::error::{ApiError, Problem};
use crate::render::PageError;

/// What is wrong with a request an extractor refused, at its 4xx status.
fn refused(status: StatusCode, text: String) -> Problem {
    Problem::from_rejection(status, text, BODY_LIMIT)
}

/// A JSON request body of the API.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(r) => Err(ApiError(refused(r.status(), r.body_text()))),
        }
    }
}

/// The query string of an API request.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(r) => Err(ApiError(refused(r.status(), r.body_text()))),
        }
    }
}

/// The query string of a page.
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(PageQuery(value)),
            Err(r) => Err(PageError { problem: refused(r.status(), r.body_text()), lang }),
        }
    }
}

/// A form posted from a page.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, PageError> {
        let lang = request.extensions().get::<Lang>().copied().unwrap_or_default();
        match Form::<T>::from_request(request, state).await {
            Ok(Form(value)) => Ok(PageForm(value)),
            Err(r) => Err(PageError { problem: refused(r.status(), r.body_text()), lang }),
        }
    }
}
