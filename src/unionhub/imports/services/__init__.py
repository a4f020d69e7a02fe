"""Every write of the imports app: uploads and column mappings, the commit of a file into the
member registry (all-or-nothing), photo archives and the template-layout export.

One module per topic; every public name is re-exported here, so that callers keep writing
`from unionhub.imports.services import X` (or `services.X`) whichever module holds X.
"""

from __future__ import annotations

from unionhub.imports.services.admissions import members_bulk_create
from unionhub.imports.services.commit import (
    Outcome,
    import_check,
    members_import,
    report_to_batch,
)
from unionhub.imports.services.export import (
    EXPORT_JOB,
    SENSITIVE_EXPORTED,
    export_to_job,
    members_export,
    members_export_start,
)
from unionhub.imports.services.photos import (
    PHOTO_SUFFIXES,
    PHOTOS_JOB,
    PhotoOutcome,
    photos_import,
    photos_import_start,
)
from unionhub.imports.services.upload import (
    COMMIT_JOB,
    PREVIEW_JOB,
    import_cancel,
    import_commit_start,
    import_map,
    import_upload,
)

__all__ = [
    "COMMIT_JOB",
    "EXPORT_JOB",
    "PHOTOS_JOB",
    "PHOTO_SUFFIXES",
    "PREVIEW_JOB",
    "SENSITIVE_EXPORTED",
    "Outcome",
    "PhotoOutcome",
    "export_to_job",
    "import_cancel",
    "import_check",
    "import_commit_start",
    "import_map",
    "import_upload",
    "members_bulk_create",
    "members_export",
    "members_export_start",
    "members_import",
    "photos_import",
    "photos_import_start",
    "report_to_batch",
]
