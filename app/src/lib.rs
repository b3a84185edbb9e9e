//! Firebreak's user interface, compiled twice: for the server (`ssr`) and
//! for the browser (`hydrate`), in islands mode: the browser gets only the
//! `#[island]` components. It holds no SQL and no search index code;
//! server functions reach the server through the [`port`].
#![recursion_limit = "512"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod format;
pub mod http_status;
pub mod markdown;
pub mod model;
pub mod page_resource;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
#[cfg(feature = "ssr")]
pub mod reveal;
pub mod theme;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands mode: only the `#[island]` components are interactive; the
    // loader script hydrates each island it finds after this returns.
    leptos::mount::hydrate_islands();
}
