//! `dangan-server`: the sync endpoint and the app in one process, and its admin commands.
//! The command line is parsed by clap: `--help`, `-h`, `help <command>` and `--version` work
//! as everywhere, and a mistake names itself with exit code 2.

use clap::{Parser, Subcommand};
use dangan::domain::sync::protocol::valid_archive_id;
use dangan_server::store::NewToken;
use dangan_server::{router, serve, token, Config, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// Dangan's sync endpoint: stores each archive's changes as opaque payloads and serves the app.
#[derive(Parser)]
#[command(name = "dangan-server", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the endpoint keeps its data.
#[derive(clap::Args)]
struct Db {
    /// A SQLite file, or a postgres:// URL (several endpoint processes can share one PostgreSQL)
    #[arg(long, value_name = "FILE|URL", default_value = "dangan-sync.db")]
    db: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the sync endpoint (and the built app with --dist)
    Serve {
        #[command(flatten)]
        db: Db,
        /// Address and port to listen on
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
        /// The built app (trunk's dist/ folder) to serve beside the endpoint
        #[arg(long, value_name = "DIR")]
        dist: Option<PathBuf>,
        /// A web origin allowed to call the endpoint from another address (repeatable)
        #[arg(long = "allow-origin", value_name = "URL")]
        allow_origins: Vec<String>,
        /// Largest request body accepted, in bytes
        #[arg(long, value_name = "BYTES")]
        max_body: Option<usize>,
        /// Another sync endpoint the served app may connect to, e.g. https://sync.example.com
        /// (repeatable; the content security policy allows only the endpoint itself otherwise)
        #[arg(long = "connect-origin", value_name = "URL")]
        connect_origins: Vec<String>,
        /// Browsers reach this endpoint over HTTPS (through a proxy): send Strict-Transport-Security
        #[arg(long)]
        hsts: bool,
        /// Keep documents' files in this folder (one file each) instead of in the database
        #[arg(long, value_name = "DIR")]
        files: Option<PathBuf>,
        /// Most connections open at once from one address (devices behind one NAT share it)
        #[arg(long, value_name = "N", default_value_t = dangan_server::conn::Guard::default().per_address)]
        max_connections_per_address: usize,
    },
    /// Create, list or revoke the tokens that open an archive
    #[command(subcommand)]
    Token(TokenCommand),
    /// Print the security headers the endpoint sends, for a web server that serves the built app
    /// itself (nginx, a CDN): one `Name: value` per line
    Headers {
        /// As for serve: another sync endpoint the app may connect to (repeatable)
        #[arg(long = "connect-origin", value_name = "URL")]
        connect_origins: Vec<String>,
        /// As for serve: the app is reached over HTTPS
        #[arg(long)]
        hsts: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for an archive; it is printed once (only its hash is stored)
    Create {
        /// The archive id: 1–64 letters, digits, - or _
        #[arg(long, value_name = "ID")]
        archive: String,
        /// A note to tell tokens apart (the device or shop)
        #[arg(long, value_name = "TEXT", default_value = "")]
        label: String,
        /// What the token may do: device (push, pull, live sync) or admin (the administration
        /// API: the archive's tokens; it cannot read or write changes)
        #[arg(long, value_name = "SCOPE", default_value = "device", value_parser = ["device", "admin"])]
        scope: String,
        /// The token stops working after this long, e.g. 90d, 12h, 1y (default: never)
        #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
        expires_in: Option<std::time::Duration>,
        #[command(flatten)]
        db: Db,
    },
    /// List tokens: hash prefix, archive, scope, state, created, last used, expires, label
    List {
        #[command(flatten)]
        db: Db,
    },
    /// Revoke the tokens whose hash starts with a prefix (see token list)
    Revoke {
        /// At least 8 characters of the token's hash
        hash_prefix: String,
        #[command(flatten)]
        db: Db,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dangan-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A database target for messages: a URL's password is not printed.
fn redact(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(s), Some(at)) if at > s => match db[s + 3..at].find(':') {
            Some(colon) => format!("{}:***{}", &db[..s + 3 + colon], &db[at..]),
            None => db.to_string(),
        },
        _ => db.to_string(),
    }
}

/// A time of the database (Unix milliseconds) as UTC to the second; "-" for none.
fn when(ms: Option<i64>) -> String {
    match ms {
        Some(ms) if ms >= 0 => {
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms as u64);
            humantime::format_rfc3339_seconds(t).to_string()
        }
        _ => "-".into(),
    }
}

fn check_origins(origins: &[String]) -> Result<(), String> {
    match origins.iter().find(|o| !dangan_server::valid_origin(o)) {
        Some(bad) => Err(format!("--connect-origin {bad:?} is not an origin like https://sync.example.com:8443")),
        None => Ok(()),
    }
}

async fn open(db: &str) -> Result<Store, String> {
    Store::open(db).await.map_err(|e| format!("cannot open {}: {e}", redact(db)))
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            dist,
            allow_origins,
            max_body,
            connect_origins,
            hsts,
            files,
            max_connections_per_address,
        } => {
            check_origins(&connect_origins)?;
            let mut cfg = Config { dist, allow_origins, connect_origins, hsts, ..Config::default() };
            cfg.guard.per_address = max_connections_per_address.max(1);
            if let Some(m) = max_body {
                cfg.max_body = m;
            }
            if let Some(d) = &cfg.dist {
                if !d.join("index.html").is_file() {
                    return Err(format!("{} has no index.html: build the app first (scripts/build.sh)", d.display()));
                }
            }
            let listener =
                tokio::net::TcpListener::bind(&listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            let mut store = open(&db.db).await?;
            if let Some(dir) = &files {
                store = store.with_files(dir).map_err(|e| format!("cannot keep files in {}: {e}", dir.display()))?;
            }
            println!(
                "dangan-server: sync endpoint{} on http://{}/ (database {}{})",
                if cfg.dist.is_some() { " and app" } else { "" },
                listener.local_addr().map_err(|e| e.to_string())?,
                redact(&db.db),
                files.as_ref().map(|d| format!(", files in {}", d.display())).unwrap_or_default()
            );
            let guard = cfg.guard;
            serve(listener, router(store, cfg), guard).await.map_err(|e| e.to_string())
        }
        Command::Headers { connect_origins, hsts } => {
            check_origins(&connect_origins)?;
            for (name, value) in dangan_server::security_headers(&Config { connect_origins, hsts, ..Config::default() })
            {
                println!("{name}: {value}");
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create { archive, label, scope, expires_in, db }) => {
            if !valid_archive_id(&archive) {
                return Err("an archive id has 1–64 letters, digits, - or _".into());
            }
            let scope = token::Scope::parse(&scope).ok_or("the scope is device or admin")?;
            let expires_at = expires_in.map(|d| dangan_server::store::now_ms().saturating_add(d.as_millis() as i64));
            let t = token::generate();
            let new = NewToken { archive: archive.clone(), hash: token::hash(&t), label, scope, expires_at };
            open(&db.db).await?.create_token(&new).await.map_err(|e| e.to_string())?;
            println!("{t}");
            let until = expires_at.map(|e| format!(", valid until {}", when(Some(e)))).unwrap_or_default();
            eprintln!(
                "{} token for archive '{archive}' created{until}; it is shown only now (the database keeps its hash)",
                scope.as_str()
            );
            Ok(())
        }
        Command::Token(TokenCommand::List { db }) => {
            let now = dangan_server::store::now_ms();
            println!("hash\tarchive\tscope\tstate\tcreated\tlast used\texpires\tlabel");
            for t in open(&db.db).await?.tokens().await.map_err(|e| e.to_string())? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.hash_prefix,
                    t.archive,
                    t.scope,
                    t.state(now),
                    when(Some(t.created_at)),
                    when(t.last_used_at),
                    when(t.expires_at),
                    t.label
                );
            }
            Ok(())
        }
        Command::Token(TokenCommand::Revoke { hash_prefix, db }) => {
            if hash_prefix.len() < 8 {
                return Err("give at least 8 characters of the hash (see token list)".into());
            }
            let n = open(&db.db).await?.revoke_token(&hash_prefix).await.map_err(|e| e.to_string())?;
            println!("{n} token(s) revoked");
            Ok(())
        }
    }
}
