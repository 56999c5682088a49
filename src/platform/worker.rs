//! The page's side of the import/export worker (`src/bin/io_worker.rs`), started on first use.

use crate::domain::transfer::{ImportError, Table};
use futures::channel::oneshot;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Why the worker could not do a job.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WorkerError {
    /// The file cannot be imported (shown to the user as is).
    #[error("{0:?}")]
    Import(ImportError),
    /// The worker did not load.
    #[error("the import/export worker did not start")]
    NotStarted,
    /// The worker stopped before it answered.
    #[error("the import/export worker stopped")]
    Stopped,
    /// The worker answered with an error of its own, or an answer that does not read.
    #[error("the import/export worker failed: {0}")]
    Failed(String),
}

struct Client {
    worker: Worker,
    pending: HashMap<u32, oneshot::Sender<JsValue>>,
    next: u32,
    ready: Vec<oneshot::Sender<()>>,
    started: bool,
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<RefCell<Client>>>> = const { RefCell::new(None) };
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

/// The running worker, started (and waited for) on first use.
async fn client() -> Result<Rc<RefCell<Client>>, WorkerError> {
    let existing = CLIENT.with(|c| c.borrow().clone());
    let c = match existing {
        Some(c) => c,
        None => {
            let worker = Worker::new("./io_worker_loader.js").map_err(|_| WorkerError::NotStarted)?;
            let c = Rc::new(RefCell::new(Client {
                worker: worker.clone(),
                pending: HashMap::new(),
                next: 1,
                ready: Vec::new(),
                started: false,
            }));
            let weak = Rc::downgrade(&c);
            let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
                let Some(c) = weak.upgrade() else { return };
                let data = ev.data();
                let mut c = c.borrow_mut();
                if get(&data, "ready").is_truthy() {
                    c.started = true;
                    for tx in c.ready.drain(..) {
                        let _ = tx.send(());
                    }
                } else if let Some(id) = get(&data, "id").as_f64() {
                    if let Some(tx) = c.pending.remove(&(id as u32)) {
                        let _ = tx.send(data);
                    }
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            let weak = Rc::downgrade(&c);
            let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                // A worker that failed to load: every waiting job fails, the next use retries.
                CLIENT.with(|c| c.borrow_mut().take());
                if let Some(c) = weak.upgrade() {
                    let mut c = c.borrow_mut();
                    c.pending.clear();
                    c.ready.clear();
                }
            });
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            CLIENT.with(|slot| *slot.borrow_mut() = Some(c.clone()));
            c
        }
    };
    if !c.borrow().started {
        let (tx, rx) = oneshot::channel();
        c.borrow_mut().ready.push(tx);
        rx.await.map_err(|_| WorkerError::NotStarted)?;
    }
    Ok(c)
}

/// Sends a job and waits for its answer.
async fn call(msg: Object, transfer: &Array) -> Result<JsValue, WorkerError> {
    let c = client().await?;
    let (tx, rx) = oneshot::channel();
    {
        let mut c = c.borrow_mut();
        let id = c.next;
        c.next += 1;
        let _ = Reflect::set(&msg, &JsValue::from_str("id"), &JsValue::from(id));
        c.pending.insert(id, tx);
        c.worker.post_message_with_transfer(&msg, transfer).map_err(|e| WorkerError::Failed(format!("{e:?}")))?;
    }
    let answer = rx.await.map_err(|_| WorkerError::Stopped)?;
    if get(&answer, "ok").is_truthy() {
        Ok(answer)
    } else {
        let e = get(&answer, "error").as_string().unwrap_or_default();
        Err(match serde_json::from_slice::<ImportError>(e.as_bytes()) {
            Ok(ie) => WorkerError::Import(ie),
            Err(_) => WorkerError::Failed(serde_json::from_slice::<String>(e.as_bytes()).unwrap_or(e)),
        })
    }
}

/// Reads a file into a table in the worker (format and encoding detected there).
pub async fn read_table(bytes: Vec<u8>) -> Result<Table, WorkerError> {
    let msg = Object::new();
    let arr = Uint8Array::from(bytes.as_slice());
    drop(bytes);
    let _ = Reflect::set(&msg, &"op".into(), &"read".into());
    let _ = Reflect::set(&msg, &"bytes".into(), &arr);
    let answer = call(msg, &Array::of1(&arr.buffer())).await?;
    let table = get(&answer, "table");
    let bad = |e: serde_json::Error| WorkerError::Failed(e.to_string());
    let mut t: Table =
        serde_json::from_slice(get(&table, "head").as_string().unwrap_or_default().as_bytes()).map_err(bad)?;
    let chunks: Array = get(&table, "chunks").dyn_into().unwrap_or_default();
    for c in chunks.iter() {
        let rows: Vec<Vec<String>> =
            serde_json::from_slice(c.as_string().unwrap_or_default().as_bytes()).map_err(bad)?;
        t.rows.extend(rows);
        super::clock::yield_now().await;
    }
    Ok(t)
}

/// Writes an XLSX workbook in the worker.
pub async fn write_xlsx(
    sheet: &str,
    headers: &[String],
    rows: &[Vec<crate::domain::transfer::xlsx::Cell>],
) -> Result<Vec<u8>, WorkerError> {
    use crate::domain::transfer::xlsx::Cell;
    use serde_json::{json, Value};
    let rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Cell::Text(s) => Value::String(s.clone()),
                    Cell::Date(d) => json!({ "d": d.to_string() }),
                    Cell::Money(fen) => json!({ "m": fen }),
                })
                .collect()
        })
        .collect();
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"op".into(), &"xlsx".into());
    let _ = Reflect::set(&msg, &"sheet".into(), &JsValue::from_str(&json!([sheet, headers, rows]).to_string()));
    let answer = call(msg, &Array::new()).await?;
    Ok(get(&answer, "bytes").dyn_into::<Uint8Array>().map(|a| a.to_vec()).unwrap_or_default())
}
