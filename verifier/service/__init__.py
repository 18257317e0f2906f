"""The verified code generation service: durable jobs, their events, keys (issue 12).

`store` keeps jobs, events, artifacts and API keys in SQLite or PostgreSQL; `records`
types what crosses it. The HTTP layer (`app`) and the workers build on these; `ui` is
the run viewer at `/ui` (pages over the same store), `runview` reads a run's events for
it, `sse` frames stored events as server-sent events.
"""
