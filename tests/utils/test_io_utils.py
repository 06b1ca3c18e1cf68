"""Interactive logging switches: stdout when on, the `logging` module when off."""

import logging

import pytest

from neokeras import utils
from neokeras.utils import Progbar, io_utils


@pytest.fixture
def logging_off():
    utils.disable_interactive_logging()
    yield
    utils.enable_interactive_logging()


def test_default_is_interactive(capsys):
    assert utils.is_interactive_logging_enabled() is True
    io_utils.print_msg("hello")
    assert capsys.readouterr().out == "hello\n"


def test_disabled_sends_messages_and_progbar_to_logging(logging_off, capsys, caplog):
    assert utils.is_interactive_logging_enabled() is False
    with caplog.at_level(logging.INFO, logger="neokeras"):
        io_utils.print_msg("hello")
        bar = Progbar(3)
        for i in range(1, 4):
            bar.update(i, [("loss", 0.5)])
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "hello"
    assert len(messages) == 2 and messages[1].startswith("3/3") and "loss: 0.5000" in messages[1]
