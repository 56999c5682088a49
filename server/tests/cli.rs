//! The command line behaves as every command-line user expects: help and version exit 0, a
//! mistake names itself and exits 2, and the token commands work on a fresh database.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dangan-server")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn help_and_version_exit_zero() {
    for args in [&["--help"][..], &["-h"], &["help"], &["help", "serve"], &["help", "token"], &["serve", "--help"]] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(stdout(&o).contains("Usage: dangan-server"), "{args:?}: {}", stdout(&o));
    }
    assert!(stdout(&run(&["help", "serve"])).contains("--allow-origin <URL>"));
    assert!(stdout(&run(&["token", "--help"])).contains("revoke"));
    let v = run(&["--version"]);
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(stdout(&v).trim(), format!("dangan-server {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn mistakes_are_named_with_exit_code_two() {
    for (args, says) in [
        (&["serve", "--nope"][..], "--nope"),
        (&["serve", "--listen"], "--listen"),
        (&["frobnicate"], "frobnicate"),
        (&["token", "create"], "--archive"),
        (&["serve", "--max-body", "lots"], "lots"),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(says), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(run(&[]).status.code(), Some(2), "no command: usage, exit 2");
    let o = run(&["headers", "--connect-origin", "sync.example.com; script-src *"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not an origin like https://"));
}

#[test]
fn headers_prints_the_policy_a_web_server_in_front_should_send() {
    let o = run(&["headers", "--connect-origin", "https://sync.example.com", "--hsts"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.starts_with("content-security-policy: default-src 'self';")), "{out}");
    assert!(out.contains("connect-src 'self' https://sync.example.com;"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("strict-transport-security: max-age=")), "{out}");
    assert!(out.lines().any(|l| l == "x-frame-options: DENY"), "{out}");
}

#[test]
fn tokens_are_created_listed_and_revoked() {
    let dir = std::env::temp_dir().join(format!("dangan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("t.db");
    let db = db.to_str().unwrap();
    let created = run(&["token", "create", "--archive", "my-hotel", "--label", "front desk", "--db", db]);
    assert_eq!(created.status.code(), Some(0));
    assert!(stdout(&created).starts_with("dgn_"));
    let admin =
        run(&["token", "create", "--archive", "my-hotel", "--scope", "admin", "--expires-in", "90d", "--db", db]);
    assert_eq!(admin.status.code(), Some(0), "{}", String::from_utf8_lossy(&admin.stderr));
    assert!(
        String::from_utf8_lossy(&admin.stderr).contains("admin token for archive 'my-hotel' created, valid until 20")
    );
    let list = stdout(&run(&["token", "list", "--db", db]));
    let rows: Vec<Vec<&str>> = list.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0], ["hash", "archive", "scope", "state", "created", "last used", "expires", "label"]);
    assert_eq!(&rows[1][1..4], ["my-hotel", "device", "active"], "{list}");
    assert_eq!((rows[1][5], rows[1][6], rows[1][7]), ("-", "-", "front desk"), "never used, never expires");
    assert_eq!(&rows[2][1..4], ["my-hotel", "admin", "active"], "{list}");
    assert!(rows[2][6].starts_with("20") && rows[2][6].ends_with('Z'), "expiry as a UTC time: {list}");
    let prefix = rows[1][0].to_string();
    assert_eq!(stdout(&run(&["token", "revoke", &prefix, "--db", db])).trim(), "1 token(s) revoked");
    assert!(stdout(&run(&["token", "list", "--db", db])).contains("\tdevice\trevoked\t"));
    for (args, says) in [(&["--scope", "root"][..], "root"), (&["--expires-in", "soon"], "soon")] {
        let o = run(&[&["token", "create", "--archive", "my-hotel", "--db", db][..], args].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(says), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let bad = run(&["token", "create", "--archive", "bad id!", "--db", db]);
    assert_eq!(bad.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_flood_of_wrong_tokens_is_logged_with_its_address_once() {
    use std::io::{BufRead, Read, Write};
    let dir = std::env::temp_dir().join(format!("dangan-cli-flood-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("f.db");
    let mut server = Command::new(env!("CARGO_BIN_EXE_dangan-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db", db.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).unwrap().split('/').next().unwrap().to_string();
    let wrong = format!("dgn_{}", "ab".repeat(32));
    let mut statuses = Vec::new();
    for _ in 0..30 {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            s,
            "GET /sync/v1/hotel/pull HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {wrong}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        statuses.push(answer.split(' ').nth(1).unwrap_or_default().to_string());
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let mut log = String::new();
    server.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(statuses.iter().filter(|s| *s == "401").count(), 20, "twenty wrong tokens are answered: {statuses:?}");
    assert!(statuses[20..].iter().all(|s| s == "429"), "then refused unchecked: {statuses:?}");
    let flood = log.lines().filter(|l| l.contains("wrong access tokens from 127.0.0.1")).count();
    assert_eq!(flood, 1, "logged once a minute, not once a request: {log}");
}
