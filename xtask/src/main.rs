//! `cargo xtask`: developer and operator tasks.
//!
//! - `migrate`: apply pending migrations (as the owner: DATABASE_OWNER_URL, else DATABASE_URL).
//! - `create-login [--password P]`: create the server's restricted login and print its URL.
//! - `create-admin --email E [--password P]`: create (or promote) a platform admin; prompts
//!   for the password on a terminal, or generates and prints one.
//! - `seed [--products N --vendor CODE]`: the demo admin, two vendors with owners and a few
//!   dozen products with inventory each (idempotent); or N generated products for one vendor.
//! - `dev`: migrate, seed, print the URLs and demo logins, then run the server as its own
//!   restricted login (with a development JWT secret kept in `target/`).
//! - `reset-db`: revert every migration and apply them again (all data is lost).

mod seed;

use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Wizamart developer tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Apply pending migrations.
    Migrate,
    /// Create (or update) the server's restricted database login; prints its DATABASE_URL.
    CreateLogin {
        /// Omit to generate one.
        #[arg(long)]
        password: Option<String>,
    },
    /// Create a platform admin, or promote an existing user.
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// Omit to be prompted (on a terminal) or to get a generated password.
        #[arg(long)]
        password: Option<String>,
    },
    /// Seed the demo data (idempotent), or with --products N --vendor CODE fill one vendor's
    /// catalogue with N generated products (benchmarks).
    Seed {
        #[arg(long, requires = "vendor")]
        products: Option<i64>,
        #[arg(long, requires = "products")]
        vendor: Option<String>,
    },
    /// Migrate, seed, print URLs and logins, and run the server.
    Dev,
    /// Revert all migrations and apply them again. Destroys all data.
    ResetDb {
        /// Required: confirms that all data may be lost.
        #[arg(long)]
        yes: bool,
    },
}

/// The database owner's URL: migrations, seeding and creating the server login run as it.
fn database_url() -> String {
    let _ = dotenvy::dotenv();
    std::env::var("DATABASE_OWNER_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/wizamart".to_owned())
}

fn bcrypt_cost() -> u32 {
    std::env::var("BCRYPT_COST")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(12)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Migrate => migrate(),
        Task::CreateLogin { password } => create_login(password).map(|url| println!("{url}")),
        Task::CreateAdmin { email, password } => create_admin(&email, password),
        Task::Seed {
            products: Some(n),
            vendor: Some(code),
        } => seed::generate(&database_url(), &code, n).map(|report| println!("{report}")),
        Task::Seed { .. } => {
            seed::run(&database_url(), bcrypt_cost()).map(|report| println!("{report}"))
        }
        Task::Dev => dev(),
        Task::ResetDb { yes } => reset_db(yes),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type TaskResult = Result<(), Box<dyn std::error::Error>>;

fn migrate() -> TaskResult {
    let applied = db::run_migrations(&database_url())?;
    if applied.is_empty() {
        println!("migrations: up to date");
    } else {
        println!("migrations: applied {}", applied.join(", "));
    }
    Ok(())
}

/// Creates the server's login with `password` (a generated one when `None`); answers its URL.
fn create_login(password: Option<String>) -> Result<String, Box<dyn std::error::Error>> {
    let password = password.unwrap_or_else(|| auth::generate_password(32));
    Ok(db::login::ensure_server_login(
        &database_url(),
        Some(&password),
    )?)
}

/// The development JWT secret, kept in `target/` (ignored by git) so sessions survive a
/// restart of `make run`; made on first use.
fn dev_jwt_secret() -> Result<String, Box<dyn std::error::Error>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/dev-jwt-secret");
    if let Ok(secret) = std::fs::read_to_string(&path)
        && secret.trim().len() >= 32
    {
        return Ok(secret.trim().to_owned());
    }
    let secret = auth::generate_password(48);
    std::fs::create_dir_all(path.parent().ok_or("no target directory")?)?;
    std::fs::write(&path, &secret)?;
    Ok(secret)
}

fn create_admin(email: &str, password: Option<String>) -> TaskResult {
    let password = match password {
        Some(p) => p,
        None if std::io::stdin().is_terminal() => {
            print!("Password for {email} (leave empty to generate one): ");
            std::io::stdout().flush()?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim().to_owned()
        }
        None => String::new(),
    };
    let (password, generated) = if password.is_empty() {
        (auth::generate_password(20), true)
    } else {
        (password, false)
    };
    let chars = password.chars().count();
    if !(8..=auth::password::MAX_PASSWORD_CHARS).contains(&chars) {
        return Err("the password must have 8 to 200 characters".into());
    }
    db::run_migrations(&database_url())?;
    let created = seed::upsert_admin(&database_url(), bcrypt_cost(), email, &password)?;
    println!(
        "admin {} {}",
        email.to_lowercase(),
        if created { "created" } else { "updated" }
    );
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

fn dev() -> TaskResult {
    migrate()?;
    let report = seed::run(&database_url(), bcrypt_cost())?;
    let bind = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    println!("\n{report}");
    println!("Wizamart is starting on http://{bind}");
    let mut links = vec![(
        "Admin portal".to_owned(),
        format!("http://{bind}/admin/login"),
    )];
    for code in seed::DEMO_VENDOR_CODES {
        links.push((
            format!("Vendor {code}"),
            format!("http://{bind}/vendor/{code}/login"),
        ));
        links.push((
            format!("Shop {code}"),
            format!("http://{bind}/shop/{code}/"),
        ));
    }
    links.push(("API docs".to_owned(), format!("http://{bind}/docs/")));
    links.push(("Health".to_owned(), format!("http://{bind}/health")));
    for (label, url) in links {
        println!("  {label:<16}{url}");
    }
    println!();
    // The server logs in as its restricted login with a fresh password; the owner's URL is
    // not passed on.
    let server_url = create_login(None)?;
    let jwt_secret = match std::env::var("JWT_SECRET") {
        Ok(secret) => secret,
        Err(_) => dev_jwt_secret()?,
    };
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--package", "web", "--bin", "wizamart"])
        .env("DATABASE_URL", server_url)
        // Demo feeds may be served from this machine (docs/marketplace.md).
        .env("IMPORT_ALLOW_PRIVATE_URLS", "true")
        .env_remove("DATABASE_OWNER_URL")
        .env("JWT_SECRET", jwt_secret)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server exited with {status}").into())
    }
}

fn reset_db(yes: bool) -> TaskResult {
    if !yes {
        return Err("reset-db destroys all data; run it with --yes".into());
    }
    let url = database_url();
    let reverted = db::revert_all_migrations(&url)?;
    println!("migrations: reverted {}", reverted.len());
    migrate()
}
