//! Settings, read from an optional TOML file and then from `COMMISSIONER_*` environment
//! variables (and `DATABASE_URL`), later sources winning. Every value has a default so that a
//! fresh checkout runs with no configuration at all.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address and port the web server listens on.
    pub listen: SocketAddr,
    /// Folder for the embedded database, uploaded files and other local state.
    pub data_dir: PathBuf,
    /// `sqlite:` (a file) or `postgres://…`. Empty means the SQLite file `commissioner.db` in `data_dir`.
    pub database_url: String,
    /// Most connections the pool opens.
    pub database_max_connections: u32,
    /// How long a request waits for a database connection before the 503 page is shown.
    pub database_acquire_timeout_secs: u64,
    /// The address the public reaches the service at; used in links sent by email.
    pub public_url: String,
    /// GOV.UK phase banner tag: "alpha", "beta", or empty for none.
    pub phase: String,
    /// `json`, `pretty`, or `auto` (JSON unless standard error is a terminal).
    pub log_format: String,
    /// Largest request body the server reads, in bytes, for ordinary forms.
    pub form_body_limit_bytes: usize,
    /// Seconds in-flight requests are given to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
    /// A staff session ends after this many minutes without a request.
    pub session_idle_minutes: i64,
    /// A staff session ends this many hours after sign-in, however busy.
    pub session_absolute_hours: i64,
    /// Argon2id memory cost in KiB (OWASP: 19456).
    pub password_hash_memory_kib: u32,
    /// Argon2id iterations (OWASP: 2).
    pub password_hash_iterations: u32,
    /// Wrong passwords in a row before an account is locked for a while.
    pub lockout_after_failures: i64,
    /// How long a locked account stays locked, in minutes.
    pub lockout_minutes: i64,
    /// Failed sign-ins from one address in 15 minutes before that address must wait.
    pub address_failure_limit: i64,
    /// Where email goes: empty or `files` (`.eml` files in `data_dir/mail`), `smtp://host:port`, `smtps://host:port`.
    pub mail_transport: String,
    /// The sender of every email, e.g. `Staffordshire Commissioner <no-reply@staffordshire-pfcc.gov.uk>`.
    pub mail_from: String,
    /// SMTP user name, if the server needs one.
    pub mail_username: String,
    /// SMTP password, if the server needs one.
    pub mail_password: String,
    /// Whether `serve` runs the background job worker and scheduler in-process.
    pub run_worker: bool,
    /// Where uploaded files are kept: empty for `data_dir/files` on local disk, or `s3://bucket[/prefix]`
    /// (credentials, region and endpoint from the standard `AWS_*` variables).
    pub file_storage: String,
    /// Largest single uploaded file, in bytes (the office's limit: 128 MB).
    pub upload_max_bytes: u64,
    /// For S3-compatible storage other than Amazon's: its address, e.g. `https://minio.internal:9000`.
    /// Empty: the `AWS_ENDPOINT` variable, or Amazon.
    pub s3_endpoint: String,
    /// Empty: the `AWS_REGION` variable.
    pub s3_region: String,
    /// Empty: the `AWS_ACCESS_KEY_ID` variable.
    pub s3_access_key_id: String,
    /// Empty: the `AWS_SECRET_ACCESS_KEY` variable.
    pub s3_secret_access_key: String,
    /// Where `crimedata fetch` downloads monthly archives from (`{url}/data/archive/YYYY-MM.zip`).
    pub police_data_url: String,
    /// The GOV.UK list of bank holidays that `commissioner calendar fetch` reads.
    pub bank_holidays_url: String,
    /// Reverse proxies (addresses or CIDR ranges, comma-separated) whose `X-Forwarded-For` or
    /// `Forwarded` header is believed. Empty: every client is the TCP peer itself.
    pub trusted_proxies: String,
    /// Who may read `/metrics` (addresses or CIDR ranges, comma-separated).
    pub metrics_allow: String,
    /// Bytes one client address may upload in an hour, across all forms.
    pub upload_bytes_per_address_per_hour: u64,
    /// Uploads are refused (503 page) while the disk holding uploads has less free space than this.
    pub upload_min_free_bytes: u64,
    /// Seconds a client has to send a request's headers.
    pub header_read_timeout_secs: u64,
    /// Seconds a client has to send an ordinary form's body.
    pub form_body_timeout_secs: u64,
    /// Seconds a client has to send a form with files.
    pub upload_body_timeout_secs: u64,
    /// Open connections one client address may hold (trusted proxies are not limited).
    pub connections_per_address: usize,
    /// SQLite only: `normal` survives a crash of the process, `full` also a power cut.
    pub sqlite_synchronous: String,
    /// The file holding the key that seals second-factor secrets in the database. Empty:
    /// `secrets.key` in the data folder, made on first start. Keep it out of database backups.
    pub secrets_key_file: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            database_max_connections: 10,
            database_acquire_timeout_secs: 5,
            public_url: "http://localhost:8080".into(),
            phase: "beta".into(),
            log_format: "auto".into(),
            form_body_limit_bytes: 64 * 1024,
            shutdown_grace_secs: 30,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            password_hash_memory_kib: 19 * 1024,
            password_hash_iterations: 2,
            lockout_after_failures: 5,
            lockout_minutes: 15,
            address_failure_limit: 50,
            mail_transport: String::new(),
            mail_from: "Commissioner <no-reply@localhost>".into(),
            mail_username: String::new(),
            mail_password: String::new(),
            run_worker: true,
            file_storage: String::new(),
            upload_max_bytes: 128 * 1024 * 1024,
            s3_endpoint: String::new(),
            s3_region: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            police_data_url: "https://data.police.uk".into(),
            bank_holidays_url: crate::calendar::govuk::DEFAULT_ADDRESS.into(),
            trusted_proxies: String::new(),
            metrics_allow: "127.0.0.0/8, ::1".into(),
            upload_bytes_per_address_per_hour: 1024 * 1024 * 1024,
            upload_min_free_bytes: 256 * 1024 * 1024,
            header_read_timeout_secs: 15,
            form_body_timeout_secs: 60,
            upload_body_timeout_secs: 30 * 60,
            connections_per_address: 64,
            sqlite_synchronous: "full".into(),
            secrets_key_file: String::new(),
        }
    }
}

// Connection strings can carry passwords; logs and `check` print this instead of the raw value.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.effective_database_url()))
            .field("database_max_connections", &self.database_max_connections)
            .field("database_acquire_timeout_secs", &self.database_acquire_timeout_secs)
            .field("public_url", &self.public_url)
            .field("phase", &self.phase)
            .field("log_format", &self.log_format)
            .field("form_body_limit_bytes", &self.form_body_limit_bytes)
            .field("shutdown_grace_secs", &self.shutdown_grace_secs)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("password_hash_memory_kib", &self.password_hash_memory_kib)
            .field("password_hash_iterations", &self.password_hash_iterations)
            .field("lockout_after_failures", &self.lockout_after_failures)
            .field("lockout_minutes", &self.lockout_minutes)
            .field("address_failure_limit", &self.address_failure_limit)
            .field("mail_transport", &self.mail_transport)
            .field("mail_from", &self.mail_from)
            .field("mail_username", &self.mail_username)
            .field("mail_password", &if self.mail_password.is_empty() { "" } else { "***" })
            .field("run_worker", &self.run_worker)
            .field("file_storage", &self.file_storage)
            .field("upload_max_bytes", &self.upload_max_bytes)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key_id", &self.s3_access_key_id)
            .field("s3_secret_access_key", &if self.s3_secret_access_key.is_empty() { "" } else { "***" })
            .field("police_data_url", &self.police_data_url)
            .field("bank_holidays_url", &self.bank_holidays_url)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_allow", &self.metrics_allow)
            .field("upload_bytes_per_address_per_hour", &self.upload_bytes_per_address_per_hour)
            .field("upload_min_free_bytes", &self.upload_min_free_bytes)
            .field("header_read_timeout_secs", &self.header_read_timeout_secs)
            .field("form_body_timeout_secs", &self.form_body_timeout_secs)
            .field("upload_body_timeout_secs", &self.upload_body_timeout_secs)
            .field("connections_per_address", &self.connections_per_address)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("secrets_key_file", &self.secrets_key_file)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("{0}")]
    Invalid(Box<figment::Error>),
    #[error("{field}: {message}")]
    Value { field: &'static str, message: String },
}

/// Names of every setting with the environment variable that sets it, for `--help` and the README.
pub const ENVIRONMENT_VARIABLES: &[(&str, &str)] = &[
    ("COMMISSIONER_LISTEN", "listen"),
    ("COMMISSIONER_DATA_DIR", "data_dir"),
    ("DATABASE_URL or COMMISSIONER_DATABASE_URL", "database_url"),
    ("COMMISSIONER_DATABASE_MAX_CONNECTIONS", "database_max_connections"),
    ("COMMISSIONER_DATABASE_ACQUIRE_TIMEOUT_SECS", "database_acquire_timeout_secs"),
    ("COMMISSIONER_PUBLIC_URL", "public_url"),
    ("COMMISSIONER_PHASE", "phase"),
    ("COMMISSIONER_LOG_FORMAT", "log_format"),
    ("COMMISSIONER_FORM_BODY_LIMIT_BYTES", "form_body_limit_bytes"),
    ("COMMISSIONER_SHUTDOWN_GRACE_SECS", "shutdown_grace_secs"),
    ("COMMISSIONER_SESSION_IDLE_MINUTES", "session_idle_minutes"),
    ("COMMISSIONER_SESSION_ABSOLUTE_HOURS", "session_absolute_hours"),
    ("COMMISSIONER_PASSWORD_HASH_MEMORY_KIB", "password_hash_memory_kib"),
    ("COMMISSIONER_PASSWORD_HASH_ITERATIONS", "password_hash_iterations"),
    ("COMMISSIONER_LOCKOUT_AFTER_FAILURES", "lockout_after_failures"),
    ("COMMISSIONER_LOCKOUT_MINUTES", "lockout_minutes"),
    ("COMMISSIONER_ADDRESS_FAILURE_LIMIT", "address_failure_limit"),
    ("COMMISSIONER_MAIL_TRANSPORT", "mail_transport"),
    ("COMMISSIONER_MAIL_FROM", "mail_from"),
    ("COMMISSIONER_MAIL_USERNAME", "mail_username"),
    ("COMMISSIONER_MAIL_PASSWORD", "mail_password"),
    ("COMMISSIONER_RUN_WORKER", "run_worker"),
    ("COMMISSIONER_FILE_STORAGE", "file_storage"),
    ("COMMISSIONER_UPLOAD_MAX_BYTES", "upload_max_bytes"),
    ("COMMISSIONER_S3_ENDPOINT", "s3_endpoint"),
    ("COMMISSIONER_S3_REGION", "s3_region"),
    ("COMMISSIONER_S3_ACCESS_KEY_ID", "s3_access_key_id"),
    ("COMMISSIONER_S3_SECRET_ACCESS_KEY", "s3_secret_access_key"),
    ("COMMISSIONER_POLICE_DATA_URL", "police_data_url"),
    ("COMMISSIONER_BANK_HOLIDAYS_URL", "bank_holidays_url"),
    ("COMMISSIONER_TRUSTED_PROXIES", "trusted_proxies"),
    ("COMMISSIONER_METRICS_ALLOW", "metrics_allow"),
    ("COMMISSIONER_UPLOAD_BYTES_PER_ADDRESS_PER_HOUR", "upload_bytes_per_address_per_hour"),
    ("COMMISSIONER_UPLOAD_MIN_FREE_BYTES", "upload_min_free_bytes"),
    ("COMMISSIONER_HEADER_READ_TIMEOUT_SECS", "header_read_timeout_secs"),
    ("COMMISSIONER_FORM_BODY_TIMEOUT_SECS", "form_body_timeout_secs"),
    ("COMMISSIONER_UPLOAD_BODY_TIMEOUT_SECS", "upload_body_timeout_secs"),
    ("COMMISSIONER_CONNECTIONS_PER_ADDRESS", "connections_per_address"),
    ("COMMISSIONER_SQLITE_SYNCHRONOUS", "sqlite_synchronous"),
    ("COMMISSIONER_SECRETS_KEY_FILE", "secrets_key_file"),
];

impl Settings {
    /// Reads defaults, then the TOML file (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::MissingFile(file.to_path_buf()));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment.merge(Env::prefixed("COMMISSIONER_").ignore(&["CONFIG"])).merge(Env::raw().only(&["DATABASE_URL"]));
        let settings: Settings = figment.extract().map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let url = self.effective_database_url();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(ConfigError::Value { field: "database_url", message: "must start with sqlite: or postgres://".into() });
        }
        if !matches!(self.phase.as_str(), "" | "alpha" | "beta") {
            return Err(ConfigError::Value { field: "phase", message: "must be alpha, beta or empty".into() });
        }
        if !matches!(self.log_format.as_str(), "auto" | "json" | "pretty") {
            return Err(ConfigError::Value { field: "log_format", message: "must be auto, json or pretty".into() });
        }
        if self.database_max_connections == 0 {
            return Err(ConfigError::Value { field: "database_max_connections", message: "must be at least 1".into() });
        }
        if self.session_idle_minutes < 1 || self.session_absolute_hours < 1 {
            return Err(ConfigError::Value {
                field: "session_idle_minutes",
                message: "session timeouts must be positive".into(),
            });
        }
        if self.lockout_after_failures < 1 || self.lockout_minutes < 1 {
            return Err(ConfigError::Value {
                field: "lockout_after_failures",
                message: "lockout settings must be positive".into(),
            });
        }
        if let Err(message) = crate::mail::Transport::from_settings(self) {
            return Err(ConfigError::Value { field: "mail_transport", message });
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::Value {
                field: "mail_from",
                message: "must be an address like Office <no-reply@example.org>".into(),
            });
        }
        if !(self.file_storage.is_empty() || self.file_storage.starts_with("s3://")) {
            return Err(ConfigError::Value {
                field: "file_storage",
                message: "must be empty (local disk) or s3://bucket".into(),
            });
        }
        if self.upload_max_bytes < 1024 {
            return Err(ConfigError::Value { field: "upload_max_bytes", message: "must be at least 1024".into() });
        }
        if let Err(message) = crate::web::client::AddressRanges::parse(&self.trusted_proxies) {
            return Err(ConfigError::Value { field: "trusted_proxies", message });
        }
        if let Err(message) = crate::web::client::AddressRanges::parse(&self.metrics_allow) {
            return Err(ConfigError::Value { field: "metrics_allow", message });
        }
        if !matches!(self.sqlite_synchronous.as_str(), "normal" | "full") {
            return Err(ConfigError::Value { field: "sqlite_synchronous", message: "must be normal or full".into() });
        }
        if self.header_read_timeout_secs == 0 || self.form_body_timeout_secs == 0 || self.upload_body_timeout_secs == 0 {
            return Err(ConfigError::Value {
                field: "header_read_timeout_secs",
                message: "timeouts must be at least 1 second".into(),
            });
        }
        if self.connections_per_address == 0 {
            return Err(ConfigError::Value { field: "connections_per_address", message: "must be at least 1".into() });
        }
        if self.form_body_limit_bytes < 1024 {
            return Err(ConfigError::Value { field: "form_body_limit_bytes", message: "must be at least 1024".into() });
        }
        Ok(())
    }

    /// The database URL in force: the configured one, or the SQLite file in the data folder.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("commissioner.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// Whether the public reaches the service over TLS, which makes cookies `Secure` and turns on HSTS.
    pub fn served_over_tls(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn password_hash_cost(&self) -> crate::auth::password::HashCost {
        crate::auth::password::HashCost { memory_kib: self.password_hash_memory_kib, iterations: self.password_hash_iterations }
    }

    /// The proxies whose forwarding headers are believed (checked valid by `validate`).
    pub fn trusted_proxy_ranges(&self) -> crate::web::client::AddressRanges {
        crate::web::client::AddressRanges::parse(&self.trusted_proxies).unwrap_or_default()
    }

    pub fn metrics_ranges(&self) -> crate::web::client::AddressRanges {
        crate::web::client::AddressRanges::parse(&self.metrics_allow).unwrap_or_default()
    }

    pub fn acquire_timeout(&self) -> Duration {
        Duration::from_secs(self.database_acquire_timeout_secs.max(1))
    }
}

/// Hides the password in a connection string: `postgres://user:secret@host` → `postgres://user:***@host`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((userinfo, host)) = rest.split_once('@') else { return url.to_string() };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
// figment's Jail returns its own large error type; boxing it in a test gains nothing.
#[expect(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_debug_output() {
        let settings = Settings { database_url: "postgres://office:hunter2@db/commissioner".into(), ..Default::default() };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://office:***@db/commissioner"));
    }

    #[test]
    fn the_default_database_is_a_sqlite_file_in_the_data_folder() {
        let settings = Settings { data_dir: PathBuf::from("/srv/office"), ..Default::default() };
        assert_eq!(settings.effective_database_url(), "sqlite:///srv/office/commissioner.db?mode=rwc");
    }

    #[test]
    fn file_then_environment_override_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("office.toml", "phase = \"alpha\"\nlisten = \"0.0.0.0:9000\"\n")?;
            jail.set_env("COMMISSIONER_LISTEN", "127.0.0.1:9100");
            jail.set_env("DATABASE_URL", "postgres://localhost/office");
            let settings = Settings::load(Some(Path::new("office.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(settings.phase, "alpha");
            assert_eq!(settings.listen.port(), 9100);
            assert_eq!(settings.database_url, "postgres://localhost/office");
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_with_the_field_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("typo.toml", "lisen = \"0.0.0.0:9000\"\n")?;
            let err = Settings::load(Some(Path::new("typo.toml"))).expect_err("typo accepted");
            assert!(err.to_string().contains("lisen"), "{err}");
            jail.create_file("bad.toml", "database_url = \"mysql://x\"\n")?;
            let err = Settings::load(Some(Path::new("bad.toml"))).expect_err("mysql accepted");
            assert!(err.to_string().contains("database_url"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn a_missing_configuration_file_is_an_error() {
        let err = Settings::load(Some(Path::new("/nonexistent/commissioner.toml"))).expect_err("accepted");
        assert!(matches!(err, ConfigError::MissingFile(_)));
    }
}
