//! The security suite generated from the route table: every vendor API route names the one
//! permission it needs in its OpenAPI `security` entry (`bearer: ["products.edit"]`), and a
//! member holding every permission but that one is refused with 403 PERMISSION_DENIED, while
//! the owner is not. A route whose handler checks a different permission than it declares
//! fails here.

use diesel::connection::SimpleConnection;
use e2e::{TestServer, assert_error};
use serde_json::{Value, json};
use teams::Permission;

/// (method, path, permission) of every operation the document lists.
fn declared(doc: &Value) -> Vec<(reqwest::Method, String, Option<String>)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse() else {
                continue;
            };
            let permission = op["security"]
                .as_array()
                .and_then(|s| s.first())
                .and_then(|req| req["bearer"].as_array())
                .and_then(|scopes| scopes.first())
                .and_then(Value::as_str)
                .map(str::to_owned);
            out.push((method, path.clone(), permission));
        }
    }
    out
}

/// Signs in a new member of `vendor` whose role holds every permission but `missing`.
async fn member_without(s: &TestServer, vendor: i64, code: &str, missing: Permission) -> String {
    let granted: Vec<String> = Permission::ALL
        .iter()
        .filter(|p| **p != missing)
        .map(|p| format!("'{}'", p.as_str()))
        .collect();
    let email = format!("no-{}@{code}.test", missing.as_str().replace('.', "-"));
    let hash = e2e::password_hash("member-password-1");
    s.db.owner_conn()
        .batch_execute(&format!(
            "INSERT INTO users (email, password_hash) VALUES ('{email}', '{hash}');
             INSERT INTO roles (vendor_id, name, permissions)
               VALUES ({vendor}, 'Without {m}', ARRAY[{granted}]::text[]);
             INSERT INTO vendor_users (vendor_id, user_id, role_id)
               SELECT {vendor}, u.id, r.id FROM users u, roles r
               WHERE u.email = '{email}' AND r.vendor_id = {vendor} AND r.name = 'Without {m}';",
            m = missing.as_str(),
            granted = granted.join(","),
        ))
        .unwrap();
    let (status, body) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": email, "password": "member-password-1", "vendor_code": code}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_vendor_route_declares_its_permission_and_enforces_exactly_that_one() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (vendor, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, doc) = s.get("/api/openapi.json", None).await;
    let routes = declared(&doc);
    let vendor_routes: Vec<_> = routes
        .iter()
        .filter(|(_, path, _)| {
            path.starts_with("/api/v1/vendor/") && !path.starts_with("/api/v1/vendor/auth/")
        })
        .collect();
    assert!(
        vendor_routes.len() >= 10,
        "{} vendor routes",
        vendor_routes.len()
    );
    let mut members = std::collections::HashMap::new();
    for (method, path, permission) in vendor_routes {
        let permission = permission
            .as_deref()
            .unwrap_or_else(|| panic!("{method} {path} declares no permission"));
        let needed = Permission::parse(permission).unwrap_or_else(|| {
            panic!("{method} {path} declares an unknown permission {permission}")
        });
        let url = path.replace(['{', '}'], "");
        if let std::collections::hash_map::Entry::Vacant(slot) = members.entry(needed) {
            slot.insert(member_without(&s, vendor, "alpha", needed).await);
        }
        let without = &members[&needed];
        let (status, body) = s.send(method.clone(), &url, Some(without), None).await;
        assert_error(status, &body, 403, "PERMISSION_DENIED");
        assert!(
            body["detail"].as_str().unwrap().contains(permission),
            "{body}"
        );
        let (status, body) = s.send(method.clone(), &url, Some(&owner), None).await;
        assert_ne!(
            status, 403,
            "{method} {path}: the owner holds every permission: {body}"
        );
    }
}

/// The matrix, generated from one table (`teams::default_roles`, the product documents' roles
/// with the later areas added): for each default role and every vendor route, the route is
/// refused with 403 exactly when the role lacks the route's permission.
#[tokio::test]
async fn each_default_role_reaches_exactly_the_routes_its_permissions_open() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (vendor, _) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, doc) = s.get("/api/openapi.json", None).await;
    let routes: Vec<_> = declared(&doc)
        .into_iter()
        .filter(|(_, path, _)| {
            path.starts_with("/api/v1/vendor/") && !path.starts_with("/api/v1/vendor/auth/")
        })
        .collect();
    let mut families = std::collections::BTreeSet::new();
    for (role, granted) in teams::default_roles() {
        let email = format!("as-{}@alpha.test", role.to_lowercase());
        let token = s.member_token(vendor, "alpha", &email, role).await;
        let mut allowed = 0;
        for (method, path, permission) in &routes {
            let needed = permission
                .as_deref()
                .and_then(Permission::parse)
                .unwrap_or_else(|| panic!("{method} {path} declares no known permission"));
            families.insert(
                needed
                    .as_str()
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            );
            let url = path.replace(['{', '}'], "");
            let (status, body) = s.send(method.clone(), &url, Some(&token), None).await;
            if granted.contains(&needed) {
                allowed += 1;
                assert_ne!(status, 403, "{role} may {method} {path} ({needed}): {body}");
            } else {
                assert_error(status, &body, 403, "PERMISSION_DENIED");
            }
        }
        assert!(
            allowed > 0 || granted.is_empty(),
            "{role} reaches something"
        );
    }
    let families: Vec<_> = families.into_iter().collect();
    assert_eq!(
        families,
        [
            "analytics",
            "customers",
            "imports",
            "inventory",
            "orders",
            "products",
            "settings",
            "team"
        ],
        "every route family of the issue is in the matrix"
    );
}
