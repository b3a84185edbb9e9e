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
    /// A database URL instead of the embedded default: `postgres://…` for
    /// several instances on one database, or `sqlite://…`.
    #[arg(long, env = "FIREBREAK_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl StorageConfig {
    /// The PostgreSQL URL, when the registry lives in PostgreSQL.
    pub fn postgres_url(&self) -> Option<&str> {
        self.database_url
            .as_deref()
            .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
    }
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
    /// The address people use, when it differs from --addr (behind a proxy):
    /// `https://…` makes the session cookie Secure.
    #[arg(long, env = "FIREBREAK_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// A session ends after this many minutes without a request.
    #[arg(long, env = "FIREBREAK_SESSION_IDLE_MINUTES", default_value_t = 720)]
    pub session_idle_minutes: u32,
    /// A session ends this many hours after sign-in, whatever happens.
    #[arg(long, env = "FIREBREAK_SESSION_MAX_HOURS", default_value_t = 168)]
    pub session_max_hours: u32,
    /// Serve `/metrics` (with `/livez` and `/readyz`) on this separate
    /// address, e.g. 127.0.0.1:9464, reachable only by your monitoring.
    #[arg(long, env = "FIREBREAK_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Serve `/metrics` on the main address too, to callers that send
    /// `Authorization: Bearer <this token>`. Without this or
    /// --metrics-addr, `/metrics` is not served.
    #[arg(long, env = "FIREBREAK_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// How often outbound webhooks look for new events and due deliveries (ms).
    #[arg(long, env = "FIREBREAK_WEBHOOK_POLL_MS", default_value_t = 1000)]
    pub webhook_poll_ms: u64,
    /// The first retry delay of a failed webhook delivery, in seconds (may be
    /// fractional); later ones grow from it: ×4, ×20, ×120, then ×720.
    #[arg(
        long,
        env = "FIREBREAK_WEBHOOK_RETRY_BASE_SECS",
        default_value_t = 30.0
    )]
    pub webhook_retry_base_secs: f64,
    /// Attempts per webhook delivery before it is marked failed.
    #[arg(long, env = "FIREBREAK_WEBHOOK_MAX_ATTEMPTS", default_value_t = 10)]
    pub webhook_max_attempts: u32,
    /// How often overdue action items are looked for, in seconds.
    #[arg(
        long,
        env = "FIREBREAK_WEBHOOK_OVERDUE_CHECK_SECS",
        default_value_t = 60
    )]
    pub webhook_overdue_check_secs: u64,
}

impl ServeConfig {
    /// A configuration for tests and tools: defaults, with this data dir.
    pub fn for_data_dir(data_dir: PathBuf, addr: SocketAddr) -> Self {
        Self {
            storage: StorageConfig {
                data_dir: data_dir.clone(),
                database_url: None,
            },
            addr,
            site_root: data_dir.join("site"),
            demo: false,
            public_url: None,
            session_idle_minutes: 720,
            session_max_hours: 168,
            metrics_addr: None,
            metrics_token: None,
            webhook_poll_ms: 1000,
            webhook_retry_base_secs: 30.0,
            webhook_max_attempts: 10,
            webhook_overdue_check_secs: 60,
        }
    }

    /// The outbound webhooks' timing, from the flags (bad values clamped).
    pub fn webhook_settings(&self) -> crate::webhooks::WebhookSettings {
        use std::time::Duration;
        let base = self.webhook_retry_base_secs;
        let base = if base.is_finite() {
            base.clamp(0.01, 86_400.0)
        } else {
            30.0
        };
        crate::webhooks::WebhookSettings {
            poll: Duration::from_millis(self.webhook_poll_ms.clamp(10, 60_000)),
            overdue_every: Duration::from_secs(self.webhook_overdue_check_secs.max(1)),
            backoff: crate::webhooks::Backoff {
                base: Duration::from_secs_f64(base),
                max_attempts: self.webhook_max_attempts.max(1),
            },
            public_url: self.public_url.clone(),
        }
    }

    /// Whether cookies can be Secure: served over https, or on loopback
    /// (where browsers and curl accept Secure cookies over plain http).
    pub fn serves_securely(&self) -> bool {
        match self.public_url.as_deref() {
            Some(url) => {
                let lower = url.to_ascii_lowercase();
                lower.starts_with("https://") || is_loopback_url(&lower)
            }
            None => self.addr.ip().is_loopback(),
        }
    }

    /// `scheme://host[:port]` of the public URL, for the same-origin check.
    pub fn public_origin(&self) -> Option<String> {
        let url = self.public_url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let authority = rest.split('/').next()?;
        Some(format!("{}://{}", scheme.to_ascii_lowercase(), authority))
    }
}

fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    if rest.starts_with("[::1]") {
        return true;
    }
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    host == "localhost" || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(addr: &str, public_url: Option<&str>) -> ServeConfig {
        let mut c = ServeConfig::for_data_dir("d".into(), addr.parse().unwrap());
        c.public_url = public_url.map(String::from);
        c
    }

    #[test]
    fn secure_over_https_or_on_loopback_only() {
        assert!(config("127.0.0.1:3000", None).serves_securely());
        assert!(!config("0.0.0.0:3000", None).serves_securely());
        assert!(config("0.0.0.0:3000", Some("https://fb.example.com")).serves_securely());
        assert!(!config("0.0.0.0:3000", Some("http://fb.example.com")).serves_securely());
        assert!(config("0.0.0.0:3000", Some("http://localhost:3000")).serves_securely());
        assert_eq!(
            config("0.0.0.0:3000", Some("https://fb.example.com/x")).public_origin(),
            Some("https://fb.example.com".into())
        );
    }
}
