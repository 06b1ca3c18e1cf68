"""Keras 2 enqueuers: worker threads that prepare batches of a Sequence or generator ahead.

`use_multiprocessing` is accepted for compatibility; batches are prepared in threads (numpy,
Pillow and file reads release the GIL), so nothing has to be pickled.
"""

import concurrent.futures
import queue
import random
import threading

_STOP = object()


class SequenceEnqueuer:
    """Base class: `start(workers, max_queue_size)`, then iterate `get()`, then `stop()`.

    Args:
        sequence: A `keras.utils.Sequence` (or generator, for `GeneratorEnqueuer`).
        use_multiprocessing: Accepted for compatibility (threads are used).
    """

    def __init__(self, sequence, use_multiprocessing=False):
        self.sequence = sequence
        self.use_multiprocessing = use_multiprocessing
        self.workers = 0
        self.queue = None
        self.stop_signal = None
        self.run_thread = None
        self.executor = None

    def is_running(self):
        return self.stop_signal is not None and not self.stop_signal.is_set()

    def start(self, workers=1, max_queue_size=10):
        """Starts `workers` threads filling a queue of at most `max_queue_size` batches."""
        self.workers = max(int(workers), 1)
        self.queue = queue.Queue(max(int(max_queue_size), 1))
        self.stop_signal = threading.Event()
        self.executor = concurrent.futures.ThreadPoolExecutor(self.workers)
        self.run_thread = threading.Thread(target=self._run, daemon=True)
        self.run_thread.start()

    def stop(self, timeout=None):
        """Stops the workers and waits up to `timeout` seconds for them."""
        if self.stop_signal is None:
            return
        self.stop_signal.set()
        while True:  # unblock a producer waiting on a full queue
            try:
                self.queue.get_nowait()
            except queue.Empty:
                break
        if self.run_thread is not None:
            self.run_thread.join(timeout)
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.run_thread = None

    def _put(self, item):
        while not self.stop_signal.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self):
        raise NotImplementedError

    def get(self):
        """Yields the prepared batches."""
        raise NotImplementedError

    def __del__(self):
        if self.is_running():
            self.stop()


class OrderedEnqueuer(SequenceEnqueuer):
    """Prepares the batches of a `Sequence` ahead, yielding them in order, epoch after epoch.

    Args:
        sequence: A `keras.utils.Sequence` / `PyDataset`.
        use_multiprocessing: Accepted for compatibility (threads are used).
        shuffle: Visit the batches of each epoch in a random order.
    """

    def __init__(self, sequence, use_multiprocessing=False, shuffle=False):
        super().__init__(sequence, use_multiprocessing)
        self.shuffle = shuffle

    def _run(self):
        order = list(range(len(self.sequence)))
        while not self.stop_signal.is_set():
            if self.shuffle:
                random.shuffle(order)
            for i in order:
                if not self._put(self.executor.submit(self.sequence.__getitem__, i)):
                    return
            # The epoch ends when the consumer has taken all its batches (or stop() was called).
            with self.queue.all_tasks_done:
                while self.queue.unfinished_tasks and not self.stop_signal.is_set():
                    self.queue.all_tasks_done.wait(0.1)
            if self.stop_signal.is_set():
                return
            self.sequence.on_epoch_end()

    def get(self):
        while self.is_running():
            try:
                future = self.queue.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                batch = future.result()
            except Exception:
                self.stop()
                raise
            finally:
                if self.is_running():
                    self.queue.task_done()
            if batch is not None:
                yield batch


class GeneratorEnqueuer(SequenceEnqueuer):
    """Draws items from a generator in worker threads, yielding them until it ends.

    Args:
        generator: A generator (drawn under a lock, so it need not be thread-safe).
        use_multiprocessing: Accepted for compatibility (threads are used).
        random_seed: Accepted for compatibility (workers share the process's random state).
    """

    def __init__(self, generator, use_multiprocessing=False, random_seed=None):
        super().__init__(generator, use_multiprocessing)
        self.random_seed = random_seed
        self._lock = threading.Lock()

    def _next(self):
        with self._lock:
            try:
                return next(self.sequence)
            except StopIteration:
                return _STOP

    def _run(self):
        while not self.stop_signal.is_set():
            if not self._put(self.executor.submit(self._next)):
                return

    def get(self):
        while self.is_running():
            try:
                future = self.queue.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                item = future.result()
            except Exception:
                self.stop()
                raise
            if item is _STOP:
                self.stop()
                return
            if item is not None:
                yield item
