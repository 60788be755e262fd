//! The end-to-end harness: the real server on a free port against a fresh database, and an
//! HTTP client that talks to it like any other client.
//!
//! It is test code: a failed step panics, which fails the test that called it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use db::test_support::TestDb;
use diesel::connection::SimpleConnection;
use serde_json::{Value, json};
use web::config::{Config, MediaBackend};

pub const ADMIN_EMAIL: &str = "admin@wizamart.test";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
/// The test server's signing secret, so tests can forge tokens the way an attacker with a
/// leaked key would.
pub const JWT_SECRET: &str = "e2e-test-secret-e2e-test-secret-e2e-test-secret";

pub struct TestServer {
    pub base: String,
    pub db: TestDb,
    /// This server's own media directory (uploaded images), removed when it stops.
    pub media_dir: std::path::PathBuf,
    handle: ServerHandle,
    /// Two background job workers, as the server runs them (stopped on drop).
    workers: Option<web::workers::Running>,
}

/// Rate limits generous enough for a test's own logins; tests of the limits lower them.
pub struct Options {
    pub per_account_per_minute: u32,
    pub per_ip_per_minute: u32,
    pub trusted_proxy_hops: usize,
    /// Whether imports may fetch feeds from loopback (the tests' own feed servers).
    pub allow_private_urls: bool,
    /// Where e-mails go (an [`SmtpSink`]'s URL); without it they are logged.
    pub smtp_url: Option<String>,
    /// Stripe's API address (a [`FakeStripe`]'s URL).
    pub stripe_api_base: Option<String>,
    /// The DNS server domains are checked against (a [`DnsServer`]'s address).
    pub dns_resolver: Option<std::net::SocketAddr>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            per_account_per_minute: 50,
            per_ip_per_minute: 1000,
            trusted_proxy_hops: 0,
            allow_private_urls: true,
            smtp_url: None,
            stripe_api_base: None,
            dns_resolver: None,
        }
    }
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let db = TestDb::new();
        let hash = password_hash(ADMIN_PASSWORD);
        db.owner_conn()
            .batch_execute(&format!(
                "INSERT INTO users (email, password_hash, first_name, last_name, is_platform_admin)
                 VALUES ('{ADMIN_EMAIL}', '{hash}', 'Ada', 'Admin', true)"
            ))
            .expect("seed admin");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let media_dir = std::env::temp_dir().join(format!("wz-e2e-media-{}", addr.port()));
        let config = Config {
            media: MediaBackend::Directory(media_dir.clone()),
            bind_addr: addr,
            platform_domain: "wizamart.test".into(),
            bcrypt_cost: 4,
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 1,
            db_pool_size: 4,
            login_rate_per_ip: options.per_ip_per_minute,
            login_rate_per_account: options.per_account_per_minute,
            jwt_secret: JWT_SECRET.into(),
            jwt_secret_generated: false,
            trusted_proxy_hops: options.trusted_proxy_hops,
            job_poll: std::time::Duration::from_millis(50),
            import_allow_private_urls: options.allow_private_urls,
            smtp_url: options.smtp_url,
            public_base_url: format!("http://{addr}"),
            stripe_api_base: options
                .stripe_api_base
                .unwrap_or_else(|| "http://127.0.0.1:9".to_owned()),
            dns_resolver: options.dns_resolver,
            // The server logs in as its own restricted login, as in production.
            ..Config::development(db.server_url())
        };
        let state = web::AppState::build(config).expect("state");
        let workers = Some(state.jobs.spawn(2));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = web::serve(state, listener).expect("serve");
                let _ = tx.send(server.handle());
                let _ = server.await;
            })
        });
        let handle = rx.recv().expect("server handle");
        Self {
            base: format!("http://{addr}"),
            db,
            media_dir,
            handle,
            workers,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client with a cookie store, as a browser would have.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Sends `method path` with an optional bearer token and JSON body; answers status and body.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.client().request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        answer(req.send().await.expect("send")).await
    }

    /// Posts one file as the multipart field `file`, as a browser's file input would.
    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        file: reqwest::multipart::Part,
    ) -> (u16, Value) {
        let response = self
            .client()
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().part("file", file))
            .send()
            .await
            .expect("send");
        answer(response).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::PUT, path, token, Some(body))
            .await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    /// Adds a team member with one of the vendor's roles (by name) and this password.
    pub fn add_member(&self, vendor: i64, email: &str, password: &str, role: &str) {
        let hash = password_hash(password);
        self.db
            .owner_conn()
            .batch_execute(&format!(
                "INSERT INTO users (email, password_hash, first_name) VALUES ('{email}', '{hash}', 'Sam');
                 INSERT INTO vendor_users (vendor_id, user_id, role_id)
                   SELECT {vendor}, u.id, r.id FROM users u, roles r
                   WHERE u.email = '{email}' AND r.vendor_id = {vendor} AND r.name = '{role}';"
            ))
            .expect("add a member");
    }

    /// Adds a team member with one of the vendor's roles and signs them in at the vendor
    /// `code`: their access token.
    pub async fn member_token(&self, vendor: i64, code: &str, email: &str, role: &str) -> String {
        let password = "member-password-1";
        self.add_member(vendor, email, password, role);
        let (status, login) = self
            .post(
                "/api/v1/vendor/auth/login",
                None,
                json!({"email": email, "password": password, "vendor_code": code}),
            )
            .await;
        assert_eq!(status, 200, "{login}");
        login["access_token"].as_str().expect("a token").to_owned()
    }

    /// Registers a customer (Léa Schmit, password `shopper-password`) at the shop `code` and
    /// signs them in: their access token.
    pub async fn customer_token(&self, code: &str, email: &str) -> String {
        let shop = format!("/api/v1/public/vendors/{code}");
        let (status, body) = self
            .post(
                &format!("{shop}/auth/register"),
                None,
                json!({"email": email, "password": "shopper-password", "first_name": "Léa", "last_name": "Schmit"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, session) = self
            .post(
                &format!("{shop}/auth/login"),
                None,
                json!({"email": email, "password": "shopper-password"}),
            )
            .await;
        assert_eq!(status, 200, "{session}");
        session["access_token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    /// The signed-in customer's order at the shop `code` of `quantity` units of `product`,
    /// delivered and paid by bank transfer (`cart` names its cart session): its number.
    pub async fn customer_order(
        &self,
        code: &str,
        token: &str,
        product: i64,
        quantity: i64,
        cart: &str,
    ) -> String {
        self.place_order(code, Some(token), product, quantity, cart)
            .await
    }

    /// A product of the owner's vendor (`body` as the products API takes it) with `stock`
    /// units at the default location: its id.
    pub async fn product_with_stock(&self, owner: &str, body: Value, stock: i64) -> i64 {
        let (status, created) = self
            .post("/api/v1/vendor/products", Some(owner), body)
            .await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().expect("an id");
        let (status, row) = self
            .post(
                "/api/v1/vendor/inventory",
                Some(owner),
                json!({"product_id": id, "quantity": stock}),
            )
            .await;
        assert_eq!(status, 200, "{row}");
        id
    }

    /// A guest's order at the shop `code` of `quantity` units of `product`, delivered and paid
    /// by bank transfer; `cart` names its cart session (unique per order). Answers its number.
    pub async fn guest_order(&self, code: &str, product: i64, quantity: i64, cart: &str) -> String {
        self.place_order(code, None, product, quantity, cart).await
    }

    async fn place_order(
        &self,
        code: &str,
        customer: Option<&str>,
        product: i64,
        quantity: i64,
        cart: &str,
    ) -> String {
        let shop = format!("/api/v1/public/vendors/{code}");
        let cart = format!("{cart:-<32}");
        let (status, body) = self
            .post(
                &format!("{shop}/cart/{cart}/items"),
                None,
                json!({"product_id": product, "quantity": quantity}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let mut order = json!({"cart_session": cart, "payment_method": "bank_transfer",
            "shipping_address": {"name": "Léa Schmit", "street": "1 rue du Fort", "postal_code": "L-1234", "city": "Luxembourg", "country": "LU"}});
        if customer.is_none() {
            order["email"] = json!("guest@example.lu");
            order["shipping_address"]["name"] = json!("Guest");
        }
        let (status, placed) = self.post(&format!("{shop}/orders"), customer, order).await;
        assert_eq!(status, 201, "{placed}");
        placed["order_number"]
            .as_str()
            .expect("a number")
            .to_owned()
    }

    /// Signs the seeded admin in; answers the whole session (tokens, user).
    pub async fn admin_session(&self) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/admin/auth/login",
                None,
                json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
            )
            .await;
        assert_eq!(status, 200, "admin login: {body}");
        body
    }

    pub async fn admin_token(&self) -> String {
        self.admin_session().await["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// A browser signed in to the admin pages as the seeded admin (session cookies kept).
    pub async fn admin_browser(&self) -> reqwest::Client {
        let browser = self.client();
        let csrf = csrf_of(&browser, &self.url("/admin/login")).await;
        let response = browser
            .post(self.url("/admin/login"))
            .header("X-CSRF-Token", &csrf)
            .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status().as_u16(), 200, "admin page sign-in");
        browser
    }

    /// A browser signed in to the vendor `code`'s pages (session cookies kept).
    pub async fn vendor_browser(&self, code: &str, email: &str, password: &str) -> reqwest::Client {
        let browser = self.client();
        let login = self.url(&format!("/vendor/{code}/login"));
        let csrf = csrf_of(&browser, &login).await;
        let response = browser
            .post(login)
            .header("X-CSRF-Token", &csrf)
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status().as_u16(), 200, "vendor page sign-in");
        browser
    }

    /// Creates a vendor through the admin API; answers the creation body.
    pub async fn create_vendor(&self, admin: &str, code: &str, owner_email: &str) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/admin/vendors",
                Some(admin),
                json!({"code": code, "name": format!("Vendor {code}"), "owner_email": owner_email,
                       "owner_first_name": "Olga", "owner_last_name": "Owner"}),
            )
            .await;
        assert_eq!(status, 201, "create vendor: {body}");
        body
    }

    /// Creates a vendor and signs its owner in; answers (vendor id, owner's access token).
    pub async fn vendor_with_owner(&self, admin: &str, code: &str) -> (i64, String) {
        let email = format!("owner@{code}.test");
        let created = self.create_vendor(admin, code, &email).await;
        let password = created["temporary_password"].as_str().expect("password");
        let (status, body) = self
            .post(
                "/api/v1/vendor/auth/login",
                None,
                json!({"email": email, "password": password, "vendor_code": code}),
            )
            .await;
        assert_eq!(status, 200, "vendor login: {body}");
        (
            created["vendor"]["id"].as_i64().expect("id"),
            body["access_token"].as_str().expect("token").to_owned(),
        )
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Sending the stop command is enough (it is sent when `stop` is called); the database
        // is dropped right after, with its connections forced closed.
        drop(self.handle.stop(false));
        if let Some(workers) = self.workers.take() {
            workers.stop(std::time::Duration::from_secs(5));
        }
        let _ = std::fs::remove_dir_all(&self.media_dir);
    }
}

/// Loads a page and reads the CSRF token it carries.
pub async fn csrf_of(client: &reqwest::Client, url: &str) -> String {
    let html = client
        .get(url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let marker = r#"name="csrf-token" content=""#;
    let start = html.find(marker).expect("csrf meta") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

pub async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// The stored form of `password` (bcrypt cost 4, as the test server uses), for arranging
/// accounts straight in the database.
pub fn password_hash(password: &str) -> String {
    auth::PasswordHasher::new(4)
        .and_then(|h| h.hash(password))
        .expect("hash")
}

/// Asserts that `body` is the one error shape with this status and code.
pub fn assert_error(status: u16, body: &Value, expected_status: u16, code: &str) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["error_code"], code, "{body}");
    assert_eq!(body["status_code"], expected_status, "{body}");
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{body}"
    );
    assert!(
        body["request_id"].as_str().is_some_and(|d| !d.is_empty()),
        "{body}"
    );
    assert!(
        body["timestamp"]
            .as_str()
            .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
        "{body}"
    );
}

/// A real DNS server on loopback (Debian's `dnsmasq`) answering the TXT records a test
/// gives it, and nothing else. Stopped on drop; [`DnsServer::start_on`] the same port again
/// with other records to change what it answers.
pub struct DnsServer {
    pub addr: std::net::SocketAddr,
    child: std::process::Child,
}

impl DnsServer {
    pub fn start_on(port: u16, txt: &[(&str, &str)]) -> Self {
        let mut command = std::process::Command::new("dnsmasq");
        command.args([
            "--keep-in-foreground",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            "--pid-file=",
            "--log-facility=-",
        ]);
        command.arg(format!("--port={port}"));
        for (name, value) in txt {
            command.arg(format!("--txt-record={name},{value}"));
        }
        let child = command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dnsmasq (Debian package dnsmasq-base) starts");
        let server = Self {
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            child,
        };
        // Ready once it takes TCP connections (it serves UDP and TCP on the port); dropped
        // (killed and reaped) if it never does.
        for _ in 0..100 {
            if std::net::TcpStream::connect(server.addr).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("dnsmasq did not start on {}", server.addr);
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real SMTP server on loopback (Debian's `python3-aiosmtpd`) keeping every message it
/// receives in a Maildir, so tests read the e-mails the server sent. Stopped on drop.
pub struct SmtpSink {
    pub url: String,
    dir: std::path::PathBuf,
    child: std::process::Child,
}

impl SmtpSink {
    pub fn start() -> Self {
        Self::start_on(Self::free_port())
    }

    /// A loopback port nothing listens on (yet): a mail server that is down, until
    /// [`SmtpSink::start_on`] starts one there.
    pub fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port()
    }

    pub fn start_on(port: u16) -> Self {
        let dir = std::env::temp_dir().join(format!("wz-e2e-mail-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        // Debian's interpreter, which has the Debian package (a pyenv `python3` may not).
        let child = std::process::Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd (apt-get install python3-aiosmtpd)");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Self {
            url: format!("smtp://127.0.0.1:{port}"),
            dir,
            child,
        }
    }

    /// The messages received so far, raw.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let Ok(entries) = std::fs::read_dir(self.dir.join("new")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read(e.path()).ok())
            .collect()
    }

    /// Waits (up to ten seconds) for a message to `to` whose subject contains `subject`, and
    /// answers it parsed.
    pub async fn wait_for(&self, to: &str, subject: &str) -> mail_parser::Message<'static> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            for raw in self.messages() {
                let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
                    continue;
                };
                let to_matches = message
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .is_some_and(|a| a == to);
                if to_matches && message.subject().is_some_and(|s| s.contains(subject)) {
                    return message.into_owned();
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no e-mail to {to} about '{subject}' arrived"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A request the stand-in for Stripe received: its authorization header and form fields.
pub type StripeRequest = (String, Vec<(String, String)>);

/// A stand-in for Stripe's API on loopback: it opens Checkout Sessions as Stripe documents
/// (`POST /v1/checkout/sessions`, form-encoded, bearer secret key) and keeps every request it
/// was sent, so tests read what the platform asked for. Stopped on drop.
pub struct FakeStripe {
    pub url: String,
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<StripeRequest>>>,
    handle: ServerHandle,
}

impl FakeStripe {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = requests.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = actix_web::HttpServer::new(move || {
                    let seen = seen.clone();
                    actix_web::App::new().route(
                        "/v1/checkout/sessions",
                        actix_web::web::post().to(
                            move |req: actix_web::HttpRequest,
                                  form: actix_web::web::Form<Vec<(String, String)>>| {
                                let seen = seen.clone();
                                async move {
                                    let auth = req
                                        .headers()
                                        .get("authorization")
                                        .and_then(|v| v.to_str().ok())
                                        .unwrap_or_default()
                                        .to_owned();
                                    let n = {
                                        let mut all = seen.lock().expect("lock");
                                        all.push((auth, form.into_inner()));
                                        all.len()
                                    };
                                    actix_web::HttpResponse::Ok().json(json!({
                                        "id": format!("cs_test_{n}"),
                                        "object": "checkout.session",
                                        "url": format!("https://checkout.stripe.test/c/pay/cs_test_{n}"),
                                        "payment_status": "unpaid",
                                    }))
                                }
                            },
                        ),
                    )
                })
                .listen(listener)
                .expect("listen")
                .workers(1)
                .run();
                let _ = tx.send(server.handle());
                let _ = server.await;
            })
        });
        Self {
            url: format!("http://{addr}"),
            requests,
            handle: rx.recv().expect("fake Stripe handle"),
        }
    }
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}
