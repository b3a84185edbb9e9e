//! Building and running the application; tests use the same path.
use std::net::SocketAddr;
use std::sync::Arc;

use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use crate::config::ServeConfig;
use crate::http::{AppState, CookiePolicy, router};
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
    /// Outbound webhooks' timing; their tasks start with serving.
    webhooks: WebhookSettings,
}

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
        let router = router(AppState {
            leptos_options,
            incidents: service.clone(),
            accounts: accounts.clone(),
            cookies: CookiePolicy {
                secure,
                max_age_secs: policy.absolute.num_seconds(),
            },
            public_origin: config.public_origin(),
        });
        Ok(Self {
            listener,
            router,
            service,
            accounts,
            indexer,
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

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(addr = %self.addr(), "Firebreak is listening on http://{}", self.addr());
        let indexing = self.indexer.spawn();
        let webhooks = Webhooks::spawn(self.service.store().clone(), self.webhooks)?;
        let warming = tokio::spawn({
            let service = self.service.clone();
            async move { service.warm_insights().await }
        });
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        indexing.abort();
        warming.abort();
        webhooks.stop();
        served?;
        tracing::info!("stopped");
        Ok(())
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
