//! Building and running the application; tests use the same path.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::ServeConfig;
use crate::http::{AppState, CookiePolicy, metrics_listener_routes, router};
use crate::metrics::Metrics;
use crate::search::{Indexer, SearchIndex};
use crate::service::{AccountService, IncidentService, SessionPolicy};
use crate::webhooks::{WebhookSettings, Webhooks};

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    service: IncidentService,
    accounts: AccountService,
    /// The index's only writer; it follows the outbox while the app serves.
    indexer: Indexer,
    /// `--metrics-addr`: `/metrics`, `/livez` and `/readyz` for monitoring.
    metrics_listener: Option<(TcpListener, axum::Router)>,
    /// Outbound webhooks' timing; their tasks start with serving.
    webhooks: WebhookSettings,
}

/// In-flight requests get this long to finish after SIGTERM or SIGINT.
const DRAIN_WITHIN: Duration = Duration::from_secs(20);
/// The indexer gets this long to apply the last changes and commit.
const INDEX_COMMIT_WITHIN: Duration = Duration::from_secs(20);

impl Application {
    /// Opens the store (running migrations), seeds demo data if asked, and
    /// binds the listener. Port 0 picks a free port.
    pub async fn build(config: &ServeConfig) -> anyhow::Result<Self> {
        let store = crate::store::open(
            &config.storage.data_dir,
            config.storage.database_url.as_deref(),
        )
        .await?;
        let index_dir = config.storage.data_dir.join("index");
        let index = Arc::new(SearchIndex::open(&index_dir)?);
        let indexer = Indexer::new(index.clone(), store.clone())?;
        let service = IncidentService::new(store.clone(), index);
        if let Some(url) = config.storage.postgres_url() {
            // Saves and presence reach readers connected to other instances.
            crate::live_relay::spawn(url, service.clone()).await?;
        }
        let policy = SessionPolicy {
            idle: chrono::Duration::minutes(config.session_idle_minutes.max(1).into()),
            absolute: chrono::Duration::hours(config.session_max_hours.max(1).into()),
        };
        let accounts = AccountService::new(store, policy);
        if config.demo {
            let added = crate::demo::seed_if_empty(&service).await?;
            if added > 0 {
                tracing::info!(added, "demo incidents added");
            }
        }
        if let Some(link) = accounts
            .first_admin_invitation_on_start()
            .await
            .map_err(|e| anyhow::anyhow!("preparing the first admin account: {e}"))?
        {
            let base = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.addr));
            tracing::warn!(
                "No one can sign in yet. Open {}{link} to set the password of the first admin \
                 (admin@localhost), or run `firebreak user add --admin`.",
                base.trim_end_matches('/')
            );
        }
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let leptos_options = LeptosOptions::builder()
            .output_name("firebreak")
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        let secure = config.serves_securely();
        if !secure {
            tracing::warn!(
                addr = %addr,
                "serving plain http on a non-loopback address: the session cookie cannot be Secure \
                 and travels unencrypted; put Firebreak behind https and set --public-url https://…"
            );
        }
        let state = AppState {
            leptos_options,
            incidents: service.clone(),
            accounts: accounts.clone(),
            cookies: CookiePolicy {
                secure,
                max_age_secs: policy.absolute.num_seconds(),
            },
            public_origin: config.public_origin(),
            metrics: Arc::new(Metrics::new(service.search_timings())),
            metrics_token: config.metrics_token.as_deref().map(Arc::from),
        };
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some((
                TcpListener::bind(addr).await?,
                metrics_listener_routes(state.ops()),
            )),
            None => None,
        };
        let router = router(state);
        Ok(Self {
            listener,
            router,
            service,
            accounts,
            indexer,
            metrics_listener,
            webhooks: config.webhook_settings(),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn service(&self) -> &IncidentService {
        &self.service
    }

    pub fn accounts(&self) -> &AccountService {
        &self.accounts
    }

    /// The `--metrics-addr` listener's address, when there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
    }

    /// Serves until SIGINT or SIGTERM; then stops accepting, lets in-flight
    /// requests finish (open event streams end), has the indexer apply what
    /// is left and commit, and returns.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let (stop, stopping) = watch::channel(false);
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("stopping: no new connections; finishing requests in flight");
            let _ = stop.send(true);
        });
        self.serve_until(stopping).await
    }

    /// Serves until `stopping` turns true (tests and tools stop it this way).
    pub async fn serve_until(self, stopping: watch::Receiver<bool>) -> anyhow::Result<()> {
        tracing::info!(addr = %self.addr(), "Firebreak is listening on http://{}", self.addr());
        let indexing = self.indexer.spawn();
        let webhooks = Webhooks::spawn(self.service.store().clone(), self.webhooks)?;
        let warming = tokio::spawn({
            let service = self.service.clone();
            async move { service.warm_insights().await }
        });
        let live = self.service.live().clone();
        let stopped = {
            let mut stopping = stopping.clone();
            async move {
                let _ = stopping.wait_for(|stop| *stop).await;
                // Event streams never end on their own; end them so the
                // graceful shutdown can complete.
                live.close();
            }
        };
        let monitoring = self.metrics_listener.map(|(listener, routes)| {
            tracing::info!(addr = ?listener.local_addr().ok(), "metrics, livez and readyz are served here too");
            let mut stopping = stopping.clone();
            tokio::spawn(async move {
                axum::serve(listener, routes)
                    .with_graceful_shutdown(async move {
                        let _ = stopping.wait_for(|stop| *stop).await;
                    })
                    .await
            })
        });
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let serving = axum::serve(self.listener.tap_io(send_at_once), service)
            .with_graceful_shutdown(stopped);
        let served = drain_within(serving, stopping).await;
        warming.abort();
        if let Some(monitoring) = monitoring {
            monitoring.abort();
        }
        indexing.stop(INDEX_COMMIT_WITHIN).await;
        webhooks.stop();
        served?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Turns Nagle's algorithm off for a connection. A page goes out in
/// several writes (streamed, compressed); with Nagle on, a write waits for
/// the client's delayed acknowledgement of the last, about 40 ms. That
/// was the incident page's p99 at half load: 48 ms against a p50 of 5 ms.
fn send_at_once(connection: &mut tokio::net::TcpStream) {
    if let Err(e) = connection.set_nodelay(true) {
        tracing::debug!(error = %e, "could not set TCP_NODELAY");
    }
}

/// Runs the server; once `stopping` turns true, gives in-flight requests
/// [`DRAIN_WITHIN`] to finish before giving up on them.
async fn drain_within(
    serving: impl std::future::IntoFuture<Output = std::io::Result<()>>,
    mut stopping: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let serving = serving.into_future();
    tokio::pin!(serving);
    tokio::select! {
        served = &mut serving => return served,
        _ = stopping.wait_for(|stop| *stop) => {}
    }
    match tokio::time::timeout(DRAIN_WITHIN, serving).await {
        Ok(served) => served,
        Err(_) => {
            tracing::warn!(
                "stopping: requests still in flight after {} s were cut off",
                DRAIN_WITHIN.as_secs()
            );
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn accepted_connections_send_at_once() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut accepted, _) = listener.accept().await.unwrap();
        assert!(!accepted.nodelay().unwrap(), "Nagle is on by default");
        super::send_at_once(&mut accepted);
        assert!(accepted.nodelay().unwrap());
    }
}
