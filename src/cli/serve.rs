//! `plan361 serve`: the web application and the JSON API on a database.

use std::process::ExitCode;

use anyhow::Context;
use plan361_store::Store;

use super::db::DbArgs;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8361", value_name = "ADDR")]
    bind: String,
}

/// A runtime with a worker per core: pages and API requests are served in parallel.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the runtime")
}

pub fn run(db: &DbArgs, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Store::open(&db.db).await?;
        store.current_plan().await.with_context(|| format!("{} holds no plan: run `plan361 init` first", db.db))?;
        let listener = tokio::net::TcpListener::bind(&args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        println!("plan361 serving {} on http://{}/", db.db, listener.local_addr()?);
        serve(store, listener).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Serves `store` until Ctrl-C, then closes the database cleanly.
pub async fn serve(store: Store, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    let state = plan361_web::AppState::new(store.clone()).await.map_err(|p| anyhow::anyhow!(p.message))?;
    let served = plan361_web::serve(state, listener).await;
    store.close().await;
    Ok(served?)
}
