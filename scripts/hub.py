"""A JupyterHub for a class on one machine: Debian's jupyterhub package, run with hub/jupyterhub_config.py.

  prepare(share, kernel_dir)                  the class's shared folder: kernel, kernelspec, notebooks
  add_students(names, ...) / remove_students  system accounts in the class's group, with passwords
  start(share, state, ...)                    the hub, as a process
  serve(args, ...)                            ./course hub: all of the above, until Ctrl-C

The hub runs each student's server as that student, so it takes root. A student's server and kernels
share one memory limit (a cgroup, memory.py); the kernel gets the budget COURSE_KERNEL_MEMORY (1g
unless set) and the server the rest of COURSE_HUB_MEMORY.
"""
import grp
import os
import pathlib
import pwd
import re
import secrets
import shutil
import subprocess
import sys

import memory
from kernelspec import install_kernel
from project import ROOT

JUPYTERHUB = pathlib.Path("/usr/bin/jupyterhub")  # Debian's package; pip's index here has no JupyterHub
CONFIG = ROOT / "hub" / "jupyterhub_config.py"
DEBIAN_NODE_MODULES = "/usr/share/nodejs"
GROUP = "course-students"
KERNEL_MEMORY = "1g"
SERVER_MEMORY = 256  # MB beside the kernel's budget: the notebook server (122 MB measured) and headroom
NAME = re.compile(r"[a-z_][a-z0-9_-]{0,30}")
STOP_SECONDS = 30  # for the hub to stop every server after Ctrl-C


def check_machine():
    """Exits with what to do when this machine cannot run the hub."""
    if os.geteuid() != 0:
        sys.exit("course: the hub starts each student's server as that student, which takes root: "
                 "sudo ./course hub")
    if not JUPYTERHUB.is_file():
        sys.exit(f"course: JupyterHub is not installed ({JUPYTERHUB} is missing). On Debian or Ubuntu: "
                 "sudo apt-get install jupyterhub (it brings configurable-http-proxy and the Notebook server).")
    memory.Cap(16, "hub-check").remove()  # says how to run when no cgroup can be made


def check_kernel(kernel_dir):
    """Exits with what to do when the kernel is not built."""
    if not (kernel_dir / "classpath").is_dir():
        sys.exit(f"course: no built kernel in {kernel_dir}; run ./course install first (as yourself, not root)")


def memory_settings():
    """The kernel's budget and a student's whole limit in MB (COURSE_KERNEL_MEMORY, COURSE_HUB_MEMORY)."""
    os.environ.setdefault(memory.BUDGET_SETTING, KERNEL_MEMORY)
    kernel = memory.budget_mb()
    student = memory.setting_mb("COURSE_HUB_MEMORY") or kernel + SERVER_MEMORY
    if student < kernel + 128:
        sys.exit(f"course: COURSE_HUB_MEMORY of {student} MB leaves the notebook server too little beside "
                 f"the kernel's {kernel} MB ({memory.BUDGET_SETTING}); give it {kernel + SERVER_MEMORY}m.")
    return kernel, student


def prepare(share, kernel_dir):
    """Fills the class's shared folder, readable by every student: the course kernel, its kernelspec
    (with the kernel's memory budget), the notebooks with their figures, and `start` (binder/start)."""
    share.mkdir(parents=True, exist_ok=True)
    os.chmod(share, 0o755)
    parts = [share / "kernel", share / "jupyter", share / "notebooks"]
    for part in parts:
        shutil.rmtree(part, ignore_errors=True)
    shutil.copytree(kernel_dir, share / "kernel")
    install_kernel(share / "kernel", jupyter_dir=share / "jupyter", own=True)
    shutil.copytree(ROOT / "notebooks" / "figures", share / "notebooks" / "figures")
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, share / "notebooks")
    shutil.copy(ROOT / "binder" / "start", share / "start")
    os.chmod(share / "start", 0o755)
    for part in parts:
        for folder, _, files in os.walk(part):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o644)


def in_class(name, group=GROUP):
    try:
        return name in grp.getgrnam(group).gr_mem
    except KeyError:
        return False


def add_students(names, group=GROUP, kept=None):
    """Makes a system account for each name, in the class's group, with a home only its owner can
    open, no login shell (the password is for the hub only) and a new password, which is appended
    to kept (a file only root can read) as soon as it is set; returns {name: password}. An account
    already in the class keeps its password (None); another account of that name is refused."""
    for name in names:
        if not NAME.fullmatch(name):
            sys.exit(f"course: {name!r} cannot be an account name: lower-case letters, digits, - and _, "
                     "at most 31, starting with a letter.")
        if not in_class(name, group) and name in {account.pw_name for account in pwd.getpwall()}:
            sys.exit(f"course: the system already has an account {name} outside the class; pick another name, "
                     f"or add it to the class with: usermod -aG {group} {name}")
    subprocess.run(["groupadd", "-f", group], check=True)
    passwords = {}
    for name in names:
        if in_class(name, group):
            passwords[name] = None
            continue
        subprocess.run(["useradd", "--create-home", "--groups", group, "--shell", "/usr/sbin/nologin", name],
                       check=True)
        os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
        passwords[name] = secrets.token_urlsafe(9)
        subprocess.run(["chpasswd"], input=f"{name}:{passwords[name]}\n", text=True, check=True)
        if kept:
            with open(os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a") as file:
                os.fchmod(file.fileno(), 0o600)
                file.write(f"{name} {passwords[name]}\n")
    return passwords


def remove_students(names, group=GROUP):
    """Removes the accounts of the class among names, with their homes (a failure is not fatal: the
    caller checks what is left)."""
    for name in names:
        if in_class(name, group):
            subprocess.run(["userdel", "--remove", name], stderr=subprocess.DEVNULL)


def start(share, state, url, api_port, student_mb, log, group=GROUP):
    """Starts the hub on url (its own API on api_port and the proxy's on the next port), its database
    and secrets in state; returns the process."""
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    env = {**os.environ, "COURSE_HUB_SHARE": str(share), "COURSE_HUB_URL": url, "COURSE_HUB_API_PORT": str(api_port),
           "COURSE_HUB_MEMORY": str(student_mb), "COURSE_HUB_GROUP": group,
           # Debian's configurable-http-proxy finds its modules there; a Node.js not from Debian does not look
           "NODE_PATH": os.pathsep.join(filter(None, [DEBIAN_NODE_MODULES, os.environ.get("NODE_PATH")]))}
    return subprocess.Popen([str(JUPYTERHUB), "-f", str(CONFIG)], cwd=state, env=env, stdout=log,
                            stderr=subprocess.STDOUT)


def stop(hub, already_asked=False):
    """Stops the hub (it stops every student's server), killing it if it takes too long, then
    removes any memory group a server left."""
    if not already_asked:
        hub.terminate()
    try:
        hub.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        hub.kill()
        hub.wait()
    for cap in memory.Cap.found(f"hub-*-{hub.pid}"):
        cap.remove()


def serve(args, kernel_dir):
    """./course hub: adds the students named, or prepares the shared folder and runs the hub until Ctrl-C."""
    check_machine()
    state = ROOT / "build" / "hub"
    state.mkdir(parents=True, exist_ok=True)
    if args.add:
        passwords = add_students(args.add, kept=state / "passwords.txt")
        print("\n".join(["course: new accounts and their passwords (also in build/hub/passwords.txt):"]
                        + [f"{name} {password}" for name, password in passwords.items() if password]
                        + [f"course: {name} is already in the class; its password is unchanged"
                           for name, password in passwords.items() if not password]))
        return 0
    check_kernel(kernel_dir)
    kernel_mb, student_mb = memory_settings()
    share = pathlib.Path(args.share)
    prepare(share, kernel_dir)
    print(f"course: the hub at {args.url} for the group {GROUP}; each student {student_mb:,} MB in all, "
          f"the kernel {kernel_mb:,} MB of it; notebooks from {share}; log in build/hub/hub.log. Ctrl-C stops it.",
          flush=True)
    with open(state / "hub.log", "a") as log:
        hub = start(share, state, args.url, args.api_port, student_mb, log)
        try:
            hub.wait()
        except KeyboardInterrupt:
            pass  # the terminal sent the hub its Ctrl-C too: it is stopping already
        finally:
            stop(hub, already_asked=True)
    return hub.returncode
