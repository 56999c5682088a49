//! Dangan's sync endpoint: per-archive access tokens, push and pull of opaque changes (protocol:
//! `dangan::domain::sync::protocol`), rate limits, CORS, security headers, and the built app.

pub mod assets;
pub mod conn;
pub mod limit;
pub mod live;
pub mod store;
pub mod token;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dangan::domain::sync::protocol::{
    check_change, check_destroy, check_key, valid_archive_id, valid_blob_name, ArchiveKey, DestroyRequest,
    DestroyResponse, ErrorBody, ErrorCode, PullResponse, PushRequest, PushResponse, MAX_BLOB, MAX_PULL, MAX_PUSH,
    VERSION,
};
use limit::{Limiter, Rate};
use serde::Deserialize;
use sha2::Digest;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
pub use store::Store;
use token::Scope;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
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
    /// Wrong tokens per client address before its unknown tokens are refused unchecked (429).
    pub bad_token_rate: Rate,
    /// Limits on connections: request head time and size, body time, connections per address.
    pub guard: conn::Guard,
    /// How often a live connection's token is checked again (a revoked one's connection ends).
    pub live_recheck: std::time::Duration,
    /// Other sync endpoints the served app may connect to (added to the policy's `connect-src`).
    pub connect_origins: Vec<String>,
    /// Served to browsers over HTTPS (a proxy in front terminates TLS): send
    /// `Strict-Transport-Security`.
    pub hsts: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            dist: None,
            allow_origins: Vec::new(),
            max_body: 8 * 1024 * 1024,
            ip_rate: Rate { per_second: 50.0, burst: 200.0 },
            token_rate: Rate { per_second: 20.0, burst: 100.0 },
            // Twenty wrong tokens at once (a clerk mistyping), then one every ten seconds.
            bad_token_rate: Rate { per_second: 0.1, burst: 20.0 },
            guard: conn::Guard::default(),
            live_recheck: std::time::Duration::from_secs(60),
            connect_origins: Vec::new(),
            hsts: false,
        }
    }
}

#[derive(Clone)]
struct AppState {
    store: Store,
    hub: live::Hub,
    cfg: Arc<Config>,
    ip_limit: Arc<Limiter>,
    token_limit: Arc<Limiter>,
    /// Wrong tokens per address.
    bad_tokens: Arc<Limiter>,
    /// Hashes of tokens that opened an archive lately: they pass an address's wrong-token gate
    /// (a device behind the same NAT as a guesser), and are checked against the database as
    /// every token is.
    good_tokens: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// When each token's last use was written, by hash.
    used: Arc<std::sync::Mutex<std::collections::HashMap<String, i64>>>,
    /// When a wrong-token flood was last logged, per address.
    flood_logged: Arc<std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>>,
}

/// An error answer: a code of the protocol (which gives the status) and a sentence.
#[derive(Debug)]
pub struct ApiError(ErrorCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = (status, Json(ErrorBody { error: self.0, message: self.1 })).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> ApiError {
        eprintln!("storage error: {e}");
        ApiError(ErrorCode::Storage, "the sync store is unavailable; try again later".into())
    }
}

/// The endpoint's routes and layers.
pub fn router(store: Store, cfg: Config) -> Router {
    let hub = store.hub();
    let state = AppState {
        store,
        hub,
        ip_limit: Arc::new(Limiter::new(cfg.ip_rate)),
        token_limit: Arc::new(Limiter::new(cfg.token_rate)),
        bad_tokens: Arc::new(Limiter::new(cfg.bad_token_rate)),
        good_tokens: Default::default(),
        used: Default::default(),
        flood_logged: Default::default(),
        cfg: Arc::new(cfg.clone()),
    };
    let mut app =
        Router::new()
            .route("/health", get(|| async { Json(serde_json::json!({"status": "ok", "protocol": VERSION})) }))
            .route("/sync/v1/{archive}/push", post(push))
            .route("/sync/v1/{archive}/pull", get(pull))
            .route("/sync/v1/{archive}/key", get(get_key).put(put_key))
            .route("/sync/v1/{archive}/events", get(events))
            .route("/sync/v1/{archive}/blobs/{hash}", get(get_blob).put(put_blob))
            .route("/admin/v1/{archive}/tokens", get(list_tokens))
            .route("/admin/v1/{archive}/destroy", post(destroy))
            .with_state(state)
            // Pulled pages are JSON, which compresses about eighteenfold: what a new device downloads
            // over a hotel's Wi-Fi. zstd for browsers that take it (Chromium, Firefox), gzip for the
            // others (Safari). Not brotli: the Rust encoder made 18 MB/s, so a new device's 280 MB
            // pull (100,000 profiles with history) spent 19.8 s compressing where zstd takes 6.8 s
            // for 6 % more bytes (docs/performance.md). The event stream is left as it is:
            // compressing it would hold its events back. Documents' files are left as they are too:
            // photos and PDFs are compressed already, and encrypted ones do not shrink at all.
            .layer(
                CompressionLayer::new().br(false).gzip(true).zstd(true).compress_when(
                    DefaultPredicate::new().and(NotForContentType::const_new("application/octet-stream")),
                ),
            );
    app = match &cfg.dist {
        Some(dist) => app.fallback_service(assets::service(dist)),
        None => app.fallback(|| async { ApiError(ErrorCode::NotFound, "no such path".into()) }),
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
    for (name, value) in security_headers(&cfg) {
        let value = HeaderValue::from_str(&value).expect("the policies are visible ASCII");
        app = app.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    app.layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}

/// The headers every answer carries (`dangan-server headers` prints them for a web server that
/// serves the built app instead of the endpoint).
pub fn security_headers(cfg: &Config) -> Vec<(header::HeaderName, String)> {
    let mut headers = vec![
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        (header::X_FRAME_OPTIONS, "DENY".into()),
        (header::REFERRER_POLICY, "no-referrer".into()),
        (header::CONTENT_SECURITY_POLICY, content_security_policy(&cfg.connect_origins)),
        (header::HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY.into()),
    ];
    if cfg.hsts {
        headers.push((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains".into()));
    }
    headers
}

/// What the served app may load and where it may connect: its own files only (the wasm compiled
/// with `'wasm-unsafe-eval'`, never `eval`), no inline script or style (the build moves trunk's
/// loader into a file), pictures also from `blob:` and `data:` (thumbnails, exports), and the
/// endpoint itself plus `connect` (other sync endpoints the clerk may configure). Nothing may
/// frame the app.
pub fn content_security_policy(connect: &[String]) -> String {
    let connect: String = connect.iter().filter(|o| valid_origin(o)).map(|o| format!(" {o}")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; \
         connect-src 'self'{connect}; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; \
         object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// Browser features the app does not use, switched off for it and anything it could embed. The
/// camera joins as `camera=(self)` with documents and photos on a profile.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// An origin as a policy may name it: `http(s)://host[:port]`, nothing after it, no spaces or `;`.
pub fn valid_origin(o: &str) -> bool {
    let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b)))
}

/// The archive a device may use: the path's archive id, after the rate limits and the bearer
/// token (of [`Scope::Device`]) were checked, and the token's hash. A handler that takes it reads
/// and stores nothing before the check.
struct Authorized(String, String);

/// The archive an administrator's token ([`Scope::Admin`]) may manage, checked the same way.
struct AdminAuthorized(String);

impl FromRequestParts<AppState> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Authorized, ApiError> {
        let (archive, hash) = authorize(parts, s, Scope::Device).await?;
        Ok(Authorized(archive, hash))
    }
}

impl FromRequestParts<AppState> for AdminAuthorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<AdminAuthorized, ApiError> {
        Ok(AdminAuthorized(authorize(parts, s, Scope::Admin).await?.0))
    }
}

/// Checks a request's address and token rate, its archive id and its bearer token (known, not
/// revoked or expired, of the archive, of scope `need`); the archive and the token's hash.
async fn authorize(parts: &mut Parts, s: &AppState, need: Scope) -> Result<(String, String), ApiError> {
    let ip = ConnectInfo::<SocketAddr>::from_request_parts(parts, s)
        .await
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_default();
    if !s.ip_limit.allow(&ip) {
        return Err(ApiError(ErrorCode::RateLimited, "too many requests from this address; slow down".into()));
    }
    let bad_archive = || ApiError(ErrorCode::BadArchive, "an archive id has 1–64 letters, digits, - or _".into());
    let Path(params) = Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, s)
        .await
        .map_err(|_| bad_archive())?;
    let archive = params.get("archive").cloned().unwrap_or_default();
    if !valid_archive_id(&archive) {
        return Err(bad_archive());
    }
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            ApiError(ErrorCode::MissingToken, "send the access token as 'Authorization: Bearer <token>'".into())
        })?;
    let hash = token::hash(token);
    let known = || s.good_tokens.lock().unwrap_or_else(|e| e.into_inner()).contains(&hash);
    if s.bad_tokens.exhausted(&ip) && !known() {
        s.log_flood(&ip);
        return Err(ApiError(
            ErrorCode::RateLimited,
            "too many wrong access tokens from this address; wait a minute and check the token".into(),
        ));
    }
    let bad = || {
        s.bad_tokens.allow(&ip);
        ApiError(ErrorCode::BadToken, "the access token is wrong or revoked".into())
    };
    if !token::well_formed(token) {
        return Err(bad());
    }
    if !s.token_limit.allow(&hash) {
        return Err(ApiError(ErrorCode::RateLimited, "too many requests with this token; slow down".into()));
    }
    let Some(grant) = s.store.token_grant(&hash).await? else {
        return Err(bad());
    };
    let now = store::now_ms();
    if grant.expires_at.is_some_and(|e| e <= now) {
        return Err(ApiError(ErrorCode::ExpiredToken, "the access token has expired; ask for a new one".into()));
    }
    if !known() {
        let mut good = s.good_tokens.lock().unwrap_or_else(|e| e.into_inner());
        if good.len() >= 10_000 {
            good.clear();
        }
        good.insert(hash.clone());
    }
    if grant.archive != archive {
        return Err(if s.store.archive_exists(&archive).await? {
            ApiError(ErrorCode::WrongArchive, "this token opens another archive".into())
        } else {
            ApiError(ErrorCode::UnknownArchive, format!("there is no archive '{archive}'"))
        });
    }
    if grant.scope != need {
        let m = match need {
            Scope::Device => "this is an administrator's token; a device needs a device token",
            Scope::Admin => "this is a device token; administration needs an administrator's token",
        };
        return Err(ApiError(ErrorCode::WrongScope, m.into()));
    }
    s.note_use(&hash, now);
    Ok((archive, hash))
}

impl AppState {
    /// Writes a token's last use, at most once a minute per token from this process (a write per
    /// request would cost the database more than the requests).
    fn note_use(&self, hash: &str, now: i64) {
        {
            let mut seen = self.used.lock().unwrap_or_else(|e| e.into_inner());
            if seen.get(hash).is_some_and(|t| now - *t < 60_000) {
                return;
            }
            if seen.len() >= 10_000 {
                seen.clear();
            }
            seen.insert(hash.to_string(), now);
        }
        let (store, hash) = (self.store.clone(), hash.to_string());
        tokio::spawn(async move {
            if let Err(e) = store.touch_token(&hash, now).await {
                eprintln!("could not record a token's last use: {e}");
            }
        });
    }

    /// Logs that `ip` sends wrong tokens faster than allowed, at most once a minute per address.
    fn log_flood(&self, ip: &str) {
        let now = std::time::Instant::now();
        let mut logged = self.flood_logged.lock().unwrap_or_else(|e| e.into_inner());
        if logged.get(ip).is_some_and(|t| now.duration_since(*t).as_secs() < 60) {
            return;
        }
        if logged.len() >= 10_000 {
            logged.retain(|_, t| now.duration_since(*t).as_secs() < 60);
        }
        logged.insert(ip.to_string(), now);
        eprintln!("wrong access tokens from {ip} faster than allowed: its unknown tokens are refused for now");
    }
}

/// Reads a JSON body of at most `limit` bytes within the body timeout: 413 with `too_large` above
/// the size, 408 when it comes too slowly, 400 when it is not `what`.
async fn json_body<T: serde::de::DeserializeOwned>(
    s: &AppState,
    body: Body,
    limit: usize,
    too_large: String,
    what: &str,
) -> Result<T, ApiError> {
    let bytes = raw_body(s, body, limit, too_large).await?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError(ErrorCode::Malformed, format!("the body is not {what}: {e}")))
}

/// Reads a body of at most `limit` bytes within the body timeout (413 above, 408 too slow).
async fn raw_body(s: &AppState, body: Body, limit: usize, too_large: String) -> Result<axum::body::Bytes, ApiError> {
    let read = tokio::time::timeout(s.cfg.guard.body_timeout, axum::body::to_bytes(body, limit));
    let slow = || {
        let secs = s.cfg.guard.body_timeout.as_secs();
        ApiError(ErrorCode::Timeout, format!("the request body did not arrive within {secs} s; send it again"))
    };
    read.await.map_err(|_| slow())?.map_err(|_| ApiError(ErrorCode::TooLarge, too_large))
}

/// The blob name of a path, checked.
fn blob_name(params: &std::collections::HashMap<String, String>) -> Result<String, ApiError> {
    let hash = params.get("hash").cloned().unwrap_or_default();
    if valid_blob_name(&hash) {
        Ok(hash)
    } else {
        Err(ApiError(
            ErrorCode::BadHash,
            "a blob is named by the SHA-256 of its bytes, 64 lower-case hex digits".into(),
        ))
    }
}

/// Stores a document's file (issue 19) once per archive, after checking it hashes to its name.
async fn put_blob(
    State(s): State<AppState>,
    Authorized(archive, _): Authorized,
    Path(params): Path<std::collections::HashMap<String, String>>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let hash = blob_name(&params)?;
    let bytes = raw_body(&s, body, MAX_BLOB, format!("a file is at most {MAX_BLOB} bytes")).await?;
    let got = token::hex(&sha2::Sha256::digest(&bytes));
    if got != hash {
        return Err(ApiError(
            ErrorCode::BadHash,
            format!("the bytes hash to {got}, not to the name; send the file again"),
        ));
    }
    Ok(if s.store.put_blob(&archive, &hash, bytes.to_vec()).await? { StatusCode::CREATED } else { StatusCode::OK })
}

/// A document's file, by name.
async fn get_blob(
    State(s): State<AppState>,
    Authorized(archive, _): Authorized,
    Path(params): Path<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let hash = blob_name(&params)?;
    match s.store.blob(&archive, &hash).await? {
        Some(bytes) => Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
                // Named by its content: it never changes.
                (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable")),
            ],
            bytes,
        )
            .into_response()),
        None => Err(ApiError(ErrorCode::NoBlob, "this archive has no such file".into())),
    }
}

async fn push(
    State(s): State<AppState>,
    Authorized(archive, _): Authorized,
    body: Body,
) -> Result<Json<PushResponse>, ApiError> {
    let too_large = format!("the request is larger than {} bytes; send fewer changes at once", s.cfg.max_body);
    let req: PushRequest = json_body(&s, body, s.cfg.max_body, too_large, "a push request").await?;
    if req.changes.len() > MAX_PUSH {
        return Err(ApiError(ErrorCode::TooMany, format!("at most {MAX_PUSH} changes per push")));
    }
    for (i, c) in req.changes.iter().enumerate() {
        check_change(c).map_err(|m| ApiError(ErrorCode::BadChange, format!("change {i}: {m}")))?;
    }
    let p = s.store.push(&archive, req.changes).await?;
    if p.stored > 0 {
        s.hub.notify(&archive, p.cursor);
    }
    Ok(Json(PushResponse { stored: p.stored, duplicates: p.duplicates, cursor: p.cursor, destroyed: p.destroyed }))
}

/// A destruction (issue 18): the named records' stored changes are erased and tombstones keep
/// them out of later pushes; an administrator's token only.
async fn destroy(
    State(s): State<AppState>,
    AdminAuthorized(archive): AdminAuthorized,
    body: Body,
) -> Result<Json<DestroyResponse>, ApiError> {
    let too_large = format!("the request is larger than {} bytes", s.cfg.max_body);
    let req: DestroyRequest = json_body(&s, body, s.cfg.max_body, too_large, "a destruction request").await?;
    check_destroy(&req).map_err(|m| ApiError(ErrorCode::BadDestroy, m))?;
    let (records, application) = (req.records.len(), req.application.clone());
    let d = s.store.destroy(&archive, req).await?;
    eprintln!("destruction {} (application {application}): {records} records, {} changes erased", d.register, d.erased);
    Ok(Json(DestroyResponse { register: d.register, erased: d.erased }))
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<usize>,
}

async fn pull(
    State(s): State<AppState>,
    Authorized(archive, _): Authorized,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(q) = query.map_err(|e| {
        ApiError(ErrorCode::BadQuery, format!("use ?since=<cursor>&limit=<1–{MAX_PULL}>: {}", e.body_text()))
    })?;
    let limit = q.limit.unwrap_or(1000);
    if !(1..=MAX_PULL).contains(&limit) {
        return Err(ApiError(ErrorCode::BadQuery, format!("limit must be 1–{MAX_PULL}")));
    }
    let page = s.store.pull(&archive, q.since, limit).await?;
    Ok(Json(PullResponse { changes: page.changes, cursor: page.cursor, has_more: page.has_more }))
}

async fn get_key(State(s): State<AppState>, Authorized(archive, _): Authorized) -> Result<Json<ArchiveKey>, ApiError> {
    match s.store.key(&archive).await? {
        Some(k) => Ok(Json(k)),
        None => Err(ApiError(ErrorCode::NoKey, "this archive is not encrypted".into())),
    }
}

async fn put_key(
    State(s): State<AppState>,
    Authorized(archive, _): Authorized,
    body: Body,
) -> Result<(StatusCode, Json<ArchiveKey>), ApiError> {
    let k: ArchiveKey = json_body(&s, body, 4096, "a key is at most 4096 bytes".into(), "an archive key").await?;
    check_key(&k).map_err(|m| ApiError(ErrorCode::BadKey, m))?;
    if s.store.set_key(&archive, k.clone()).await? {
        Ok((StatusCode::CREATED, Json(k)))
    } else {
        Err(ApiError(ErrorCode::KeyExists, "this archive already has a key; use its passphrase".into()))
    }
}

/// A token as the administration API lists it.
#[derive(serde::Serialize)]
struct ListedToken {
    #[serde(flatten)]
    info: store::TokenInfo,
    state: &'static str,
}

/// The archive's tokens (hash prefixes, never the tokens), for an administrator's token.
async fn list_tokens(
    State(s): State<AppState>,
    AdminAuthorized(archive): AdminAuthorized,
) -> Result<Json<Vec<ListedToken>>, ApiError> {
    let now = store::now_ms();
    let tokens = s.store.tokens().await?;
    Ok(Json(
        tokens
            .into_iter()
            .filter(|t| t.archive == archive)
            .map(|info| ListedToken { state: info.state(now), info })
            .collect(),
    ))
}

/// The live connection of a device (see `live.rs`).
async fn events(State(s): State<AppState>, Authorized(archive, hash): Authorized) -> impl IntoResponse {
    let rx = s.hub.subscribe(&archive);
    let recheck = s.cfg.live_recheck;
    let still_allowed = move || {
        let (store, hash, archive) = (s.store.clone(), hash.clone(), archive.clone());
        async move {
            matches!(store.token_grant(&hash).await, Ok(Some(g))
                if g.archive == archive && g.scope == Scope::Device && g.expires_at.is_none_or(|e| e > store::now_ms()))
        }
    };
    live::events(rx, recheck, still_allowed)
}

/// Serves `app` on `listener` with the connection limits of `guard` until the process is stopped
/// (Ctrl-C or SIGTERM): live connections are ended, open requests finish.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, guard: conn::Guard) -> std::io::Result<()> {
    conn::serve(listener, app, guard, async {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => {}
        }
        live::stop_all();
    })
    .await
}
