"""What the ingest routes take from the running application, made by its lifespan."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.ingest.service import IngestRules, rules_for
from app.ingest.writer import EventWriter
from app.settings import Settings


@dataclass(frozen=True, slots=True)
class SingleIngest:
    """The writer that group-commits single events, and the server's rules for this one."""

    writer: EventWriter
    rules: IngestRules


async def single_ingest(request: Request) -> SingleIngest:
    # One dependency, not one per part: the single-event route is the hottest path, and
    # each dependency FastAPI solves costs about 9 µs of worker CPU (of ~400 µs).
    writer: EventWriter = request.app.state.writer
    settings: Settings = request.app.state.settings
    return SingleIngest(writer, rules_for(settings))


SingleIngestDep = Annotated[SingleIngest, Depends(single_ingest)]
