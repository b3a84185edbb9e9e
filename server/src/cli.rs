//! The `firebreak` command line.
use std::io::Read;

use clap::{Args, Parser, Subcommand, ValueEnum};

use app::domain::Role;
use app::model::Caller;
use app::port::{Actor, Channel};

use crate::config::{ServeConfig, StorageConfig};
use crate::service::{AccountService, SessionPolicy};

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
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Rebuild the search index from the database (stop the server first).
    Reindex(StorageConfig),
    /// Import Markdown postmortems with YAML front matter (files or directories).
    Import(ImportArgs),
    /// Export every incident as JSON (a file), Markdown (a directory) or a
    /// static HTML site with search (a directory), to read when Firebreak is down.
    Export(ExportArgs),
    /// Move a SQLite registry into an empty PostgreSQL database, ids
    /// included, then compare the row counts (stop the server first). Takes
    /// --from and --to instead of the storage flags.
    MigrateData(MigrateDataArgs),
    /// Write an online backup of the SQLite database to DEST, a new file
    /// (works while the server runs); then check it and print its row counts.
    Backup(BackupArgs),
    /// Put a backup made by `firebreak backup` back as the registry of
    /// --data-dir (stop the server first); checked before and after.
    Restore(RestoreArgs),
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    #[command(flatten)]
    pub storage: StorageConfig,
    /// The backup file to write; it must not exist yet.
    pub dest: std::path::PathBuf,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub storage: StorageConfig,
    /// The backup file to restore.
    pub src: std::path::PathBuf,
    /// Replace a registry already in --data-dir (kept aside, never deleted).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct MigrateDataArgs {
    /// The SQLite registry to read: sqlite:PATH, its firebreak.db.
    #[arg(long, value_name = "sqlite:PATH")]
    pub from: String,
    /// The empty PostgreSQL database to fill: postgres://…
    #[arg(long, value_name = "postgres://…")]
    pub to: String,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub storage: StorageConfig,
    #[arg(long, value_enum, default_value = "json")]
    pub format: crate::export::Format,
    /// The file (JSON) or directory (Markdown, static) to write.
    pub out: std::path::PathBuf,
    /// Static: replace an earlier static export at OUT (anything else there is refused).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub storage: StorageConfig,
    /// Files, or directories to walk for *.md.
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user with a password read from standard input (the first line).
    Add(UserAdd),
}

#[derive(Args, Debug)]
pub struct UserAdd {
    #[command(flatten)]
    pub storage: StorageConfig,
    #[arg(long)]
    pub email: String,
    /// Display name (default: the part of the email before @).
    #[arg(long)]
    pub name: Option<String>,
    /// Make the user an admin (the same as --role admin).
    #[arg(long, conflicts_with = "role")]
    pub admin: bool,
    #[arg(long, value_parser = ["viewer", "responder", "admin"], default_value = "responder")]
    pub role: String,
    /// Read the password from standard input; required, so it never lands
    /// in the shell history.
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a user; prints it as the last line.
    Create(TokenCreate),
}

#[derive(Args, Debug)]
pub struct TokenCreate {
    #[command(flatten)]
    pub storage: StorageConfig,
    #[arg(long)]
    pub email: String,
    /// What the token is for.
    #[arg(long, default_value = "command line")]
    pub name: String,
}

fn operator() -> Actor {
    Actor::new(Caller::System, Channel::Cli)
}

async fn accounts(storage: &StorageConfig) -> anyhow::Result<AccountService> {
    let store = crate::store::open(&storage.data_dir, storage.database_url.as_deref()).await?;
    Ok(AccountService::new(store, SessionPolicy::default()))
}

fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    Ok(input.lines().next().unwrap_or_default().to_string())
}

async fn add_user(args: UserAdd) -> anyhow::Result<()> {
    let role = if args.admin {
        Role::Admin
    } else {
        Role::parse(&args.role).map_err(anyhow::Error::msg)?
    };
    let password = read_password()?;
    let service = accounts(&args.storage).await?;
    let user = service
        .add_user(
            &operator(),
            &args.email,
            args.name.as_deref(),
            role,
            password,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{}", app::error::ApiError::from(e)))?;
    println!(
        "added {} ({}) as {}",
        user.email,
        user.name,
        user.role.as_str()
    );
    Ok(())
}

async fn create_token(args: TokenCreate) -> anyhow::Result<()> {
    let service = accounts(&args.storage).await?;
    let created = service
        .create_token_for(&operator(), &args.email, &args.name)
        .await
        .map_err(|e| anyhow::anyhow!("{}", app::error::ApiError::from(e)))?;
    eprintln!(
        "API token {:?} for {}; it is shown only once:",
        created.token.name, args.email
    );
    println!("{}", created.secret);
    Ok(())
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
        Command::User(UserCommand::Add(args)) => add_user(args).await,
        Command::Token(TokenCommand::Create(args)) => create_token(args).await,
        Command::Reindex(storage) => crate::reindex::run(&storage).await,
        Command::Import(args) => crate::import::run(&args.storage, &args.paths).await,
        Command::Export(args) => {
            crate::export::run(&args.storage, args.format, &args.out, args.force).await
        }
        Command::MigrateData(args) => crate::migrate_data::run(&args.from, &args.to).await,
        Command::Backup(args) => crate::backup::run(&args.storage, &args.dest).await,
        Command::Restore(args) => crate::restore::run(&args.storage, &args.src, args.force).await,
    }
}
