# SPDX-License-Identifier: MIT
"""The QEMU human monitor on a Unix socket, for the boot-test runner (run.py).

Cases with "screen" or "monitor" keys start QEMU with start_with_monitor(), then talk to
it through a Monitor: "xp" and "screendump" to read the screen, "nmi" to send an NMI
from outside, "quit" to end the run.
"""
import os
import socket
import subprocess
import time

PROMPT = b'(qemu) '


def start_with_monitor(cmd, work):
    """Start QEMU (cmd) in the directory work with a monitor socket there.
    Returns (process, socket path); stdout and stderr come back together."""
    sock = os.path.join(work, 'monitor.sock')
    proc = subprocess.Popen(cmd + ['-monitor', f'unix:{sock},server=on,wait=off'],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=work)
    return proc, sock


class Monitor:
    """A QEMU human monitor on a Unix socket."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(10)
        for _ in range(50):     # QEMU creates the socket a moment after it starts
            try:
                self.s.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        self.read_prompt()

    def read_prompt(self):
        buf = b''
        while not buf.endswith(PROMPT):
            chunk = self.s.recv(65536)
            if not chunk:
                break
            buf += chunk
        return buf.decode(errors='replace')

    def command(self, cmd):
        """Send one command; return what QEMU printed up to the next prompt
        (nothing for "quit", after which there is no prompt)."""
        self.s.sendall(cmd.encode() + b'\n')
        if cmd == 'quit':
            return ''
        return self.read_prompt()
