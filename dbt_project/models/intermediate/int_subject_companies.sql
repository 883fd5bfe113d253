-- The subject company of each company report (name_cn and code from the title) matched to the
-- reference companies by ticker, else by name; one that is missing gets a key derived from its
-- code (exchange from the code prefix) so that every subject company is in dim_company.
with subjects as (
    select
        subject_company_code as code,
        subject_company_name_cn as name_cn,
        {{ name_key('subject_company_name_cn') }} as name_key,
        published_at
    from {{ ref('stg_raw__reports') }}
    where subject_company_code is not null or subject_company_name_cn is not null
),

reference_name_rows as (
    {{ names_with_aliases(ref('companies'), 'company_id', ['name_cn', 'name_en'], 'aliases') }}
),

reference_names as (
    {{ unambiguous_names('reference_name_rows', 'company_id') }}
),

reference_tickers as (
    select
        {{ comparable_ticker('ticker') }} as ticker,
        min(company_id) as company_id
    from {{ ref('companies') }}
    where nullif(trim(ticker), '') is not null
    group by {{ comparable_ticker('ticker') }}
    having count(*) = 1
),

matched as (
    select
        subjects.code,
        subjects.name_cn,
        subjects.published_at,
        coalesce(by_ticker.company_id, by_name.company_id) as reference_company_id,
        {{ exchange_from_code('subjects.code') }} as derived_exchange,
        case
            when subjects.code is not null
                then lower(coalesce({{ exchange_from_code('subjects.code') }}, 'cn')) || '-' || subjects.code
            else 'name-' || left(md5(subjects.name_key), 12)
        end as derived_company_id
    from subjects
    left join reference_tickers as by_ticker on by_ticker.ticker = {{ comparable_ticker('subjects.code') }}
    left join reference_names as by_name on by_name.name_key = subjects.name_key
)

select
    code,
    name_cn,
    coalesce(reference_company_id, derived_company_id) as company_id,
    reference_company_id is not null as is_in_reference,
    derived_exchange,
    -- the name written in the most recent report names a derived company
    row_number() over (partition by derived_company_id order by published_at desc, name_cn asc) = 1
        as is_latest_spelling
from (
    select distinct on (code, name_cn) *
    from matched
    order by code asc, name_cn asc, published_at desc
) as latest_spellings
