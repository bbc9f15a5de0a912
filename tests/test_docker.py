"""The production image runs as an unprivileged user on a read-only filesystem.

Images cannot be built on the test machines, so the Dockerfile is read, and the
read-only claim is checked on the service itself: `feedback serve`, as the image
runs it (migrations first, then uvicorn), under a Python audit hook that records
every attempt to create, write, rename or delete a file outside /tmp (the image
mounts a tmpfs there) while requests are served.
"""

import re
from pathlib import Path

import httpx
from sqlalchemy.engine import URL

from tests.served import bearer, create_keys, serve

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


def final_stage() -> list[str]:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(instructions) if line.upper().startswith("FROM "))
    return instructions[last_from:]


def test_the_image_runs_as_an_unprivileged_user() -> None:
    stage = final_stage()
    users = [line.split(None, 1)[1] for line in stage if line.upper().startswith("USER ")]
    assert users, "the final stage must switch away from root"
    assert users[-1] not in ("root", "0", "0:0")
    created = next(line for line in stage if "useradd" in line)
    assert users[-1] in created.split()
    uid = re.search(r"--uid (\d+)", created)
    assert uid is not None, created
    assert int(uid.group(1)) >= 1000, created
    assert "--no-create-home" in created  # nothing of its own to write to
    assert stage[-1].startswith("CMD ")
    assert "serve" in stage[-1]
    assert any("--read-only" in line for line in DOCKERFILE.read_text().splitlines())


AUDITED = """
import json, os, sys
sys.dont_write_bytecode = True  # the image sets PYTHONDONTWRITEBYTECODE=1
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGES = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink", "os.link",
           "os.truncate", "os.chmod", "os.chown", "os.utime", "shutil.rmtree", "shutil.copyfile"}

def outside_tmp(path):
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return isinstance(path, str) and not os.path.abspath(path).startswith(("/tmp/", "/dev/"))

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS)
        if writing and outside_tmp(path):
            print("WRITE " + json.dumps([event, str(path)]), flush=True)
    elif event in CHANGES and args and outside_tmp(args[0]):
        print("WRITE " + json.dumps([event, str(args[0])]), flush=True)

sys.addaudithook(hook)
print("AUDITING", flush=True)
from app.cli import main
sys.exit(main(["serve"]))
"""


async def test_the_service_writes_no_file_outside_tmp(live_url: URL) -> None:
    keys = await create_keys(live_url)
    env = {"PYTHONDONTWRITEBYTECODE": "1", "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0.1"}
    with serve(live_url, env=env, python_args=("-c", AUDITED)) as service:
        async with httpx.AsyncClient(base_url=service.base_url) as client:
            event = {"event_id": "ro-1", "channel": "web", "nps": 3, "comment": "Slow"}
            posted = await client.post("/v1/feedback", json=event, headers=bearer(keys["ingest"]))
            assert posted.status_code == 201
            export = await client.get(
                "/v1/feedback/export", params={"format": "csv"}, headers=bearer(keys["read"])
            )
            assert export.status_code == 200
            summary = await client.get("/v1/metrics/summary", headers=bearer(keys["read"]))
            assert summary.status_code == 200
        service.stop()
        log = service.log().splitlines()
    assert "AUDITING" in log
    assert any("Application shutdown complete" in line for line in log)  # audited to the end
    assert [line for line in log if line.startswith("WRITE ")] == []
