//! api/openapi.yaml cannot drift from the file import: every field key of each role is in the
//! record schema of that role (money with its `_cents` form, dates as dates), no key is there
//! that the import does not know, every `$ref` resolves, and the reference server's records use
//! only keys the document lists.

use member_api_server::options::Money;
use member_api_server::records::{member_records, transaction_records, MONEY_FIELDS};
use member_engine::import::fields::{Field, Role};
use serde_json::{Map, Value};

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../api/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("api/openapi.yaml");
    serde_yaml::from_str(&text).expect("valid YAML")
}

/// The fields whose values are dates (the import reads them with the date parser).
const DATE_FIELDS: [Field; 5] = [Field::Date, Field::Birthday, Field::JoinDate, Field::Expiry, Field::PointsExpiry];

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

fn properties<'a>(doc: &'a Value, name: &str) -> &'a Map<String, Value> {
    schema(doc, name)["properties"].as_object().unwrap_or_else(|| panic!("{name} has no properties"))
}

fn schema_for(role: Role) -> &'static str {
    match role {
        Role::Members => "Member",
        Role::Transactions => "Transaction",
        // The API serves members and transactions; summaries come as files from a warehouse.
        Role::Summary | Role::Monthly => panic!("the API has no {role:?} list"),
    }
}

/// Where a property's `$ref` points, if it is one.
fn reference(p: &Value) -> Option<&str> {
    p.get("$ref").and_then(Value::as_str)
}

#[test]
fn it_is_openapi_3_with_both_lists_and_both_ways_to_authenticate() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/members", "/transactions"] {
        let get = &doc["paths"][path]["get"];
        assert!(get.is_object(), "{path}: GET");
        assert!(doc["paths"][path]["options"].is_object(), "{path}: the CORS preflight");
        let ok = &get["responses"]["200"];
        assert_eq!(reference(&ok["headers"]["Link"]), Some("#/components/headers/Link"), "{path}: the Link header");
        let styles = ok["content"]["application/json"]["schema"]["oneOf"].as_array().unwrap();
        assert_eq!(styles.len(), 3, "{path}: cursor page, numbered page, bare array");
        for status in ["400", "401", "403", "404", "5XX"] {
            assert!(get["responses"][status].is_object(), "{path}: {status}");
        }
        let params: Vec<&str> = get["parameters"].as_array().unwrap().iter().filter_map(reference).collect();
        for p in ["page", "size", "cursor"] {
            assert!(params.contains(&format!("#/components/parameters/{p}").as_str()), "{path}: {p}");
        }
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!((schemes["bearerAuth"]["type"].as_str(), schemes["bearerAuth"]["scheme"].as_str()), (Some("http"), Some("bearer")));
    assert_eq!((schemes["portalCookie"]["type"].as_str(), schemes["portalCookie"]["in"].as_str()), (Some("apiKey"), Some("cookie")));
    assert!(doc["components"]["responses"]["Unauthorized"]["headers"]["WWW-Authenticate"].is_object());
    assert!(properties(&doc, "Error").contains_key("error"));
    assert_eq!(doc["components"]["parameters"]["size"]["schema"]["maximum"], member_api_server::options::MAX_PAGE_SIZE);
}

#[test]
fn every_import_field_of_each_role_is_in_its_schema_with_its_unit() {
    let doc = document();
    for role in [Role::Members, Role::Transactions] {
        let name = schema_for(role);
        let props = properties(&doc, name);
        for field in Field::for_role(role) {
            let key = field.key();
            let p = props.get(key).unwrap_or_else(|| panic!("{name} lacks the import's field {key}"));
            if MONEY_FIELDS.contains(field) {
                assert_eq!(reference(p), Some("#/components/schemas/Money"), "{name}.{key} is decimal yuan");
                let cents = props.get(&format!("{key}_cents")).unwrap_or_else(|| panic!("{name} lacks {key}_cents"));
                assert_eq!(reference(cents), Some("#/components/schemas/Cents"), "{name}.{key}_cents");
            }
            if DATE_FIELDS.contains(field) {
                assert_eq!(reference(p), Some("#/components/schemas/Date"), "{name}.{key} is an ISO date");
            }
        }
        // Nothing the import would not read.
        for key in props.keys() {
            let base = key.strip_suffix("_cents").unwrap_or(key);
            let field = Field::from_key(base).unwrap_or_else(|| panic!("{name}.{key} is no import field"));
            assert!(Field::for_role(role).contains(&field), "{name}.{key} is not a field of this role");
            if key.ends_with("_cents") {
                assert!(MONEY_FIELDS.contains(&field), "{name}.{key}: cents of a field that is not money");
            }
        }
    }
    assert_eq!(schema(&doc, "Member")["required"], serde_json::json!(["member_id"]));
    assert_eq!(schema(&doc, "Transaction")["required"], serde_json::json!(["date"]));
    let money = schema(&doc, "Money")["oneOf"][0]["pattern"].as_str().unwrap();
    assert!(money.contains("[0-9]{1,2}"), "two decimals at most: {money}");
    assert_eq!(schema(&doc, "Cents")["oneOf"][0]["type"], "integer");
}

/// Every `"$ref"` in the document, with the path where it stands.
fn refs<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                if k == "$ref" {
                    if let Some(r) = child.as_str() {
                        out.push((at.clone(), r));
                    }
                } else {
                    refs(child, format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                refs(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    let doc = document();
    let mut found = Vec::new();
    refs(&doc, String::new(), &mut found);
    assert!(found.len() > 40, "{} references", found.len());
    for (at, r) in found {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("{at}: only local references: {r}"));
        assert!(doc.pointer(pointer).is_some_and(|t| !t.is_null()), "{at}: {r} resolves to nothing");
    }
}

#[test]
fn the_reference_servers_records_use_only_documented_keys() {
    let doc = document();
    let ds = member_engine::demo::generate(&member_engine::demo::DemoSpec { members: 30, ..Default::default() });
    for money in [Money::Yuan, Money::Cents] {
        for (name, records) in [("Member", member_records(&ds, money)), ("Transaction", transaction_records(&ds, money))] {
            let props = properties(&doc, name);
            assert!(!records.is_empty());
            for r in &records {
                let v: Value = serde_json::from_str(r).unwrap();
                for key in v.as_object().unwrap().keys() {
                    assert!(props.contains_key(key), "{name} record has {key}, not in the document");
                }
            }
        }
    }
}
