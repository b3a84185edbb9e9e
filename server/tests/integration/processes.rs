//! Real `firebreak` processes, for the tests that need more than one
//! server: the command line, and `firebreak serve` instances whose guard
//! kills them when dropped, so a failed assertion leaves nothing running.
use std::fs::OpenOptions;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BINARY: &str = env!("CARGO_BIN_EXE_firebreak");
/// A debug build on a busy machine, running the migrations: generous.
const READY_WITHIN: Duration = Duration::from_secs(30);
const LOG_FILE: &str = "serve.log";

/// Runs `firebreak ARGS`, feeding `stdin` if given; returns its output.
pub fn cli(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run firebreak");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().expect("firebreak finishes");
    assert!(output.status.success(), "firebreak {args:?}: {output:?}");
    output
}

/// A port nobody listens on right now (the instance binds it a moment later;
/// `start` tries another if someone took it in between).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One `firebreak serve` process with its own data directory.
pub struct Instance {
    pub name: &'static str,
    pub addr: SocketAddr,
    database_url: String,
    child: Option<Child>,
    /// Dropped after the process is killed (fields drop after `Drop::drop`).
    dir: TempDir,
}

impl Instance {
    /// Starts an instance on a fresh data directory and waits until it
    /// answers; an empty `database_url` means the embedded SQLite file.
    pub async fn start(name: &'static str, database_url: &str) -> Instance {
        let mut instance = Instance {
            name,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.to_string(),
            child: None,
            dir: tempfile::tempdir().expect("temp dir"),
        };
        instance.launch().await;
        instance
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The data directory (the embedded database lives here).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// SIGTERM, as a service manager stops it; waits for the exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("a running instance");
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
        child.wait().expect("wait for the instance")
    }

    /// Starts the instance again on the same data directory and port.
    pub async fn start_again(&mut self) {
        assert!(self.child.is_none(), "stop the instance first");
        self.child = Some(self.spawn(self.addr));
        let probe = reqwest::Client::new();
        let deadline = Instant::now() + READY_WITHIN;
        while probe.get(self.url("/livez")).send().await.is_err() {
            assert!(
                Instant::now() < deadline,
                "no answer after a restart:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL, as `kill -9`: no graceful shutdown, no flushing.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the process again on the same data directory (on a new port).
    pub async fn restart(&mut self) {
        self.kill();
        self.launch().await;
    }

    /// The end of the instance's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    fn log_path(&self) -> PathBuf {
        // Beside the data directory's contents, not inside the index.
        self.dir.path().join(LOG_FILE)
    }

    fn spawn(&self, addr: SocketAddr) -> Child {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("log file");
        let data_dir = self.dir.path();
        let database: &[&str] = if self.database_url.is_empty() {
            &[]
        } else {
            &["--database-url", &self.database_url]
        };
        Command::new(BINARY)
            .arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .args(database)
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--site-root")
            .arg(data_dir.join("site"))
            .env("RUST_LOG", "info,sqlx=warn,tower_http=warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("start firebreak serve")
    }

    /// Spawns the process and polls until it answers HTTP. A port taken
    /// between `free_port` and the bind is retried on another port.
    async fn launch(&mut self) {
        let probe = reqwest::Client::builder()
            .timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        for _attempt in 0..3 {
            self.addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
            self.child = Some(self.spawn(self.addr));
            let deadline = Instant::now() + READY_WITHIN;
            loop {
                // Any answer will do: the listener is bound and the router serves.
                if probe.get(self.url("/api/v1/me")).send().await.is_ok() {
                    return;
                }
                let exited = self.child.as_mut().unwrap().try_wait().expect("try_wait");
                if let Some(status) = exited {
                    self.child = None;
                    let log = self.log_tail();
                    if log.contains("Address already in use") {
                        break;
                    }
                    panic!("instance {} exited with {status}:\n{log}", self.name);
                }
                if Instant::now() > deadline {
                    panic!(
                        "instance {} did not answer within {READY_WITHIN:?}:\n{}",
                        self.name,
                        self.log_tail()
                    );
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("instance {} found no free port", self.name);
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}
