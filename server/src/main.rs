use std::process::ExitCode;

use clap::Parser;

/// mimalloc gives freed memory back to the system; glibc's per-thread
/// arenas kept most of what an index rebuild had used.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("firebreak: {e:#}");
            ExitCode::FAILURE
        }
    }
}
