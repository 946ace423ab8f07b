//! Replays the committed seed corpus (`seeds/<target>/*`) through each
//! target's checks on stable, so CI proves the targets build and hold.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count > 0, "no seeds in {}", dir.display());
    println!("{target}: {count} seeds replayed");
}

#[test]
fn request_json_seeds() {
    replay("request_json", govshare_fuzz::request_json);
}

#[test]
fn registry_json_seeds() {
    replay("registry_json", govshare_fuzz::registry_json);
}

#[test]
fn policy_text_seeds() {
    replay("policy_text", govshare_fuzz::policy_text);
}

#[test]
fn ffi_evaluate_seeds() {
    replay("ffi_evaluate", govshare_fuzz::ffi_evaluate);
}

#[test]
fn policy_nesting_seeds() {
    replay("policy_nesting", govshare_fuzz::policy_nesting);
}

#[test]
fn instants_seeds() {
    replay("instants", govshare_fuzz::instants);
}

#[test]
fn notice_text_seeds() {
    replay("notice_text", govshare_fuzz::notice_text);
}
