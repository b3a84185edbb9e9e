//! Configuration: one struct per command, read from flags with environment
//! fallbacks. Nothing is global; `startup` injects what it builds.
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the registry lives. Every subcommand takes these.
#[derive(clap::Args, Debug, Clone)]
pub struct StorageConfig {
    /// Directory for the embedded database and the search index.
    #[arg(long, env = "FIREBREAK_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// A database URL instead of the embedded default (sqlite://…).
    #[arg(long, env = "FIREBREAK_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ServeConfig {
    #[command(flatten)]
    pub storage: StorageConfig,
    /// Address to listen on.
    #[arg(long, env = "FIREBREAK_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The built site (cargo-leptos output: pkg/ and static files).
    #[arg(long, env = "FIREBREAK_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Fill an empty registry with about 30 realistic demo incidents.
    #[arg(long, env = "FIREBREAK_DEMO")]
    pub demo: bool,
}
