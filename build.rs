//! The desk's split build (feature `split`, src/lazy.rs) links with relocations kept, which
//! wasm-split-cli needs to move functions into chunks (scripts/split.mjs).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bin=dangan=--emit-relocs");
    }
}
