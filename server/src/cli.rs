//! The `firebreak` command line.
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::ServeConfig;

#[derive(Parser, Debug)]
#[command(
    name = "firebreak",
    version,
    about = "Incident registry and blameless postmortems"
)]
pub struct Cli {
    /// Log format.
    #[arg(
        long,
        global = true,
        env = "FIREBREAK_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Each subcommand flattens `StorageConfig`, so `--data-dir` and
/// `--database-url` mean the same everywhere.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app and the API.
    Serve(ServeConfig),
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    crate::telemetry::init(cli.log_format);
    match cli.command {
        Command::Serve(config) => {
            crate::startup::Application::build(&config)
                .await?
                .run_until_stopped()
                .await
        }
    }
}
