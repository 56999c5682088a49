//! The office module (browser only): the screens loaded on first use (settings, sync setup,
//! backup, import; see `ui/office.rs`). A second wasm module beside the desk's, built by Trunk
//! from index.html and imported by `platform/module.rs` when the clerk first opens one of them,
//! so the first download holds only what the desk needs.

#[cfg(target_arch = "wasm32")]
mod office {
    use wasm_bindgen::prelude::*;

    /// Office screens mounted in the desk's page; `free()` (from the desk) unmounts them.
    #[wasm_bindgen]
    pub struct Office {
        _mounted: Box<dyn std::any::Any>,
    }

    /// Mounts the office screens into `host`.
    #[wasm_bindgen]
    pub fn mount(host: web_sys::HtmlElement) -> Office {
        Office { _mounted: dangan::ui::office::mount(host) }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The office module is part of the browser app: build it with `trunk build` (see README.md).");
}
