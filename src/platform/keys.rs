//! The staff's and the archive's keys in Web Crypto: PIN derivation (PBKDF2-HMAC-SHA-256),
//! signatures (ECDSA P-256 / SHA-256), sealing to a public key (ECDH P-256 with an ephemeral key,
//! HKDF-SHA-256, AES-256-GCM) and wrapping secrets under a PIN-derived key (AES-256-GCM). Private
//! keys travel as PKCS#8 bytes, public keys as raw points (65 bytes); both only ever leave this
//! module wrapped or sealed.

use super::crypto::{bytes, obj, subtle, usages, CryptoError};
use super::ids::random_bytes;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsValue;

/// The context bound into every sealed value's key.
const SEAL_INFO: &[u8] = b"dangan-seal-1";

fn u8a(b: &[u8]) -> JsValue {
    Uint8Array::from(b).into()
}

/// PBKDF2-HMAC-SHA-256 of a PIN: 64 bytes (split by `governance::pin::Derived`).
pub async fn derive_pin(pin: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, CryptoError> {
    let base = subtle(
        "importKey",
        &["raw".into(), u8a(pin.as_bytes()), "PBKDF2".into(), false.into(), usages(&["deriveBits"])],
    )
    .await?;
    let params = obj(&[
        ("name", "PBKDF2".into()),
        ("salt", u8a(salt)),
        ("iterations", (iterations as f64).into()),
        ("hash", "SHA-256".into()),
    ]);
    Ok(bytes(&subtle("deriveBits", &[params, base, 512.into()]).await?))
}

fn ec(name: &str) -> JsValue {
    obj(&[("name", name.into()), ("namedCurve", "P-256".into())])
}

/// A new key pair: (private PKCS#8, public raw).
async fn generate(alg: &str, uses: &[&str]) -> Result<(Vec<u8>, Vec<u8>), CryptoError> {
    let pair = subtle("generateKey", &[ec(alg), true.into(), usages(uses)]).await?;
    let get = |k: &str| Reflect::get(&pair, &k.into()).map_err(|_| CryptoError::Unreadable);
    let private = bytes(&subtle("exportKey", &["pkcs8".into(), get("privateKey")?]).await?);
    let public = bytes(&subtle("exportKey", &["raw".into(), get("publicKey")?]).await?);
    Ok((private, public))
}

/// A signing key pair (ECDSA P-256).
pub async fn signing_pair() -> Result<(Vec<u8>, Vec<u8>), CryptoError> {
    generate("ECDSA", &["sign", "verify"]).await
}

/// A sealing key pair (ECDH P-256).
pub async fn sealing_pair() -> Result<(Vec<u8>, Vec<u8>), CryptoError> {
    generate("ECDH", &["deriveBits"]).await
}

async fn import_private(alg: &str, pkcs8: &[u8], uses: &[&str]) -> Result<JsValue, CryptoError> {
    subtle("importKey", &["pkcs8".into(), u8a(pkcs8), ec(alg), false.into(), usages(uses)]).await
}

async fn import_public(alg: &str, raw: &[u8], uses: &[&str]) -> Result<JsValue, CryptoError> {
    subtle("importKey", &["raw".into(), u8a(raw), ec(alg), true.into(), usages(uses)]).await
}

fn ecdsa() -> JsValue {
    obj(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())])
}

/// Signs `msg` (signature r‖s, 64 bytes).
pub async fn sign(private: &[u8], msg: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let key = import_private("ECDSA", private, &["sign"]).await?;
    Ok(bytes(&subtle("sign", &[ecdsa(), key, u8a(msg)]).await?))
}

/// Whether `sig` is `public`'s signature of `msg` (false for a malformed key or signature).
pub async fn verify(public: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    let Ok(key) = import_public("ECDSA", public, &["verify"]).await else { return false };
    subtle("verify", &[ecdsa(), key, u8a(sig), u8a(msg)]).await.is_ok_and(|v| v.as_bool() == Some(true))
}

async fn aes_key(raw: &[u8], uses: &[&str]) -> Result<JsValue, CryptoError> {
    subtle("importKey", &["raw".into(), u8a(raw), obj(&[("name", "AES-GCM".into())]), false.into(), usages(uses)]).await
}

/// Encrypts `plain` under a 32-byte key: nonce ‖ ciphertext ‖ tag.
pub async fn wrap(key: &[u8], plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let k = aes_key(key, &["encrypt"]).await?;
    let nonce = random_bytes(12);
    let params = obj(&[("name", "AES-GCM".into()), ("iv", u8a(&nonce))]);
    let ct = bytes(&subtle("encrypt", &[params, k, u8a(plain)]).await?);
    Ok([nonce, ct].concat())
}

/// The inverse of [`wrap`]; `Unreadable` for a wrong key or altered data.
pub async fn unwrap(key: &[u8], blob: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if blob.len() < 12 + 16 {
        return Err(CryptoError::Unreadable);
    }
    let k = aes_key(key, &["decrypt"]).await?;
    let params = obj(&[("name", "AES-GCM".into()), ("iv", u8a(&blob[..12]))]);
    subtle("decrypt", &[params, k, u8a(&blob[12..])]).await.map(|p| bytes(&p)).map_err(|_| CryptoError::Unreadable)
}

/// The AES key two parties share: ECDH, then HKDF-SHA-256 with the ephemeral public key as salt.
async fn shared_key(private: &JsValue, public: &[u8], ephemeral: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let peer = import_public("ECDH", public, &[]).await?;
    let params = obj(&[("name", "ECDH".into()), ("public", peer)]);
    let secret = subtle("deriveBits", &[params, private.clone(), 256.into()]).await?;
    let base =
        subtle("importKey", &["raw".into(), secret, "HKDF".into(), false.into(), usages(&["deriveBits"])]).await?;
    let hkdf =
        obj(&[("name", "HKDF".into()), ("hash", "SHA-256".into()), ("salt", u8a(ephemeral)), ("info", u8a(SEAL_INFO))]);
    Ok(bytes(&subtle("deriveBits", &[hkdf, base, 256.into()]).await?))
}

/// Seals `plain` to a public key: ephemeral public key (65) ‖ nonce ‖ ciphertext ‖ tag. Only the
/// holder of the matching private key opens it; the sealer keeps nothing that could.
pub async fn seal_to(public: &[u8], plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let pair = subtle("generateKey", &[ec("ECDH"), true.into(), usages(&["deriveBits"])]).await?;
    let get = |k: &str| Reflect::get(&pair, &k.into()).map_err(|_| CryptoError::Unreadable);
    let eph = bytes(&subtle("exportKey", &["raw".into(), get("publicKey")?]).await?);
    let key = shared_key(&get("privateKey")?, public, &eph).await?;
    Ok([eph, wrap(&key, plain).await?].concat())
}

/// The inverse of [`seal_to`] with the private key.
pub async fn open_sealed(private: &[u8], blob: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if blob.len() < 65 + 12 + 16 {
        return Err(CryptoError::Unreadable);
    }
    let key = import_private("ECDH", private, &["deriveBits"]).await?;
    let shared = shared_key(&key, &blob[..65], &blob[..65]).await?;
    unwrap(&shared, &blob[65..]).await
}
