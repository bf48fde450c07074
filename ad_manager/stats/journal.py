"""A process's journal of what it answered: one line per request copied into a file's
memory map, added to the database off the request path.

Counting inside a request used to cost an upsert and a commit (or a Redis round trip):
the largest part of its time, and a request that failed with its store. Now each
process appends one line per request to a file of its own (``COUNTS_JOURNAL_DIR``,
default ``instance/counts-journal``) and folds the lines every few seconds
(``COUNTS_FOLD_SECONDS``, 5), from a background thread (``SNAPSHOT_REFRESH =
"background"``) or right after the append (``"request"``: tests, ``flask run``). What a
line holds and how a fold adds it is its ``LineKind``: a decision's served counts
(``stats.served_journal``), a page's events and clicks (``stats.events_journal``).

What it promises:

- **Nothing answered is lost when a process dies.** Each process maps its file into
  its memory (``mmap``, shared with the file): a line copied there is in the kernel's
  page cache, as one written with ``os.write``, so a worker killed by SIGKILL loses
  nothing it answered. (A ``write`` system call per decision cost a twelfth of the
  decision's time in this VM: the kernel's write path, cold after each request.) The
  file is given its full size when it is opened (``posix_fallocate``): a full disk is
  an error there, not a fault while writing (on file systems that really reserve the
  blocks: ext4, XFS, tmpfs; not ZFS or NFS); zeros follow what was written, until
  the file is cut to its length when it is rotated or closed. Each process holds an
  exclusive ``flock`` on its open file; a file whose lock anyone can take belongs to a
  process that is gone (or rotated it), and the next fold of any process on the
  machine (or ``flask stats fold``) adds what is left of it, then deletes it. A power
  cut may drop the last second, as SQLite's ``synchronous=NORMAL`` and Redis'
  ``appendfsync everysec`` do.
- **Nothing is added twice.** How far a file has been added is kept in the database
  (``JournalMark``) and moved in the same transaction as the counts it added.
- **A store outage costs nothing.** While the database is down the lines wait in the
  file; the first fold after it comes back adds them, each in its page view's hour.

A file's name carries a fingerprint of the database it counts for, so two apps
sharing an instance folder (a test run beside the demo) never add each other's counts.
"""

import atexit
import contextlib
import fcntl
import hashlib
import logging
import mmap
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from ad_manager.delivery.process import current_pid
from ad_manager.extensions import db
from ad_manager.models.stats import JournalMark

log = logging.getLogger(__name__)

# The size of a process's file (its map): a line that does not fit starts a new one;
# the old one is folded and deleted.
ROTATE_BYTES = 4 * 1024 * 1024
# Bytes read at a time by a fold.
READ_BYTES = 1024 * 1024

@dataclass(frozen=True)
class LineKind:
    """What a journal holds: its files' suffix, how an entry becomes one line, and how
    a fold adds lines (``add(journal, file name, lines)``, in the open transaction),
    giving how many of them, from the first, it added: the rest wait in the file for a
    later fold.

    ``what`` names the entries in log messages."""

    suffix: str
    encode: Callable[[Any], bytes]
    add: Callable[["Journal", str, list[bytes]], int]
    what: str
    step: int


def database_fingerprint(url: str) -> str:
    """Give a short name for the database ``url`` points at (no password in it)."""
    from sqlalchemy.engine import make_url

    text = make_url(url).render_as_string(hide_password=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


class Journal:
    """One process's journal file in ``folder``, and the folding of every file there.

    ``append`` is the decision's; ``fold`` runs inside an app context.
    """

    def __init__(self, folder: Path, fingerprint: str, kind: LineKind):
        self.folder = folder
        self.kind = kind
        self.prefix = f"{fingerprint}-"
        self._write_lock = threading.Lock()
        self._fold_lock = threading.Lock()
        self._fd: int | None = None
        self._map: mmap.mmap | None = None
        self._name = ""
        self._size = 0  # bytes written into the map
        self._pid: int | None = None
        self._sequence = 0
        # Files this process rotated, still locked until its own fold is not reading
        # them as its live file: another process's fold would read the same mark.
        self._retired: list[int] = []
        self.folding_pid: int | None = None  # the process whose thread folds (background)
        self.failed_at = 0.0  # when a fold of this process last failed (time.time())

    # -- writing (the request path) -------------------------------------------------

    def append(self, entry) -> None:
        """Write one entry (a decision's counts) into this process's file."""
        if entry:
            self._write(self.kind.encode(entry))

    def _write(self, line: bytes) -> None:
        with self._write_lock:
            if self._pid != current_pid() or self._size + len(line) > len(self._map):
                self._open(len(line))  # first write, a forked worker, or a full file
            end = self._size + len(line)
            self._map[self._size:end] = line
            self._size = end

    def _open(self, need: int = 0) -> None:
        """Start a new file of this process (the previous one is left to be folded)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        previous = (self._fd, self._map, self._size) if self._pid == current_pid() else None
        pid, sequence = current_pid(), self._sequence + 1
        name = (f"{self.prefix}{socket.gethostname()}-{pid}-{secrets.token_hex(4)}-"
                f"{sequence}{self.kind.suffix}")
        fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # ours for as long as we live
            size = max(ROTATE_BYTES, need)
            os.posix_fallocate(fd, 0, size)  # the disk's blocks now, or an OSError now
            mapped = mmap.mmap(fd, size)
        except BaseException:
            os.close(fd)  # an empty file, which nobody holds: a fold deletes it
            raise
        # Only now is it this process's file (a failure above leaves the old state).
        self._fd, self._map, self._size, self._name, self._pid, self._sequence = (
            fd, mapped, 0, name, pid, sequence)
        if previous is not None:
            _cut(*previous)
            self._retired.append(previous[0])  # let go of by this process's next fold

    def close(self) -> None:
        """Close this process's file (it is then folded and deleted like any other)."""
        with self._write_lock:
            try:
                if self._fd is not None and self._pid == current_pid():
                    _cut(self._fd, self._map, self._size)
                    self._retired.append(self._fd)
            finally:
                self._fd, self._map, self._pid = None, None, None
        self._let_go()

    def _let_go(self) -> None:
        """Let go of the files this process rotated: any fold may now finish them."""
        with self._write_lock:
            retired, self._retired = self._retired, []
        for fd in retired:
            with contextlib.suppress(OSError):
                os.close(fd)

    # -- folding (off the request path) ----------------------------------------------

    def fold(self) -> int:
        """Add every complete line not yet added, of this process's file and of the
        files nobody holds; delete those once added. Give the number of lines added.

        A failing database leaves everything in place for the next fold. A file whose
        lines wait (see ``LineKind``) is tried once more at the end, when the other
        files added something: what it waits for may have been among it.
        """
        with self._fold_lock:
            self._let_go()  # rotated files: from now on folded as anyone's, under flock
            added, waiting = self._fold_paths(
                sorted(self.folder.glob(f"{self.prefix}*{self.kind.suffix}")))
            if waiting and added:
                added += self._fold_paths(waiting)[0]
            return added

    def _fold_paths(self, paths: list[Path]) -> tuple[int, list[Path]]:
        """Fold ``paths`` in turn; give the lines added and the paths whose lines wait."""
        added, waiting = 0, []
        for path in paths:
            try:
                if path.name == self._name and self._pid == current_pid():
                    found, whole = self._fold_file(path, finished=False)
                else:
                    found, whole = self._fold_abandoned(path)
            except (SQLAlchemyError, OSError) as error:
                db.session.rollback()
                self.failed_at = time.time()
                log.warning("%s of %s not added yet, kept for the next fold: %s",
                            self.kind.what, path.name,
                            str(error).splitlines()[0] if str(error) else error)
                break
            added += found
            if not whole:
                waiting.append(path)
        return added, waiting

    def _fold_abandoned(self, path: Path) -> tuple[int, bool]:
        """Fold a file no living process writes to, then delete it; give the lines
        added, and whether none waits."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return 0, True  # another process finished it
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0, True  # its process is alive, or another fold has it
            try:
                if os.stat(path).st_ino != os.fstat(fd).st_ino:
                    return 0, True
            except FileNotFoundError:
                return 0, True  # another fold finished it while we waited for its lock
            added, whole = self._fold_file(path, finished=True)
            if not whole:
                return added, False  # lines wait in it: a later fold goes on from its mark
            path.unlink()  # first the file, then its mark: never read again from 0
            db.session.execute(db.delete(JournalMark).where(JournalMark.name == path.name))
            db.session.commit()
            return added, True
        finally:
            os.close(fd)

    def _fold_file(self, path: Path, *, finished: bool) -> tuple[int, bool]:
        """Add a file's complete lines from its mark on, in steps of the kind's
        ``step``; give how many, and whether every complete line was added."""
        added, whole = 0, True
        mark = db.session.get(JournalMark, path.name)
        position = mark.position if mark is not None else 0
        with path.open("rb") as file:
            file.seek(position)
            while True:
                lines = _complete_lines(file, self.kind.step)
                if not lines:
                    break
                taken = self.kind.add(self, path.name, lines)
                if taken < len(lines):
                    whole = False
                    lines = lines[:taken]
                position += sum(len(line) + 1 for line in lines)
                file.seek(position)
                if mark is None:
                    mark = JournalMark(name=path.name, position=position)
                    db.session.add(mark)
                else:
                    mark.position = position
                db.session.commit()
                added += len(lines)
                if not whole:
                    return added, False
            rest = _written(file.read()) if finished else b""
        if rest:
            log.error("journal %s ends with an unfinished line (%d bytes) of a process "
                      "killed while writing it; not counted", path.name, len(rest))
        return added, whole


def _cut(fd: int, mapped: mmap.mmap, size: int) -> None:
    """Unmap a process's file and cut it to what was written into it (if it cannot be
    cut, the zeros after it still mark its end)."""
    try:
        mapped.close()
        os.ftruncate(fd, size)
    except OSError:
        log.warning("journal file not cut to its length; its zeros mark its end",
                    exc_info=True)


def _written(data: bytes) -> bytes:
    """Give ``data`` up to the first zero byte: a file still mapped, or left by a killed
    process, has zeros after what was written (no line holds one: lines are JSON)."""
    end = data.find(b"\0")
    return data if end < 0 else data[:end]


def _complete_lines(file, most: int) -> list[bytes]:
    """Read up to ``most`` complete lines from ``file``'s position, without their
    newline (a line still being written is left where it is): a block at a time,
    split in C, not a ``readline`` per line."""
    data = file.read(READ_BYTES)
    while b"\n" not in data and b"\0" not in data:  # one line longer than a block
        more = file.read(READ_BYTES)
        if not more:
            break
        data += more
    data = _written(data)
    if b"\n" not in data:
        return []
    return data[:data.rfind(b"\n")].split(b"\n")[:most]


# -- the app's journals --------------------------------------------------------------

def app_journal(key: str, kind: LineKind) -> Journal:
    """Give this app's journal of ``kind`` (kept in the app's extensions under ``key``),
    creating it on first use; every kind shares the folder."""
    app = current_app._get_current_object()
    found = app.extensions.get(key)
    if found is None:
        config = app.config
        folder = Path(config.get("COUNTS_JOURNAL_DIR")
                      or Path(app.instance_path) / "counts-journal")
        found = app.extensions.setdefault(key, Journal(
            folder, database_fingerprint(config["SQLALCHEMY_DATABASE_URI"]), kind))
    return found


def keep_in(found: Journal, entry, count_directly: Callable[[Any], None]) -> None:
    """Journal ``entry``, then fold now (request mode) or make sure this process's
    folding thread runs (background mode). When the journal cannot be written,
    ``count_directly(entry)`` counts it in the store instead."""
    try:
        found.append(entry)
    except OSError:
        log.exception("%s journal %s not writable; counting in the store", found.kind.what,
                      found.folder)
        count_directly(entry)
        return
    app = current_app._get_current_object()
    if app.config.get("SNAPSHOT_REFRESH", "background") == "background":
        if found.folding_pid != current_pid():
            _start_folding(app, found)
    else:
        found.fold()


def _start_folding(app, found: Journal) -> None:
    """Start this process's folding thread for the app's journal, once per process
    (again in a forked worker), and its last fold at the process's orderly exit."""
    with found._write_lock:
        if found.folding_pid == current_pid():
            return
        found.folding_pid = current_pid()
    seconds = float(app.config.get("COUNTS_FOLD_SECONDS", 5.0))
    threading.Thread(target=_fold_every, args=(app.app_context, found, seconds),
                     name="counts-journal", daemon=True).start()
    atexit.register(_fold_at_exit, app.app_context, found, current_pid())


def _fold_every(context: Callable, found: Journal, seconds: float) -> None:
    while True:
        time.sleep(seconds)
        try:
            with context():
                found.fold()
                db.session.remove()
        except Exception:  # never let the thread die: the next cycle tries again
            log.exception("served counts not folded this cycle")


def _fold_at_exit(context: Callable, found: Journal, pid: int) -> None:
    """At a worker's orderly exit, close its file and add what is left of it."""
    if current_pid() != pid:
        return
    found.close()
    try:
        with context():
            found.fold()
            db.session.remove()
    except Exception:  # the next process's fold (or `stats fold`) will add it
        log.warning("served counts left in the journal at exit", exc_info=True)
