select
    source_file,
    content_sha256,
    size_bytes,
    received_at,
    lower(status) as status,
    reason,
    report_id
from {{ source('audit', 'files') }}
