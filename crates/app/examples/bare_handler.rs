//! The benchmark's reference: the smallest axum server, answering a fixed string. scripts/bench
//! runs it beside `commissioner serve` so the cost of a real page is read against it.

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new().route("/", get(|| async { "Hello from a bare handler" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await
}
