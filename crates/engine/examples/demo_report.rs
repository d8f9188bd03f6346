//! Prints the engine's analysis of the built-in demo as JSON: the browser tests compare what the
//! page shows with these figures. `cargo run --example demo_report`

use member_engine::analysis::analyse;
use member_engine::demo::{generate, DemoSpec};
use member_engine::settings::Settings;

fn main() {
    let ds = generate(&DemoSpec::default());
    let analysis = analyse(&ds, None, true, &Settings::default()).analysis;
    match serde_json::to_string_pretty(&analysis) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("could not encode the analysis: {e}");
            std::process::exit(1);
        }
    }
}
