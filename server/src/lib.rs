//! Dangan's sync endpoint: per-archive access tokens, push and pull of opaque changes (protocol:
//! `dangan::domain::sync::protocol`), rate limits, CORS, security headers, and the built app.

pub mod limit;
pub mod store;
pub mod token;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dangan::domain::sync::protocol::{
    check_change, check_key, valid_archive_id, ArchiveKey, ErrorBody, PullResponse, PushRequest, PushResponse,
    MAX_PULL, MAX_PUSH, VERSION,
};
use limit::{Limiter, Rate};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
pub use store::Store;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// How the endpoint runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built app to serve at `/` (none: sync only).
    pub dist: Option<PathBuf>,
    /// Origins allowed to call the sync API from a browser (besides the endpoint's own).
    pub allow_origins: Vec<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Requests per client address.
    pub ip_rate: Rate,
    /// Requests per access token.
    pub token_rate: Rate,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            dist: None,
            allow_origins: Vec::new(),
            max_body: 8 * 1024 * 1024,
            ip_rate: Rate { per_second: 50.0, burst: 200.0 },
            token_rate: Rate { per_second: 20.0, burst: 100.0 },
        }
    }
}

#[derive(Clone)]
struct AppState {
    store: Store,
    cfg: Arc<Config>,
    ip_limit: Arc<Limiter>,
    token_limit: Arc<Limiter>,
}

/// An error answer: status, a stable code and a sentence.
#[derive(Debug)]
pub struct ApiError(StatusCode, &'static str, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.0, Json(ErrorBody { error: self.1.into(), message: self.2 })).into_response();
        if self.0 == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if self.0 == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> ApiError {
        eprintln!("storage error: {e}");
        ApiError(StatusCode::SERVICE_UNAVAILABLE, "storage", "the sync store is unavailable; try again later".into())
    }
}

/// The endpoint's routes and layers.
pub fn router(store: Store, cfg: Config) -> Router {
    let state = AppState {
        store,
        ip_limit: Arc::new(Limiter::new(cfg.ip_rate)),
        token_limit: Arc::new(Limiter::new(cfg.token_rate)),
        cfg: Arc::new(cfg.clone()),
    };
    let mut app = Router::new()
        .route("/health", get(|| async { Json(serde_json::json!({"status": "ok", "protocol": VERSION})) }))
        .route("/sync/v1/{archive}/push", post(push))
        .route("/sync/v1/{archive}/pull", get(pull))
        .route("/sync/v1/{archive}/key", get(get_key).put(put_key))
        .with_state(state);
    app = match &cfg.dist {
        Some(dist) => app.fallback_service(
            ServeDir::new(dist)
                .append_index_html_on_directories(true)
                .fallback(ServeFile::new(dist.join("index.html"))),
        ),
        None => app.fallback(|| async { ApiError(StatusCode::NOT_FOUND, "not_found", "no such path".into()) }),
    };
    if !cfg.allow_origins.is_empty() {
        let origins: Vec<HeaderValue> = cfg.allow_origins.iter().filter_map(|o| o.parse().ok()).collect();
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST, Method::PUT])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(std::time::Duration::from_secs(3600)),
        );
    }
    let headers: [(header::HeaderName, &str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    for (name, value) in headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    app
}

/// Checks rate limits and the bearer token for `archive`. Nothing is read or stored before this.
async fn authorize(s: &AppState, headers: &HeaderMap, ip: SocketAddr, archive: &str) -> Result<(), ApiError> {
    if !s.ip_limit.allow(&ip.ip().to_string()) {
        return Err(ApiError(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests from this address; slow down".into(),
        ));
    }
    if !valid_archive_id(archive) {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            "bad_archive",
            "an archive id has 1–64 letters, digits, - or _".into(),
        ));
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            ApiError(
                StatusCode::UNAUTHORIZED,
                "missing_token",
                "send the access token as 'Authorization: Bearer <token>'".into(),
            )
        })?;
    let bad = || ApiError(StatusCode::UNAUTHORIZED, "bad_token", "the access token is wrong or revoked".into());
    if !token::well_formed(token) {
        return Err(bad());
    }
    let hash = token::hash(token);
    if !s.token_limit.allow(&hash) {
        return Err(ApiError(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests with this token; slow down".into(),
        ));
    }
    match s.store.token_archive(&hash).await? {
        None => Err(bad()),
        Some(a) if a == archive => Ok(()),
        Some(_) if s.store.archive_exists(archive).await? => {
            Err(ApiError(StatusCode::FORBIDDEN, "wrong_archive", "this token opens another archive".into()))
        }
        Some(_) => Err(ApiError(StatusCode::NOT_FOUND, "unknown_archive", format!("there is no archive '{archive}'"))),
    }
}

/// Reads a JSON body of at most `limit` bytes: 413 with `too_large` above it, 400 when it is not
/// `what`.
async fn json_body<T: serde::de::DeserializeOwned>(
    body: Body,
    limit: usize,
    too_large: String,
    what: &str,
) -> Result<T, ApiError> {
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError(StatusCode::PAYLOAD_TOO_LARGE, "too_large", too_large))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, "malformed", format!("the body is not {what}: {e}")))
}

async fn push(
    State(s): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    Path(archive): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<PushResponse>, ApiError> {
    authorize(&s, &headers, ip, &archive).await?;
    let too_large = format!("the request is larger than {} bytes; send fewer changes at once", s.cfg.max_body);
    let req: PushRequest = json_body(body, s.cfg.max_body, too_large, "a push request").await?;
    if req.changes.len() > MAX_PUSH {
        return Err(ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many",
            format!("at most {MAX_PUSH} changes per push"),
        ));
    }
    for (i, c) in req.changes.iter().enumerate() {
        check_change(c).map_err(|m| ApiError(StatusCode::BAD_REQUEST, "bad_change", format!("change {i}: {m}")))?;
    }
    let p = s.store.push(&archive, req.changes).await?;
    Ok(Json(PushResponse { stored: p.stored, duplicates: p.duplicates, cursor: p.cursor }))
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<usize>,
}

async fn pull(
    State(s): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    Path(archive): Path<String>,
    headers: HeaderMap,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    authorize(&s, &headers, ip, &archive).await?;
    let Query(q) = query.map_err(|e| {
        ApiError(
            StatusCode::BAD_REQUEST,
            "bad_query",
            format!("use ?since=<cursor>&limit=<1–{MAX_PULL}>: {}", e.body_text()),
        )
    })?;
    let limit = q.limit.unwrap_or(1000);
    if !(1..=MAX_PULL).contains(&limit) {
        return Err(ApiError(StatusCode::BAD_REQUEST, "bad_query", format!("limit must be 1–{MAX_PULL}")));
    }
    let page = s.store.pull(&archive, q.since, limit).await?;
    Ok(Json(PullResponse { changes: page.changes, cursor: page.cursor, has_more: page.has_more }))
}

async fn get_key(
    State(s): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    Path(archive): Path<String>,
    headers: HeaderMap,
) -> Result<Json<ArchiveKey>, ApiError> {
    authorize(&s, &headers, ip, &archive).await?;
    match s.store.key(&archive).await? {
        Some(k) => Ok(Json(k)),
        None => Err(ApiError(StatusCode::NOT_FOUND, "no_key", "this archive is not encrypted".into())),
    }
}

async fn put_key(
    State(s): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    Path(archive): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ArchiveKey>), ApiError> {
    authorize(&s, &headers, ip, &archive).await?;
    let k: ArchiveKey = json_body(body, 4096, "a key is at most 4096 bytes".into(), "an archive key").await?;
    check_key(&k).map_err(|m| ApiError(StatusCode::BAD_REQUEST, "bad_key", m))?;
    if s.store.set_key(&archive, k.clone()).await? {
        Ok((StatusCode::CREATED, Json(k)))
    } else {
        Err(ApiError(StatusCode::CONFLICT, "key_exists", "this archive already has a key; use its passphrase".into()))
    }
}

/// Serves `app` on `listener` until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
