#!/usr/bin/python3
"""mdwe-exec: run a command under the seccomp rules systemd installs for MemoryDenyWriteExecute=yes.

Usage: mdwe-exec.py PROGRAM [ARGS...]

The rules are systemd 252's (Debian 12), seccomp_memory_deny_write_execute: mmap asking for memory that is both
writable and executable, mprotect or pkey_mprotect asking for executable memory, and shmat with SHM_EXEC fail
with EPERM. The filter is inherited by every child (ffmpeg included), as under the unit. HomeVault's tests run the
native binary's demo under it, which is what lets the shipped unit set MemoryDenyWriteExecute=yes.
"""
import errno
import os
import sys

import seccomp  # Debian: python3-seccomp

PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: mdwe-exec.py PROGRAM [ARGS...]")
    deny = seccomp.ERRNO(errno.EPERM)
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    f.add_rule(deny, "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC))
    f.add_rule(deny, "mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
    f.add_rule(deny, "pkey_mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
    f.add_rule(deny, "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))
    f.load()
    os.execv(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
