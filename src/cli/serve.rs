//! `plan361 serve`: the web application and the JSON API on a database.

use std::process::ExitCode;

use anyhow::Context;
use plan361_store::Store;

use super::db::{DbArgs, Threads, runtime};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8361", value_name = "ADDR")]
    bind: String,
    #[command(flatten)]
    pub deployment: Deployment,
}

/// How the server is deployed (for `serve` and `demo`).
#[derive(clap::Args, Clone, Default)]
pub struct Deployment {
    /// A reverse proxy whose X-Forwarded-For names the client: an address or a network
    /// (10.0.0.0/8); repeat, or separate with commas. Without one, the peer's address is the
    /// client's (behind an unnamed proxy everyone would share the proxy's address).
    #[arg(long = "trusted-proxy", env = "PLAN361_TRUSTED_PROXIES", value_name = "ADDR[/BITS]", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// Browsers reach the server over HTTPS through a proxy: cookies are marked Secure and
    /// responses carry Strict-Transport-Security.
    #[arg(long, env = "PLAN361_TLS_BEHIND_PROXY")]
    pub tls_behind_proxy: bool,
}

impl Deployment {
    pub fn config(&self) -> anyhow::Result<plan361_web::Config> {
        let trusted_proxies = plan361_web::TrustedProxies::parse(&self.trusted_proxies).map_err(anyhow::Error::msg)?;
        Ok(plan361_web::Config { trusted_proxies, tls_behind_proxy: self.tls_behind_proxy, ..Default::default() })
    }
}

/// Structured logs on standard error: one line per request (method, path, status, time) and
/// every fault with its cause. `RUST_LOG` chooses what (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(true).try_init();
}

pub fn run(db: &DbArgs, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    let config = args.deployment.config()?;
    runtime(Threads::PerCore)?.block_on(async {
        let store = Store::open(&db.db).await?;
        store.current_plan().await.with_context(|| format!("{} holds no plan: run `plan361 init` first", db.db))?;
        let listener = tokio::net::TcpListener::bind(&args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        println!("plan361 serving {} on http://{}/", db.db, listener.local_addr()?);
        serve(store, listener, config).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Serves `store` until Ctrl-C, then closes the database cleanly.
pub async fn serve(store: Store, listener: tokio::net::TcpListener, config: plan361_web::Config) -> anyhow::Result<()> {
    let state =
        plan361_web::AppState::with_config(store.clone(), config).await.map_err(|p| anyhow::anyhow!(p.message))?;
    let served = plan361_web::serve(state, listener).await;
    store.close().await;
    Ok(served?)
}
