select
    report_id,
    claim_seq,
    {{ claim_id('report_id', 'claim_seq') }} as claim_id,
    section,
    subsection,
    claim_text,
    cited_pages,
    char_start,
    char_end,
    extractor_version,
    loaded_at
from {{ source('raw', 'claims') }}
