"""A small Language Server Protocol client over stdio: enough to open YAML files in a
real editor's language server, as an editor would, and read back what it reports."""

from __future__ import annotations

import json
import queue
import subprocess
import tempfile
import threading
import time
from typing import IO, Any

Message = dict[str, Any]


class LanguageServer:
    """One language server process, started on entry and shut down on exit.

    `settings` answer the server's `workspace/configuration` requests by
    section (`{"yaml": {...}}`), as an editor's settings would.
    """

    def __init__(self, command: list[str], settings: dict[str, Any], timeout: float = 30) -> None:
        self.command = command
        self.settings = settings
        self.timeout = timeout
        self.next_id = 0
        self.inbox: queue.Queue[Message | None] = queue.Queue()
        self.diagnostics: dict[str, list[Message]] = {}
        self.stderr: IO[bytes] = tempfile.TemporaryFile()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LanguageServer:
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr
        )
        threading.Thread(target=self._read, daemon=True).start()
        capabilities = {
            "workspace": {"configuration": True},
            "textDocument": {"publishDiagnostics": {}},
        }
        self.request(
            "initialize", {"processId": None, "rootUri": None, "capabilities": capabilities}
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        try:
            if self.process.poll() is None:
                self.request("shutdown", None)
                self.notify("exit", None)
                self.process.wait(timeout=5)
        except (OSError, TimeoutError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.stderr.close()

    def open(self, documents: dict[str, str], quiet: float = 0.3) -> dict[str, list[Message]]:
        """Open each document (URI -> text) and return what the server reports on each.

        Waits until every document has diagnostics and none has come for
        `quiet` seconds, so a second report on a document is not missed.
        """
        for uri, text in documents.items():
            self.diagnostics.pop(uri, None)
            document = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
            self.notify("textDocument/didOpen", {"textDocument": document})
        deadline = time.monotonic() + self.timeout
        last = time.monotonic()
        while not (set(documents) <= set(self.diagnostics) and time.monotonic() - last > quiet):
            if time.monotonic() > deadline:
                missing = sorted(set(documents) - set(self.diagnostics))
                raise TimeoutError(f"no diagnostics for {missing}; the server said: {self.said()}")
            if self._handle(timeout=quiet / 3):
                last = time.monotonic()
        for uri in documents:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return {uri: self.diagnostics[uri] for uri in documents}

    def said(self) -> str:
        """The end of what the server wrote on stderr, for failure messages."""
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-2000:]

    # --- the protocol -----------------------------------------------------------

    def request(self, method: str, params: Any) -> Any:
        """Send a request and wait for its answer, serving the server meanwhile."""
        self.next_id += 1
        wanted = self.next_id
        self._send({"jsonrpc": "2.0", "id": wanted, "method": method, "params": params})
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = self._next(timeout=deadline - time.monotonic())
            if message.get("id") == wanted and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")
            self._serve(message)
        raise TimeoutError(f"no answer to {method}; the server said: {self.said()}")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _handle(self, timeout: float) -> bool:
        """Serve one message if one comes within `timeout`; True if it was diagnostics."""
        try:
            message = self._next(timeout)
        except TimeoutError:
            return False
        return self._serve(message)

    def _serve(self, message: Message) -> bool:
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            params = message["params"]
            self.diagnostics[params["uri"]] = params["diagnostics"]
            return True
        if method is not None and "id" in message:  # a request from the server
            result: Any = None
            if method == "workspace/configuration":
                items = message["params"]["items"]
                result = [self.settings.get(item.get("section", "")) for item in items]
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        return False

    def _next(self, timeout: float) -> Message:
        try:
            message = self.inbox.get(timeout=max(timeout, 0))
        except queue.Empty:
            raise TimeoutError("the server is silent") from None
        if message is None:
            raise RuntimeError(f"the language server stopped; it said: {self.said()}")
        return message

    def _send(self, message: Message) -> None:
        assert self.process is not None and self.process.stdin is not None
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def _read(self) -> None:
        """Split the server's output into messages, on a thread of its own."""
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is not None:
                self.inbox.put(json.loads(stream.read(length)))
