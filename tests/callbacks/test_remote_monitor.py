"""`RemoteMonitor` posting to a local HTTP server."""

import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer

import numpy as np
import pytest

import neokeras
from neokeras import callbacks


@pytest.fixture
def server():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body))
            self.send_response(200 if self.path != "/refuse/" else 500)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


def _fit(monitor, epochs=2):
    model = neokeras.Sequential([neokeras.Input((3,)), neokeras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    x = np.ones((8, 3), "float32")
    return model.fit(x, np.zeros((8, 1), "float32"), epochs=epochs, verbose=0,
                     callbacks=[monitor]).history


def test_posts_each_epoch_as_a_form_field(server):
    root, received = server
    history = _fit(callbacks.RemoteMonitor(root=root, field="payload"))
    assert [path for path, _, _ in received] == ["/publish/epoch/end/"] * 2
    for epoch, (_, headers, body) in enumerate(received):
        assert headers["Content-Type"] == "application/x-www-form-urlencoded"
        form = urllib.parse.parse_qs(body.decode())
        sent = json.loads(form["payload"][0])
        assert sent == {"epoch": epoch, "loss": pytest.approx(history["loss"][epoch]),
                        "mae": pytest.approx(history["mae"][epoch])}


def test_posts_json_with_custom_headers_and_path(server):
    root, received = server
    _fit(callbacks.RemoteMonitor(root=root, path="/logs/", send_as_json=True,
                                 headers={"X-Run": "7"}), epochs=1)
    ((path, headers, body),) = received
    assert path == "/logs/" and headers["Content-Type"] == "application/json"
    assert headers["X-Run"] == "7"
    assert set(json.loads(body)) == {"epoch", "loss", "mae"}


def test_numpy_values_are_sent_as_numbers(server):
    root, received = server
    monitor = callbacks.RemoteMonitor(root=root, send_as_json=True)
    monitor.on_epoch_end(3, {"loss": np.float32(0.5), "acc": np.array(0.25)})
    assert json.loads(received[0][2]) == {"epoch": 3, "loss": 0.5, "acc": 0.25}


def test_a_server_error_is_no_warning_and_an_unreachable_server_is_one(server):
    root, received = server
    callbacks.RemoteMonitor(root=root, path="/refuse/").on_epoch_end(0, {"loss": 1.0})
    assert len(received) == 1
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.warns(UserWarning, match=f"Could not reach RemoteMonitor root server at {closed}"):
        callbacks.RemoteMonitor(root=closed).on_epoch_end(0, {"loss": 1.0})
