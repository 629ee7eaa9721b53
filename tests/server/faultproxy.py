"""A TCP proxy on 127.0.0.1 that injects faults between the sync client and the server.

Real sockets, no mocks. Each new client connection draws one behaviour from ``faults`` (with
probability ``rate``) using a seeded RNG:

- ``drop_request``: forward part of what the client sends, then cut both sides (mid-request;
  during a PATCH this cuts an upload mid-chunk);
- ``drop_response``: forward the request whole, let the server act, cut the answer part-way (the
  client never learns the server already saved);
- ``delay``: hold each piece of data for a moment;
- ``bad_gateway``: answer ``502`` without contacting the server;
- ``portal``: answer ``200`` with an HTML page (a captive portal).
"""

from __future__ import annotations

import asyncio
import random
import threading

FAULTS = ("drop_request", "drop_response", "delay", "bad_gateway", "portal")
PORTAL = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 52\r\n"
          b"Connection: close\r\n\r\n<html><body>Please sign in to WiFi</body></html>\r\n\r\n")
BAD_GATEWAY = (b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
               b"Connection: close\r\n\r\nbad gateway")


class FaultProxy:
    def __init__(self, target_port: int, *, seed: int = 0, rate: float = 0.3, faults=FAULTS):
        self.target_port = target_port
        self.rng = random.Random(seed)
        self.rate = rate
        self.faults = tuple(faults)
        self.injected: dict[str, int] = {}
        self.connections = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def close(self) -> None:
        async def stop():
            self.server.close()
        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _handle(self, creader, cwriter) -> None:
        self.connections += 1
        # the first connection always fails, so that no run passes without meeting a fault
        hit = self.connections == 1 or self.rng.random() < self.rate
        fault = self.rng.choice(self.faults) if hit else None
        cut = self.rng.randint(1, 300_000)
        if fault:
            self.injected[fault] = self.injected.get(fault, 0) + 1
        try:
            if fault in ("bad_gateway", "portal"):
                await creader.read(65536)
                cwriter.write(PORTAL if fault == "portal" else BAD_GATEWAY)
                await cwriter.drain()
                return
            sreader, swriter = await asyncio.open_connection("127.0.0.1", self.target_port)
            up = asyncio.ensure_future(self._pipe(creader, swriter,
                                                  cut if fault == "drop_request" else None,
                                                  fault == "delay"))
            down = asyncio.ensure_future(self._pipe(sreader, cwriter,
                                                    self.rng.randint(1, 400) if fault == "drop_response" else None,
                                                    fault == "delay"))
            await asyncio.wait([up, down], return_when=asyncio.FIRST_COMPLETED)
            for task in (up, down):
                task.cancel()
            swriter.close()
        except (ConnectionError, OSError):
            pass
        finally:
            cwriter.close()

    async def _pipe(self, reader, writer, limit: int | None, delay: bool) -> None:
        passed = 0
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    return
                if limit is not None and passed + len(data) >= limit:
                    writer.write(data[:max(0, limit - passed)])
                    await writer.drain()
                    return
                if delay:
                    await asyncio.sleep(self.rng.random() * 0.05)
                writer.write(data)
                await writer.drain()
                passed += len(data)
        except (ConnectionError, OSError, asyncio.CancelledError):
            return
