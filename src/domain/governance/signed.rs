//! Signed governance records: how staff, the archive's governance, requests and decisions are
//! stored and synced. The body is kept as the exact JSON text that was signed (no canonical form
//! to agree on), inside an envelope with its author and signature; the envelope is one text field
//! of the stored record, so a merge replaces a record whole and never mixes two signed versions.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The record as stored and synced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub id: String,
    /// An [`Envelope`] as JSON text.
    pub signed: String,
}

/// A body, who signed it and the signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The body's JSON text, exactly as signed.
    pub body: String,
    /// The signer's staff id.
    pub by: String,
    /// ECDSA P-256 / SHA-256 signature (IEEE P1363, base64) over [`message`].
    pub sig: String,
}

/// What is signed: the record's kind and id bind the body to its place, so a body signed for one
/// record cannot be copied into another (a clerk's record given an administrator's body).
pub fn message(prefix: &str, id: &str, body: &str) -> Vec<u8> {
    format!("dangan-gov-1\n{prefix}\n{id}\n{body}").into_bytes()
}

impl Stored {
    /// The envelope, if the record holds one.
    pub fn envelope(&self) -> Option<Envelope> {
        serde_json::from_slice(self.signed.as_bytes()).ok()
    }
}

impl Envelope {
    /// The body read as `T`.
    pub fn read<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(self.body.as_bytes()).ok()
    }
}

/// The unsigned parts of a record about to be signed: the body's text and the message to sign.
pub fn prepare<T: Serialize>(prefix: &str, id: &str, body: &T) -> (String, Vec<u8>) {
    let text = serde_json::to_string(body).unwrap_or_default();
    let msg = message(prefix, id, &text);
    (text, msg)
}

/// The stored record of a signed body.
pub fn seal(id: &str, body: String, by: &str, sig: String) -> Stored {
    let env = Envelope { body, by: by.to_string(), sig };
    Stored { id: id.to_string(), signed: serde_json::to_string(&env).unwrap_or_default() }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::governance::staff::{Role, Staff};

    #[test]
    fn the_message_binds_the_body_to_its_kind_and_id() {
        let s =
            Staff { id: "s1".into(), name: "王芳".into(), role: Role::SuperAdmin, active: true, ..Staff::default() };
        let (text, msg) = prepare("s", "s1", &s);
        assert_ne!(msg, message("s", "s2", &text), "another record's id");
        assert_ne!(msg, message("g", "s1", &text), "another kind");
        let stored = seal("s1", text.clone(), "s1", "c2ln".into());
        let back = stored.envelope().unwrap();
        assert_eq!(back.read::<Staff>().unwrap(), s);
        assert_eq!(message("s", &stored.id, &back.body), msg, "what is read back is what was signed");
        // A record as the merge keeps it: two fields, the envelope one text value.
        let flat = crate::domain::sync::change::flatten(&serde_json::to_value(&stored).unwrap());
        assert_eq!(flat.keys().collect::<Vec<_>>(), ["id", "signed"]);
        assert!(crate::domain::sync::RecordKind::Staff.describes(serde_json::to_value(&stored).unwrap(), "s1"));
        assert!(!crate::domain::sync::RecordKind::Staff.describes(serde_json::to_value(&stored).unwrap(), "s2"));
    }
}
