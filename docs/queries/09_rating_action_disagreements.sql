-- Question: Which stated rating changes does the broker's own rating history contradict (e.g. "Maintained" although the rating moved) or not confirm (an "Upgraded"/"Downgraded" with no earlier rating on record)?
select
    changes.published_at,
    brokers.name_en as broker,
    changes.scope,
    coalesce(companies.name_cn, industries.name_cn) as target,
    changes.previous_published_at,
    changes.previous_rating_raw,
    changes.rating_raw,
    changes.action_raw as stated_action,
    changes.stated_change,
    changes.derived_change,
    changes.agreement
from marts.fct_rating_change as changes
join marts.dim_broker as brokers using (broker_id)
left join marts.dim_company as companies on companies.company_id = changes.company_id
left join marts.dim_industry as industries on industries.industry_id = changes.industry_id
where changes.is_disagreement
   or (changes.agreement = 'no_prior_rating' and changes.stated_change in ('upgrade', 'downgrade'))
order by changes.is_disagreement desc, changes.published_at desc, broker;
