//! The domain core of plan361: the plan as data, reporting periods, the evaluation engine and
//! the message catalog. No I/O happens here; every function is a pure function of its inputs.

#![warn(missing_docs)]

pub mod access;
pub mod audit;
pub mod calendar;
pub mod eval;
pub mod i18n;
pub mod number;
pub mod observation;
pub mod org;
pub mod period;
pub mod plan;
pub mod progress;
pub mod registry;
pub mod stats;
pub mod units;
pub mod validation;
pub mod warnings;

pub use period::Period;
