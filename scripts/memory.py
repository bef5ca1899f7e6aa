"""The course kernel's memory: its budget, the JVM options that keep it inside, a cgroup cap to test
that with, and the peak a run reached.

COURSE_KERNEL_MEMORY (e.g. 1g, 1536m) is the memory one kernel may use in all; unset, the kernel has
a 3 GB heap and nothing watches the rest. With a budget, the Java heap gets half of it. ND4J's
arrays live outside the heap, where no Java option limits them (JavaCPP's maxbytes does not see
them: measured 0 MB counted while they held hundreds), so the kernel watches its own resident
memory and stops a cell that comes near the budget, with an error the cell shows, before the
operating system would kill the kernel without a word.
"""
import contextlib
import os
import pathlib
import re
import signal
import sys
import time

BUDGET_SETTING = "COURSE_KERNEL_MEMORY"
CAP_SETTING = "COURSE_MEMORY_CAP"
HEAP_SHARE = 50  # percent of the budget for the Java heap; ND4J, the JIT and the JVM's own share the rest


def megabytes(setting, value):
    """A size such as 1g, 1536m or 1073741824 (bytes) in MB; anything else is refused."""
    match = re.fullmatch(r"\s*(\d+)\s*([gGmM]?)\s*", value or "")
    if not match or int(match.group(1)) == 0:
        sys.exit(f"course: {setting} must be a size such as 1g or 1536m, not {value!r}.")
    number, unit = int(match.group(1)), match.group(2).lower()
    return number * 1024 if unit == "g" else number if unit == "m" else number >> 20


def setting_mb(setting):
    """The size in MB that the environment variable sets, or None when it is unset."""
    value = os.environ.get(setting)
    return megabytes(setting, value) if value else None


def budget_mb():
    """The kernel's budget in MB (COURSE_KERNEL_MEMORY), or None."""
    return setting_mb(BUDGET_SETTING)


def cap_mb():
    """The cgroup cap in MB for each kernel (COURSE_MEMORY_CAP), or None."""
    return setting_mb(CAP_SETTING)


def jvm_options(budget):
    """The options of a kernel of budget MB (None: a 3 GB heap and no watch): its heap, and the
    budget itself, which the kernel's memory guard watches the whole process against."""
    if budget is None:
        return ["-Xmx3g"]
    if budget < 512:
        sys.exit(f"course: {BUDGET_SETTING} of {budget} MB is too small for the course kernel; give it 512m or more.")
    # a heap that a collection leaves more than 40% free is shrunk, so that a kernel between
    # trainings gives memory back (the JVM's default waits for 70%)
    return [f"-Xmx{budget * HEAP_SHARE // 100}m", "-XX:MaxHeapFreeRatio=40", f"-Dgenrnn.kernel.memory={budget}m"]


def native_environment(budget):
    """glibc's malloc settings for a kernel with a budget: a 64 MB arena per busy thread is more
    than the kernel's native work needs, and after large blocks are freed, malloc serves later ones
    from arenas it does not give back; a fixed threshold keeps every block over 128 kB in memory of
    its own, returned when ND4J frees it (measured: 45 MB less at the peak, 13% more time per step)."""
    return {} if budget is None else {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "131072"}


def peak_mb(pid):
    """The most resident memory the process has held (VmHWM), in MB, or None once it is gone."""
    try:
        status = pathlib.Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) >> 10 if match else None


def hierarchy():
    """The root of the memory cgroups, and whether it is cgroup v2."""
    v2 = pathlib.Path("/sys/fs/cgroup/cgroup.controllers").is_file()
    return pathlib.Path("/sys/fs/cgroup" if v2 else "/sys/fs/cgroup/memory"), v2


class Cap:
    """A cgroup that holds a kernel (COURSE_MEMORY_CAP), or a student's server and kernels (the hub), to a
    memory limit: cgroup v2's memory.max, or v1's memory controller, made at the root of the hierarchy,
    which takes root."""

    def __init__(self, limit_mb, name):
        self.limit_mb = limit_mb
        base, v2 = hierarchy()
        self.group = base / f"genrnn-{name}-{os.getpid()}"
        limit = str(limit_mb << 20)
        try:
            self.group.mkdir(exist_ok=True)
            if v2:
                self._write("memory.max", limit)
                if (self.group / "memory.swap.max").exists():
                    self._write("memory.swap.max", "0")  # no escape into swap
            else:
                self._write("memory.limit_in_bytes", limit)
                if (self.group / "memory.memsw.limit_in_bytes").exists():
                    self._write("memory.memsw.limit_in_bytes", limit)  # no escape into swap
        except OSError as error:
            self.remove()
            sys.exit(f"course: a memory cap needs a cgroup of its own, and {self.group} cannot be made or set "
                     f"({error}). Run as root (or leave {CAP_SETTING} unset).")
        self.v2 = v2

    @classmethod
    def found(cls, pattern):
        """The groups that Caps made, in any process, under names that match pattern (a glob)."""
        base, v2 = hierarchy()
        caps = []
        for group in sorted(base.glob(f"genrnn-{pattern}")):
            cap = cls.__new__(cls)
            cap.group, cap.v2 = group, v2
            caps.append(cap)
        return caps

    def _write(self, name, value):
        (self.group / name).write_text(value)

    @contextlib.contextmanager
    def holding_new_processes(self):
        """While open, processes this one starts are born in the group (and charged to it from their
        first page); then this process goes back where it was."""
        controller = "" if self.v2 else "memory"
        home = next(line.split(":", 2)[2] for line in pathlib.Path("/proc/self/cgroup").read_text().splitlines()
                    if line.split(":", 2)[1] == controller)
        self.add(os.getpid())
        try:
            yield
        finally:
            (self.group.parent / home.lstrip("/") / "cgroup.procs").write_text(str(os.getpid()))

    def add(self, pid):
        """Moves a process into the group; the processes it starts from then on are born in it."""
        self._write("cgroup.procs", str(pid))

    def resident_peak_mb(self):
        """The sum of the peak resident memory of the processes in the group, in MB (the group's own
        peak counts the files they read too, which the kernel can drop from memory under the limit)."""
        return sum(peak_mb(int(pid)) or 0 for pid in (self.group / "cgroup.procs").read_text().split())

    def killed(self):
        """Whether the kernel was killed for crossing the limit."""
        events = self.group / ("memory.events" if self.v2 else "memory.oom_control")
        try:
            counts = dict(line.split() for line in events.read_text().splitlines())
        except (OSError, ValueError):
            return False
        return int(counts.get("oom_kill", 0)) > 0

    def remove(self):
        """Kills what is left in the group (a kernel its server did not stop), then removes it."""
        for _ in range(50):
            try:
                for pid in (self.group / "cgroup.procs").read_text().split():
                    with contextlib.suppress(OSError):
                        os.kill(int(pid), signal.SIGKILL)
                self.group.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.1)  # the killed processes are not gone yet; the next run's group has another name
