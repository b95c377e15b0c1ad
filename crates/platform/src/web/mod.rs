//! The web kernel every capability's pages use: shared state, the page chrome, errors, the form
//! kit, static assets, health and metrics, and the layers wrapped around every request.

pub mod assets;
pub mod client;
pub mod error;
pub mod forms;
pub mod held;
pub mod metrics;
mod page;
pub mod serve;
pub mod stamped;
pub mod visitor;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use serde::de::DeserializeOwned;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;
pub use page::{Chrome, PageRequest, StaffBar, StaffPage};

use crate::access::{Access, Policy, Routes};
use crate::auth::Viewer;
use crate::config::Settings;
use crate::db::Pool;
use crate::files::Storage;
use crate::office::{self, Office};

/// A link in the service navigation, shown to those its access rule lets in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub href: String,
    pub text: String,
    pub access: Access,
    /// For partners, the kinds of organisation whose accounts the link is for (a review body's
    /// partner has no use for complaint reviews); every partner the access allows when `None`.
    pub partners: Option<&'static [crate::organisations::Kind]>,
}

impl NavItem {
    pub fn new(href: &str, text: &str) -> Self {
        Self { href: href.into(), text: text.into(), access: Access::Public, partners: None }
    }
    pub fn for_staff(href: &str, text: &str, access: Access) -> Self {
        Self { href: href.into(), text: text.into(), access, partners: None }
    }
    /// Shown to partners of these kinds of organisation only.
    pub fn for_partners_of(mut self, kinds: &'static [crate::organisations::Kind]) -> Self {
        self.partners = Some(kinds);
        self
    }
}

/// State shared by every request: cheap to clone.
#[derive(Clone)]
pub struct Platform {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    settings: Settings,
    metrics: metrics::Metrics,
    navigation: Arc<Vec<NavItem>>,
    policy: Policy,
    storage: Storage,
    secrets: crate::auth::secrets::SecretsKey,
    trusted_proxies: client::AddressRanges,
    metrics_allow: client::AddressRanges,
    /// The office as last read, for pages drawn while the database is away.
    last_known_office: RwLock<Office>,
    /// What the staff home page shows of each person's work (the case kit's, when composed).
    staff_work: Option<Arc<dyn crate::capability::StaffWork>>,
    /// Every service's yearly figures, for reports that gather them.
    yearly_figures: Vec<crate::figures::YearSummaryFn>,
}

impl Platform {
    pub fn new(
        pool: Pool,
        settings: Settings,
        navigation: Vec<NavItem>,
        policy: Policy,
        storage: Storage,
        secrets: crate::auth::secrets::SecretsKey,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                pool,
                metrics: metrics::Metrics::new(),
                navigation: Arc::new(navigation),
                policy,
                storage,
                secrets,
                trusted_proxies: settings.trusted_proxy_ranges(),
                metrics_allow: settings.metrics_ranges(),
                settings,
                last_known_office: RwLock::new(Office::unconfigured()),
                staff_work: None,
                yearly_figures: Vec::new(),
            }),
        }
    }

    /// Gives the staff home page its account of each person's work. Call before the platform is
    /// shared (it is a setting of the composed application, not something that changes).
    #[must_use]
    pub fn with_staff_work(mut self, work: Arc<dyn crate::capability::StaffWork>) -> Self {
        match Arc::get_mut(&mut self.inner) {
            Some(inner) => inner.staff_work = Some(work),
            None => tracing::error!("staff work given to a platform already shared; the home page will not show it"),
        }
        self
    }

    /// Gives the platform every service's yearly figures, as [`Self::with_staff_work`] does.
    #[must_use]
    pub fn with_yearly_figures(mut self, figures: Vec<crate::figures::YearSummaryFn>) -> Self {
        match Arc::get_mut(&mut self.inner) {
            Some(inner) => inner.yearly_figures = figures,
            None => tracing::error!("yearly figures given to a platform already shared; reports will not have them"),
        }
        self
    }

    pub fn yearly_figures(&self) -> &[crate::figures::YearSummaryFn] {
        &self.inner.yearly_figures
    }

    pub fn staff_work(&self) -> Option<&Arc<dyn crate::capability::StaffWork>> {
        self.inner.staff_work.as_ref()
    }
    pub fn pool(&self) -> &Pool {
        &self.inner.pool
    }
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }
    pub fn metrics(&self) -> &metrics::Metrics {
        &self.inner.metrics
    }
    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }
    pub fn storage(&self) -> &Storage {
        &self.inner.storage
    }
    /// The key that seals second-factor secrets.
    pub fn secrets(&self) -> &crate::auth::secrets::SecretsKey {
        &self.inner.secrets
    }
    pub fn trusted_proxies(&self) -> &client::AddressRanges {
        &self.inner.trusted_proxies
    }
    pub fn metrics_allow(&self) -> &client::AddressRanges {
        &self.inner.metrics_allow
    }
    fn last_known_office(&self) -> Office {
        self.inner.last_known_office.read().map(|o| o.clone()).unwrap_or_else(|_| Office::unconfigured())
    }
    /// Reads the office from the database, remembering it for error pages.
    pub async fn office(&self) -> Result<Office, AppError> {
        let office = office::load(self.pool()).await?.unwrap_or_else(Office::unconfigured);
        if let Ok(mut last) = self.inner.last_known_office.write()
            && *last != office
        {
            *last = office.clone();
        }
        Ok(office)
    }
}

/// Renders a page that refuses what was sent (a form with its errors) with 422.
pub fn refused(template: &impl askama::Template) -> Result<Response, AppError> {
    Ok((http::StatusCode::UNPROCESSABLE_ENTITY, render(template)?).into_response())
}

/// Renders a page template, turning a template fault into the 500 page.
pub fn render(template: &impl askama::Template) -> Result<Response, AppError> {
    Ok(axum::response::Html(template.render()?).into_response())
}

/// A submitted HTML form (`application/x-www-form-urlencoded`), with repeated fields for
/// checkboxes. Refusals become GOV.UK pages: 413 when too large, 400 for anything malformed.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<Platform> for Form<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, platform: &Platform) -> Result<Self, Self::Rejection> {
        match axum_extra::extract::Form::<T>::from_request(request, platform).await {
            Ok(axum_extra::extract::Form(value)) => Ok(Form(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(AppError::PayloadTooLarge),
            Err(rejection) => Err(AppError::BadRequest(rejection.body_text())),
        }
    }
}

/// A form that may carry files: a plain urlencoded form, or a multipart one whose files have
/// been streamed to temporary files and checked against `rules`. Problems with files come back
/// as messages on `file_field`, so the page can show them in its error summary.
pub async fn read_form_with_files<T: DeserializeOwned>(
    platform: &Platform,
    request: Request,
    rules: crate::files::UploadRules,
    file_field: &str,
) -> Result<(T, Vec<crate::files::CheckedUpload>, forms::FormErrors), AppError> {
    use crate::files::{self, ReadError};
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let is_multipart = content_type.starts_with("multipart/form-data");
    if !is_multipart && !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::BadRequest(format!("a form cannot be sent as {content_type:?}")));
    }
    if !is_multipart {
        let bytes = axum::body::to_bytes(request.into_body(), platform.settings().form_body_limit_bytes)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        let form = serde_html_form::from_bytes(&bytes).map_err(|e| AppError::BadRequest(e.to_string()))?;
        return Ok((form, Vec::new(), forms::FormErrors::new()));
    }
    let address = request.extensions().get::<Viewer>().map(|v| v.address().to_string()).unwrap_or_default();
    let now = time::OffsetDateTime::now_utc();
    if platform.storage().free_bytes().is_some_and(|free| free < platform.settings().upload_min_free_bytes) {
        return Err(AppError::StorageFull);
    }
    let by_address = uploads_by_address(platform);
    let over_budget = crate::throttle::exhausted(platform.pool(), by_address, &address, now).await?;
    // Over the hour's allowance the form is still read, so nothing typed is lost; its files are not kept.
    let rules = if over_budget { files::UploadRules { max_files: 0, ..rules } } else { rules };
    let multipart =
        axum::extract::Multipart::from_request(request, platform).await.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let submission = match files::read_submission(multipart, platform.storage(), rules).await {
        Ok(submission) => submission,
        Err(ReadError::BodyTooLarge) => return Err(AppError::PayloadTooLarge),
        Err(ReadError::Malformed(reason)) => return Err(AppError::BadRequest(reason)),
        Err(ReadError::Disk(error)) => return Err(AppError::Internal(error.into())),
    };
    let form: T = submission.deserialize().map_err(AppError::BadRequest)?;
    let received: u64 = submission.uploads.iter().map(|u| u.size_bytes).sum();
    if received > 0 {
        crate::throttle::count(platform.pool(), by_address, &address, i64::try_from(received).unwrap_or(i64::MAX), now).await?;
    }
    let mut errors = forms::FormErrors::new();
    if over_budget && !submission.problems.is_empty() {
        errors.add(file_field, files::UPLOAD_ALLOWANCE_USED);
        return Ok((form, submission.uploads, errors));
    }
    for (_, problem) in &submission.problems {
        errors.add(file_field, problem.message(rules.described_as));
    }
    Ok((form, submission.uploads, errors))
}

/// Bytes one client address may upload in an hour, across every form.
pub fn uploads_by_address(platform: &Platform) -> crate::throttle::Limit {
    crate::throttle::Limit {
        kind: "upload bytes from address",
        limit: i64::try_from(platform.settings().upload_bytes_per_address_per_hour).unwrap_or(i64::MAX),
        window: time::Duration::hours(1),
    }
}

/// Downloads one of a record's files, recording the read in the audit log. The caller has
/// already decided the viewer may see the record; the file must belong to it.
pub async fn download_record_file(
    platform: &Platform,
    actor: &crate::audit::Actor,
    owner: (&str, &str),
    file_id: &str,
    record: (&str, &str),
) -> Result<Response, AppError> {
    let (owner_type, owner_id) = owner;
    let (record_type, record_id) = record;
    let file = crate::files::files_of(platform.pool(), owner_type, owner_id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or(AppError::NotFound)?;
    let event = crate::audit::Event { action: "downloaded attachment", record_type, record_id, detail: &file.id };
    crate::audit::record_now(platform.pool(), actor, event).await?;
    crate::files::download(platform.storage(), &file).await.map_err(|e| AppError::Internal(e.into()))
}

pub use crate::format::{decimal, thousands};

/// One text field of a CSV download: always quoted, and a leading `=`, `+`, `-` or `@` defused,
/// so a name someone typed cannot run as a spreadsheet formula.
pub fn csv_field(text: &str) -> String {
    format!("\"{}\"", defused(text).replace('"', "\"\""))
}

/// Text for a spreadsheet cell: a leading `=`, `+`, `-` or `@` gets a `'` so it cannot run as a
/// formula.
pub fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() }
}

/// A CSV download named `filename` (letters, digits, dots and hyphens only, so the header is
/// always valid).
pub fn csv_download(body: String, filename: &str) -> Response {
    download(body.into_bytes(), "text/csv; charset=utf-8", filename)
}

/// A PDF to download, named as [`csv_download`] names its files.
pub fn pdf_download(body: Vec<u8>, filename: &str) -> Response {
    download(body, "application/pdf", filename)
}

fn download(body: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let safe: String = filename.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Evidence rules for a public form: the office's size limit, `max_files` files.
pub fn evidence_rules(platform: &Platform, max_files: usize) -> crate::files::UploadRules {
    crate::files::UploadRules {
        max_bytes: platform.settings().upload_max_bytes,
        max_files,
        allowed: crate::files::EVIDENCE,
        described_as: crate::files::EVIDENCE_DESCRIPTION,
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 40,
    }
}

/// `GET /healthz`: 200 when the database takes a write, 503 when it does not, so that a server
/// that can read but not write (a full disk, a read-only replica) leaves the load balancer.
async fn healthz(State(platform): State<Platform>) -> Response {
    let started = std::time::Instant::now();
    match crate::db::check_writable(platform.pool()).await {
        Ok(()) => Json(serde_json::json!({
            "status": "ok",
            "database": "ok",
            "database_ms": started.elapsed().as_secs_f64() * 1000.0,
            "version": env!("CARGO_PKG_VERSION"),
        }))
        .into_response(),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })))
                .into_response()
        }
    }
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Health, metrics and static files.
pub fn platform_routes() -> Routes {
    Routes::new()
        .route("/healthz", Access::Public, get(healthz))
        .route("/metrics", Access::Public, get(metrics::render_for_allowed))
        .route("/assets/{version}/{*path}", Access::Public, get(assets::serve))
}

fn content_security_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self' '{}'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        assets::ASSETS.body_class_script_hash
    )
}

/// Wraps the composed application in the layers every request passes through, outermost last:
/// routing marks → panic catcher → error pages → security headers → metrics → trace.
pub fn finish(router: Router<Platform>, platform: Platform) -> Router {
    let hsts = platform.settings().served_over_tls().then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    let body_limit = platform.settings().form_body_limit_bytes;
    let csp = HeaderValue::from_str(&content_security_policy()).expect("policy is ASCII");
    let header_layer = |name: HeaderName, value: HeaderValue| SetResponseHeaderLayer::if_not_present(name, value);
    router
        .fallback(not_found)
        .method_not_allowed_fallback(|| async { StatusCode::METHOD_NOT_ALLOWED })
        .route_layer(middleware::from_fn_with_state(platform.clone(), crate::auth::session::authorise))
        .route_layer(middleware::from_fn_with_state(platform.clone(), visitor::visitor_key))
        .route_layer(middleware::from_fn(metrics::mark_route))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(platform.clone(), serve::limit_body_time))
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn_with_state(platform.clone(), error::render_error_pages))
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, csp))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(header_layer(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(header_layer(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ))
        .layer(header_layer(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(tower::util::option_layer(hsts))
        .layer(middleware::from_fn_with_state(platform.clone(), metrics::track))
        .layer(TraceLayer::new_for_http())
        .with_state(platform)
}

/// How long the server gives in-flight requests after a shutdown signal.
pub fn shutdown_grace(settings: &Settings) -> Duration {
    Duration::from_secs(settings.shutdown_grace_secs)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;
    use crate::access::ViewerKind;

    #[test]
    fn numbers_are_written_as_gov_uk_writes_them() {
        assert_eq!(
            (thousands(0), thousands(999), thousands(1000), thousands(1_234_567)),
            ("0".into(), "999".into(), "1,000".into(), "1,234,567".into())
        );
        assert_eq!(decimal(1234.56, 1), "1,234.6");
        assert_eq!(decimal(452_631.5, 0), "452,632");
        assert_eq!(decimal(-12_345.0, 2), "-12,345.00");
        assert_eq!(decimal(-0.04, 1), "0.0", "no minus sign on a rounded zero");
        assert_eq!(decimal(0.05, 1), "0.1");
    }

    async fn platform(policy: Policy) -> (Platform, tempfile::TempDir) {
        let data = tempfile::tempdir().expect("temp dir");
        let settings = Settings { data_dir: data.path().to_path_buf(), ..Settings::default() };
        let pool = crate::db::connect_lazy(&settings).expect("pool");
        crate::db::migrate(&pool, &[&crate::db::MIGRATOR]).await.expect("migrated");
        let storage = Storage::from_settings(&settings).expect("storage");
        let secrets = crate::auth::secrets::SecretsKey::load_or_create(&settings).expect("key");
        (Platform::new(pool, settings, vec![NavItem::new("/", "Home")], policy, storage, secrets), data)
    }

    async fn page(router: &Router, path: &str) -> (StatusCode, String) {
        let response = router.clone().oneshot(Request::get(path).body(Body::empty()).expect("request")).await.expect("response");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn each_failure_gets_its_gov_uk_page_and_internals_stay_hidden() {
        let routes = Routes::new()
            .route("/forbidden", Access::Public, get(|| async { AppError::Forbidden }))
            .route(
                "/broken",
                Access::Public,
                get(|| async { AppError::Internal(anyhow::anyhow!("secret connection string in a cause")) }),
            )
            .route(
                "/panics",
                Access::Public,
                get(|| async {
                    if true {
                        panic!("a bug");
                    }
                    "unreachable"
                }),
            )
            .route("/unavailable", Access::Public, get(|| async { AppError::Unavailable(sqlx::Error::PoolTimedOut) }));
        let (router, policy) = routes.into_parts();
        // A route added behind the policy's back, as a careless change might.
        let router = router.route("/undeclared-in-policy", get(|| async { "never served" }));
        let (platform, _data) = platform(policy).await;
        let app = finish(router, platform);

        let (status, _) = page(&app, "/undeclared-in-policy").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a route missing from the policy is refused");

        let (status, html) = page(&app, "/forbidden").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("You do not have permission to see this page"));

        let (status, html) = page(&app, "/broken").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(html.contains("Sorry, there is a problem with the service"));
        assert!(!html.contains("secret"), "internals shown to the user");

        let (status, html) = page(&app, "/panics").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "a panic is caught, not a dropped connection");
        assert!(html.contains("Sorry, there is a problem with the service"));
        assert!(!html.contains("a bug"));

        let (status, html) = page(&app, "/unavailable").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(html.contains("Sorry, the service is unavailable"));
        assert!(html.contains("govuk-template"));
    }

    #[tokio::test]
    async fn a_page_that_already_has_html_is_left_alone() {
        let routes = Routes::new().route(
            "/own",
            Access::Public,
            get(|| async { (StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html("<p>form with errors</p>")) }),
        );
        let (router, policy) = routes.into_parts();
        let (platform, _data) = platform(policy).await;
        let (status, html) = page(&finish(router, platform), "/own").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(html, "<p>form with errors</p>");
    }

    #[tokio::test]
    async fn hsts_is_sent_only_when_served_over_tls() {
        for (public_url, expected) in [("https://office.example", true), ("http://localhost:8080", false)] {
            let data = tempfile::tempdir().expect("temp dir");
            let settings = Settings { data_dir: data.path().to_path_buf(), public_url: public_url.into(), ..Settings::default() };
            let pool = crate::db::connect_lazy(&settings).expect("pool");
            crate::db::migrate(&pool, &[&crate::db::MIGRATOR]).await.expect("migrated");
            let storage = Storage::from_settings(&settings).expect("storage");
            let (router, policy) = Routes::new().route("/", Access::Public, get(|| async { "ok" })).into_parts();
            let secrets = crate::auth::secrets::SecretsKey::load_or_create(&settings).expect("key");
            let app = finish(router, Platform::new(pool, settings, vec![], policy, storage, secrets));
            let response = app.oneshot(Request::get("/").body(Body::empty()).expect("request")).await.expect("response");
            assert_eq!(response.headers().contains_key(header::STRICT_TRANSPORT_SECURITY), expected, "{public_url}");
        }
    }

    #[test]
    fn navigation_marks_home_only_on_the_home_page() {
        let chrome = |path: &str| Chrome {
            office: Office::unconfigured(),
            phase: "beta".into(),
            navigation: Arc::new(vec![]),
            path: path.into(),
            has_errors: false,
            staff: None,
            viewer: ViewerKind::Public,
            partner_of: None,
            done: None,
        };
        assert!(chrome("/").is_current("/"));
        assert!(!chrome("/contact").is_current("/"));
        assert!(chrome("/contact/sent/x").is_current("/contact"));
        assert!(!chrome("/contacts").is_current("/contact"));
        assert_eq!(chrome("/").phase_label(), "Beta");
    }

    #[test]
    fn partners_see_only_the_links_for_their_kind_of_organisation() {
        use crate::access::Role;
        use crate::organisations::Kind;
        const READERS: &[Role] = &[Role::Administrator, Role::Partner];
        let navigation = Arc::new(vec![
            NavItem::for_staff("/staff/asb", "ASB", Access::Roles(READERS)).for_partners_of(&[Kind::ReviewBody]),
            NavItem::for_staff("/staff/complaints", "Complaints", Access::Roles(READERS)).for_partners_of(&[Kind::ForcePsd]),
            NavItem::for_staff("/staff", "Staff home", Access::Staff),
        ]);
        let chrome = |viewer, partner_of| Chrome {
            office: Office::unconfigured(),
            phase: "beta".into(),
            navigation: navigation.clone(),
            path: "/staff".into(),
            has_errors: false,
            staff: None,
            viewer,
            partner_of,
            done: None,
        };
        let seen = |c: Chrome| c.visible_navigation().map(|i| i.text.clone()).collect::<Vec<_>>();
        let partner = ViewerKind::Staff(Role::Partner);
        assert_eq!(seen(chrome(partner, Some(Kind::ReviewBody))), ["ASB", "Staff home"]);
        assert_eq!(seen(chrome(partner, Some(Kind::ForcePsd))), ["Complaints", "Staff home"]);
        assert_eq!(seen(chrome(partner, Some(Kind::Provider))), ["Staff home"]);
        assert_eq!(seen(chrome(partner, None)), ["Staff home"], "a partner of no organisation");
        assert_eq!(seen(chrome(ViewerKind::Staff(Role::Administrator), None)), ["ASB", "Complaints", "Staff home"]);
    }

    #[test]
    fn staff_pages_show_the_staff_links_and_the_public_site_its_own() {
        use crate::access::Role;
        let navigation = Arc::new(vec![
            NavItem::new("/", "Home"),
            NavItem::new("/contact", "Contact us"),
            NavItem::for_staff("/staff", "Staff home", Access::Staff),
            NavItem::for_staff("/staff/admin/users", "Staff accounts", Access::Roles(&[Role::Administrator])),
        ]);
        let chrome = |path: &str, signed_in: bool| Chrome {
            office: Office::unconfigured(),
            phase: String::new(),
            navigation: navigation.clone(),
            path: path.into(),
            has_errors: false,
            staff: Some(StaffBar {
                name: "Jo".into(),
                role: "Administrator".into(),
                csrf_token: String::new(),
                signed_in,
                idle_minutes: 30,
            }),
            viewer: if signed_in { ViewerKind::Staff(Role::Administrator) } else { ViewerKind::SigningIn(Role::Administrator) },
            partner_of: None,
            done: None,
        };
        let seen = |c: Chrome| c.navigation_here().map(|i| i.text.clone()).collect::<Vec<_>>();
        assert_eq!(seen(chrome("/staff/admin/users", true)), ["Staff home", "Staff accounts"]);
        assert_eq!(seen(chrome("/contact", true)), ["Home", "Contact us"], "the public site while signed in");
        assert_eq!(seen(chrome("/staff/two-factor", false)), ["Home", "Contact us"], "not signed in yet");
    }
}
