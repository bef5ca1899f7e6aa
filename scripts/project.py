"""The course's folder and its pom.xml, where every version the scripts use is kept."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def pom_property(name):
    """A property of the root pom.xml."""
    match = re.search(rf"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", (ROOT / "pom.xml").read_text())
    if not match:
        sys.exit(f"course: pom.xml has no <{name}>")
    return match.group(1)
