//! The web pages of plan361: templates (checked at compile time), the words they show in
//! Chinese and English, the stylesheet and script, and charts drawn as SVG on the server.
//! Nothing here touches the database or the network: the web layer fills the view models.

pub mod chart;
pub mod pages;
pub mod planning;
pub mod progress;
pub mod table;
pub mod warnings;
pub mod words;

pub use askama::{self, Template};
pub use words::Words;

/// A static file served by the binary: its bytes and content type.
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

/// The files under `/static/`, compiled in: an intranet without internet access gets every
/// byte the pages need from this binary.
pub fn asset(name: &str) -> Option<Asset> {
    let (bytes, content_type): (&'static [u8], _) = match name {
        "app.css" => (include_bytes!("../assets/app.css"), "text/css; charset=utf-8"),
        "app.js" => (include_bytes!("../assets/app.js"), "text/javascript; charset=utf-8"),
        "icon.svg" => (include_bytes!("../assets/icon.svg"), "image/svg+xml"),
        _ => return None,
    };
    Some(Asset { bytes, content_type })
}
