//! End-to-end encryption of sync payloads in the browser (WebCrypto): a passphrase and the
//! archive's salt give, by PBKDF2-HMAC-SHA256 (600,000 iterations or more), 512 bits: an
//! AES-256-GCM key for payloads (a fresh 96-bit nonce per message) and an HMAC-SHA-256 key for
//! opaque record keys. Neither key can be exported; the server sees only ciphertext.

use crate::domain::sync::b64;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The text encrypted as the archive's key check.
const CHECK_TEXT: &[u8] = b"dangan archive key check v1";
/// Prefix of an encrypted payload.
pub const PREFIX: &str = "e1:";

/// The two keys of an encrypted archive.
pub struct Keys {
    aes: JsValue,
    hmac: JsValue,
}

/// Why an operation of Web Crypto failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The page has no `crypto.subtle` (an insecure origin).
    #[error("Web Crypto is not available on this page")]
    Unavailable,
    /// The browser refused an operation (its message).
    #[error("Web Crypto {op}: {message}")]
    Failed { op: &'static str, message: String },
    /// The data is not an encrypted payload, or the key does not open it.
    #[error("the data is not readable with this key")]
    Unreadable,
}

fn js_err(op: &'static str) -> impl Fn(JsValue) -> CryptoError {
    move |e: JsValue| CryptoError::Failed {
        op,
        message: e
            .as_string()
            .or_else(|| Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
            .unwrap_or_else(|| format!("{e:?}")),
    }
}

pub(super) fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// Calls `crypto.subtle.<name>(args…)` and awaits it.
pub(super) async fn subtle(name: &'static str, args: &[JsValue]) -> Result<JsValue, CryptoError> {
    let unavailable = |_| CryptoError::Unavailable;
    let crypto = web_sys::window().ok_or(CryptoError::Unavailable)?.crypto().map_err(unavailable)?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).map_err(unavailable)?;
    if subtle.is_undefined() {
        return Err(CryptoError::Unavailable);
    }
    let f: Function = Reflect::get(&subtle, &name.into()).map_err(unavailable)?.dyn_into().map_err(unavailable)?;
    let err = js_err(name);
    let p: Promise = f.apply(&subtle, &args.iter().collect::<Array>()).map_err(&err)?.dyn_into().map_err(&err)?;
    JsFuture::from(p).await.map_err(err)
}

pub(super) fn bytes(v: &JsValue) -> Vec<u8> {
    Uint8Array::new(v).to_vec()
}

pub(super) fn usages(u: &[&str]) -> JsValue {
    u.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
}

/// Derives the archive's keys from the passphrase.
pub async fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> Result<Keys, CryptoError> {
    let raw: JsValue = Uint8Array::from(passphrase.as_bytes()).into();
    let base =
        subtle("importKey", &["raw".into(), raw, "PBKDF2".into(), false.into(), usages(&["deriveBits"])]).await?;
    let params = obj(&[
        ("name", "PBKDF2".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", (iterations as f64).into()),
        ("hash", "SHA-256".into()),
    ]);
    let bits = bytes(&subtle("deriveBits", &[params, base, 512.into()]).await?);
    let aes = subtle(
        "importKey",
        &[
            "raw".into(),
            Uint8Array::from(&bits[..32]).into(),
            obj(&[("name", "AES-GCM".into())]),
            false.into(),
            usages(&["encrypt", "decrypt"]),
        ],
    )
    .await?;
    let hmac = subtle(
        "importKey",
        &[
            "raw".into(),
            Uint8Array::from(&bits[32..]).into(),
            obj(&[("name", "HMAC".into()), ("hash", "SHA-256".into())]),
            false.into(),
            usages(&["sign"]),
        ],
    )
    .await?;
    Ok(Keys { aes, hmac })
}

/// Nonce followed by ciphertext and tag.
pub async fn seal(k: &Keys, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let nonce = crate::platform::ids::random_bytes(12);
    let params = obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&nonce[..]).into())]);
    let ct = bytes(&subtle("encrypt", &[params, k.aes.clone(), Uint8Array::from(plain).into()]).await?);
    Ok([nonce, ct].concat())
}

/// A document's file sealed for the endpoint (issue 19): like [`seal`], but the nonce is the
/// keyed hash of the file's own hash, so sealing the same file twice (a retried upload, the same
/// photo attached on two devices) gives the same bytes, hence the same blob name; different files
/// never share a nonce. The endpoint learns only whether two files are the same. [`open`] opens it.
pub async fn seal_file(k: &Keys, plain: &[u8], hash: &str) -> Result<Vec<u8>, CryptoError> {
    let label = format!("file:{hash}");
    let mac =
        bytes(&subtle("sign", &["HMAC".into(), k.hmac.clone(), Uint8Array::from(label.as_bytes()).into()]).await?);
    let nonce = &mac[..12];
    let params = obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(nonce).into())]);
    let ct = bytes(&subtle("encrypt", &[params, k.aes.clone(), Uint8Array::from(plain).into()]).await?);
    Ok([nonce, &ct[..]].concat())
}

/// The inverse of [`seal`]; an error when the key is wrong or the data was altered.
pub async fn open(k: &Keys, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < 12 + 16 {
        return Err(CryptoError::Unreadable);
    }
    let params = obj(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&sealed[..12]).into())]);
    // AES-GCM fails the same way for a wrong key and for altered data.
    let plain = subtle("decrypt", &[params, k.aes.clone(), Uint8Array::from(&sealed[12..]).into()])
        .await
        .map_err(|_| CryptoError::Unreadable)?;
    Ok(bytes(&plain))
}

/// An encrypted payload as text.
pub async fn encrypt_text(k: &Keys, plain: &str) -> Result<String, CryptoError> {
    Ok(format!("{PREFIX}{}", b64::encode(&seal(k, plain.as_bytes()).await?)))
}

/// The inverse of [`encrypt_text`].
pub async fn decrypt_text(k: &Keys, text: &str) -> Result<String, CryptoError> {
    let sealed = text.strip_prefix(PREFIX).and_then(b64::decode).ok_or(CryptoError::Unreadable)?;
    String::from_utf8(open(k, &sealed).await?).map_err(|_| CryptoError::Unreadable)
}

/// The opaque key the server sees for a record.
pub async fn record_key(k: &Keys, record: &str) -> Result<String, CryptoError> {
    let sig =
        bytes(&subtle("sign", &["HMAC".into(), k.hmac.clone(), Uint8Array::from(record.as_bytes()).into()]).await?);
    Ok(format!("k:{}", b64::encode(&sig[..24])))
}

/// The key-check value for a new archive key.
pub async fn make_check(k: &Keys) -> Result<String, CryptoError> {
    Ok(b64::encode(&seal(k, CHECK_TEXT).await?))
}

/// Whether the keys open the archive's key check (the passphrase is right).
pub async fn verify_check(k: &Keys, check: &str) -> bool {
    match b64::decode(check) {
        Some(sealed) => open(k, &sealed).await.is_ok_and(|p| p == CHECK_TEXT),
        None => false,
    }
}
