"""A real SMTP server (aiosmtpd) on a free 127.0.0.1 port, for the tests of what the portal mails."""
from __future__ import annotations

import contextlib
import socket

from aiosmtpd.controller import Controller


@contextlib.contextmanager
def smtp_server(handler):
    """Serve `handler` (an aiosmtpd handler with `handle_DATA`); yield the port it listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
