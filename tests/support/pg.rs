//! A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary
//! folder, the server on a Unix socket in that folder (no TCP port), and
//! everything stopped and removed when dropped. The server binaries are
//! found through `GOVSHARE_PG_BIN`, `PATH`, or `/usr/lib/postgresql/*/bin`;
//! without them the tests fail and say how to install them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One cluster; stopped (immediately) and removed on drop.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
    running: bool,
    fsync: bool,
}

/// What to say when the server binaries are missing.
pub const MISSING: &str = "the PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl, postgres), \
     and none were found on PATH, in /usr/lib/postgresql/*/bin or in GOVSHARE_PG_BIN. \
     Install them with `apt-get install -y postgresql` (Debian, Ubuntu), or point \
     GOVSHARE_PG_BIN at the folder that holds them.";

/// The folder of the server binaries: `pg_bin` (`GOVSHARE_PG_BIN`), then
/// `path` (`PATH`), then the newest `{lib}/*/bin`.
pub fn find_bin_in(
    pg_bin: Option<std::ffi::OsString>,
    path: Option<std::ffi::OsString>,
    lib: &Path,
) -> Result<PathBuf, String> {
    if let Some(dir) = pg_bin {
        let dir = PathBuf::from(dir);
        if dir.join("pg_ctl").is_file() && dir.join("initdb").is_file() {
            return Ok(dir);
        }
        return Err(format!(
            "GOVSHARE_PG_BIN={} holds no pg_ctl and initdb; {MISSING}",
            dir.display()
        ));
    }
    if let Some(path) = path {
        for dir in std::env::split_paths(&path) {
            if dir.join("pg_ctl").is_file() && dir.join("initdb").is_file() {
                return Ok(dir);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(lib)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| MISSING.to_owned())
}

fn find_bin() -> PathBuf {
    find_bin_in(
        std::env::var_os("GOVSHARE_PG_BIN"),
        std::env::var_os("PATH"),
        Path::new("/usr/lib/postgresql"),
    )
    .unwrap_or_else(|message| panic!("{message}"))
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

impl Cluster {
    /// Creates and starts a cluster that does not fsync (tests).
    pub fn start() -> Self {
        Self::start_with(false)
    }

    /// Creates and starts a cluster; `fsync` as a production server
    /// (benchmarks).
    pub fn start_with(fsync: bool) -> Self {
        let bin = find_bin();
        let dir = tempfile::Builder::new()
            .prefix("govshare-pg-")
            .tempdir()
            .expect("a temporary folder");
        let as_postgres = is_root();
        if as_postgres {
            // The server refuses to run as root: it runs as `postgres`,
            // which must own its folder.
            let ok = Command::new("chown")
                .arg("postgres:")
                .arg(dir.path())
                .status()
                .expect("chown")
                .success();
            assert!(ok, "cannot give {} to user postgres", dir.path().display());
        }
        let mut c = Self {
            dir,
            bin,
            as_postgres,
            running: false,
            fsync,
        };
        let data = c.data();
        c.run(
            "initdb",
            &[
                "-D",
                data.to_str().expect("a UTF-8 path"),
                "-A",
                "trust",
                "-U",
                "govshare",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        );
        c.resume();
        c
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The folder of the socket.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the server (again).
    pub fn resume(&mut self) {
        let data = self.data();
        let log = self.dir.path().join("server.log");
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync={} -c max_connections=100",
            self.socket_dir().display(),
            if self.fsync { "on" } else { "off" }
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().expect("a UTF-8 path"),
                "-l",
                log.to_str().expect("a UTF-8 path"),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        self.running = true;
    }

    /// Kills the server at once, as a crash would.
    pub fn kill(&mut self) {
        let data = self.data();
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().expect("a UTF-8 path"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        self.running = false;
    }

    /// The connection URL of database `db`.
    pub fn url_of(&self, db: &str) -> String {
        let host = self
            .socket_dir()
            .to_str()
            .expect("a UTF-8 path")
            .replace('%', "%25")
            .replace('/', "%2F");
        format!("postgres://govshare@{host}/{db}")
    }

    /// The connection URL of the default database.
    pub fn url(&self) -> String {
        self.url_of("postgres")
    }

    /// Creates database `db` and returns its URL.
    pub fn create_db(&self, db: &str) -> String {
        let mut c = postgres::Client::connect(&self.url(), postgres::NoTls).expect("connect");
        c.batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("create database");
        self.url_of(db)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            let data = self.data();
            let exe = self.bin.join("pg_ctl");
            let mut cmd = if self.as_postgres {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(&exe);
                c
            } else {
                Command::new(&exe)
            };
            let _ = cmd
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}
