//! Writes the import fixtures (tests/common/fixtures.rs) as files for the browser tests:
//! `cargo run --example write_fixtures -- <dir>` → `<dir>/sales-gbk.csv`, `<dir>/members.xlsx`.

#[path = "../tests/common/fixtures.rs"]
mod fixtures;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/fixtures".into()));
    let write = |name: &str, bytes: Vec<u8>| {
        let path = dir.join(name);
        if let Err(e) = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, bytes)) {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        println!("{}", path.display());
    };
    write("sales-gbk.csv", fixtures::gbk(fixtures::GBK_SALES));
    write("members.xlsx", fixtures::members_xlsx());
}
