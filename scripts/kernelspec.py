"""The course's kernelspec: the course kernel (rapaio-jupyter-kernel, patched), or JJava or IJava when
one is installed, with the course's classpath, JVM options and memory budget (memory.py)."""
import json
import os
import pathlib
import shutil
import sys
import tempfile

import memory

KERNEL_NAME = "java-rnn"
DISPLAY_NAME = "Java (Generative RNN course)"
# The serial collector: G1 let the heap grow to over 1 GB of mostly garbage while training (peak RSS
# 1.6 GB against 0.7 GB with it, at the same speed; bench/RESULTS.md). bench/run uses the same options.
# DL4J's crash dumps are off: on running out of memory it would write a file into the notebooks' folder.
# The heap comes from the kernel's memory budget (memory.py).
JVM_OPTIONS = ["-Xms256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
               "-Dorg.deeplearning4j.crash.reporting.enabled=false"]
# The course kernel: our jar first, so that its classes replace rapaio's faulty ones (kernel/).
KERNEL_JARS = ["genrnn-kernel.jar", "rapaio-jupyter-kernel.jar"]
KERNEL_MAIN = "io.github.genrnn.kernel.CourseKernel"
# Every kind of kernel starts through this script, beside kernel.json: it gives OpenBLAS its AVX-512
# kernels where the CPU that runs the kernel has them (ND4J's OpenBLAS falls back to old ones on CPUs
# it does not know).
LAUNCHER = pathlib.Path(__file__).resolve().parent / "with-openblas-core"


def find_installed_kernel():
    """The kind ("JJava" or "IJava") and argv of an installed JJava or IJava kernelspec, {resource_dir}
    resolved, or (None, None). JJava, IJava's maintained successor, wins when both are installed."""
    from jupyter_client.kernelspec import KernelSpecManager
    manager = KernelSpecManager()
    found = {}
    for name in manager.find_kernel_specs():
        if name == KERNEL_NAME:
            continue
        spec = manager.get_kernel_spec(name)
        jars = " ".join(part.lower() for part in spec.argv)
        kind = "JJava" if "jjava" in jars else "IJava" if "ijava" in jars else None
        if kind:
            found.setdefault(kind, [part.replace("{resource_dir}", spec.resource_dir) for part in spec.argv])
    for kind in ("JJava", "IJava"):
        if kind in found:
            return kind, found[kind]
    return None, None


def java_command():
    """The java of JAVA_HOME, else the one on PATH, its links resolved: the kernel needs it whatever the
    PATH of whoever starts it (a hub's student may not be allowed to open the folders on the teacher's)."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java:
        sys.exit("course: no java found; install a JDK 17 (see README) or set JAVA_HOME")
    return os.path.realpath(java)


def kernel_spec(kernel_dir, own=False):
    """The kernel.json for a kernel whose jars are in kernel_dir/classpath, and the files to install beside
    it: JJava's or IJava's when one is installed and own is False, else the course kernel's."""
    kernel_dir = pathlib.Path(kernel_dir).resolve()
    jars = sorted(str(p) for p in (kernel_dir / "classpath").glob("*.jar"))
    if not jars:
        sys.exit(f"course: no jars in {kernel_dir}/classpath; run ./course install first")
    # JavaCPP unpacks ND4J's native libraries into ~/.javacpp/cache of whoever runs the kernel (each
    # student, on a hub), unless GENRNN_NATIVE_CACHE names another folder
    native_cache = os.environ.get("GENRNN_NATIVE_CACHE")
    budget = memory.budget_mb()
    jvm = JVM_OPTIONS + memory.jvm_options(budget) + (
        [f"-Dorg.bytedeco.javacpp.cachedir={native_cache}"] if native_cache else [])
    # One native thread: on small recurrent models ND4J's OpenMP threads spin against the JVM's
    # (measured on 2 cores, LSTM(128), bucketed batches of 64: 0.21 s per step with one thread, 0.61 s with two;
    # bench/RESULTS.md).
    threads = {"OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), **memory.native_environment(budget)}
    spec = {"display_name": DISPLAY_NAME, "language": "java", "interrupt_mode": "message",
            "metadata": {"classpath": str(kernel_dir / "classpath")}}
    kind, argv = (None, None) if own else find_installed_kernel()
    resources = []
    if kind == "JJava":  # its launcher starts the kernel's JVM with the java on PATH and these options
        spec["argv"] = argv
        spec["env"] = {"JJAVA_CLASSPATH": os.pathsep.join(jars), "JJAVA_JVM_OPTS": " ".join(jvm), **threads}
    elif kind == "IJava":
        spec["argv"] = [argv[0]] + jvm + argv[1:]
        spec["env"] = {"IJAVA_CLASSPATH": os.pathsep.join(jars), **threads}
    else:
        kind = "course kernel (rapaio-jupyter-kernel, patched)"
        java = java_command()
        resources = [kernel_dir / jar for jar in KERNEL_JARS]
        for jar in resources:
            if not jar.is_file():
                sys.exit(f"course: {jar} is missing; run ./course install first")
        classpath = os.pathsep.join("{resource_dir}/" + jar for jar in KERNEL_JARS)
        spec["argv"] = [java] + jvm + ["-cp", classpath, KERNEL_MAIN, "{connection_file}"]
        spec["env"] = {"RJK_CLASSPATH": ";".join(jars), "RJK_TIMEOUT_MILLIS": "-1",
                       "RJK_INIT_SCRIPT": "", "RJK_COMPILER_OPTIONS": "", **threads}
    spec["metadata"]["kernel"] = kind
    if os.name != "posix":  # no /bin/sh to start it
        return spec, resources
    spec["argv"] = ["/bin/sh", "{resource_dir}/" + LAUNCHER.name] + spec["argv"]
    return spec, resources + [LAUNCHER]


def install_kernel(kernel_dir, user=False, prefix=None, jupyter_dir=None, own=False):
    """Installs the kernelspec (into jupyter_dir/kernels when given; the course kernel's, with own) and
    returns its folder. The kernel's own jars are copied into it, so that a kernel whose build/ folder
    is gone still starts and says so."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec, resources = kernel_spec(kernel_dir, own)
    with tempfile.TemporaryDirectory() as tmp:
        source = pathlib.Path(tmp) / KERNEL_NAME
        source.mkdir()
        (source / "kernel.json").write_text(json.dumps(spec, indent=2))
        for file in resources:
            shutil.copy(file, source / file.name)
        if jupyter_dir:
            target = pathlib.Path(jupyter_dir) / "kernels" / KERNEL_NAME
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)
            return target
        return KernelSpecManager().install_kernel_spec(str(source), KERNEL_NAME, user=user, prefix=prefix)
