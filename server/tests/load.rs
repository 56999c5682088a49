//! A short run of `dangan-load` (the full figures come from scripts/load.sh): simulated devices
//! pushing and pulling against endpoint processes, one of them killed with SIGKILL mid-run and
//! started again; the run fails unless every answered change is stored once and pulled exactly
//! once by every device with gapless cursors, and no request failed outside the restart.

use std::process::Command;

fn load(extra: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_dangan-load"))
        .args(["--devices", "24", "--archives", "4", "--seconds", "6", "--push-every-ms", "300", "--kill-at", "3"])
        .args(["--server", env!("CARGO_BIN_EXE_dangan-server")])
        .args(extra)
        .output()
        .expect("dangan-load runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("killed the endpoint"), "{out}");
    assert!(out.contains("errors: none"), "{out}");
    assert!(out.contains("stored once and pulled exactly once by each of the 24 devices"), "{out}");
    let opened_again = out.split("live connection(s) opened again").next().unwrap().rsplit(", ").next().unwrap();
    assert!(opened_again.trim().parse::<usize>().unwrap() >= 1, "the devices reconnected: {out}");
}

#[test]
fn sqlite_nothing_answered_is_lost_or_repeated_across_a_killed_endpoint() {
    load(&[]);
}

#[test]
#[ignore = "needs PostgreSQL: DANGAN_TEST_PG=$(scripts/pg.sh start) cargo test -- --include-ignored"]
fn postgres_two_processes_nothing_answered_is_lost_or_repeated_across_a_killed_endpoint() {
    let pg = std::env::var("DANGAN_TEST_PG").expect("DANGAN_TEST_PG names a PostgreSQL server");
    load(&["--db", &pg, "--processes", "2"]);
}
