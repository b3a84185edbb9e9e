use std::process::ExitCode;

use clap::Parser;

/// mimalloc gives freed memory back to the system; glibc's per-thread
/// arenas kept most of what an index rebuild had used.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before the runtime starts its threads (see memory.rs).
    server::memory::tune();
    let cli = server::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("firebreak: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("firebreak: {e:#}");
            ExitCode::FAILURE
        }
    }
}
