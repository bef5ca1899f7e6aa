"""The classroom load test: students on a hub of this machine (loopback only), each running lesson 4.

A hub of its own (its state and shared folder in a temporary folder, ports of its own) and accounts
made for the test, genrnn-student-1 to N, all removed at the end. Student 1 first runs the lesson
alone; then all N at once. Each logs in on the hub's login page (a wrong password first, which must
be refused), takes a token from the hub's REST API, starts a server, opens lesson 4 (a session of the
server's REST API, as the browser does) and runs its code cells over the kernel's websocket. In the
class, student 1 presses ■ during training and runs one more cell instead of the rest. Then student 1's kernel tries to read student 2's
notebooks, and its token to reach student 2's server: both must be refused.

Prints per student its server's start time, its run time and the peak resident memory of its server
and kernel, added, and for the class its time against one student alone and the largest class
this machine's memory holds.
"""
import asyncio
import json
import os
import pathlib
import pwd
import re
import shutil
import subprocess
import tempfile
import time
import uuid

import hub
import memory
from project import ROOT, cell_timeout_setting, free_port

LESSON = ROOT / "notebooks" / "04-training-with-sampling.ipynb"
STUDENT = "genrnn-student-{}"
EPOCH = re.compile(r"\bepoch \d+/\d+")  # a progress bar, which may begin with a carriage return
INTERRUPTED = re.compile(r"Training was interrupted (in|at the end of) epoch \d+,? after step \d+")
AFTER_INTERRUPT = 'System.out.println("after the interrupt, " + titles.size() + " titles are still here");'
INTERRUPT_BUDGET = 5  # seconds from ■ to the training cell's reply, as in the browser test
SERVER_TIMEOUT = 180  # seconds for a server to start


class Failure(Exception):
    pass


class Student:
    """One student: logs in, starts a server and a kernel, runs cells."""

    def __init__(self, name, password, url, hub_pid):
        self.name, self.password, self.url, self.hub_pid = name, password, url, hub_pid
        self.token = self.kernel = self.socket = None
        self.start_seconds = self.run_seconds = self.peak = None

    async def request(self, method, path, body=None, expect=(200, 201, 202, 204), form=None, **options):
        """A request to the hub or the student's server, with the student's token once there is one."""
        from tornado.httpclient import AsyncHTTPClient
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            response = await AsyncHTTPClient().fetch(
                self.url + path, method=method, headers=headers, raise_error=False,
                body=form or (None if body is None else json.dumps(body)), allow_nonstandard_methods=True,
                request_timeout=SERVER_TIMEOUT, **options)
        except Exception as error:  # no answer at all: refused, reset or timed out
            raise Failure(f"{self.name}: {method} {path} got no answer: {error}") from None
        if expect and response.code not in expect:
            raise Failure(f"{self.name}: {method} {path} answered {response.code}: {response.body[:300]!r}")
        return response

    async def log_in(self):
        """Logs in on the hub's login page (a wrong password first, which must be refused), then asks
        the hub's REST API for a token with the password."""
        from urllib.parse import urlencode
        for password, refused in (("not-" + self.password, True), (self.password, False)):
            answer = await self.request("POST", "/hub/login", expect=None, follow_redirects=False,
                                        form=urlencode({"username": self.name, "password": password}))
            if not (answer.code == 200 and b"Invalid username or password" in answer.body if refused
                    else answer.code == 302):
                raise Failure(f"{self.name}: the hub answered {answer.code} to a "
                              + ("wrong password" if refused else "right password"))
        answer = await self.request("POST", f"/hub/api/users/{self.name}/tokens",
                                    {"auth": {"username": self.name, "password": self.password}})
        self.token = json.loads(answer.body)["token"]

    async def start_server(self):
        started = time.monotonic()
        await self.request("POST", f"/hub/api/users/{self.name}/server")
        while True:
            user = json.loads((await self.request("GET", f"/hub/api/users/{self.name}")).body)
            if user.get("servers", {}).get("", {}).get("ready"):
                break
            if time.monotonic() - started > SERVER_TIMEOUT:
                raise Failure(f"{self.name}: the server did not start in {SERVER_TIMEOUT} s")
            await asyncio.sleep(0.5)
        self.start_seconds = time.monotonic() - started

    async def open_lesson(self):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        await self.request("GET", f"/user/{self.name}/api/contents/{LESSON.name}")  # the student's own copy
        # a session for the lesson, as opening it does: its kernel starts in the notebook's folder
        answer = await self.request("POST", f"/user/{self.name}/api/sessions",
                                    {"path": LESSON.name, "type": "notebook", "kernel": {"name": "java-rnn"}})
        self.kernel = json.loads(answer.body)["kernel"]["id"]
        ws = self.url.replace("http", "ws", 1) + f"/user/{self.name}/api/kernels/{self.kernel}/channels"
        self.socket = await websocket_connect(HTTPRequest(ws, headers={"Authorization": f"token {self.token}"}),
                                              max_message_size=1 << 28)

    async def run(self, code, timeout, on_output=None):
        """Runs code in the kernel; returns its printed text, or raises Failure with the Java error."""
        text, reply = await self.execute(code, timeout, on_output)
        if reply["status"] != "ok":
            raise self.failed(code, reply)
        return text

    def failed(self, code, reply):
        return Failure(f"{self.name}: the cell starting {first_line(code)!r} failed: "
                       f"{reply.get('ename')}: {reply.get('evalue')}")

    async def execute(self, code, timeout, on_output=None):
        """Runs code in the kernel; returns its printed text and the kernel's reply."""
        msg_id = uuid.uuid4().hex
        await self.socket.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                       "session": self.kernel, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        text, reply, idle = [], None, False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            try:
                raw = await asyncio.wait_for(self.socket.read_message(), max(0.1, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise Failure(f"{self.name}: the cell starting {first_line(code)!r} did not finish "
                              f"in {timeout} s (COURSE_CELL_TIMEOUT)") from None
            if raw is None:
                raise Failure(f"{self.name}: the kernel's websocket closed")
            message = json.loads(raw)
            kind, content = message["msg_type"], message["content"]
            if kind == "status" and content["execution_state"] in ("restarting", "dead"):
                raise Failure(f"{self.name}: the kernel is {content['execution_state']}")
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            if kind == "stream":
                text.append(content["text"])
                if on_output:
                    await on_output("".join(text))
            elif kind in ("execute_result", "display_data"):
                text.append(content["data"].get("text/plain", ""))
            elif kind == "execute_reply":
                reply = content
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        return "".join(text), reply

    async def lesson(self, cells, timeout, interrupt=False):
        """Runs the lesson's code cells; with interrupt, presses ■ in training and runs one more cell."""
        started = time.monotonic()
        for code in cells:
            if not interrupt:
                await self.run(code, timeout)
            elif await self.run_pressing_stop(code, timeout):
                break
        else:
            if interrupt:
                raise Failure(f"{self.name}: no training cell was seen running, so ■ was never pressed")
        self.run_seconds = time.monotonic() - started

    async def run_pressing_stop(self, code, timeout):
        """Runs a cell and presses ■ as soon as it shows training; returns whether it did, once the cell
        has stopped within the budget, said where, and a cell after it has run with earlier variables."""
        pressed = []

        async def press_once(text):
            if not pressed and EPOCH.search(text):
                pressed.append(time.monotonic())
                await self.request("POST", f"/user/{self.name}/api/kernels/{self.kernel}/interrupt")

        printed, reply = await self.execute(code, timeout, press_once)
        if not pressed:
            if reply["status"] != "ok":
                raise self.failed(code, reply)
            return False
        waited, said = time.monotonic() - pressed[0], reply.get("evalue", "") + printed
        if waited > INTERRUPT_BUDGET or not INTERRUPTED.search(said):
            raise Failure(f"{self.name}: ■ in training was answered after {waited:.1f} s with {said!r}")
        after = await self.run(AFTER_INTERRUPT, timeout)
        if "titles are still here" not in after:
            raise Failure(f"{self.name}: the cell after ■ printed {after!r}")
        return True

    def peak_mb(self):
        """The peak resident memory of the student's server and kernel, added, in MB."""
        return sum(group.resident_peak_mb() for group in memory.Cap.found(f"hub-{self.name}-{self.hub_pid}"))

    async def stop(self):
        """Stops the student's server and waits until the hub has it stopped."""
        if self.socket:
            self.socket.close()
        if not self.token:
            return
        await self.request("DELETE", f"/hub/api/users/{self.name}/server", expect=None)
        deadline = time.monotonic() + SERVER_TIMEOUT
        while time.monotonic() < deadline:
            user = json.loads((await self.request("GET", f"/hub/api/users/{self.name}")).body)
            if not user.get("servers"):
                return
            await asyncio.sleep(0.5)


def first_line(code):
    return code.strip().splitlines()[0]


def code_cells(notebook):
    import nbformat
    return [cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]


async def one_student(student, cells, timeout, interrupt=False):
    await student.log_in()
    await student.start_server()
    await student.open_lesson()
    await student.lesson(cells, timeout, interrupt)


async def check_privacy(first, second):
    """The first student's kernel cannot read the second's notebooks, nor its token reach the second's server."""
    other = pathlib.Path(pwd.getpwnam(second.name).pw_dir, "genrnn-course", "notebooks", LESSON.name)
    printed = await first.run(
        f'try {{ java.nio.file.Files.readString(java.nio.file.Path.of("{other}")); System.out.println("read"); }}\n'
        f'catch (java.io.IOException e) {{ System.out.println("refused: " + e); }}', 60)
    if "refused: java.nio.file.AccessDeniedException" not in printed:
        raise Failure(f"{first.name} read {other}: {printed.strip()}")
    answer = await first.request("GET", f"/user/{second.name}/api/contents", expect=None)
    if answer.code != 403:
        raise Failure(f"{first.name}'s token opened {second.name}'s server: {answer.code}")
    return f"{first.name}'s kernel was refused {second.name}'s files, and its token {second.name}'s server (403)"


def report(alone, students, privacy, cap_mb):
    """The figures for each student and for the class."""
    total_mb = int(re.search(r"MemTotal:\s+(\d+)", pathlib.Path("/proc/meminfo").read_text()).group(1)) >> 10
    most = max(s.peak for s in [alone] + students)
    slower = max(s.run_seconds for s in students[1:]) / alone.run_seconds
    return "\n".join(
        [f"classroom: {alone.name} alone: server started in {alone.start_seconds:.1f} s, lesson 4 ran "
         f"{alone.run_seconds:.0f} s, peak {alone.peak:,} MB; then {len(students)} at once:"]
        + [f"  {s.name}: server started in {s.start_seconds:.1f} s, ran {s.run_seconds:.0f} s"
           + (" (■ in training, then one more cell)" if i == 0 else "") + f", peak {s.peak:,} MB of {cap_mb:,}"
           for i, s in enumerate(students)]
        + [f"classroom: the slowest full run took {slower:.1f}× one alone's time, on {os.cpu_count()} cores",
           privacy,
           f"classroom: this machine's {total_mb:,} MB hold {(total_mb - 128) // cap_mb} students at their limit "
           f"of {cap_mb:,} MB, {(total_mb - 128) // most} at the highest peak seen ({most:,} MB)"])


def run(count, kernel_dir):
    """./course classroom-test COUNT; returns the exit status."""
    hub.check_machine()
    hub.check_kernel(kernel_dir)
    if count < 2:
        raise SystemExit("course: a class has at least 2 students (one presses ■, another is the privacy check)")
    kernel_mb, cap_mb = hub.memory_settings()
    group = "genrnn-classroom-test"
    names = [STUDENT.format(i) for i in range(1, count + 1)]
    timeout = cell_timeout_setting()
    cells = code_cells(LESSON)
    work = pathlib.Path(tempfile.mkdtemp(prefix="genrnn-classroom-"))
    os.chmod(work, 0o755)
    process, status, homes = None, 1, []
    try:
        hub.prepare(work / "share", kernel_dir)
        hub.remove_students(names, group)  # left by a run that was killed
        passwords = hub.add_students(names, group)
        homes = [pwd.getpwnam(name).pw_dir for name in names]
        url, api_port = f"http://127.0.0.1:{free_port()}", free_port()
        with open(work / "hub.log", "w") as log:
            process = hub.start(work / "share", work / "state", url, api_port, cap_mb, log, group)
            print(f"classroom: {count} students on a hub at {url}, each {cap_mb:,} MB in all (the kernel "
                  f"{kernel_mb:,} MB), scale {os.environ.get('COURSE_SCALE', 'default')}", flush=True)
            print(asyncio.run(classroom(url, process.pid, names, passwords, cells, timeout, cap_mb)), flush=True)
        status = 0
    except Failure as failure:
        print(f"classroom: FAILED: {failure}; the hub's log: {work / 'hub.log'}", flush=True)
    finally:
        if process:
            hub.stop(process)
        hub.remove_students(names, group)
        subprocess.run(["groupdel", group], stderr=subprocess.DEVNULL)
        shutil.rmtree(work / "share", ignore_errors=True)
        left = [name for name, home in zip(names, homes) if os.path.exists(home) or memory.Cap.found(f"hub-{name}-*")]
        print(f"classroom: {'FAILED to clean up ' + ', '.join(left) if left else 'cleaned up'}: the test's "
              "accounts, homes, servers and memory groups", flush=True)
        status = 1 if left else status
    return status


async def classroom(url, hub_pid, names, passwords, cells, timeout, cap_mb):
    """One student alone, then all at once (the first presses ■), then the privacy checks; the report."""
    await wait_for_hub(url)
    students = [Student(name, passwords[name], url, hub_pid) for name in names]
    alone = Student(names[0], passwords[names[0]], url, hub_pid)
    try:
        await one_student(alone, cells, timeout)
        alone.peak = alone.peak_mb()
    finally:
        await alone.stop()
    try:
        runs = [asyncio.ensure_future(one_student(s, cells, timeout, interrupt=i == 0))
                for i, s in enumerate(students)]
        try:
            await asyncio.gather(*runs)
        finally:
            for unfinished in runs:  # after one student's failure, the others stop too
                unfinished.cancel()
        privacy = await check_privacy(students[0], students[1])
        for student in students:
            student.peak = student.peak_mb()
        return report(alone, students, privacy, cap_mb)
    finally:
        await asyncio.gather(*(s.stop() for s in students))


async def wait_for_hub(url, seconds=60):
    from tornado.httpclient import AsyncHTTPClient
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if (await AsyncHTTPClient().fetch(url + "/hub/api", raise_error=False)).code == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise Failure(f"the hub did not answer at {url} in {seconds} s")
