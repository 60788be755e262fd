//! A `PlatformScope` opens every vendor's rows, so only the code that has verified an admin
//! token may make one: the auth service's admin check (which hands it to the admin
//! extractor), the job worker for a platform job (enqueued in a platform transaction), and
//! the operator's own tool. Test code may make them freely. Any other
//! production file that calls the constructor fails this test.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::path::{Path, PathBuf};

const MINTERS: &[&str] = &[
    "crates/auth/src/pg.rs",
    "xtask/src/seed.rs",
    // A platform job's row, which only a platform transaction can write.
    "crates/jobs/src/worker.rs",
    // The definition and its doc comments.
    "crates/db/src/scope.rs",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | ".git" | "tests" | "node_modules") {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_admin_check_and_the_operator_tool_mint_a_platform_scope() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(
        files.len() > 20,
        "walked the workspace ({} files)",
        files.len()
    );
    let offenders: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(path).unwrap();
            let calls = text.contains("PlatformScope::trusted");
            (calls && !MINTERS.contains(&relative.as_str())).then_some(relative)
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "PlatformScope minted outside the admin check: {offenders:?}"
    );
}
