"""Checks of the installed course kernel as JupyterLab uses it: repeated starts and interrupts.

  soak(count)        starts the kernel `count` times; each must answer and run a cell
  check_interrupt()  interrupts long cells (sleep, busy loop, print loop, training) and runs a cell
                     after each, whose output must come at once;
                     then prints 20,000 lines (all must arrive), and fills the Java heap in a
                     cell, which must be answered, and frees it

Both print one line per finding and return the number of failures.
"""
import queue
import re
import statistics
import subprocess
import time

from jupyter_client import KernelManager

from kernelspec import KERNEL_NAME

ANSI = re.compile(r"\x1b\[[0-9;]*m")
READY_TIMEOUT = 60  # seconds; a healthy start takes 2 to 5, a hung one never answers
INTERRUPT_BUDGET = 5  # seconds from ■ to the cell's reply
NEXT_CELL_BUDGET = 3  # seconds for the cell after it to print its line and be answered
MEMORY_BUDGET = 180  # seconds for a cell to fill the kernel's heap and be answered
OUTPUT_LINES = 20_000


def started_kernel():
    manager = KernelManager(kernel_name=KERNEL_NAME)
    manager.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = manager.client()
    client.start_channels()
    return manager, client


def stop(manager, client, now=False):
    """Shuts the kernel down, by asking it (now=False) or by killing it (a kernel that does not answer)."""
    client.stop_channels()
    if manager.has_kernel:
        manager.shutdown_kernel(now=now)


def reply_to(client, msg_id, timeout):
    """The shell reply to msg_id within timeout seconds, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = client.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            return None
        if message["parent_header"].get("msg_id") == msg_id:
            return message
    return None


def run_cell(client, code, timeout=60):
    """Executes code and returns (status, text of its results and streams)."""
    texts = []

    def keep(message):
        content = message["content"]
        if message["msg_type"] == "stream":
            texts.append(content["text"])
        elif message["msg_type"] in ("execute_result", "display_data"):
            texts.append(content["data"].get("text/plain", content["data"].get("text/html", "")))
        elif message["msg_type"] == "error":
            texts.append(f"{content['ename']}: {content['evalue']}")

    reply = client.execute_interactive(code, timeout=timeout, output_hook=keep)
    return reply["content"]["status"], "".join(texts).strip()


def soak(count):
    """Starts the kernel count times; returns how many starts failed."""
    failures, ready_times = 0, []
    for attempt in range(1, count + 1):
        begin = time.monotonic()
        manager, client = started_kernel()
        failed = False
        try:
            client.wait_for_ready(timeout=READY_TIMEOUT)
            ready_times.append(time.monotonic() - begin)
            status, text = run_cell(client, "1 + 1", timeout=30)
            if (status, text) != ("ok", "2"):
                raise RuntimeError(f"the cell 1 + 1 gave {status}: {text!r}")
        except (RuntimeError, TimeoutError) as error:
            failed = True
            failures += 1
            print(f"soak: start {attempt} of {count} failed: {error}", flush=True)
        finally:
            stop(manager, client, now=failed)
        if attempt % 20 == 0:
            print(f"soak: {attempt} starts, {failures} failed", flush=True)
    if ready_times:
        print(f"soak: ready after {statistics.median(ready_times):.1f} s (median), "
              f"{max(ready_times):.1f} s at most", flush=True)
    print(f"soak: {count} starts, {failures} failed", flush=True)
    return failures


# Long cells, and for each an expression that keeps changing while the cell's code still runs.
LONG_CELLS = {
    "sleep": ("Thread.sleep(120_000);", None),
    "busy loop": ("long spins = 0;\nwhile (spins >= 0) { spins++; }", "spins"),
    "print loop": ("long printed = 0;\nwhile (printed >= 0) System.out.println(\"line \" + printed++);", "printed"),
    "training": ("""import io.github.genrnn.*;
var titles = java.util.Collections.nCopies(4000, "interrupt me, please");
var vocabulary = CharVocabulary.fromTexts(titles);
var spec = GeneratorSpec.lstm(vocabulary.size(), 64);
var batches = TitleBatches.of(titles, vocabulary, 32).shuffled(7);
var folder = java.nio.file.Files.createTempDirectory("interrupted-run");
GeneratorTraining.of(spec.network(), vocabulary, spec, batches).epochs(1000).checkpoints(folder).run();""",
                 None),
}


def first_line(traceback):
    """The error's first line that names an exception, without terminal colours."""
    lines = [line.strip() for line in ANSI.sub("", traceback).splitlines() if line.strip()]
    return next((line for line in lines if "Exception" in line or "Error" in line), "")


def still_running(client, probe):
    """Whether the probe's value still changes, one second apart (the interrupted code goes on)."""
    if probe is None:
        return False
    before = run_cell(client, probe, timeout=30)
    time.sleep(1)
    return run_cell(client, probe, timeout=30) != before


def check_interrupt():
    """Interrupts each long cell after 3 s; the reply must come within INTERRUPT_BUDGET seconds, a
    cell after it must print a variable defined before within NEXT_CELL_BUDGET seconds, and the
    cell's code must have stopped.
    Returns the number of failed checks."""
    failures = 0
    manager, client = started_kernel()
    try:
        client.wait_for_ready(timeout=READY_TIMEOUT)
        run_cell(client, "int kept = 41;")
        for name, (code, probe) in LONG_CELLS.items():
            msg_id = client.execute(code)
            time.sleep(3)
            interrupted = time.monotonic()
            manager.interrupt_kernel()
            reply = reply_to(client, msg_id, INTERRUPT_BUDGET)
            took = time.monotonic() - interrupted
            next_started = time.monotonic()
            status, text = run_cell(client, "System.out.println(kept + 1);", timeout=30) if reply else ("skipped", "")
            next_took = time.monotonic() - next_started
            error = "\n".join(reply["content"].get("traceback", [])) if reply else ""
            running = reply is not None and still_running(client, probe)
            ok = reply is not None and text == "42" and next_took < NEXT_CELL_BUDGET and not running
            failures += 0 if ok else 1
            outcome = (f"returned {took:.1f} s after the interrupt ({reply['content']['status']}: "
                       f"{first_line(error) or reply['content'].get('ename')})") if reply else f"no reply within {INTERRUPT_BUDGET} s"
            print(f"interrupt: {name}: {outcome}; the next cell printed {text or status!r} in {next_took:.1f} s"
                  f"{'; its code still runs in the background' if running else ''}"
                  f" -> {'ok' if ok else 'FAILED'}", flush=True)
        failures += check_output(client)
        failures += check_memory(client)
    finally:
        stop(manager, client)
    return failures


def check_output(client):
    """Every line of a cell that prints OUTPUT_LINES lines as fast as it can must arrive, in order,
    and the kernel's idle status after them, even when the reader looks away (a busy browser) for a
    few seconds while they are printed. Returns 0 or 1."""
    msg_id = client.execute(f"for (int i = 0; i < {OUTPUT_LINES}; i++) System.out.println(\"line \" + i);")
    time.sleep(5)  # reading nothing meanwhile: what the kernel sends waits in the sockets' queues
    texts, idle, deadline = [], False, time.monotonic() + 120
    while not idle and time.monotonic() < deadline:
        try:
            message = client.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "stream":
            texts.append(message["content"]["text"])
        idle = message["msg_type"] == "status" and message["content"]["execution_state"] == "idle"
    reply_to(client, msg_id, 30)
    lines = "".join(texts).splitlines()
    ok = idle and lines == [f"line {i}" for i in range(OUTPUT_LINES)]
    print(f"output: {OUTPUT_LINES:,} lines printed while the reader waited 5 s, {len(lines):,} arrived"
          f"{' in order' if ok else ''}, {'then' if idle else 'but no'} idle status -> {'ok' if ok else 'FAILED'}",
          flush=True)
    return 0 if ok else 1


def check_memory(client):
    """A cell that fills the Java heap with small objects it keeps must be answered with an error
    (not hang the kernel), and once its data is freed the kernel must run cells again. Returns 0 or 1."""
    run_cell(client, "List<Object> keep = new ArrayList<>();")
    started = time.monotonic()
    msg_id = client.execute("while (true) keep.add(new long[4]);")
    reply = reply_to(client, msg_id, MEMORY_BUDGET)
    took = time.monotonic() - started
    error = first_line("\n".join(reply["content"].get("traceback", []))) if reply else ""
    status, text = run_cell(client, "keep = null; kept + 1", timeout=60) if reply else ("skipped", "")
    ok = reply is not None and reply["content"]["status"] == "error" and "memory" in error and text == "42"
    outcome = f"answered after {took:.1f} s ({error})" if reply else f"no answer within {MEMORY_BUDGET} s"
    print(f"memory: a cell that fills the heap: {outcome}; with its data freed the next cell gave {text or status!r}"
          f" -> {'ok' if ok else 'FAILED'}", flush=True)
    return 0 if ok else 1
