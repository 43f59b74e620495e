"""The status of an upload being read (the job resource_create/resource_update answer with)."""
from __future__ import annotations

from typing import Any

from ..services import ingest_jobs
from .actions import Call, Param, _required, action


@action("ingest_job_show", params=[Param("id", description="The ingest job's id.", required=True)])
def ingest_job_show(call: Call) -> dict[str, Any]:
    """Return an upload's ingest job: `state` (queued, running, done, failed), `rows_read`,
    `bytes_read` of `bytes_total`, `percent`, the personal data found so far (masked), and
    when done the `resource_id` and `version_id`, when failed the `message` and `errors`.

    Only its uploader (or a system administrator) sees the job; anyone else gets Not Found.
    """
    return ingest_jobs.status(call.actor, _required(call.data, "id"))
