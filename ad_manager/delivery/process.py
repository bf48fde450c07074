"""This process's id, known without asking the kernel each time.

A decision asked for it three times (the snapshot's refresher, the journal's file and
its folding thread are each this process's own, again in a forked worker): three
system calls, which cost about a fifteenth of a decision in this VM, the kernel's path
cold after each request. The id is read once, and again in a child after ``fork``.
"""

import os

_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def current_pid() -> int:
    """Give this process's id (as ``os.getpid()``)."""
    return _pid
