//! Writes the import fixtures (tests/common/fixtures.rs) as files for the browser tests:
//! `cargo run --example write_fixtures -- <dir>` → `<dir>/sales-gbk.csv`, `<dir>/members.xlsx`,
//! and `<dir>/corners.xlsx`: a workbook whose only cells are A1 and XFD1048576 (the last cell a
//! sheet can have), which once made the reader allocate the whole grid and crash.

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
    match corners_xlsx() {
        Ok(bytes) => write("corners.xlsx", bytes),
        Err(e) => {
            eprintln!("cannot make corners.xlsx: {e}");
            std::process::exit(1);
        }
    }
}

fn corners_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "会员卡号")?;
    ws.write_string(1_048_575, 16_383, "x")?;
    wb.save_to_buffer()
}
