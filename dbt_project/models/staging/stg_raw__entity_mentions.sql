select
    report_id,
    claim_seq,
    {{ claim_id('report_id', 'claim_seq') }} as claim_id,
    entity_name,
    {{ name_key('entity_name') }} as entity_name_key,
    char_start,
    char_end,
    extractor_version,
    loaded_at
from {{ source('raw', 'entity_mentions') }}
