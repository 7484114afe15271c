"""The kernel a submission runs in: ipykernel, started with limits that the learner's code
cannot lift.

    python scripts/grade/kernel.py --memory BYTES --allow DIR -f CONNECTION_FILE

Run by its path (standard library only), before ipykernel starts it:

- caps the kernel's address space (``RLIMIT_AS``) and the size of any file it writes
  (``RLIMIT_FSIZE``); a process can lower its limits but never raise them again;
- installs an audit hook (PEP 578; an audit hook cannot be removed) that refuses, with a
  ``PermissionError``, every Python-level write, delete, rename or new folder outside ``DIR``
  (the submission's temporary folder), and starting other programs.

This stops ordinary and accidental writes (``open``, ``pathlib``, ``np.save``, ``shutil``,
``os.remove``, ``subprocess``, ``!shell`` lines). It is not a security sandbox: code written to
get around it (ctypes, a compiled extension) can. scripts/grade/__init__.py says what is
isolated and what is not.
"""

from __future__ import annotations

import os
import resource
import sys
import threading

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# event -> positions of its path arguments and of their dir_fd (None: no dir_fd argument)
PATH_EVENTS = {
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.mkdir": ((0, 2),),
    "os.rename": ((0, 2), (1, 3)),
    "os.link": ((0, 2), (1, 3)),
    "os.symlink": ((1, 2),),
    "os.truncate": ((0, None),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 3),),
    "os.utime": ((0, 4),),
    "os.mkfifo": ((0, 2),),
    "os.mknod": ((0, 3),),
    "os.setxattr": ((0, None),),
    "os.removexattr": ((0, None),),
    "shutil.rmtree": ((0, 1),),
}
PROGRAM_EVENTS = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
)
ALWAYS = ("/dev/null",)


def inside(path, dir_fd, allowed: str) -> bool:
    """Whether ``path`` (relative to ``dir_fd`` or the working folder) is in ``allowed``."""
    if path is None or isinstance(path, int):  # an open file descriptor: judged when opened
        return True
    text = os.fsdecode(path)
    base = os.getcwd()
    if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(text):
        base = os.readlink(f"/proc/self/fd/{dir_fd}")
    real = os.path.realpath(os.path.join(base, text))
    return real in ALWAYS or real == allowed or real.startswith(allowed + os.sep)


def refusal(event: str, args: tuple, allowed: str) -> str | None:
    """Why an audited event is refused, or None when it is allowed."""
    if event == "open":
        path, mode, flags = args
        writes = any(c in (mode or "") for c in "wax+") or (flags or 0) & WRITE_FLAGS
        if writes and not inside(path, None, allowed):
            return f"write outside its folder ({os.fsdecode(path)})"
    elif event in PATH_EVENTS:
        for at, fd_at in PATH_EVENTS[event]:
            fd = args[fd_at] if fd_at is not None and fd_at < len(args) else None
            if at < len(args) and not inside(args[at], fd, allowed):
                return f"change files outside its folder ({event}: {args[at]})"
    elif event in PROGRAM_EVENTS:
        return f"start other programs ({event})"
    return None


def audit_hook(allowed: str):
    """The hook: a PermissionError for each refused event."""
    guard = threading.local()  # the hook's own calls (realpath, readlink) are not judged

    def hook(event: str, args: tuple) -> None:
        if getattr(guard, "busy", False):
            return
        guard.busy = True
        try:
            why = refusal(event, args, allowed)
        finally:
            guard.busy = False
        if why:
            raise PermissionError(f"the grader does not let a submission {why}")

    return hook


def main(argv: list[str]) -> None:
    memory = int(argv[argv.index("--memory") + 1])
    allowed = os.path.realpath(argv[argv.index("--allow") + 1])
    file_size = int(argv[argv.index("--file-size") + 1])
    rest = argv[argv.index("-f") :]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    from ipykernel import kernelapp  # imported before the hook: it reads only

    sys.addaudithook(audit_hook(allowed))
    sys.argv = [sys.argv[0], *rest]
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main(sys.argv[1:])
