//! The page's entry point (built by Trunk into the app's wasm).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(member_dashboard::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The dashboard runs in the browser: see README.md (scripts/run-app.sh).");
    std::process::exit(2);
}
