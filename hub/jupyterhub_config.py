"""JupyterHub for a class, as `./course hub` starts it (scripts/hub.py sets the COURSE_HUB_ variables).

Students log in with their system accounts (PAM), if they are in the class's group. Each one's
notebook server and kernels run as that student, held together to one memory limit by a cgroup;
the server starts through the share's `start` (binder/start), which finds the course kernel in the
class's shared folder and, as the student, copies the notebooks into ~/genrnn-course once. An idle
kernel is stopped after an hour, even with its notebook open, and a server left with no kernel
stops two hours later.
"""
import asyncio
import os
import pathlib
import sys

from jupyterhub.spawner import LocalProcessSpawner

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
import memory  # noqa: E402  (the course's cgroup cap)

share = pathlib.Path(os.environ["COURSE_HUB_SHARE"])
student_memory = int(os.environ["COURSE_HUB_MEMORY"])
api_port = int(os.environ["COURSE_HUB_API_PORT"])
# what the teacher's shell sets for the course is what every student's kernel sees
PASSED_ON = ("COURSE_SCALE", "AG_NEWS_DIR", "GENRNN_CACHE", "BOOK", "OMP_NUM_THREADS",
             "OPENBLAS_CORETYPE")


def remove_caps(name):
    """Removes a student's memory groups, with anything left in them."""
    for cap in memory.Cap.found(f"hub-{name}-*"):
        cap.remove()


class CappedSpawner(LocalProcessSpawner):
    """A student's notebook server, born in a cgroup of its own, which its kernels inherit."""

    def make_preexec_fn(self, name):
        as_student = super().make_preexec_fn(name)
        remove_caps(name)  # one a server that stopped by itself left behind
        try:
            cap = memory.Cap(student_memory, f"hub-{name}")
        except SystemExit as refused:  # memory.Cap says why it cannot make the group
            raise RuntimeError(str(refused)) from None

        def in_cap_as_student():
            cap.add(os.getpid())
            as_student()

        return in_cap_as_student


async def release_memory(spawner):
    """After a server stops, however it stopped: its group goes, with any kernel it left running."""
    await asyncio.get_running_loop().run_in_executor(None, remove_caps, spawner.user.name)


c = get_config()  # noqa: F821  (given by JupyterHub)
c.JupyterHub.bind_url = os.environ["COURSE_HUB_URL"]
c.JupyterHub.hub_port = api_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{api_port + 1}"
c.JupyterHub.spawner_class = CappedSpawner
c.PAMAuthenticator.allowed_groups = {os.environ["COURSE_HUB_GROUP"]}
c.PAMAuthenticator.open_sessions = False  # no login session per server (PAM's session modules expect a terminal)
c.Spawner.cmd = [str(share / "start"), str(pathlib.Path(sys.argv[0]).parent / "jupyterhub-singleuser")]
c.Spawner.post_stop_hook = release_memory
c.Spawner.notebook_dir = "~/genrnn-course/notebooks"
# the system's PATH, not root's, whose folders a student may not be allowed to open
c.Spawner.environment = {"COURSE_SHARE": str(share), "PATH": "/usr/local/bin:/usr/bin:/bin",
                         **{name: os.environ[name] for name in PASSED_ON if name in os.environ}}
c.Spawner.args = ["--MappingKernelManager.cull_idle_timeout=3600",
                  "--MappingKernelManager.cull_connected=True",
                  "--MappingKernelManager.cull_interval=300",
                  "--NotebookApp.shutdown_no_activity_timeout=7200"]
c.Spawner.http_timeout = 120  # several servers starting at once on a small machine
