-- One row per report. The loader replaces a report's rows on re-extraction; the qualify is a
-- guard that keeps the newest load should two ever coexist.
select
    report_id,
    nullif(trim(broker_raw), '') as broker_raw,
    published_at,
    nullif(trim(industry_raw), '') as industry_raw,
    nullif(trim(title), '') as title,
    lower(trim(report_type)) as report_type,
    nullif(trim(subject_company_name_cn), '') as subject_company_name_cn,
    nullif(trim(subject_company_code), '') as subject_company_code,
    extractor_version,
    loaded_at
from {{ source('raw', 'reports') }}
qualify row_number() over (partition by report_id order by loaded_at desc) = 1
