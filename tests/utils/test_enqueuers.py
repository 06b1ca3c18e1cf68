"""Enqueuers prepare batches in threads: order, epochs, generator end, errors."""

import threading
import time

import numpy as np
import pytest

from neokeras import utils


class Counting(utils.Sequence):
    def __init__(self):
        super().__init__()
        self.epochs = 0

    def __len__(self):
        return 5

    def __getitem__(self, i):
        time.sleep(0.001 * (5 - i))  # later batches finish first: order must still hold
        return np.full((2,), i + 10 * self.epochs)

    def on_epoch_end(self):
        self.epochs += 1


def test_ordered_enqueuer_keeps_order_across_epochs():
    enqueuer = utils.OrderedEnqueuer(Counting())
    enqueuer.start(workers=3, max_queue_size=4)
    batches = enqueuer.get()
    values = [int(next(batches)[0]) for _ in range(10)]
    enqueuer.stop()
    assert values == [0, 1, 2, 3, 4, 10, 11, 12, 13, 14]
    assert not enqueuer.is_running()


def test_ordered_enqueuer_shuffle_covers_every_batch():
    enqueuer = utils.OrderedEnqueuer(Counting(), shuffle=True)
    enqueuer.start(workers=2)
    batches = enqueuer.get()
    assert sorted(int(next(batches)[0]) for _ in range(5)) == [0, 1, 2, 3, 4]
    enqueuer.stop()


def test_generator_enqueuer_ends_with_the_generator():
    enqueuer = utils.GeneratorEnqueuer(iter(range(7)))
    enqueuer.start(workers=3, max_queue_size=2)
    assert sorted(enqueuer.get()) == list(range(7))
    assert not enqueuer.is_running()


def test_errors_propagate():
    class Broken(Counting):
        def __getitem__(self, i):
            raise RuntimeError(f"bad batch {i}")

    enqueuer = utils.OrderedEnqueuer(Broken())
    enqueuer.start()
    with pytest.raises(RuntimeError, match="bad batch 0"):
        next(enqueuer.get())
    assert not enqueuer.is_running()


def test_timed_thread():
    calls = []
    done = threading.Event()

    class Tick(utils.TimedThread):
        def on_interval(self):
            calls.append(1)
            if len(calls) == 3:
                done.set()

    with Tick(0.01) as tick:
        assert done.wait(5)
        assert tick.is_alive()
    tick.thread.join(5)
    assert not tick.is_alive() and len(calls) >= 3
    with pytest.raises(NotImplementedError, match="on_interval"):
        utils.TimedThread(1).on_interval()
