//! Structured logs: JSON for machines, readable lines for a person at a terminal.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Starts logging. `format` is `auto` (JSON unless standard error is a terminal), `json` or `pretty`.
/// The level comes from `RUST_LOG`, default `info`.
pub fn init(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = match format {
        "json" => true,
        "pretty" => false,
        _ => !std::io::stderr().is_terminal(),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second call (tests start several servers in one process) keeps the first subscriber.
    let _ = if json { builder.json().flatten_event(true).try_init() } else { builder.compact().try_init() };
}
