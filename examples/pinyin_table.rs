//! Writes `public/pinyin.bin`, the table of readings the app fetches after its first paint
//! (`src/domain/pinyin.rs`), from the `pinyin` crate's data: every character's first reading,
//! without tones. Run after updating the crate: `cargo run --example pinyin_table`; the test
//! `the_file_holds_every_reading_of_the_pinyin_crate_and_no_other` says when it is due.
#[cfg(target_arch = "wasm32")]
fn main() {}

// The `pinyin` crate is a native dev-dependency only.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use dangan::domain::pinyin::Table;
    use pinyin::ToPinyin;

    let readings: Vec<(char, String)> = (0..=0x3FFFF_u32)
        .filter_map(char::from_u32)
        .filter_map(|c| c.to_pinyin().map(|p| (c, p.plain().to_string())))
        .collect();
    let bytes = Table::encode(&readings);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/public/pinyin.bin");
    std::fs::write(path, &bytes).expect("public/pinyin.bin written");
    println!("{} characters, {} bytes: {path}", readings.len(), bytes.len());
}
