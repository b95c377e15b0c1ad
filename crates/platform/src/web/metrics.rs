//! Request counts and latency by route, and database pool use, in Prometheus text format.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::Platform;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 8 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("commissioner");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by route and status", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(latency_histogram as fn() -> Histogram);
        registry.register("http_request_duration_seconds", "Time to answer an HTTP request", latency.clone());
        let pool_connections = Gauge::default();
        registry.register("db_pool_connections", "Open database connections", pool_connections.clone());
        let pool_idle = Gauge::default();
        registry.register("db_pool_idle_connections", "Idle database connections", pool_idle.clone());
        let pool_max = Gauge::default();
        registry.register("db_pool_max_connections", "Most database connections the pool may open", pool_max.clone());
        Self { registry, requests, latency, pool_connections, pool_idle, pool_max }
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Marks a response with the route that produced it, for [`track`] (which runs before routing).
pub async fn mark_route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(matched);
    }
    response
}

/// Middleware: counts and times every request.
pub async fn track(State(platform): State<Platform>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    // Unmatched paths are grouped so that scanning for random URLs cannot grow the label set.
    let route = response.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let metrics = platform.metrics();
    metrics
        .requests
        .get_or_create(&RequestLabels { method: method.clone(), route: route.clone(), status: response.status().as_u16() })
        .inc();
    metrics.latency.get_or_create(&RouteLabels { method, route }).observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`, for the addresses in `metrics_allow` only: the figures show staff activity
/// and the progress of an attack, so the public gets the not-found page.
pub async fn render_for_allowed(State(platform): State<Platform>, viewer: crate::auth::Viewer) -> Response {
    let allowed = viewer.address().parse().is_ok_and(|address| platform.metrics_allow().contains(address));
    if !allowed {
        return super::AppError::NotFound.into_response();
    }
    render(State(platform)).await
}

/// The metrics in OpenMetrics text.
pub async fn render(State(platform): State<Platform>) -> Response {
    let metrics = platform.metrics();
    let pool = platform.pool();
    metrics.pool_connections.set(i64::from(pool.size()));
    metrics.pool_idle.set(i64::try_from(pool.num_idle()).unwrap_or(i64::MAX));
    metrics.pool_max.set(i64::from(platform.settings().database_max_connections));
    let mut body = String::new();
    if encode(&mut body, &metrics.registry).is_err() {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    response
}
