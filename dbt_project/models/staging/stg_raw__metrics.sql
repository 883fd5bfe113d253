select
    report_id,
    metric_seq,
    report_id || '-m' || metric_seq as metric_id,
    claim_seq,
    {{ claim_id('report_id', 'claim_seq') }} as claim_id,
    raw_text,
    value,
    value_high,
    unit,
    per_unit,
    fiscal_year,
    qualifier,
    char_start,
    char_end,
    extractor_version,
    loaded_at
from {{ source('raw', 'metrics') }}
