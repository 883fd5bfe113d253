select
    report_id,
    theme_seq,
    company_seq,
    report_id || '-t' || theme_seq || '-' || company_seq as recommendation_id,
    theme,
    company_name_raw,
    {{ name_key('company_name_raw') }} as company_name_key,
    cited_pages,
    extractor_version,
    loaded_at
from {{ source('raw', 'recommendations') }}
