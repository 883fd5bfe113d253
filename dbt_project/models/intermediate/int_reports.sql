-- Reports with their broker, industry and subject company resolved and the file they came in:
-- the first loaded file received with that content (later copies are duplicates).
with first_files as (
    -- a loaded file first; should a report's files not be settled yet, its earliest other file
    select
        report_id,
        source_file,
        content_sha256,
        received_at as ingested_at
    from {{ ref('stg_audit__files') }}
    where report_id is not null and status <> 'quarantined'
    qualify row_number() over (
            partition by report_id order by status <> 'loaded', received_at, source_file
        ) = 1
)

select
    reports.report_id,
    first_files.source_file,
    first_files.content_sha256,
    brokers.broker_id,
    coalesce(brokers.is_broker_resolved, false) as is_broker_resolved,
    industries.industry_id,
    industries.industry_id is not null as is_industry_resolved,
    reports.title,
    reports.report_type,
    reports.published_at,
    subjects.company_id as subject_company_id,
    reports.broker_raw,
    reports.industry_raw,
    reports.subject_company_name_cn,
    reports.subject_company_code,
    first_files.ingested_at,
    -- held rows are replaced with the report's raw rows, so they change only with its loaded_at
    exists(
        select 1 from {{ ref('stg_audit__quarantined_rows') }} as held
        where held.report_id = reports.report_id
    ) as has_quarantined_rows,
    reports.extractor_version,
    reports.loaded_at
from {{ ref('stg_raw__reports') }} as reports
left join first_files using (report_id)
left join {{ ref('int_report_brokers') }} as brokers using (broker_raw)
left join {{ ref('int_industry_names') }} as industries
    on industries.name_key = {{ name_key('reports.industry_raw') }}
left join {{ ref('int_subject_companies') }} as subjects
    on subjects.code is not distinct from reports.subject_company_code
    and subjects.name_cn is not distinct from reports.subject_company_name_cn
    and (reports.subject_company_code is not null or reports.subject_company_name_cn is not null)
