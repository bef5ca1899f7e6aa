"""Registers the course's Jupyter kernel and executes the notebooks.

  course.py kernel --kernel-dir DIR [--user | --sys-prefix | --prefix P]
  course.py run [--kernel-dir DIR] [--out DIR] [--cell-timeout S] [--solutions] [NOTEBOOK ...]
  course.py maven
  course.py soak [COUNT] [--kernel-dir DIR]
  course.py check-interrupt [--kernel-dir DIR]
  course.py browser-test [--kernel-dir DIR] [--out DIR] [NOTEBOOK ...]
  course.py hub --kernel-dir DIR [--url URL] [--api-port P] [--share DIR] [--add NAME ...]
  course.py classroom-test --kernel-dir DIR [COUNT]
  course.py share --kernel-dir DIR FOLDER

`kernel` writes a kernelspec named java-rnn whose classpath is DIR/classpath. It uses JJava or IJava
when one is installed, else the course kernel (DIR/genrnn-kernel.jar, which patches
DIR/rapaio-jupyter-kernel.jar; both are copied into the kernelspec).

`run` executes each notebook in order in a fresh kernel into OUT as .ipynb and .html. With
--kernel-dir it uses a private kernelspec made from that folder (tests do this), else the
installed one. A kernel that does not answer at start-up is started again; a failing cell stops
the run with the notebook, the cell and the Java error, and the exit status is 1. --solutions also
runs the exercises' worked solutions, which a reader unfolds and copies (the tests check them).

`maven` prints the path of an mvn: the one on PATH, else the Maven that pom.xml names, downloaded into
build/maven.
`soak` starts the kernel COUNT times (200 by default) and counts the starts that fail;
`check-interrupt` interrupts long cells and checks that the kernel stays usable (kernel_checks.py).
`hub` runs JupyterHub for a class (hub.py), or with --add makes students' accounts; `classroom-test`
runs COUNT students through it at once (classroom_test.py). Both take root. `share` fills FOLDER as
the hub's shared folder (binder/postBuild uses it for an image).
`browser-test` serves a copy of the notebooks with JupyterLab and runs each in headless Chromium as a
reader would (lab_test.mjs), with screenshots and a report in OUT (build/browser).
"""
import argparse
import contextlib
import os
import re
import pathlib
import shutil
import sys
import tempfile
import time

import browser_test
import classroom_test
import hub
import kernel_checks
import memory
from kernelspec import KERNEL_NAME, install_kernel
from project import ROOT, cell_timeout_setting, pom_property

START_ATTEMPTS = 4
START_TIMEOUT = 20  # seconds; a healthy start takes 2 to 5
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SOLUTION_CODE = re.compile(r"```java\n(.*?)```", re.S)  # a code block in a folded solution (<details>)


def start_kernel(client, path, log):
    """Starts the notebook's kernel (its own messages go to log), again when one hangs at start-up."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            client.km = client.create_kernel_manager()
            client.start_new_kernel(cwd=str(path), stdout=log, stderr=log)
            client.start_new_kernel_client()
            return
        except (RuntimeError, TimeoutError) as error:
            print(f"  kernel did not start ({error}); attempt {attempt} of {START_ATTEMPTS}", flush=True)
            stop_kernel(client)
    raise SystemExit("course: the kernel did not start; see the messages above")


def stop_kernel(client):
    """Stops the kernel process and its channels, whatever state they are in."""
    from nbclient.util import run_sync
    if client.kc is not None:
        client.kc.stop_channels()
    if client.km is not None and client.km.has_kernel:
        run_sync(client.km.shutdown_kernel)(now=True)


def execute(notebook_path, out_dir, cell_timeout, cap_mb=None, solutions=False):
    """Executes one notebook into out_dir, its kernel held to cap_mb when given, its folded solutions
    run when asked; returns an error message or None, and the kernel's peak resident memory in MB
    (None when unknown)."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    nb = nbformat.read(notebook_path, as_version=4)
    if solutions:
        unfold_solutions(nb)
    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=cell_timeout, startup_timeout=START_TIMEOUT,
                            resources={"metadata": {"path": str(notebook_path.parent)}})
    failure, peak = None, None
    out_dir.mkdir(parents=True, exist_ok=True)
    cap = memory.Cap(cap_mb, notebook_path.stem) if cap_mb else None
    with open(out_dir / notebook_path.with_suffix(".kernel.log").name, "w") as log:
        try:
            with cap.holding_new_processes() if cap else contextlib.nullcontext():
                start_kernel(client, notebook_path.parent, log)
            pid = getattr(client.km.provisioner, "pid", None)
            try:
                failure = execute_cells(client, nb, notebook_path, cap)
            finally:
                peak = memory.peak_mb(pid) if pid else None
                stop_kernel(client)
        finally:
            if cap:
                cap.remove()
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})  # one output per stream, progress bars as their last state
    nbformat.write(nb, out_dir / notebook_path.name)
    html, _ = HTMLExporter().from_notebook_node(nb)
    (out_dir / notebook_path.with_suffix(".html").name).write_text(html, encoding="utf-8")
    return failure, peak


def unfold_solutions(nb):
    """Puts each code block of a folded solution (a markdown cell in <details>) in a code cell after it."""
    import nbformat
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("<details>"):
            cells += [nbformat.v4.new_code_cell(code.rstrip("\n")) for code in SOLUTION_CODE.findall(cell.source)]
    nb.cells = cells


def execute_cells(client, nb, notebook_path, cap):
    """Executes the cells in order; returns a description of the first failure, or None."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    for index, cell in enumerate(nb.cells):
        try:
            client.execute_cell(cell, index)
        except (CellExecutionError, CellTimeoutError) as error:
            return describe_failure(notebook_path, nb.cells, index, error)
        except DeadKernelError:
            why = (f"the kernel was killed for crossing the memory cap of {cap.limit_mb:,} MB ({memory.CAP_SETTING}); "
                   f"give it more ({memory.BUDGET_SETTING} sets what the kernel plans for)" if cap and cap.killed()
                   else "the kernel died while it ran this cell (a call to System.exit, or the process was killed, "
                   "e.g. for memory)")
            return describe_failure(notebook_path, nb.cells, index,
                                    f"{why}; see {notebook_path.with_suffix('.kernel.log').name} beside the output")
    return None


def describe_failure(notebook_path, cells, index, error):
    cell = cells[index]
    code_cells = sum(1 for c in cells[:index + 1] if c.cell_type == "code")
    first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    java_error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
    if java_error:
        trace = ANSI.sub("", "\n".join(java_error.get("traceback", [])))
        detail = "\n  ".join(line for line in trace.splitlines()[:6] if line.strip())
        detail = detail or f"{java_error['ename']}: {java_error['evalue']}"
    else:
        detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    return (f"{notebook_path.name}: code cell {code_cells} (cell {index + 1}) failed\n"
            f"  cell starts with: {first_line}\n  {detail}")


def fetch_maven(version, folder):
    """Downloads Apache Maven from Maven Central into folder (checked against its SHA-512) and returns
    the path of its mvn; a download that fails or does not match leaves nothing behind."""
    import hashlib
    import tarfile
    import urllib.request
    home = pathlib.Path(folder) / f"apache-maven-{version}"
    mvn = home / "bin" / "mvn"
    if mvn.is_file():
        return mvn
    repository = os.environ.get("MAVEN_REPOSITORY_URL", "https://repo.maven.apache.org/maven2").rstrip("/")
    url = f"{repository}/org/apache/maven/apache-maven/{version}/apache-maven-{version}-bin.tar.gz"
    print(f"course: no mvn on PATH; downloading Maven {version} into {folder}", file=sys.stderr, flush=True)
    try:
        expected = urllib.request.urlopen(url + ".sha512", timeout=60).read().decode().split()[0]
        archive = urllib.request.urlopen(url, timeout=60).read()
    except OSError as error:
        sys.exit(f"course: cannot download {url}: {error}. Install Maven (e.g. apt-get install maven) and try again.")
    if hashlib.sha512(archive).hexdigest() != expected:
        sys.exit(f"course: {url} does not match its SHA-512 sum; try again, or install Maven yourself.")
    with tempfile.TemporaryDirectory(dir=pathlib.Path(folder).parent) as tmp:
        archive_file = pathlib.Path(tmp) / "maven.tar.gz"
        archive_file.write_bytes(archive)
        with tarfile.open(archive_file) as tar:
            tar.extractall(tmp)
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        os.replace(pathlib.Path(tmp) / home.name, home)
    return mvn


def use_private_kernel(kernel_dir):
    """Makes Jupyter see a private kernelspec made from kernel_dir before the installed one (tests do this)."""
    jupyter_dir = tempfile.mkdtemp(prefix="genrnn-jupyter-")
    install_kernel(kernel_dir, jupyter_dir=jupyter_dir)
    os.environ["JUPYTER_PATH"] = jupyter_dir + os.pathsep + os.environ.get("JUPYTER_PATH", "")


def run(args):
    notebooks = [pathlib.Path(n).resolve() for n in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing:
        sys.exit("course: no such notebook: " + ", ".join(missing) + ". Give paths like notebooks/04-training-with-sampling.ipynb.")
    timeout = args.cell_timeout or cell_timeout_setting()
    budget = memory.budget_mb()
    cap = memory.cap_mb()
    if args.check_only:
        return 0
    out_dir = pathlib.Path(args.out).resolve()
    scale = os.environ.get("COURSE_SCALE", "default")
    print(f"course: scale {scale}, {len(notebooks)} notebooks into {out_dir}; "
          + (f"kernel memory {budget:,} MB" if budget else f"kernel heap 3 GB, the rest unwatched ({memory.BUDGET_SETTING} unset)")
          + (f", held to {cap:,} MB by a cgroup" if cap else ""), flush=True)
    figures = ROOT / "notebooks" / "figures"   # the diagrams the markdown cells show, beside the executed copies
    shutil.copytree(figures, out_dir / "figures", dirs_exist_ok=True)
    summary, failure = [], None
    for notebook in notebooks:
        print(f"  {notebook.name} ...", flush=True)
        started = time.monotonic()
        failure, peak = execute(notebook, out_dir, timeout, cap, args.solutions)
        summary.append((notebook.name, time.monotonic() - started, peak))
        if failure:
            print(failure, file=sys.stderr, flush=True)
            break
    lines = [f"course: notebook, run time, the kernel's peak resident memory (scale {scale}"
             + (", solutions run too)" if args.solutions else ")")] + [
        f"  {name:<36} {int(seconds) // 60:>3} min {int(seconds) % 60:>2} s   "
        + (f"{peak:>6,} MB" if peak is not None else "     ? MB") for name, seconds, peak in summary]
    print("\n".join(lines), flush=True)
    (out_dir / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if failure:
        return 1
    print("course: all notebooks ran", flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    kernel = commands.add_parser("kernel", help="register the course kernelspec")
    kernel.add_argument("--kernel-dir", required=True)
    where = kernel.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true")
    where.add_argument("--sys-prefix", action="store_true")
    where.add_argument("--prefix")
    runner = commands.add_parser("run", help="execute the notebooks")
    runner.add_argument("--out", default=str(ROOT / "build" / "notebooks"))
    runner.add_argument("--cell-timeout", type=int, help="seconds a cell may run (COURSE_CELL_TIMEOUT, else 900)")
    runner.add_argument("--solutions", action="store_true",
                        help="also run the exercises' folded solutions, each block as a cell after it (the tests do)")
    runner.add_argument("--check-only", action="store_true", help="check the arguments and stop (before anything is built)")
    runner.add_argument("notebooks", nargs="*")
    commands.add_parser("maven", help="print the path of an mvn, downloading Maven when none is on PATH")
    soak = commands.add_parser("soak", help="start the kernel COUNT times; each must answer and run a cell")
    soak.add_argument("count", type=int, nargs="?", default=200)
    interrupt = commands.add_parser("check-interrupt", help="interrupt long cells; the kernel must stay usable")
    browser = commands.add_parser("browser-test", help="run the notebooks in JupyterLab in headless Chromium")
    browser.add_argument("--out", default=str(ROOT / "build" / "browser"))
    browser.add_argument("--cell-timeout", type=int, help="seconds a cell may run (COURSE_CELL_TIMEOUT, else 900)")
    browser.add_argument("notebooks", nargs="*")
    for command in (runner, soak, interrupt, browser):
        command.add_argument("--kernel-dir", help="use a private kernelspec made from this folder")
    hub_command = commands.add_parser("hub", help="run JupyterHub for a class, or add students to it (as root)")
    hub_command.add_argument("--url", default="http://:8000", help="where students open it (http://:8000)")
    hub_command.add_argument("--api-port", type=int, default=8081, help="the hub's own API port; the proxy's is the next")
    hub_command.add_argument("--share", default="/srv/genrnn-course", help="the class's shared folder")
    hub_command.add_argument("--add", nargs="+", metavar="NAME", help="make accounts for these students, then stop")
    classroom = commands.add_parser("classroom-test", help="COUNT students on a hub of this machine run lesson 4")
    classroom.add_argument("count", type=int, nargs="?", default=4)
    share = commands.add_parser("share", help="fill a shared folder with the kernel, its kernelspec and the notebooks")
    share.add_argument("folder")
    for command in (hub_command, classroom, share):
        command.add_argument("--kernel-dir", required=True, help="the built kernel (notebooks/target/kernel)")
    args = parser.parse_args()
    if args.command == "hub":
        return hub.serve(args, pathlib.Path(args.kernel_dir))
    if args.command == "share":  # binder/postBuild
        hub.prepare(pathlib.Path(args.folder), pathlib.Path(args.kernel_dir))
        return 0
    if args.command == "classroom-test":
        return classroom_test.run(args.count, pathlib.Path(args.kernel_dir))
    if args.command == "kernel":
        prefix = sys.prefix if args.sys_prefix else args.prefix
        print(f"course: kernelspec {KERNEL_NAME} installed in {install_kernel(args.kernel_dir, args.user, prefix)}")
        return 0
    if args.command == "maven":
        version = pom_property("course.maven.version")
        print(shutil.which("mvn") or fetch_maven(version, ROOT / "build" / "maven"))
        return 0
    if args.kernel_dir:
        use_private_kernel(args.kernel_dir)
    if args.command == "soak":
        return 1 if kernel_checks.soak(args.count) else 0
    if args.command == "check-interrupt":
        return 1 if kernel_checks.check_interrupt() else 0
    if args.command == "browser-test":
        return browser_test.run(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
