from django_tasks import task

from unionhub.core.jobs import job_run


@task()
def run_job(job_id: str) -> str:
    """The one task behind every background job; the job's kind picks the work."""
    return job_run(job_id).status
