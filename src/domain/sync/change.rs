//! Changes: what one device did to one record at one moment. Each save of a profile or history
//! item becomes one [`Change`] holding the fields it set; each field write names the writes the
//! device had in front of it (`seen`), which is how concurrent edits are told from ordinary ones.

use super::hlc::Hlc;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The kinds of record the archive keeps, syncs, backs up and restores. A new kind is one variant
/// here (its prefix, how it is checked, which profile it belongs to) and one arm in each layer's
/// match: storage (`store/log.rs`, `store/schema.rs`), and the screens that show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    #[serde(rename = "p")]
    Profile,
    #[serde(rename = "h")]
    History,
    /// A staff member (signed; `domain/governance/staff.rs`).
    #[serde(rename = "s")]
    Staff,
    /// The archive's governance: its keys and first super administrator, its policy (signed).
    #[serde(rename = "g")]
    Gov,
    /// A view request (signed by its requester).
    #[serde(rename = "q")]
    Request,
    /// An approval or refusal (signed by the administrator).
    #[serde(rename = "d")]
    Decision,
    /// An access-log event (hash-chained per device; never changed once written).
    #[serde(rename = "e")]
    Event,
    /// A receivable or consignment entry of a customer's account (`domain/ledger`): written once,
    /// never changed (a mistake is corrected by a reversing entry).
    #[serde(rename = "l")]
    Ledger,
    /// A consignment item (code, name, unit, price).
    #[serde(rename = "i")]
    Item,
    /// A document's description (`domain/documents.rs`); its file travels apart, by its hash.
    #[serde(rename = "f")]
    Document,
}

impl RecordKind {
    pub const ALL: [RecordKind; 10] = [
        RecordKind::Profile,
        RecordKind::History,
        RecordKind::Staff,
        RecordKind::Gov,
        RecordKind::Request,
        RecordKind::Decision,
        RecordKind::Event,
        RecordKind::Ledger,
        RecordKind::Item,
        RecordKind::Document,
    ];

    /// The short tag of the kind in record keys (`p:<id>`) and on the wire.
    pub fn prefix(self) -> &'static str {
        match self {
            RecordKind::Profile => "p",
            RecordKind::History => "h",
            RecordKind::Staff => "s",
            RecordKind::Gov => "g",
            RecordKind::Request => "q",
            RecordKind::Decision => "d",
            RecordKind::Event => "e",
            RecordKind::Ledger => "l",
            RecordKind::Item => "i",
            RecordKind::Document => "f",
        }
    }

    /// Records of governance: whole-record values (one signed field, or an immutable event),
    /// checked before they are merged, never shown as conflicts.
    pub fn is_governance(self) -> bool {
        !matches!(
            self,
            RecordKind::Profile | RecordKind::History | RecordKind::Ledger | RecordKind::Item | RecordKind::Document
        )
    }

    /// Records written once and never changed (ledger entries): a later change
    /// to one that exists is ignored wherever it comes from.
    pub fn is_immutable(self) -> bool {
        matches!(self, RecordKind::Ledger)
    }

    /// Records that belong to a profile and are stored beside it like its history (own records
    /// indexed by profile, or many to a chunk when written in bulk).
    pub fn is_owned(self) -> bool {
        matches!(self, RecordKind::History | RecordKind::Ledger | RecordKind::Document)
    }

    /// Whether `value` (a record's materialised JSON) is a record of this kind with id `id`.
    pub fn describes(self, value: Value, id: &str) -> bool {
        use crate::domain::model::{HistoryItem, Profile};
        match self {
            RecordKind::Profile => serde_json::from_value::<Profile>(value).is_ok_and(|p| p.id == id),
            RecordKind::History => serde_json::from_value::<HistoryItem>(value).is_ok_and(|h| h.id == id),
            RecordKind::Ledger => {
                serde_json::from_value::<crate::domain::ledger::Entry>(value).is_ok_and(|e| e.id == id)
            }
            RecordKind::Item => {
                serde_json::from_value::<crate::domain::ledger::stock::Item>(value).is_ok_and(|i| i.id == id)
            }
            RecordKind::Document => {
                serde_json::from_value::<crate::domain::documents::Document>(value).is_ok_and(|d| d.id == id)
            }
            RecordKind::Event => serde_json::from_value::<crate::domain::governance::chain::Event>(value)
                .is_ok_and(|e| e.record_id() == id),
            RecordKind::Staff | RecordKind::Gov | RecordKind::Request | RecordKind::Decision => {
                serde_json::from_value::<crate::domain::governance::signed::Stored>(value).is_ok_and(|s| s.id == id)
            }
        }
    }

    /// The profile a record of this kind belongs to: a profile itself, a history item its
    /// `profile_id`; governance records none.
    pub fn owner(self, id: &str, value: &Value) -> String {
        match self {
            RecordKind::Profile => id.to_string(),
            RecordKind::History | RecordKind::Ledger | RecordKind::Document => {
                value.get("profile_id").and_then(Value::as_str).unwrap_or_default().to_string()
            }
            _ => String::new(),
        }
    }
}

/// A record's identity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordKey {
    pub kind: RecordKind,
    pub id: String,
}

impl RecordKey {
    pub fn profile(id: &str) -> RecordKey {
        RecordKey { kind: RecordKind::Profile, id: id.to_string() }
    }
    pub fn history(id: &str) -> RecordKey {
        RecordKey { kind: RecordKind::History, id: id.to_string() }
    }
    pub fn ledger(id: &str) -> RecordKey {
        RecordKey { kind: RecordKind::Ledger, id: id.to_string() }
    }
    pub fn document(id: &str) -> RecordKey {
        RecordKey { kind: RecordKind::Document, id: id.to_string() }
    }

    /// The key as text (`p:<id>`, `h:<id>`): how storage keys merge states and the endpoint sees
    /// records when the archive is not encrypted.
    pub fn text(&self) -> String {
        format!("{}:{}", self.kind.prefix(), self.id)
    }

    /// The inverse of [`RecordKey::text`].
    pub fn parse(text: &str) -> Option<RecordKey> {
        let (prefix, id) = text.split_once(':')?;
        let kind = RecordKind::ALL.into_iter().find(|k| k.prefix() == prefix)?;
        Some(RecordKey { kind, id: id.to_string() })
    }
}

/// One field's new value, and the times of the values of that field the writer had seen (and so
/// replaces). A value written without having seen another one is concurrent with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldWrite {
    #[serde(rename = "v")]
    pub value: Value,
    #[serde(rename = "s", default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<Hlc>,
}

/// What one device did to one record: its id is its clock time (unique: the device is part of
/// it), so applying a change twice is recognisable and a no-op.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub hlc: Hlc,
    pub record: RecordKey,
    /// Who was at the desk.
    pub staff: String,
    /// The sending device's name as its staff call it ("iPad 前台"), stamped when the change is
    /// sent, so that other devices name it in conflicts and field history. Not stored with the
    /// record's merge state.
    #[serde(rename = "dn", default, skip_serializing_if = "String::is_empty")]
    pub device_name: String,
    /// Field path (`name`, `org.tax_no`) → its new value.
    pub set: BTreeMap<String, FieldWrite>,
}

impl Change {
    /// The change id (its clock time as text).
    pub fn id(&self) -> String {
        self.hlc.encode()
    }

    /// The device that made it.
    pub fn device(&self) -> &str {
        &self.hlc.device
    }
}

/// Fields derived from the writes themselves rather than merged (they change on every save, so
/// merging them would report a conflict for every pair of concurrent edits), and the creation
/// clock kept in the record.
pub const DERIVED: [&str; 3] = ["meta.updated_at", "meta.updated_by", "meta.hlc"];

/// A record's JSON as field paths → values: nested objects become dotted paths, arrays and scalars
/// are values; `null` and derived fields are left out.
pub fn flatten(v: &Value) -> BTreeMap<String, Value> {
    fn walk(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&path, v, out);
                }
            }
            Value::Null => {}
            other => {
                if !DERIVED.contains(&prefix) {
                    out.insert(prefix.to_string(), other.clone());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", v, &mut out);
    out
}

/// The inverse of [`flatten`]: field paths back into nested objects (`null` values left out).
/// Takes the values (a pulled page's records are built without copying them).
pub fn unflatten<K: AsRef<str>>(fields: impl IntoIterator<Item = (K, Value)>) -> Value {
    let mut root = Map::new();
    for (path, value) in fields {
        if value.is_null() {
            continue;
        }
        let path = path.as_ref();
        let (parents, last) = match path.rsplit_once('.') {
            Some((parents, last)) => (Some(parents), last),
            None => (None, path),
        };
        let mut node = &mut root;
        for part in parents.into_iter().flat_map(|p| p.split('.')) {
            let next = node.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !next.is_object() {
                *next = Value::Object(Map::new());
            }
            node = next.as_object_mut().expect("just made an object");
        }
        node.insert(last.to_string(), value);
    }
    Value::Object(root)
}

/// The fields that differ between two flattened records: new or changed values, and `null` for
/// fields that are gone.
pub fn diff(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let mut out: BTreeMap<String, Value> =
        new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect();
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        out.insert(k.clone(), Value::Null);
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flatten_and_unflatten_round_trip_without_derived_fields() {
        let v = json!({"name": "张三", "phones": ["13800138000"], "org": {"tax_no": "X", "bank": {"name": "工行"}},
            "meta": {"created_at": 1, "updated_at": 5, "updated_by": "a", "deleted_at": null}, "empty": null});
        let f = flatten(&v);
        assert_eq!(f.keys().collect::<Vec<_>>(), ["meta.created_at", "name", "org.bank.name", "org.tax_no", "phones"]);
        let back = unflatten(f.clone());
        assert_eq!(
            back,
            json!({"name": "张三", "phones": ["13800138000"], "org": {"tax_no": "X", "bank": {"name": "工行"}}, "meta": {"created_at": 1}})
        );
    }

    #[test]
    fn diff_names_changed_added_and_removed_fields() {
        let a = flatten(&json!({"name": "张三", "email": "a@b.cn", "notes": "x"}));
        let b = flatten(&json!({"name": "张三", "email": "z@b.cn", "phone": "1"}));
        let d = diff(&a, &b);
        assert_eq!(
            d,
            BTreeMap::from([
                ("email".into(), json!("z@b.cn")),
                ("notes".into(), Value::Null),
                ("phone".into(), json!("1"))
            ])
        );
    }

    #[test]
    fn a_change_serialises_compactly_and_back() {
        let c = Change {
            hlc: Hlc { millis: 1, counter: 0, device: "a".into() },
            record: RecordKey::profile("p1"),
            staff: "王".into(),
            device_name: String::new(),
            set: BTreeMap::from([("name".into(), FieldWrite { value: json!("张三"), seen: vec![] })]),
        };
        let s = serde_json::to_string(&c).unwrap();
        assert_eq!(
            s,
            r#"{"hlc":"0000000000000001-00000-a","record":{"kind":"p","id":"p1"},"staff":"王","set":{"name":{"v":"张三"}}}"#
        );
        assert_eq!(serde_json::from_str::<Change>(&s).unwrap(), c);
        // A sent change names its device; one from a device that sends no name still reads.
        let named = Change { device_name: "iPad 前台".into(), ..c.clone() };
        let s = serde_json::to_string(&named).unwrap();
        assert!(s.contains(r#""dn":"iPad 前台""#), "{s}");
        assert_eq!(serde_json::from_str::<Change>(&s).unwrap(), named);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod record_key_tests {
    use super::*;

    #[test]
    fn record_keys_read_back_and_each_kind_has_its_own_prefix() {
        for kind in RecordKind::ALL {
            let k = RecordKey { kind, id: "01a:b".into() };
            assert_eq!(RecordKey::parse(&k.text()), Some(k));
        }
        assert_eq!(RecordKey::profile("x").text(), "p:x");
        assert_eq!(RecordKey::parse("z:x"), None);
        let mut prefixes: Vec<_> = RecordKind::ALL.iter().map(|k| k.prefix()).collect();
        prefixes.dedup();
        assert_eq!(prefixes.len(), RecordKind::ALL.len());
    }
}
