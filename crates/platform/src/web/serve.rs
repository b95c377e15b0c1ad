//! The HTTP server: accepts connections, and refuses to be held open by clients that send
//! slowly or open too many. A client must send its headers within `header_read_timeout_secs`,
//! a form within `form_body_timeout_secs` (a form with files within `upload_body_timeout_secs`),
//! and may hold `connections_per_address` connections at once; the office's own proxies are not
//! capped, since every visitor arrives through them.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use super::Platform;
use super::client::AddressRanges;
use crate::config::Settings;

/// Open connections by client address.
#[derive(Clone, Default)]
struct ConnectionCounts(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// A connection counted against its address until dropped.
struct ConnectionSlot {
    counts: ConnectionCounts,
    address: IpAddr,
}

impl ConnectionCounts {
    fn take(&self, address: IpAddr, cap: usize) -> Option<ConnectionSlot> {
        let mut counts = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let open = counts.entry(address).or_insert(0);
        if *open >= cap {
            return None;
        }
        *open += 1;
        Some(ConnectionSlot { counts: self.clone(), address })
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(open) = counts.get_mut(&self.address) {
            *open -= 1;
            if *open == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting and waits for
/// the connections in flight to finish their requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: &Settings,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let trusted: AddressRanges = settings.trusted_proxy_ranges();
    let cap = settings.connections_per_address;
    let counts = ConnectionCounts::default();
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(settings.header_read_timeout_secs));
    builder.http2().timer(TokioTimer::new());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, most likely: wait a moment rather than spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = if trusted.contains(peer.ip()) {
            None
        } else {
            match counts.take(peer.ip(), cap) {
                Some(slot) => Some(slot),
                None => {
                    tracing::warn!(address = %peer.ip(), cap, "connection refused: too many open from one address");
                    continue;
                }
            }
        };
        let service = tower::ServiceExt::map_request(router.clone(), move |mut request: Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            request
        });
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(error = %error, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Middleware: a request body must arrive within its time, as a whole; a client that trickles
/// it is cut off and its connection freed for others.
pub async fn limit_body_time(State(platform): State<Platform>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD) {
        return next.run(request).await;
    }
    let has_files = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let settings = platform.settings();
    let allowed =
        Duration::from_secs(if has_files { settings.upload_body_timeout_secs } else { settings.form_body_timeout_secs });
    let deadline = tokio::time::Instant::now() + allowed;
    let (parts, body) = request.into_parts();
    let stream = body.into_data_stream();
    let timed = futures_util::stream::unfold(Some(stream), move |stream| async move {
        let mut stream = stream?;
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(chunk)) => Some((chunk, Some(stream))),
            Ok(None) => None,
            Err(_) => Some((Err(axum::Error::new("the request body took too long to arrive")), None)),
        }
    });
    next.run(Request::from_parts(parts, Body::from_stream(timed))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_its_cap_and_gets_slots_back() {
        let counts = ConnectionCounts::default();
        let address: IpAddr = "203.0.113.1".parse().expect("address");
        let other: IpAddr = "203.0.113.2".parse().expect("address");
        let first = counts.take(address, 2).expect("first");
        let _second = counts.take(address, 2).expect("second");
        assert!(counts.take(address, 2).is_none(), "a third is refused");
        assert!(counts.take(other, 2).is_some(), "another address is not affected");
        drop(first);
        assert!(counts.take(address, 2).is_some(), "a closed connection frees its slot");
    }
}
