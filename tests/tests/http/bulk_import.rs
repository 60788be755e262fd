//! The admin's bulk vendor import over HTTP (multipart CSV upload).

use diesel::prelude::*;
use e2e::{TestServer, assert_error};
use serde_json::{Value, json};

const HEADER: &str = "vendor_name,subdomain,owner_name,owner_email,owner_phone,business_address,business_city,business_postal_code,business_country,letzshop_csv_url,initial_password\n";

async fn upload(s: &TestServer, token: &str, csv: String) -> (u16, Value) {
    let part = reqwest::multipart::Part::text(csv)
        .file_name("vendors.csv")
        .mime_str("text/csv")
        .unwrap();
    s.upload("/api/v1/admin/vendors/bulk-import", token, part)
        .await
}

#[tokio::test]
async fn each_row_is_created_or_reported_on_its_own() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let csv = format!(
        "{HEADER}\
         Boulangerie Esch,,Luc Weber,luc@bakery.test,+352 1,1 rue Haute,Esch,L-4001,LU,https://letzshop.test/feed.csv,chosen-pass-1\n\
         Garden Shop,garden,Gina,gina@garden.test,,,,,,,\n\
         Broken,broken,Bob,not-an-email,,,,,,,\n\
         Again,garden,Gus,gus@garden.test,,,,,,,\n"
    );
    let (status, report) = upload(&s, &admin, csv).await;
    assert_eq!(status, 200, "{report}");
    let created = report["created"].as_array().unwrap();
    assert_eq!(
        created
            .iter()
            .map(|c| c["row"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(created[0]["vendor"]["code"], "boulangerie-esch");
    assert_eq!(
        created[0]["vendor"]["business_address"],
        "1 rue Haute, L-4001 Esch, LU"
    );
    assert!(
        created[0]["temporary_password"].is_null(),
        "the admin chose this owner's password"
    );
    let garden_password = created[1]["temporary_password"]
        .as_str()
        .expect("a temporary password");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0]["row"], 4);
    assert!(
        failed[0]["error"].as_str().unwrap().contains("owner_email"),
        "{report}"
    );
    assert_eq!(failed[1]["row"], 5);
    assert!(
        failed[1]["error"].as_str().unwrap().contains("taken"),
        "{report}"
    );

    for (email, password, code) in [
        ("luc@bakery.test", "chosen-pass-1", "boulangerie-esch"),
        ("gina@garden.test", garden_password, "garden"),
    ] {
        let (status, login) = s
            .post(
                "/api/v1/vendor/auth/login",
                None,
                json!({"email": email, "password": password, "vendor_code": code}),
            )
            .await;
        assert_eq!(
            (status, login["role"].as_str()),
            (200, Some("Owner")),
            "{login}"
        );
    }
    let urls: Vec<Value> = db::schema::vendor_settings::table
        .select(db::schema::vendor_settings::letzshop_csv_urls)
        .load(&mut s.db.owner_conn())
        .unwrap();
    assert!(
        urls.contains(&json!({"fr": "https://letzshop.test/feed.csv"})),
        "{urls:?}"
    );
}

#[tokio::test]
async fn unreadable_uploads_and_other_principals_are_refused() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, vendor) = s.vendor_with_owner(&admin, "alpha").await;

    let (status, body) = upload(&s, &vendor, format!("{HEADER}X,x,Y,y@x.test,,,,,,,\n")).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");

    let (status, body) = upload(&s, &admin, "name,email\nx,y\n".to_owned()).await;
    assert_error(status, &body, 422, "INVALID_FILE");
    assert!(body["detail"].as_str().unwrap().contains("vendor_name"));

    let (status, body) = s
        .post(
            "/api/v1/admin/vendors/bulk-import",
            Some(&admin),
            json!({"file": "x"}),
        )
        .await;
    assert_error(status, &body, 415, "UNSUPPORTED_MEDIA_TYPE");

    let huge = format!("{HEADER}{}", "V,,Owner,o@x.test,,,,,,,\n".repeat(250_000));
    let (status, body) = upload(&s, &admin, huge).await;
    assert_error(status, &body, 413, "PAYLOAD_TOO_LARGE");

    let long = format!("{HEADER}{}", "V,,Owner,o@x.test,,,,,,,\n".repeat(5_001));
    let (status, body) = upload(&s, &admin, long).await;
    assert_error(status, &body, 422, "INVALID_FILE");
    assert!(
        body["detail"].as_str().unwrap().contains("5000 rows"),
        "{body}"
    );

    let vendors: i64 = db::schema::vendors::table
        .count()
        .get_result(&mut s.db.owner_conn())
        .unwrap();
    assert_eq!(vendors, 1, "nothing was created by the refused uploads");
}

#[tokio::test]
async fn an_admin_is_never_made_an_owner_and_a_chosen_password_is_never_ignored() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    s.create_vendor(&admin, "first", "existing@owner.test")
        .await;
    let csv = format!(
        "{HEADER}\
         Admin Shop,admin-shop,Ada,{},,,,,,,\n\
         Second Shop,second,Olga,existing@owner.test,,,,,,,password-she-never-sees\n\
         Third Shop,third,Olga,existing@owner.test,,,,,,,\n",
        e2e::ADMIN_EMAIL.to_uppercase()
    );
    let (status, report) = upload(&s, &admin, csv).await;
    assert_eq!(status, 200, "{report}");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{report}");
    assert_eq!(failed[0]["row"], 2);
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .contains("platform administrator"),
        "{report}"
    );
    assert_eq!(failed[1]["row"], 3);
    assert!(
        failed[1]["error"]
            .as_str()
            .unwrap()
            .contains("initial_password"),
        "{report}"
    );
    let created = report["created"].as_array().unwrap();
    assert_eq!(
        created.len(),
        1,
        "an existing owner without a chosen password is fine"
    );
    assert_eq!(created[0]["vendor"]["code"], "third");
    let vendors: Vec<String> = db::schema::vendors::table
        .order(db::schema::vendors::code)
        .select(db::schema::vendors::code)
        .load(&mut s.db.owner_conn())
        .unwrap();
    assert_eq!(vendors, ["first", "third"], "nothing was half-created");
}

#[tokio::test]
async fn a_large_file_runs_as_a_job_and_shows_its_passwords_once() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let mut csv = HEADER.to_owned();
    for i in 0..30 {
        csv.push_str(&format!("Shop {i},,Owner {i},owner{i}@shops.test,,,,,,,\n"));
    }
    csv.push_str("Broken,,Bob,not-an-email,,,,,,,\n");
    let (status, queued) = upload(&s, &admin, csv).await;
    assert_eq!(status, 202, "{queued}");
    assert_eq!(queued["status"], "pending");
    assert_eq!(queued["total_rows"], 31);
    let path = format!("/api/v1/admin/vendors/bulk-import/{}", queued["id"]);

    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let done = loop {
        let (status, import) = s.get(&path, Some(&admin)).await;
        assert_eq!(status, 200, "{import}");
        if import["status"] == "completed" {
            break import;
        }
        assert_ne!(import["status"], "failed", "{import}");
        assert!(std::time::Instant::now() < until, "still {import}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(done["processed_rows"], 31);
    let created = done["created"].as_array().unwrap();
    assert_eq!(created.len(), 30);
    assert_eq!(
        done["failed"],
        json!([{"row": 32, "error": done["failed"][0]["error"]}])
    );
    assert!(
        done["failed"][0]["error"]
            .as_str()
            .unwrap()
            .contains("owner_email")
    );

    // The temporary password shown works, once.
    let first = &created[0];
    assert_eq!(first["row"], 2);
    let password = first["temporary_password"]
        .as_str()
        .expect("shown on the first read");
    let (status, login) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "owner0@shops.test", "password": password, "vendor_code": first["vendor"]["code"]}),
        )
        .await;
    assert_eq!(status, 200, "{login}");
    let (_, again) = s.get(&path, Some(&admin)).await;
    let shown: Vec<&Value> = again["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["temporary_password"])
        .filter(|p| !p.is_null())
        .collect();
    assert!(shown.is_empty(), "the passwords are gone: {again}");
    assert_eq!(again["created"].as_array().unwrap().len(), 30);

    // Only admins follow it; an unknown one is 404.
    let vendor = login["access_token"].as_str().unwrap();
    let (status, body) = s.get(&path, Some(vendor)).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    let (status, body) = s
        .get("/api/v1/admin/vendors/bulk-import/999999", Some(&admin))
        .await;
    assert_error(status, &body, 404, "BULK_IMPORT_NOT_FOUND");
}

#[tokio::test]
async fn a_preview_tells_exactly_what_the_import_then_does_and_writes_nothing() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    s.create_vendor(&admin, "taken", "owner@taken.test").await;
    let csv = format!(
        "{HEADER}\
         Boulangerie Esch,,Luc Weber,luc@bakery.test,+352 1,1 rue Haute,Esch,L-4001,LU,https://letzshop.test/feed.csv,chosen-pass-1\n\
         Garden Shop,garden,Gina,gina@garden.test,,,,,,,\n\
         Broken,broken,Bob,not-an-email,,,,,,,\n\
         Again,garden,Gus,gus@garden.test,,,,,,,\n\
         Taken Shop,taken,Tom,tom@taken.test,,,,,,,\n\
         Admin Shop,adminshop,Ada,admin@wizamart.test,,,,,,,\n\
         Second Shop,second,Olga,owner@taken.test,,,,,,,\n"
    );
    let part = reqwest::multipart::Part::text(csv.clone())
        .file_name("vendors.csv")
        .mime_str("text/csv")
        .unwrap();
    let (status, preview) = s
        .upload("/api/v1/admin/vendors/bulk-import/preview", &admin, part)
        .await;
    assert_eq!(status, 200, "{preview}");
    let planned: Vec<(u64, &str, bool, bool)> = preview["would_create"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["code"].as_str().unwrap(),
                p["new_owner"].as_bool().unwrap(),
                p["has_feed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        planned,
        [
            (2, "boulangerie-esch", false, true), // the admin chose the password
            (3, "garden", true, false),
            (8, "second", false, false), // an existing account becomes its owner
        ]
    );
    let refused: Vec<(u64, String)> = preview["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["row"].as_u64().unwrap(),
                f["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        refused.iter().map(|r| r.0).collect::<Vec<_>>(),
        [4, 5, 6, 7]
    );
    assert!(refused[0].1.contains("owner_email"), "{refused:?}");
    assert!(
        refused[1].1.contains("garden"),
        "a duplicate within the file: {refused:?}"
    );
    assert!(refused[2].1.contains("taken"), "{refused:?}");
    assert!(refused[3].1.contains("administrator"), "{refused:?}");

    // Nothing was written: no vendor, no account, no audit entry.
    let (_, vendors) = s.get("/api/v1/admin/vendors", Some(&admin)).await;
    assert_eq!(vendors["total"], 1);
    let accounts: i64 = e2e_count(&s, "SELECT count(*) AS n FROM users");
    assert_eq!(accounts, 2, "the admin and taken's owner");

    // The import does exactly what the preview said.
    let (status, report) = upload(&s, &admin, csv).await;
    assert_eq!(status, 200, "{report}");
    let created: Vec<(u64, &str)> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["row"].as_u64().unwrap(),
                c["vendor"]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        created,
        [(2, "boulangerie-esch"), (3, "garden"), (8, "second")]
    );
    let failed: Vec<(u64, String)> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["row"].as_u64().unwrap(),
                f["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(failed, refused);
}

/// One number from the test database (as its owner).
fn e2e_count(s: &TestServer, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Count>(&mut s.db.owner_conn())
        .unwrap()
        .n
}
