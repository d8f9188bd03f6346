//! The engine/viewer split, checked on the dependency tree: nothing the engine pulls in, natively
//! or for the browser build (wasm32-unknown-unknown), may be a browser crate. (zip, under
//! calamine, is vendored without getrandom's wasm-bindgen backend for this: vendor/README.md.)

const BROWSER_CRATES: [&str; 8] = ["wasm-bindgen", "web-sys", "js-sys", "leptos", "gloo", "leptos_i18n", "charming", "serde-wasm-bindgen"];

#[test]
fn the_engine_depends_on_no_browser_crate_natively() {
    assert_no_browser_crate(&host_target());
}

#[test]
fn the_engine_depends_on_no_browser_crate_in_the_browser_build() {
    assert_no_browser_crate("wasm32-unknown-unknown");
}

fn host_target() -> String {
    let out = std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())).arg("-vV").output().expect("rustc -vV");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().find_map(|l| l.strip_prefix("host: ")).expect("host line").trim().to_string()
}

fn assert_no_browser_crate(target: &str) {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--manifest-path", manifest, "-p", "member-engine", "-e", "normal,build", "--target", target, "--prefix", "none"])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
    // The tree is real: it lists the engine and the readers it is built on.
    assert!(names.contains(&"member-engine") && names.contains(&"calamine"), "unexpected tree:\n{tree}");
    let browser: Vec<&&str> = names.iter().filter(|n| BROWSER_CRATES.iter().any(|b| n == &b || n.starts_with("leptos") || n.starts_with("gloo"))).collect();
    assert!(browser.is_empty(), "browser crates in the engine's tree: {browser:?}");
}
