-- Question: Which ratings were upgraded, downgraded or initiated in the latest ISO week that had any such change (this week, when it had one)?
-- Relative to the data, not to today: on a quiet week the answer is the most recent week with changes.
with changes as (
    select * from marts.fct_rating_change where change_type <> 'reiteration'
),

latest_week as (
    select max(date_trunc('week', published_at)) as week_start from changes
)

select
    changes.published_at,
    brokers.name_en as broker,
    changes.scope,
    coalesce(companies.name_cn, industries.name_cn) as target,
    changes.previous_rating_std,
    changes.rating_std,
    changes.action_raw,
    changes.change_type,
    changes.is_disagreement
from changes
join latest_week on date_trunc('week', changes.published_at) = latest_week.week_start
join marts.dim_broker as brokers using (broker_id)
left join marts.dim_company as companies on companies.company_id = changes.company_id
left join marts.dim_industry as industries on industries.industry_id = changes.industry_id
order by changes.published_at desc, broker;
