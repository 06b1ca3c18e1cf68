"""`RemoteMonitor`: posts each epoch's logs to an HTTP server."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback


@keras_name("keras.callbacks.RemoteMonitor")
class RemoteMonitor(Callback):
    """Sends the logs of every epoch to a server, as an HTTP POST to `root + path`.

    The body is the JSON dict `{"epoch": epoch, **logs}`: sent as it is with
    `send_as_json=True` (content type `application/json`), else as the form field `field`.
    A server that cannot be reached gives a warning, not an error. Uses the standard library
    only.

    Args:
        root: Root URL of the server.
        path: Path under `root` to post to.
        field: Form field holding the JSON (when `send_as_json=False`).
        headers: Optional dict of extra HTTP headers.
        send_as_json: Post the JSON itself rather than a form.
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        payload = {"epoch": epoch}
        for key, value in (logs or {}).items():
            payload[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(payload).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(payload)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request) as response:
                response.read()
        except urllib.error.HTTPError:
            pass  # the server answered: the post was delivered, as far as a monitor cares
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}",
                          stacklevel=2)
