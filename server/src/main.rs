//! `dangan-server`: the sync endpoint and the app in one process, and its admin commands.
//!
//! ```text
//! dangan-server serve [--db FILE|postgres://URL] [--listen ADDR] [--dist DIR] [--allow-origin URL]... [--max-body BYTES]
//! dangan-server token create --archive ID [--label TEXT] [--db FILE]
//! dangan-server token list [--db FILE]
//! dangan-server token revoke HASH_PREFIX [--db FILE]
//! ```

use dangan::domain::sync::protocol::valid_archive_id;
use dangan_server::{router, serve, token, Config, Store};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  dangan-server serve [--db FILE|postgres://URL] [--listen ADDR] [--dist DIR] [--allow-origin URL]... [--max-body BYTES]
  dangan-server token create --archive ID [--label TEXT] [--db FILE]
  dangan-server token list [--db FILE]
  dangan-server token revoke HASH_PREFIX [--db FILE]
defaults: --db dangan-sync.db, --listen 127.0.0.1:8080";

struct Args {
    positional: Vec<String>,
    flags: Vec<(String, String)>,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let mut it = std::env::args().skip(1);
        let (mut positional, mut flags) = (Vec::new(), Vec::new());
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let v = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                flags.push((name.to_string(), v));
            } else {
                positional.push(a);
            }
        }
        Ok(Args { positional, flags })
    }
    fn get(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.flags.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    fn check(&self, allowed: &[&str]) -> Result<(), String> {
        match self.flags.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((k, _)) => Err(format!("unknown option --{k}")),
            None => Ok(()),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
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

async fn run() -> Result<(), String> {
    let args = Args::parse()?;
    let db = args.get("db").unwrap_or("dangan-sync.db").to_string();
    let open = || async { Store::open(&db).await.map_err(|e| format!("cannot open {}: {e}", redact(&db))) };
    let cmd: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    match cmd.as_slice() {
        ["serve"] => {
            args.check(&["db", "listen", "dist", "allow-origin", "max-body"])?;
            let mut cfg = Config {
                dist: args.get("dist").map(PathBuf::from),
                allow_origins: args.all("allow-origin"),
                ..Config::default()
            };
            if let Some(m) = args.get("max-body") {
                cfg.max_body = m.parse().map_err(|_| format!("--max-body is a number of bytes, not {m:?}"))?;
            }
            if let Some(d) = &cfg.dist {
                if !d.join("index.html").is_file() {
                    return Err(format!("{} has no index.html: build the app first (scripts/build.sh)", d.display()));
                }
            }
            let listen = args.get("listen").unwrap_or("127.0.0.1:8080");
            let listener =
                tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            let store = open().await?;
            println!(
                "dangan-server: sync endpoint{} on http://{}/ (database {})",
                if cfg.dist.is_some() { " and app" } else { "" },
                listener.local_addr().map_err(|e| e.to_string())?,
                redact(&db)
            );
            serve(listener, router(store, cfg)).await.map_err(|e| e.to_string())
        }
        ["token", "create"] => {
            args.check(&["db", "archive", "label"])?;
            let archive = args.get("archive").ok_or("token create needs --archive ID")?;
            if !valid_archive_id(archive) {
                return Err("an archive id has 1–64 letters, digits, - or _".into());
            }
            let t = token::generate();
            open()
                .await?
                .add_token(archive, &token::hash(&t), args.get("label").unwrap_or(""))
                .await
                .map_err(|e| e.to_string())?;
            println!("{t}");
            eprintln!("token for archive '{archive}' created; it is shown only now (the database keeps its hash)");
            Ok(())
        }
        ["token", "list"] => {
            args.check(&["db"])?;
            for t in open().await?.tokens().await.map_err(|e| e.to_string())? {
                println!(
                    "{}\t{}\t{}\t{}",
                    t.hash_prefix,
                    t.archive,
                    if t.revoked { "revoked" } else { "active" },
                    t.label
                );
            }
            Ok(())
        }
        ["token", "revoke", prefix] => {
            args.check(&["db"])?;
            if prefix.len() < 8 {
                return Err("give at least 8 characters of the hash (see token list)".into());
            }
            let n = open().await?.revoke_token(prefix).await.map_err(|e| e.to_string())?;
            println!("{n} token(s) revoked");
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}
