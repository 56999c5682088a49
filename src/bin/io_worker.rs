//! The import/export worker (browser only): reads CSV, XLSX and vCard files into tables and
//! writes XLSX workbooks off the page's thread, so a 100,000-row sheet never freezes the screen.
//! It is a separate wasm module loaded on first use; the app's own module stays small.
//!
//! Protocol (`ui/io.rs` is the other side): every request is `{id, op, …}` and every answer
//! `{id, ok, …}`.
//! - `{op: "read", bytes: Uint8Array}` → `{table: {head: JSON Table without rows, chunks: [JSON
//!   rows]}}` or `{error: JSON ImportError}`
//! - `{op: "xlsx", sheet: JSON string of [name, headers, rows]}` → `{bytes: Uint8Array}` or `{error}`

#[cfg(target_arch = "wasm32")]
mod worker {
    use dangan::domain::transfer::{read_sheet, xlsx};
    use js_sys::{Object, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// Rows per chunk of a table sent to the page.
    const ROWS_PER_CHUNK: usize = 4000;

    fn get(o: &JsValue, k: &str) -> JsValue {
        Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    }

    fn set(o: &Object, k: &str, v: &JsValue) {
        let _ = Reflect::set(o, &JsValue::from_str(k), v);
    }

    fn handle(data: &JsValue) -> Object {
        let out = Object::new();
        set(&out, "id", &get(data, "id"));
        let op = get(data, "op").as_string().unwrap_or_default();
        let result: Result<(&str, JsValue), String> = match op.as_str() {
            "read" => {
                let bytes = get(data, "bytes").dyn_into::<Uint8Array>().map(|a| a.to_vec()).unwrap_or_default();
                match read_sheet(&bytes) {
                    Ok(mut t) => {
                        // The rows go in chunks of JSON text, so the page can parse them a chunk
                        // per frame instead of freezing on one large message.
                        let chunks = js_sys::Array::new();
                        for c in t.rows.chunks(ROWS_PER_CHUNK) {
                            chunks.push(&JsValue::from_str(&serde_json::to_string(c).unwrap_or_default()));
                        }
                        t.rows = Vec::new();
                        let head = JsValue::from_str(&serde_json::to_string(&t).unwrap_or_default());
                        let answer = Object::new();
                        set(&answer, "head", &head);
                        set(&answer, "chunks", &chunks);
                        Ok(("table", answer.into()))
                    }
                    Err(e) => Err(serde_json::to_string(&e).unwrap_or_default()),
                }
            }
            "xlsx" => {
                let json = get(data, "sheet").as_string().unwrap_or_default();
                match serde_json::from_slice::<(String, Vec<String>, Vec<Vec<SheetCell>>)>(json.as_bytes()) {
                    Ok((name, headers, rows)) => {
                        let rows: Vec<Vec<xlsx::Cell>> =
                            rows.into_iter().map(|r| r.into_iter().map(SheetCell::into_cell).collect()).collect();
                        match xlsx::write(&name, &headers, &rows) {
                            Ok(b) => Ok(("bytes", Uint8Array::from(b.as_slice()).into())),
                            Err(e) => Err(serde_json::to_string(&e).unwrap_or_default()),
                        }
                    }
                    Err(e) => Err(serde_json::to_string(&e.to_string()).unwrap_or_default()),
                }
            }
            other => Err(serde_json::to_string(&format!("unknown op {other}")).unwrap_or_default()),
        };
        match result {
            Ok((k, v)) => {
                set(&out, "ok", &JsValue::TRUE);
                set(&out, k, &v);
            }
            Err(e) => {
                set(&out, "ok", &JsValue::FALSE);
                set(&out, "error", &JsValue::from_str(&e));
            }
        }
        out
    }

    /// A cell as the page sends it: text, a date as `YYYY-MM-DD` under `d`, fen under `m`.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum SheetCell {
        Text(String),
        Date { d: String },
        Money { m: i64 },
    }

    impl SheetCell {
        fn into_cell(self) -> xlsx::Cell {
            match self {
                SheetCell::Text(s) => xlsx::Cell::Text(s),
                SheetCell::Date { d } => match dangan::domain::date::Date::parse(&d) {
                    Some(d) => xlsx::Cell::Date(d),
                    None => xlsx::Cell::Text(d),
                },
                SheetCell::Money { m } => xlsx::Cell::Money(m),
            }
        }
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let reply_to = scope.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let answer = handle(&ev.data());
            let transfer = js_sys::Array::new();
            if let Ok(a) = get(&answer, "bytes").dyn_into::<Uint8Array>() {
                transfer.push(&a.buffer());
            }
            let _ = reply_to.post_message_with_transfer(&answer, &transfer);
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // Tells the page the worker is ready for requests.
        let ready = Object::new();
        set(&ready, "ready", &JsValue::TRUE);
        let _ = scope.post_message(&ready);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("io_worker runs in the browser as a web worker (see index.html).");
}
