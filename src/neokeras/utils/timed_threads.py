"""`TimedThread`: runs `on_interval()` every `interval` seconds in a background thread."""

import logging
import threading


class TimedThread:
    """Calls `on_interval` (to implement in a subclass) every `interval` seconds until stopped.

    Usable as a context manager (`with MyThread(5): model.fit(...)`).

    Args:
        interval: Seconds between calls.
        **kwargs: Passed to `threading.Thread` (`daemon` defaults to True).
    """

    def __init__(self, interval, **kwargs):
        self.interval = interval
        self.daemon = kwargs.pop("daemon", True)
        self.thread_kwargs = kwargs
        self.thread = None
        self.thread_stop_event = None

    def _loop(self):
        while not self.thread_stop_event.is_set():
            self.on_interval()
            self.thread_stop_event.wait(self.interval)

    def start(self):
        """Starts the thread (a second start while running only logs a warning)."""
        if self.thread is not None and self.thread.is_alive():
            logging.getLogger("neokeras").warning("TimedThread is already running.")
            return
        self.thread_stop_event = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=self.daemon,
                                       **self.thread_kwargs)
        self.thread.start()

    def stop(self):
        """Asks the thread to stop after its current call."""
        if self.thread_stop_event is not None:
            self.thread_stop_event.set()

    def is_alive(self):
        return self.thread is not None and self.thread.is_alive()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *args):
        self.stop()

    def on_interval(self):
        """What runs every `interval` seconds; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must implement on_interval().")
