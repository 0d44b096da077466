"""Helper processes that end when the process that started them is gone (even after SIGKILL)."""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent: int) -> None:
    """Start a daemon thread that ends this process as soon as `parent` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="lurewatch-parent-watch", daemon=True).start()
