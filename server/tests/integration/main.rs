//! Integration tests: the real router on port 0 with a temporary data
//! directory, spoken to over HTTP. One binary, several modules.
mod access;
mod actions;
mod audit;
mod backend;
mod bad_input;
mod concurrency;
mod demo;
mod factors;
mod helpers;
mod import;
mod incidents_api;
mod insights;
mod instances;
mod live_relay;
mod migrate_data;
mod pages;
mod postmortem_review;
mod postmortems;
mod processes;
mod search_api;
mod server_functions;
mod sessions;
mod static_export;
mod templates;
mod timeline_api;
mod tokens_and_invitations;
