//! Talking to the page that embeds the dashboard (an iframe's parent, or the element
//! `mountMemberDashboard` made): events out, commands in, each message checked.
//! OWNER: embedding helper. The bridge and the pages call [`emit`]; the variants are the
//! events the README documents.

use crate::engine::members::MemberFilter;

/// What the dashboard tells its host.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum HostEvent {
    /// The app has started and takes commands.
    Ready,
    /// A data set's figures are shown (predictions follow).
    #[serde(rename_all = "camelCase")]
    DataLoaded { dataset: String, members: u64, transactions: u64, is_demo: bool },
    /// A load failed; `message` in the page's language.
    LoadFailed { message: String },
    /// The analyses of the data set in force are done (after a load or new settings).
    AnalysesFinished,
    /// The predictions of the data set in force are done.
    PredictionsFinished,
    PageChanged { page: String },
    FilterChanged { filter: MemberFilter },
    MemberOpened { id: String },
    #[serde(rename_all = "camelCase")]
    ListExported { format: String, file_name: String },
    HeightChanged { height: u32 },
    /// The API load needs a (fresh) bearer token: answer with the `setToken` command.
    TokenRequested,
    /// A message from the host was refused (`detail` says why).
    Error { detail: String },
}

/// The options in the page's URL, read once.
pub fn options() -> crate::embed::EmbedOptions {
    crate::embed::EmbedOptions::default()
}

/// Sends `event` to the host (nothing when not embedded or no origin is allowed).
pub fn emit(event: HostEvent) {
    let _ = event;
}
