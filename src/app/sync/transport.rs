//! How a sync round reaches the endpoint: the [`Transport`] trait (push, pull, the archive key)
//! and its implementation over HTTP. Tests drive rounds through a fake transport instead.

use super::error::SyncError;
use crate::domain::sync::protocol::{
    ArchiveKey, DestroyRequest, DestroyResponse, ErrorBody, PullResponse, PushRequest, PushResponse,
};
use crate::platform::http;

/// The endpoint as a round sees it. Every answer is whole or an error: a cut-off answer does not
/// parse and is [`SyncError::Answer`], so nothing of it is applied.
#[allow(async_fn_in_trait)] // single-threaded (wasm): no `Send` bound is wanted
pub trait Transport {
    async fn push(&self, req: &PushRequest) -> Result<PushResponse, SyncError>;
    async fn pull(&self, since: u64, limit: usize) -> Result<PullResponse, SyncError>;
    /// The archive's key parameters; [`SyncError::NoKey`] when it is not encrypted.
    async fn key(&self) -> Result<ArchiveKey, SyncError>;
    /// Sets the archive's key once; an error when it has one already.
    async fn set_key(&self, key: &ArchiveKey) -> Result<ArchiveKey, SyncError>;
    /// Stores a document's file under `name` (the SHA-256 of `bytes`).
    async fn put_blob(&self, name: &str, bytes: &[u8]) -> Result<(), SyncError>;
    /// A document's file by its name; `None` when the endpoint does not have it.
    async fn get_blob(&self, name: &str) -> Result<Option<Vec<u8>>, SyncError>;
}

/// Gives up on an answer after this long.
const TIMEOUT_MS: i32 = 30_000;
/// Gives up on a file's transfer after this long (10 MB over a slow connection).
const FILE_TIMEOUT_MS: i32 = 180_000;

/// The endpoint over HTTP: `{url}/sync/v1/{archive}/…` with the archive's bearer token.
pub struct HttpTransport {
    base: String,
    token: String,
}

impl HttpTransport {
    pub fn new(url: &str, archive: &str, token: &str) -> HttpTransport {
        HttpTransport {
            base: format!("{}/sync/v1/{}", url.trim().trim_end_matches('/'), archive.trim()),
            token: token.trim().to_string(),
        }
    }

    /// Reads the archive's live event stream, handing each piece to `piece`, until it ends, breaks
    /// or stays silent for `silence_ms` (see `live.rs`).
    pub async fn events(&self, silence_ms: i32, piece: impl FnMut(&[u8])) -> Result<(), http::StreamError> {
        http::stream(&format!("{}/events", self.base), &self.token, silence_ms, piece).await
    }

    /// A destruction carried out on the endpoint, with an administrator's token (issue 18): the
    /// records' stored changes erased, the register number given.
    pub async fn destroy(
        url: &str,
        archive: &str,
        admin_token: &str,
        req: &DestroyRequest,
    ) -> Result<DestroyResponse, SyncError> {
        let admin = HttpTransport {
            base: format!("{}/admin/v1/{}", url.trim().trim_end_matches('/'), archive.trim()),
            token: admin_token.trim().to_string(),
        };
        admin.call("POST", "/destroy", Some(json(req)?)).await
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<T, SyncError> {
        let url = format!("{}{path}", self.base);
        let answer = http::send(method, &url, &self.token, body.as_deref().map(http::Body::Json), TIMEOUT_MS)
            .await
            .map_err(|_| SyncError::Offline)?;
        if (200..300).contains(&answer.status) {
            return answer.body.and_then(|b| serde_json::from_slice(&b).ok()).ok_or(SyncError::Answer);
        }
        Err(refusal(answer))
    }
}

/// An answer other than 2xx as an error.
fn refusal(answer: http::Answer) -> SyncError {
    let body = answer.body.and_then(|b| serde_json::from_slice::<ErrorBody>(&b).ok());
    SyncError::from_answer(answer.status, body)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, SyncError> {
    serde_json::to_string(v).map_err(|_| SyncError::Answer)
}

impl Transport for HttpTransport {
    async fn push(&self, req: &PushRequest) -> Result<PushResponse, SyncError> {
        self.call("POST", "/push", Some(json(req)?)).await
    }

    async fn pull(&self, since: u64, limit: usize) -> Result<PullResponse, SyncError> {
        self.call("GET", &format!("/pull?since={since}&limit={limit}"), None).await
    }

    async fn key(&self) -> Result<ArchiveKey, SyncError> {
        self.call("GET", "/key", None).await
    }

    async fn set_key(&self, key: &ArchiveKey) -> Result<ArchiveKey, SyncError> {
        self.call("PUT", "/key", Some(json(key)?)).await
    }

    async fn put_blob(&self, name: &str, bytes: &[u8]) -> Result<(), SyncError> {
        let url = format!("{}/blobs/{name}", self.base);
        let answer = http::send("PUT", &url, &self.token, Some(http::Body::Bytes(bytes)), FILE_TIMEOUT_MS)
            .await
            .map_err(|_| SyncError::Offline)?;
        if (200..300).contains(&answer.status) {
            Ok(())
        } else {
            Err(refusal(answer))
        }
    }

    async fn get_blob(&self, name: &str) -> Result<Option<Vec<u8>>, SyncError> {
        let url = format!("{}/blobs/{name}", self.base);
        let answer =
            http::send("GET", &url, &self.token, None, FILE_TIMEOUT_MS).await.map_err(|_| SyncError::Offline)?;
        match answer.status {
            200 => answer.body.map(Some).ok_or(SyncError::Offline),
            404 => Ok(None),
            _ => Err(refusal(answer)),
        }
    }
}
