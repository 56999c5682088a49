//! Entry point of the browser app: mounts the UI. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    dangan::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Dangan is a browser app: build it with `trunk build` (see README.md).");
}
