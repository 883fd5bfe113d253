-- Question: Which brokers downgraded anything (an industry or a company) in the 180 days before the latest report (the window in which ratings count for consensus)?
-- For a shorter horizon change the interval; company_consensus/industry_consensus also count 30- and 90-day downgrades.
with reference as (
    select max(published_at) as reference_at from marts.dim_report
)

select
    brokers.name_en as broker,
    brokers.name_cn as broker_cn,
    count(*) as n_downgrades,
    string_agg(coalesce(companies.name_cn, industries.name_cn) || ' ' || coalesce(changes.previous_rating_std, '?')
               || ' -> ' || coalesce(changes.rating_std, changes.rating_raw), '; ' order by changes.published_at) as downgrades
from marts.fct_rating_change as changes
cross join reference
join marts.dim_broker as brokers using (broker_id)
left join marts.dim_company as companies on companies.company_id = changes.company_id
left join marts.dim_industry as industries on industries.industry_id = changes.industry_id
where changes.change_type = 'downgrade'
  and changes.published_at > reference.reference_at - interval 180 day
group by 1, 2
order by n_downgrades desc, broker;
