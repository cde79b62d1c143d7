//! Errors as the people who meet them need them: a JSON object for API clients, a page for
//! browsers, always with a sentence saying what went wrong. Refused, conflicting, unknown and
//! invalid requests are 4xx; only genuine faults of the server are 500, and their details go
//! to the log, not to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plan361_store::StoreError;
use serde::Serialize;

/// What went wrong with a request.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    /// A stable machine-readable code (`forbidden`, `conflict` …).
    pub code: &'static str,
    pub message: String,
    /// For conflicts: the revision the value is at now.
    pub current_revision: Option<i64>,
    /// For rejected imports: one line per rejected row (the first hundred).
    pub problems: Box<[String]>,
    /// For rejected imports: how many rows were rejected in all.
    pub problems_total: u32,
    /// For a field that is not valid: which.
    pub field: Option<&'static str>,
    /// For faults of the server: what happened, for the log (never sent to the client).
    pub cause: Option<Box<str>>,
}

/// What a 500 was caused by, carried to the request log.
#[derive(Clone, Debug)]
pub struct Cause(pub String);

/// The message of a rejected file or import.
pub fn rejected_message(total: usize, shown: usize) -> String {
    if total > shown {
        format!("{total} row(s) rejected (the first {shown} are listed); nothing was imported")
    } else {
        format!("{total} row(s) rejected; nothing was imported")
    }
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            message: message.into(),
            current_revision: None,
            problems: Box::default(),
            problems_total: 0,
            field: None,
            cause: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn invalid(message: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// The numeric id in a path (`/api/warnings/{id}`): anything else names nothing, so it is
    /// not found rather than a malformed request.
    pub fn id_in_path(text: &str, what: &str) -> Result<i64, Problem> {
        text.parse().map_err(|_| Problem::not_found(format!("id: \"{text}\" is not {what} id")))
    }

    pub fn unauthenticated() -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first: POST /api/login, then send Authorization: Bearer TOKEN",
        )
    }

    pub fn too_large(limit_bytes: usize) -> Problem {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is larger than the limit of {} MB", limit_bytes / (1024 * 1024)),
        )
    }

    /// A rejection of axum's extractors (malformed JSON, a wrong type, a missing field, an
    /// oversized body), kept at its 4xx status with axum's explanation of what is wrong.
    pub fn from_rejection(status: StatusCode, text: String, limit_bytes: usize) -> Problem {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            return Problem::too_large(limit_bytes);
        }
        let status = if status.is_client_error() { status } else { StatusCode::BAD_REQUEST };
        Problem::new(status, "bad_request", text)
    }
}

impl From<StoreError> for Problem {
    fn from(error: StoreError) -> Problem {
        if error.is_fault() {
            return internal(&error);
        }
        let message = error.to_string();
        match error {
            StoreError::Forbidden(why) => Problem::forbidden(why),
            StoreError::NotFound(what) => Problem::not_found(format!("not found: {what}")),
            StoreError::Validation { field, .. } => Problem { field: Some(field), ..Problem::invalid(message) },
            StoreError::WrongState { .. } => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_state", message),
            StoreError::NotBegun { .. } => Problem {
                field: Some("period"),
                ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "not_begun", message)
            },
            StoreError::WindowClosed { .. } => Problem {
                field: Some("period"),
                ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "window_closed", message)
            },
            StoreError::Conflict { current_revision, .. } => Problem {
                current_revision: Some(current_revision),
                ..Problem::new(StatusCode::CONFLICT, "conflict", message)
            },
            StoreError::EntryConflict { current_version, .. } => Problem {
                current_revision: Some(current_version),
                ..Problem::new(StatusCode::CONFLICT, "conflict", message)
            },
            StoreError::Rejected(rows) => Problem {
                problems: rows.problems.iter().map(ToString::to_string).collect(),
                problems_total: rows.total as u32,
                ..Problem::invalid(rejected_message(rows.total, rows.problems.len()))
            },
            StoreError::ImportConflict(rows) => Problem {
                problems: rows.problems.iter().map(ToString::to_string).collect(),
                problems_total: rows.total as u32,
                ..Problem::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    format!(
                        "{} row(s) changed since the form was made, or are submitted or approved; nothing was \
                         imported (download the form again)",
                        rows.total
                    ),
                )
            },
            StoreError::Busy => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message),
            StoreError::Corrupt(_) | StoreError::AuditBroken(_) | StoreError::Db(_) | StoreError::Open(_) => {
                internal(&message)
            }
        }
    }
}

impl From<plan361_files::FileErrors> for Problem {
    fn from(errors: plan361_files::FileErrors) -> Problem {
        Problem {
            problems: errors.errors.iter().map(ToString::to_string).collect(),
            problems_total: errors.total as u32,
            ..Problem::invalid(rejected_message(errors.total, errors.errors.len()))
        }
    }
}

/// A fault of the server: logged in full, reported to the client without internals.
pub fn internal(error: &dyn std::fmt::Display) -> Problem {
    let cause = error.to_string();
    tracing::error!(target: "plan361::fault", cause, "internal error");
    Problem {
        cause: Some(cause.into_boxed_str()),
        ..Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not complete the request; it has been logged",
        )
    }
}

/// The JSON body of an API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// `bad_request`, `unauthenticated`, `forbidden`, `not_found`, `conflict`, `invalid`,
    /// `wrong_state`, `not_begun`, `window_closed`, `unsupported_media_type`, `too_large`,
    /// `too_many_requests`, `busy` or `internal`.
    pub error: &'static str,
    pub message: String,
    /// For `invalid`: the field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// For `conflict`: the revision the value is at now; reload it and apply the change again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
    /// For rejected imports: one entry per rejected row (sheet, row, column, reason), the
    /// first hundred.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// For rejected imports: how many rows were rejected in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems_total: Option<u32>,
}

/// An error answered as JSON (the API).
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl<E: Into<Problem>> From<E> for ApiError {
    fn from(error: E) -> ApiError {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Problem { status, code, message, current_revision, problems, problems_total, field, cause } = self.0;
        let problems_total = (!problems.is_empty()).then_some(problems_total);
        let body =
            ErrorBody { error: code, message, field, current_revision, problems: problems.into_vec(), problems_total };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(cause) = cause {
            response.extensions_mut().insert(Cause(cause.into()));
        }
        response
    }
}
