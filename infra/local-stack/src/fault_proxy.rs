//! Starting `infra/emulator/fault_proxy.py`, the fault-injecting proxy between the
//! stack's AWS SDK and the emulator (used by `make soak` and by `tests/serial/faults.rs`).
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The running proxy, stopped when this is dropped; it also exits when this process
/// ends (it watches its stdin, a pipe from us).
pub struct FaultProxy {
    /// Where to point the SDK, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    child: Child,
}

/// Starts the proxy from the project at `root` (its `.venv` Python) on a free loopback
/// port, forwarding to `upstream` (the emulator's URL), faults off.
pub fn start(root: &Path, upstream: &str) -> Result<FaultProxy, String> {
    let python = root.join(".venv/bin/python");
    let mut child = Command::new(&python)
        .arg(root.join("infra/emulator/fault_proxy.py"))
        .args(["127.0.0.1", "0", upstream, "--exit-with-parent"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the fault proxy with {python:?}: {e}"))?;
    let mut line = String::new();
    let stdout = child.stdout.take().ok_or("the fault proxy has no stdout")?;
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("the fault proxy's first line: {e}"))?;
    let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("the fault proxy did not start: {line:?}"));
    };
    Ok(FaultProxy {
        url: url.to_owned(),
        child,
    })
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
