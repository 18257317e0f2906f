"""A job's stored events as server-sent events: what is stored first, then what is
written while the client listens, until the job's `done` event.

Each event carries its store sequence number as the SSE `id:`, so a client that
reconnects with `Last-Event-ID: N` (a browser's EventSource does so by itself) gets
exactly the events after N. The run viewer's stream is this one; the API's
`/v1/jobs/{id}/events` frames events the same way.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from verifier.service.records import JobEvent
from verifier.service.store import Store

POLL_SECONDS = 0.2
KEEP_ALIVE_POLLS = 30  # a comment line every ~6 s of silence keeps proxies from closing the stream


def frame(event: JobEvent, *, named: bool = True) -> bytes:
    """One SSE message. `named` adds the `event:` line; a browser's EventSource delivers
    named events only to listeners of that name, so the viewer, which wants every kind
    (including ones added later), asks for unnamed ones and reads `kind` from the data."""
    payload = json.dumps({"seq": event.seq, "kind": event.kind, "at": event.at, "data": event.data})
    name = f"event: {event.kind}\n" if named else ""
    return f"id: {event.seq}\n{name}data: {payload}\n\n".encode()


def resume_point(last_event_id: str | None) -> int:
    """The sequence number to continue after; anything unreadable starts from the beginning."""
    return int(last_event_id) if last_event_id and last_event_id.isdigit() else 0


async def stream(store: Store, job_id: str, after: int, *, named: bool = True) -> AsyncIterator[bytes]:
    idle = 0
    while True:
        batch = await asyncio.to_thread(store.events, job_id, after)
        for event in batch:
            after = event.seq
            yield frame(event, named=named)
            if event.kind == "done":
                return
        idle = 0 if batch else idle + 1
        if idle and idle % KEEP_ALIVE_POLLS == 0:
            yield b": keep-alive\n\n"
        await asyncio.sleep(POLL_SECONDS)
