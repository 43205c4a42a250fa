//! `dossier serve`: the web UI and JSON API on a loopback address.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;
use dossier_app::App;

/// Serves `app` on `addr` until interrupted. Only loopback addresses are
/// accepted until authentication exists.
pub async fn run(app: App, addr: SocketAddr) -> anyhow::Result<ExitCode> {
    if !addr.ip().is_loopback() {
        anyhow::bail!(
            "refusing to serve on {addr}: only loopback addresses (127.0.0.1, ::1) are allowed until authentication is configured"
        );
    }
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!("Dossier is serving on http://{local}/  (Ctrl-C to stop)");
    axum::serve(listener, dossier_server::app(app.clone()))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")?;
    app.close().await;
    Ok(ExitCode::SUCCESS)
}
