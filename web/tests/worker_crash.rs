//! A `wizamart worker` process killed (SIGKILL) in the middle of an import: once its lease
//! has passed, another worker process takes the job up and finishes it, and staging holds
//! each product exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use catalog::Language;
use db::test_support::TestDb;
use db::{TenantScope, UserId, VendorId};
use diesel::prelude::*;
use marketplace::{ImportStatus, ImportView, MarketplaceService, PgMarketplace};

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const ROWS: usize = 60_000;

fn worker(test: &TestDb, media: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wizamart"))
        .arg("worker")
        .env("DATABASE_URL", test.server_url())
        .env("MEDIA_DIR", media)
        .env("WORKERS", "1")
        .env("JOB_POLL_MS", "50")
        .env("JOB_LEASE_SECONDS", "2")
        .env("RUST_LOG", "error")
        .spawn()
        .unwrap()
}

fn wait_for(
    market: &PgMarketplace,
    id: i64,
    what: &str,
    done: impl Fn(&ImportView) -> bool,
) -> ImportView {
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        let import = market.import(&ALPHA, id).unwrap();
        if done(&import) {
            return import;
        }
        assert!(
            Instant::now() < until,
            "waited too long for {what}: {import:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[test]
fn a_killed_workers_import_is_finished_by_another_after_the_lease() {
    let test = TestDb::with_two_vendors();
    let media = std::env::temp_dir().join(format!("wz-worker-crash-{}", std::process::id()));
    // The upload as the API would have stored it.
    let key = marketplace::upload_key(VendorId(10));
    let path = media.join(&key);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut feed = String::from("id\ttitle\tprice\tavailability\n");
    for i in 0..ROWS {
        feed.push_str(&format!(
            "P{i}\tProduct {i}\t{}.99 EUR\tin stock\n",
            i % 500
        ));
    }
    std::fs::write(&path, feed).unwrap();
    let inventory = std::sync::Arc::new(inventory::PgInventory::new(test.db()));
    let catalog = std::sync::Arc::new(catalog::PgCatalog::new(
        test.db(),
        inventory.clone(),
        media::MediaStore::in_memory("/media"),
    ));
    let market = PgMarketplace::new(test.db(), catalog, inventory);
    let import = market
        .start_upload_import(&ALPHA, UserId(1), Language::Fr, "big.csv", &key)
        .unwrap();

    let mut first = worker(&test, &media);
    let part = wait_for(&market, import.id, "the first batches", |i| {
        i.processed_rows >= 2000
    });
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(
        part.status,
        ImportStatus::Processing,
        "killed mid-import: {part:?}"
    );
    assert!(part.processed_rows < ROWS as i64, "killed before the end");

    let mut second = worker(&test, &media);
    let done = wait_for(&market, import.id, "the second worker", |i| {
        i.status.is_final()
    });
    second.kill().unwrap();
    second.wait().unwrap();
    let _ = std::fs::remove_dir_all(&media);

    assert_eq!(done.status, ImportStatus::Completed, "{done:?}");
    assert_eq!(done.total_rows, ROWS as i64);
    assert_eq!(done.created_count + done.unchanged_count, ROWS as i64);
    assert!(
        done.unchanged_count >= part.processed_rows,
        "what the first worker staged is found again, not staged twice: {done:?}"
    );
    let mut conn = test.owner_conn();
    let staged = diesel::sql_query("SELECT count(*) AS n FROM marketplace_products")
        .get_result::<N>(&mut conn)
        .unwrap();
    assert_eq!(staged.n, ROWS as i64);
    let attempts = diesel::sql_query(
        "SELECT attempts::bigint AS n FROM jobs WHERE kind = 'marketplace.import'",
    )
    .get_result::<N>(&mut conn)
    .unwrap();
    assert_eq!(attempts.n, 2, "the second attempt finished it");
    assert!(!path.exists(), "the upload is removed once imported");
}
