//! Staging feeds against a real database: counts, re-imports, changes, bad rows, products
//! that leave the feed, and the wall between vendors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use catalog::Language;
use db::marketplace::StageCounts;
use db::test_support::TestDb;
use db::{Db, TenantScope, VendorId};
use diesel::prelude::*;
use marketplace::feed::Feed;
use marketplace::staging::{StageSummary, stage_feed};

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/letzshop");

fn setup() -> (TestDb, Db) {
    let test = TestDb::with_two_vendors();
    let db = test.db();
    (test, db)
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

fn import(db: &Db, scope: TenantScope, language: Language, text: &str) -> (i64, StageSummary) {
    let id = db
        .tenant(&scope, |tx| {
            db::marketplace_imports::create(
                tx,
                &db::marketplace_imports::NewImport {
                    language: language.as_str(),
                    source_kind: "upload",
                    source: "feed.csv",
                    upload_key: None,
                    created_by: None,
                },
            )
        })
        .map_err(db::Error::from)
        .unwrap()
        .id;
    let mut feed = Feed::open(text.as_bytes()).unwrap();
    (
        id,
        stage_feed(db, &scope, id, language, &mut feed, &|| true).unwrap(),
    )
}

fn counts(created: i64, updated: i64, unchanged: i64) -> StageCounts {
    StageCounts {
        created,
        updated,
        unchanged,
    }
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(db: &Db, scope: TenantScope, sql: &str) -> i64 {
    db.tenant(&scope, |tx| {
        diesel::sql_query(sql).get_result::<N>(tx.raw())
    })
    .unwrap()
    .n
}

#[test]
fn three_languages_make_one_product_each_and_a_reimport_changes_nothing() {
    let (_test, db) = setup();
    let fr = sample("clean/luxtech_fr.csv");
    let (_, first) = import(&db, ALPHA, Language::Fr, &fr);
    assert_eq!(
        (first.rows, first.errors, first.counts),
        (250, 0, counts(250, 0, 0))
    );
    let (_, de) = import(&db, ALPHA, Language::De, &sample("clean/luxtech_de.csv"));
    assert_eq!(de.counts, counts(0, 250, 0), "a new language is a change");
    import(&db, ALPHA, Language::En, &sample("clean/luxtech_en.csv"));
    assert_eq!(
        count(&db, ALPHA, "SELECT count(*) AS n FROM marketplace_products"),
        250
    );
    assert_eq!(
        count(
            &db,
            ALPHA,
            "SELECT count(*) AS n FROM marketplace_product_translations"
        ),
        750
    );
    assert!(
        count(
            &db,
            ALPHA,
            "SELECT count(*) AS n FROM marketplace_product_translations WHERE language = 'de' AND title LIKE '%Kerze%'"
        ) > 0
    );

    let (again_id, again) = import(&db, ALPHA, Language::Fr, &fr);
    assert_eq!(again.counts, counts(0, 0, 250));
    let progress = count(
        &db,
        ALPHA,
        &format!(
            "SELECT (processed_rows * 1000000 + unchanged_count)::bigint AS n FROM marketplace_imports WHERE id = {again_id}"
        ),
    );
    assert_eq!(
        progress,
        250 * 1_000_000 + 250,
        "the import row carries the counts"
    );

    let repriced = fr.replacen("49.46 EUR", "50.00 EUR", 1);
    let (_, changed) = import(&db, ALPHA, Language::Fr, &repriced);
    assert_eq!(
        changed.counts,
        counts(0, 1, 249),
        "exactly the repriced product"
    );
    assert_eq!(
        count(
            &db,
            ALPHA,
            "SELECT price_cents AS n FROM marketplace_products WHERE external_id = 'LS-0000000'"
        ),
        5000
    );
}

#[test]
fn the_messy_sample_stages_its_good_rows_and_counts_the_bad() {
    let (_test, db) = setup();
    let (id, summary) = import(&db, ALPHA, Language::Fr, &sample("messy/gellefra_fr.csv"));
    assert_eq!(summary.rows, 120);
    assert_eq!(summary.errors, 13);
    assert_eq!(summary.counts, counts(107, 0, 0));
    let kept = count(
        &db,
        ALPHA,
        &format!(
            "SELECT count(DISTINCT row_number) AS n FROM marketplace_import_errors WHERE import_id = {id}"
        ),
    );
    assert_eq!(kept, 13, "every bad row is kept for the report");
    let huge = count(
        &db,
        ALPHA,
        &format!(
            "SELECT max(length(raw))::bigint AS n FROM marketplace_import_errors WHERE import_id = {id}"
        ),
    );
    assert_eq!(huge, 2000, "a huge raw line is cut to 2,000 characters");
}

#[test]
fn a_product_that_leaves_the_feed_is_flagged_not_deleted_and_unflagged_when_back() {
    let (_test, db) = setup();
    let full = sample("clean/luxtech_fr.csv");
    import(&db, ALPHA, Language::Fr, &full);
    let shorter: String = full
        .lines()
        .filter(|l| !l.starts_with("LS-0000007\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (id, _) = import(&db, ALPHA, Language::Fr, &shorter);
    let flagged = db
        .tenant(&ALPHA, |tx| db::marketplace::flag_missing(tx, id, "fr"))
        .map_err(db::Error::from)
        .unwrap();
    assert_eq!(flagged, 1);
    assert_eq!(
        count(
            &db,
            ALPHA,
            "SELECT count(*) AS n FROM marketplace_products WHERE missing_since IS NOT NULL AND external_id = 'LS-0000007'"
        ),
        1
    );
    assert_eq!(
        count(&db, ALPHA, "SELECT count(*) AS n FROM marketplace_products"),
        250
    );
    import(&db, ALPHA, Language::Fr, &full);
    assert_eq!(
        count(
            &db,
            ALPHA,
            "SELECT count(*) AS n FROM marketplace_products WHERE missing_since IS NOT NULL"
        ),
        0
    );
}

#[test]
fn vendors_stage_the_same_feed_ids_apart_and_never_see_each_other() {
    let (_test, db) = setup();
    import(&db, ALPHA, Language::Fr, &sample("clean/luxtech_fr.csv"));
    assert_eq!(
        count(&db, BETA, "SELECT count(*) AS n FROM marketplace_products"),
        0
    );
    assert_eq!(
        count(&db, BETA, "SELECT count(*) AS n FROM marketplace_imports"),
        0
    );
    let (_, beta) = import(&db, BETA, Language::Fr, &sample("clean/luxtech_fr.csv"));
    assert_eq!(
        beta.counts,
        counts(250, 0, 0),
        "the same ids are new for another vendor"
    );
    assert_eq!(
        count(&db, ALPHA, "SELECT count(*) AS n FROM marketplace_products"),
        250
    );
}

#[test]
fn batches_written_side_by_side_count_every_row_and_report_bad_ones_in_file_order() {
    let (_test, db) = setup();
    let mut feed = String::from("id\ttitle\tavailability\tprice\n");
    for i in 0..4_500 {
        // Every 700th row has no price: bad rows in five different batches.
        let price = if i % 700 == 0 {
            String::new()
        } else {
            format!("{}.50 EUR", i % 90 + 1)
        };
        feed.push_str(&format!("P{i}\tProduct {i}\tin stock\t{price}\n"));
    }
    let (id, summary) = import(&db, ALPHA, Language::Fr, &feed);
    assert_eq!(
        (summary.rows, summary.errors, summary.counts),
        (4_500, 7, counts(4_493, 0, 0))
    );
    let (errors, kept) = db
        .tenant(&ALPHA, |tx| {
            db::marketplace_imports::errors_page(tx, id, 100, 0)
        })
        .unwrap();
    assert_eq!(kept, 7);
    let lines: Vec<i64> = errors.iter().map(|e| e.row_number).collect();
    assert_eq!(lines, [2, 702, 1402, 2102, 2802, 3502, 4202]);
    let (import, _) = db
        .tenant(&ALPHA, |tx| db::marketplace_imports::page(tx, 1, 0))
        .unwrap();
    assert_eq!(
        (
            import[0].processed_rows,
            import[0].created_count,
            import[0].error_count
        ),
        (4_500, 4_493, 7),
        "each batch's progress was added once"
    );
}
