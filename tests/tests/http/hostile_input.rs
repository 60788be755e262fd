//! Every route of the OpenAPI document, walked with hostile values — NUL bytes, CR/LF,
//! 10,000-character strings, emoji, right-to-left overrides, broken percent-encoding, SQL and
//! HTML — in each path parameter, query parameter, header parameter and body field. No answer
//! may be a 5xx, and every refusal of an API route is the one JSON error shape.

use e2e::{TestServer, answer};
use serde_json::{Map, Value};

fn hostile() -> Vec<String> {
    vec![
        "\u{0}".into(),
        "nul\u{0}inside".into(),
        "line\r\nbreak: injected".into(),
        "x".repeat(10_000),
        "😀🛒🎉".into(),
        "\u{202E}lanimret\u{202C}".into(),
        "%ZZ%00%".into(),
        "' OR 1=1; --".into(),
        "<script>alert(1)</script>".into(),
        "-1".into(),
        "99999999999999999999999".into(),
        String::new(),
        " ".into(),
    ]
}

/// Percent-encodes every byte but ASCII letters and digits (a path segment or query value).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

struct Route {
    path: String,
    method: reqwest::Method,
    path_params: Vec<String>,
    query_params: Vec<String>,
    header_params: Vec<String>,
    body: Body,
}

enum Body {
    None,
    Json(Vec<String>),
    Multipart,
}

fn routes(doc: &Value) -> Vec<Route> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<reqwest::Method>() else {
                continue;
            };
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let named = |place: &str| -> Vec<String> {
                params
                    .iter()
                    .filter(|p| p["in"] == place)
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect()
            };
            let content = &op["requestBody"]["content"];
            let body = if let Some(json) = content.get("application/json") {
                Body::Json(properties(doc, &json["schema"]))
            } else if content.get("multipart/form-data").is_some() {
                Body::Multipart
            } else {
                Body::None
            };
            out.push(Route {
                path: path.clone(),
                method,
                path_params: named("path"),
                query_params: named("query"),
                header_params: named("header"),
                body,
            });
        }
    }
    out
}

/// The property names of a body schema (following one `$ref`).
fn properties(doc: &Value, schema: &Value) -> Vec<String> {
    let schema = match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    };
    schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn no_hostile_value_anywhere_gets_a_server_error() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (vendor_id, vendor) = s.vendor_with_owner(&admin, "target").await;
    let (_, doc) = s.get("/api/openapi.json", None).await;
    let routes = routes(&doc);
    assert!(routes.len() >= 20, "walked {} routes", routes.len());
    let client = s.client();
    let mut sent = 0;
    let mut failures = Vec::new();
    for route in &routes {
        let token = if route.path.starts_with("/api/v1/admin") {
            Some(&admin)
        } else if route.path.starts_with("/api/v1/") {
            Some(&vendor)
        } else {
            None
        };
        for (n, value) in hostile().into_iter().enumerate() {
            // One request per place, so a refusal in one place does not hide another.
            for place in ["path", "query", "header", "body"] {
                let mut path = route.path.clone();
                for p in &route.path_params {
                    let v = if place == "path" {
                        encode(&value)
                    } else {
                        vendor_id.to_string()
                    };
                    path = path.replace(&format!("{{{p}}}"), &v);
                }
                if place == "path" && route.path_params.is_empty() {
                    continue;
                }
                // One hostile parameter per request (rotating), so the URL stays sendable.
                let target = n % route.query_params.len().max(1);
                let query: Vec<String> = route
                    .query_params
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let hostile = place == "query" && i == target;
                        format!("{q}={}", if hostile { encode(&value) } else { "1".into() })
                    })
                    .collect();
                if place == "query" && query.is_empty() {
                    continue;
                }
                let url = if query.is_empty() {
                    s.url(&path)
                } else {
                    s.url(&format!("{path}?{}", query.join("&")))
                };
                let mut req = client.request(route.method.clone(), url);
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                if place == "header" {
                    // A value no header may carry (CR/LF, NUL) cannot even be sent.
                    let Ok(header_value) = reqwest::header::HeaderValue::from_str(&value) else {
                        continue;
                    };
                    if route.header_params.is_empty() {
                        continue;
                    }
                    for h in &route.header_params {
                        req = req.header(h.as_str(), header_value.clone());
                    }
                }
                match (&route.body, place) {
                    (Body::Json(fields), "body") => {
                        let body: Map<String, Value> = fields
                            .iter()
                            .map(|f| (f.clone(), Value::String(value.clone())))
                            .collect();
                        req = req.json(&Value::Object(body));
                    }
                    (Body::Json(_), _) => req = req.json(&serde_json::json!({})),
                    (Body::Multipart, _) => {
                        let cell = format!("\"{}\"", value.replace('"', "\"\""));
                        let csv = format!(
                            "vendor_name,subdomain,owner_name,owner_email,initial_password\n{}\n",
                            [cell.as_str(); 5].join(",")
                        );
                        let part = reqwest::multipart::Part::text(csv).file_name("x.csv");
                        req = req.multipart(reqwest::multipart::Form::new().part("file", part));
                    }
                    (Body::None, "body") => continue,
                    (Body::None, _) => {}
                }
                let (status, body) = answer(req.send().await.unwrap()).await;
                sent += 1;
                let shape_ok = status < 400
                    || !route.path.starts_with("/api/")
                    || (body["status_code"] == status && body["error_code"].is_string());
                if status >= 500 || !shape_ok {
                    let shown: String = value.chars().take(20).collect();
                    failures.push(format!(
                        "{} {} [{place} = {shown:?}] -> {status} {}",
                        route.method,
                        route.path,
                        body.to_string().chars().take(200).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(sent >= 250, "sent {sent} requests");
}

#[tokio::test]
async fn a_nul_in_a_page_path_is_a_readable_not_found_page() {
    let s = TestServer::start().await;
    let page = s
        .client()
        .get(s.url("/vendor/a%00b/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 404);
    assert!(page.text().await.unwrap().contains("Not found"));
}
