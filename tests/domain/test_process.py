"""``current_pid``: this process's id without a system call, right in a forked child."""

import os

from ad_manager.delivery.process import current_pid


def test_it_is_this_process_id_and_a_forked_childs_own():
    assert current_pid() == os.getpid()
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child says whether it knows its own id, then leaves at once
        os.write(writer, b"1" if current_pid() == os.getpid() != os.getppid() else b"0")
        os._exit(0)
    os.close(writer)
    answer = os.read(reader, 1)
    os.close(reader)
    os.waitpid(child, 0)
    assert answer == b"1"
    assert current_pid() == os.getpid()  # the parent's is unchanged
