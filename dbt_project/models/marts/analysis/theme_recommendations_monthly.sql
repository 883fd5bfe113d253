-- Theme x company x month: how many brokers recommended a company under a theme. Themes are
-- grouped on their case/space-folded wording; unresolved companies on the name as written.
with recommendations as (
    select
        date_trunc('month', recs.published_at)::date as month_start,
        {{ name_key('recs.theme') }} as theme_key,
        coalesce(recs.company_id, 'unresolved:' || {{ name_key('recs.company_name_raw') }}) as company_key,
        recs.*
    from {{ ref('fct_recommendation') }} as recs
)

select
    md5(month_start::varchar || '|' || theme_key || '|' || company_key) as theme_recommendation_id,
    month_start,
    strftime(month_start, '%Y-%m') as year_month,
    min(theme) as theme,
    theme_key,
    company_key,
    any_value(company_id) as company_id,
    coalesce(any_value(companies.name_en), min(company_name_raw)) as company_name,
    count(distinct broker_id) as n_brokers,
    count(distinct report_id) as n_reports,
    string_agg(distinct broker_id, ', ' order by broker_id) as broker_ids,
    max(published_at) as latest_published_at
from recommendations
left join {{ ref('dim_company') }} as companies using (company_id)
group by month_start, theme_key, company_key
