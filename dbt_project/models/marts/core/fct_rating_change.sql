{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='rating_target_key',
    on_schema_change='append_new_columns',
    post_hook="delete from {{ this }} where rating_target_key not in (select rating_target_key from {{ ref('int_rating_sequences') }})"
) }}
-- Each rating compared with the same broker's previous rating on the same target: the change
-- the ratings themselves show (derived_change) next to the one the report states
-- (stated_change). With no earlier rating in the warehouse the stated action is all we have.
-- Incremental per series (broker x scope x target): a change anywhere in a series (a new,
-- re-extracted, re-mapped or removed rating) can change every later row's previous_* and
-- derived_change, so a run recomputes the whole series of every rating whose inputs differ from
-- the rows this table holds (a comparison of ~one row per report) and nothing else; the
-- post-hook drops series that no longer have a rating.
{%- set input_columns = ['rating_target_key', 'rating_id', 'report_id', 'broker_id', 'published_at', 'scope',
                         'target_id', 'industry_id', 'company_id', 'rating_raw', 'rating_std', 'rating_score',
                         'action_raw', 'action_std'] %}
with
{%- if is_incremental() %}
changed_series as (
    select distinct rating_target_key
    from (
        (select {{ input_columns | join(', ') }} from {{ ref('int_rating_sequences') }}
         except
         select {{ input_columns | join(', ') }} from {{ this }})
        union all
        (select {{ input_columns | join(', ') }} from {{ this }}
         except
         select {{ input_columns | join(', ') }} from {{ ref('int_rating_sequences') }})
    )
),
{%- endif %}

changes as (
    select
        *,
        case
            when previous_rating_id is null then 'initiation'
            when rating_score is null or previous_rating_score is null then null
            when rating_score < previous_rating_score then 'upgrade'
            when rating_score > previous_rating_score then 'downgrade'
            else 'reiteration'
        end as derived_change,
        case action_std
            when 'maintain' then 'reiteration'
            when 'upgrade' then 'upgrade'
            when 'downgrade' then 'downgrade'
            when 'initiate' then 'initiation'
        end as stated_change
    from {{ ref('int_rating_sequences') }}
    {%- if is_incremental() %}
    where rating_target_key in (select rating_target_key from changed_series)
    {%- endif %}
)

select
    rating_id,
    rating_target_key,
    report_id,
    broker_id,
    published_at,
    scope,
    target_id,
    industry_id,
    company_id,
    previous_rating_id,
    previous_report_id,
    previous_published_at,
    previous_rating_raw,
    previous_rating_std,
    previous_rating_score,
    rating_raw,
    rating_std,
    rating_score,
    action_raw,
    action_std,
    derived_change,
    stated_change,
    -- the change to count: derived where the history allows, else what the report says
    case
        when previous_rating_id is not null then coalesce(derived_change, stated_change)
        else coalesce(stated_change, derived_change)
    end as change_type,
    case
        when previous_rating_id is null then 'no_prior_rating'
        when derived_change is null or stated_change is null then 'unknown'
        when derived_change = stated_change then 'agree'
        else 'disagree'
    end as agreement,
    (
        previous_rating_id is not null
        and derived_change is distinct from stated_change
        and derived_change is not null
        and stated_change is not null
    ) as is_disagreement,
    {{ built_at() }} as built_at
from changes
