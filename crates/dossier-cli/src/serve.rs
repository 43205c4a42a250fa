//! `dossier serve`: the web UI and JSON API.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;
use dossier_app::App;

/// Serves `app` on `addr` until interrupted. A loopback address serves
/// reads to anyone on this machine; any other address only once
/// authentication is configured (an admin user exists), and then every
/// request needs an API token.
pub async fn run(app: App, addr: SocketAddr) -> anyhow::Result<ExitCode> {
    let access = if addr.ip().is_loopback() {
        dossier_server::Access::OpenReads
    } else if app.has_admin().await? {
        dossier_server::Access::TokensOnly
    } else {
        anyhow::bail!(
            "refusing to serve on {addr}: a non-loopback address needs authentication configured first \
             (dossier users add NAME --role admin), or serve on 127.0.0.1"
        );
    };
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!("Dossier is serving on http://{local}/  (Ctrl-C to stop)");
    axum::serve(listener, dossier_server::app_with(app.clone(), access))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")?;
    app.close().await;
    Ok(ExitCode::SUCCESS)
}
