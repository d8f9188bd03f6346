//! What is served: the built-in demo, or files read by the app's own import (CSV in any common
//! encoding, XLSX/XLS, JSON), so the API serves what the app would have loaded from the files.

use std::path::Path;

use member_engine::demo::{generate, DemoSpec};
use member_engine::import::fields::Role;
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::import::plan::{ImportDraft, Source};
use member_engine::model::Dataset;

use crate::options::Options;
use crate::records::{member_records, transaction_records};

/// The records of both lists, each already JSON text.
#[derive(Clone, Debug, Default)]
pub struct Served {
    pub name: String,
    pub members: Vec<String>,
    pub transactions: Vec<String>,
}

impl Served {
    pub fn list(&self, list: crate::options::List) -> &[String] {
        match list {
            crate::options::List::Members => &self.members,
            crate::options::List::Transactions => &self.transactions,
        }
    }
}

/// Reads what the options name and turns it into records. Without a members table the members
/// list is empty: the members a transactions file names by id alone are not a members file.
pub fn served(o: &Options) -> Result<Served, String> {
    let (ds, has_members) = if o.transactions.is_none() && o.members.is_none() {
        let spec = DemoSpec { members: o.demo_members.unwrap_or(DemoSpec::default().members), ..Default::default() };
        (generate(&spec), true)
    } else {
        read_files(o.transactions.as_deref(), o.members.as_deref())?
    };
    let members = if has_members { member_records(&ds, o.money) } else { Vec::new() };
    Ok(Served { name: ds.name.clone(), members, transactions: transaction_records(&ds, o.money) })
}

/// The files through the import: every table a file holds is read in the role the flag that
/// named the file gives it (a JSON document's `members` / `transactions` arrays keep theirs).
pub fn read_files(transactions: Option<&Path>, members: Option<&Path>) -> Result<(Dataset, bool), String> {
    let mut files = Vec::new();
    let mut roles = Vec::new();
    for (path, role) in [(transactions, Role::Transactions), (members, Role::Members)] {
        if let Some(p) = path {
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let name = p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
            files.push((name, bytes));
            roles.push(role);
        }
    }
    let mut source = MemoryFiles(files);
    let previews = inspect_files(&mut source).map_err(|e| e.to_string())?;
    let mut draft = ImportDraft::new(previews);
    for t in 0..draft.plans.len() {
        let named = match &draft.plans[t].source {
            Source::Json { key: Some(k) } if k == "members" => Some(Role::Members),
            Source::Json { key: Some(k) } if k == "transactions" => Some(Role::Transactions),
            _ => None,
        };
        let role = named.or_else(|| roles.get(draft.plans[t].file_index).copied()).unwrap_or_default();
        if draft.plans[t].role != role {
            draft.set_role(t, role);
        }
    }
    let problems = draft.problems();
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    let plans = draft.chosen_plans();
    let has_members = plans.iter().any(|p| p.role == Role::Members);
    let (ds, reports) = load(&draft.name(), &plans, &mut source, &mut |_, _| {}).map_err(|e| e.to_string())?;
    for r in &reports {
        eprintln!("{}: {} rows read, {} used, {} skipped", r.name, r.rows_read, r.rows_used, r.rows_skipped);
    }
    Ok((ds, has_members))
}
