#![recursion_limit = "512"]
//! The `firebreak` server: store, services, HTTP API and command line.
pub mod cli;
pub mod config;
pub mod demo;
pub mod export;
pub mod http;
pub mod import;
pub mod live;
pub mod live_relay;
pub mod migrate_data;
pub mod reindex;
pub mod search;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod webhooks;
