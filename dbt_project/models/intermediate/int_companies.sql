-- Reference companies plus the subject companies of company reports that the reference lacks.
select
    company_id,
    nullif(trim(name_en), '') as name_en,
    nullif(trim(name_cn), '') as name_cn,
    nullif(trim(ticker), '') as ticker,
    nullif(trim(exchange), '') as exchange,
    nullif(trim(aliases), '') as aliases,
    true as is_in_reference
from {{ ref('companies') }}

union all

select
    company_id,
    null as name_en,
    name_cn,
    code as ticker,
    derived_exchange as exchange,
    null as aliases,
    false as is_in_reference
from {{ ref('int_subject_companies') }}
where not is_in_reference and is_latest_spelling
