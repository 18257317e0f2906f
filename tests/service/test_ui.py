"""The run viewer over real HTTP on loopback (uvicorn in a thread, httpx): pages, the
form, keys kept in a cookie, escaping, the viewer's event stream. The browser test is
test_ui_browser.py."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from verifier.service.app import Limits, create_app
from verifier.service.store import Store
from verifier.service.workers import WorkerPool

CHECK_SPEC = 'name = "abs"\nsignature = "method Abs(x: int) returns (y: int)"\nensures = ["y >= 0", "y == x || y == -x"]\n'
XSS = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">"
XSS_SPEC = CHECK_SPEC.replace('name = "abs"\n', f"name = \"abs\"\ndescription = '{XSS}'\n")  # a TOML literal string


@pytest.fixture()
def viewer(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Store]]:
    workers = getattr(request, "param", 1)
    store = Store(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    pool = WorkerPool(store, server="ui-test", workers=workers, scratch=tmp_path / "scratch")
    pool.start()
    server = uvicorn.Server(uvicorn.Config(create_app(store, pool, limits=Limits(max_queued=2)), host="127.0.0.1",
                                           port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}", store
    server.should_exit = True
    thread.join(10)
    pool.stop(deadline=10)
    store.close()


def form_token(page: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]+)"', page)
    assert found, page
    return found.group(1)


def submit(client: httpx.Client, spec: str, **fields: str) -> httpx.Response:
    token = form_token(client.get("/ui").text)
    return client.post("/ui/jobs", data={"token": token, "kind": "spec-check", "spec": spec, **fields})


def wait_done(store: Store, job_id: str) -> None:
    deadline = time.monotonic() + 60
    while not store.get(job_id, any_owner=True).status.finished:  # type: ignore[union-attr]
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_the_form_submits_a_job_whose_page_shows_the_spec_and_the_result(viewer: tuple[str, Store]) -> None:
    url, store = viewer
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = submit(client, CHECK_SPEC)
        assert answer.status_code == 303, answer.text
        job_id = answer.headers["location"].removeprefix("/ui/jobs/")
        wait_done(store, job_id)
        page = client.get(f"/ui/jobs/{job_id}")
        assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
        assert 'id="spec"' in page.text and "method Abs(x: int)" in page.text
        assert 'class="status verified"' in page.text and 'id="detail"' in page.text
        listing = client.get("/ui").text
        assert f'href="/ui/jobs/{job_id}"' in listing and ">abs<" in listing
        assert client.get("/ui/static/ui.js").headers["content-type"].startswith("text/javascript")
        assert client.get("/ui/static/../app.py").status_code == 404


def test_the_viewer_stream_resumes_after_last_event_id(viewer: tuple[str, Store]) -> None:
    url, _ = viewer
    with httpx.Client(base_url=url, timeout=60) as client:
        job_id = submit(client, CHECK_SPEC).headers["location"].removeprefix("/ui/jobs/")
        stream = client.get(f"/ui/jobs/{job_id}/events").text  # ends at the `done` event
        ids = [int(line[4:]) for line in stream.splitlines() if line.startswith("id: ")]
        assert ids == list(range(1, len(ids) + 1)) and '"kind": "done"' in stream.strip().splitlines()[-1]
        assert "event: " not in stream  # unnamed, so one EventSource handler sees every kind
        rest = client.get(f"/ui/jobs/{job_id}/events", headers={"Last-Event-ID": "2"}).text
        assert [int(line[4:]) for line in rest.splitlines() if line.startswith("id: ")] == ids[2:]


def test_spec_text_is_escaped_everywhere_it_is_shown(viewer: tuple[str, Store]) -> None:
    url, store = viewer
    assert XSS in XSS_SPEC
    with httpx.Client(base_url=url, timeout=60) as client:
        job_id = submit(client, XSS_SPEC).headers["location"].removeprefix("/ui/jobs/")
        wait_done(store, job_id)
        for path in ("/ui", f"/ui/jobs/{job_id}", f"/ui/jobs/{job_id}/report"):
            text = client.get(path).text
            assert "<script>window" not in text and "<img src=x" not in text, path
        assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in client.get(f"/ui/jobs/{job_id}").text


def test_a_refused_form_answers_the_api_error_shape(viewer: tuple[str, Store]) -> None:
    url, _ = viewer
    with httpx.Client(base_url=url, timeout=60) as client:
        bad = submit(client, "", kind="generate", llm="replay")
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
        assert bad.json()["error"]["message"].startswith("spec:")
        forged = client.post("/ui/jobs", data={"token": "0" * 64, "spec": CHECK_SPEC, "kind": "spec-check"})
        assert forged.status_code == 403 and forged.json()["error"]["code"] == "forbidden"
        elsewhere = client.post("/ui/jobs", data={"token": form_token(client.get("/ui").text), "spec": CHECK_SPEC},
                                headers={"origin": "https://evil.example"})
        assert elsewhere.status_code == 403 and "evil.example" in elsewhere.json()["error"]["message"]


@pytest.mark.parametrize("viewer", [0], indirect=True)  # no worker: jobs stay queued
def test_a_full_queue_refuses_the_form_with_retry_after(viewer: tuple[str, Store]) -> None:
    url, _ = viewer
    with httpx.Client(base_url=url, timeout=60) as client:
        assert [submit(client, CHECK_SPEC).status_code for _ in range(2)] == [303, 303]
        full = submit(client, CHECK_SPEC)
        assert full.status_code == 429 and full.headers["retry-after"] == "5"
        assert full.json()["error"]["code"] == "queue_full"


def test_with_keys_the_viewer_asks_for_one_and_shows_only_that_keys_jobs(viewer: tuple[str, Store]) -> None:
    url, store = viewer
    _, token_a = store.create_key("a")
    _, token_b = store.create_key("b")
    with httpx.Client(base_url=url, timeout=60) as a, httpx.Client(base_url=url, timeout=60) as b:
        asked = a.get("/ui")
        assert asked.status_code == 401 and 'name="key"' in asked.text and 'href="/ui/jobs/' not in asked.text
        wrong = a.post("/ui/key", data={"token": form_token(asked.text), "key": "pr_wrong", "next": "/ui"})
        assert wrong.status_code == 401 and "not valid" in wrong.text
        assert a.post("/ui/jobs", data={"spec": CHECK_SPEC}).status_code == 401
        for client, token in ((a, token_a), (b, token_b)):
            answer = client.post("/ui/key", data={"token": form_token(client.get("/ui").text), "key": token,
                                                  "next": "//evil.example/"})
            assert answer.status_code == 303 and answer.headers["location"] == "/ui"
            cookie = answer.headers["set-cookie"].lower()
            assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie
        mine = submit(a, CHECK_SPEC).headers["location"]
        job_id = mine.removeprefix("/ui/jobs/")
        assert store.get(job_id, owner=store.key_for(token_a).id) is not None  # type: ignore[union-attr]
        assert a.get(mine).status_code == 200 and f"/ui/jobs/{job_id}" in a.get("/ui").text
        assert f"/ui/jobs/{job_id}" not in b.get("/ui").text
        for path in (mine, f"{mine}/report", f"{mine}/events", f"{mine}/artifact"):
            assert b.get(path).status_code == 404, path
        assert a.post("/ui/forget").status_code == 303 and a.get("/ui").status_code == 401
