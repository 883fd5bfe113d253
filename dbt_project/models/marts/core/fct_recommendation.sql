-- One company recommended under one theme of one report, resolved to a company by name when
-- the reference knows it (company_id null and is_company_resolved false otherwise).
select
    recs.recommendation_id,
    recs.report_id,
    reports.broker_id,
    reports.published_at,
    recs.theme,
    recs.theme_seq,
    recs.company_seq,
    recs.company_name_raw,
    names.company_id,
    names.company_id is not null as is_company_resolved,
    recs.cited_pages
from {{ ref('stg_raw__recommendations') }} as recs
join {{ ref('int_reports') }} as reports using (report_id)
left join {{ ref('int_company_names') }} as names on names.name_key = recs.company_name_key
