"""The course's folder and its pom.xml, where every version the scripts use is kept."""
import os
import pathlib
import re
import socket
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def pom_property(name):
    """A property of the root pom.xml."""
    match = re.search(rf"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", (ROOT / "pom.xml").read_text())
    if not match:
        sys.exit(f"course: pom.xml has no <{name}>")
    return match.group(1)


def cell_timeout_setting():
    """COURSE_CELL_TIMEOUT in seconds (900 when unset); anything but a positive whole number is refused."""
    value = os.environ.get("COURSE_CELL_TIMEOUT", "900")
    if not value.strip().isdigit() or int(value) <= 0:
        sys.exit(f"course: COURSE_CELL_TIMEOUT must be a whole number of seconds above 0, not {value!r}.")
    return int(value)


def free_port():
    """A loopback port that no process listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
