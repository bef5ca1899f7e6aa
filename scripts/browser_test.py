"""The browser test: JupyterLab serves a copy of the notebooks and scripts/lab_test.mjs runs each one in
headless Chromium (driven by playwright-core from npm) as a reader would; screenshots and a report go
to args.out (build/browser)."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from project import ROOT, cell_timeout_setting, free_port, pom_property

def browser_tools():
    """Chromium, Node.js and playwright-core (installed from npm into build/browser-tools); exits with advice."""
    chromium = next(filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)
    node, npm = shutil.which("node"), shutil.which("npm")
    if not chromium or not node or not npm:
        sys.exit("course: the browser test needs Chromium and Node.js with npm; on Debian or Ubuntu: "
                 "apt-get install chromium nodejs npm")
    version = pom_property("playwright.version")
    tools = ROOT / "build" / "browser-tools"
    package = tools / "node_modules" / "playwright-core"
    installed = json.loads((package / "package.json").read_text())["version"] if package.is_dir() else None
    if installed != version:
        subprocess.run([npm, "install", "--prefix", str(tools), "--no-save", "--no-audit", "--no-fund",
                        f"playwright-core@{version}"], check=True, stdout=subprocess.DEVNULL)
    return chromium, node, package


def lab_settings(folder):
    """JupyterLab settings for a test: every cell rendered (no windowing, so screenshots show all), no news."""
    settings = {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
                "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"}}
    for name, values in settings.items():
        path = pathlib.Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def serve_lab(work, log):
    """Starts JupyterLab on a free loopback port with root work/notebooks; returns (process, url, token)."""
    import secrets
    import urllib.request
    port = free_port()
    token = secrets.token_hex(16)
    lab_settings(work / "settings")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces")}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.token={token}", f"--ServerApp.root_dir={work}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            return server, url, token
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    server.kill()
    sys.exit(f"course: JupyterLab did not start; see {log.name}")


def print_log_tail(log, lines=400):
    """After a failure: JupyterLab's log, which holds the kernels' own output, from a little before the
    thread dump lab_test.mjs asks a stuck kernel for (else its end), without the lines a kernel
    writes per message and per classpath entry."""
    noise = ("Handling message", "Parsing classpath: ", " to classpath")
    kept = [line for line in log.read_text(errors="replace").splitlines() if not any(n in line for n in noise)]
    dump = next((i for i, line in enumerate(kept) if line.startswith("Full thread dump")), None)
    start = max(0, dump - 50) if dump is not None else max(0, len(kept) - lines)
    print(f"--- {log}, lines {start + 1}-{min(len(kept), start + lines)} of {len(kept)} (per-message and classpath lines left out)")
    print("\n".join(kept[start:start + lines]), flush=True)


def run(args):
    """Serves a copy of the notebooks with JupyterLab and runs scripts/lab_test.mjs on them in Chromium."""
    chromium, node, playwright = browser_tools()
    out = pathlib.Path(args.out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="genrnn-lab-"))
    shutil.copytree(ROOT / "notebooks", work / "notebooks", ignore=shutil.ignore_patterns("src", "target", "pom.xml"))
    notebooks = args.notebooks or sorted(p.name for p in (work / "notebooks").glob("*.ipynb"))
    with open(out / "jupyterlab.log", "w") as log:
        server, url, token = serve_lab(work, log)
        try:
            env = {**os.environ, "LAB_URL": url, "LAB_TOKEN": token, "NOTEBOOK_DIR": str(work), "OUT_DIR": str(out),
                   "NOTEBOOKS": ",".join(f"notebooks/{pathlib.Path(n).name}" for n in notebooks),
                   "PLAYWRIGHT_CORE": str(playwright), "CHROMIUM": chromium, "CELL_BUDGET_S": str(args.cell_timeout or cell_timeout_setting())}
            code = subprocess.run([node, str(ROOT / "scripts" / "lab_test.mjs")], env=env).returncode
            if code != 0:
                print_log_tail(out / "jupyterlab.log")
            return code
        finally:
            server.terminate()
            server.wait(timeout=60)
            shutil.rmtree(work, ignore_errors=True)
