//! Sealing in the application layer (see `domain/governance/sealed.rs`): the data key a
//! signed-in session seals with (made on first use, kept in memory, stored only sealed to the
//! archive's public key), and opening a sealed value with the archive's private key, which only
//! administrators' PINs unwrap.

use super::{put_signed, GovError, SignedIn};
use crate::domain::fields::Field;
use crate::domain::governance::roster::Root;
use crate::domain::governance::sealed::{DataKey, DataKeyRecord, Sealed, Sealer, Tagger};
use crate::domain::sync::{b64, RecordKey, RecordKind};
use crate::platform::ids::random_bytes;
use crate::platform::keys as wc;
use crate::store::Archive;

/// The archive's search key at work for the signed-in person.
pub fn tagger(me: &SignedIn) -> Tagger {
    Tagger::new(&me.secrets.search)
}

/// A new data key for `me`'s session: 32 random bytes sealed to the archive's public key and
/// saved as a signed governance record (so it syncs and backs up with the values it seals).
pub async fn new_sealer(db: &Archive, root: &Root, me: &SignedIn, now: i64) -> Result<Sealer, GovError> {
    let public = b64::decode(&root.seal).ok_or(GovError::Crypto(crate::platform::crypto::CryptoError::Unreadable))?;
    let bytes = random_bytes(32);
    let id: String = random_bytes(6).iter().map(|b| format!("{b:02x}")).collect();
    let record = DataKeyRecord { sealed: b64::encode(&wc::seal_to(&public, &bytes).await?), at: now };
    put_signed(db, RecordKind::Gov, &DataKeyRecord::record_id(&id), &record, &me.staff, &me.secrets.sign).await?;
    let data = DataKey::new(&id, &bytes).expect("32 bytes");
    Ok(Sealer { data, tags: tagger(me) })
}

/// Opens data key `id` with the archive's private key (administrators only).
pub async fn open_data_key(db: &Archive, me: &SignedIn, id: &str) -> Result<DataKey, GovError> {
    let private = me.secrets.archive.as_ref().ok_or(GovError::NotEntitled)?;
    let key = RecordKey { kind: RecordKind::Gov, id: DataKeyRecord::record_id(id) };
    let unreadable = || GovError::Crypto(crate::platform::crypto::CryptoError::Unreadable);
    let stored = db.governance_one(&key).await?.ok_or(GovError::KeyMissing)?;
    let record: DataKeyRecord = stored.envelope().and_then(|e| e.read()).ok_or_else(unreadable)?;
    let bytes = wc::open_sealed(private, &b64::decode(&record.sealed).ok_or_else(unreadable)?).await?;
    DataKey::new(id, &bytes).ok_or_else(unreadable)
}

/// Opens `record`'s sealed `field` value with `key` (from [`open_data_key`]).
pub fn open_with(key: &DataKey, record: &str, field: Field, value: &str) -> Result<String, GovError> {
    let sealed = Sealed::parse(value).ok_or(GovError::Crypto(crate::platform::crypto::CryptoError::Unreadable))?;
    key.open(record, field, &sealed).ok_or(GovError::Crypto(crate::platform::crypto::CryptoError::Unreadable))
}
