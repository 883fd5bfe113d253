-- Each rating compared with the same broker's previous rating on the same target: the change
-- the ratings themselves show (derived_change) next to the one the report states
-- (stated_change). With no earlier rating in the warehouse the stated action is all we have.
with changes as (
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
)

select
    rating_id,
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
    case when previous_rating_id is not null then coalesce(derived_change, stated_change)
         else coalesce(stated_change, derived_change) end as change_type,
    case
        when previous_rating_id is null then 'no_prior_rating'
        when derived_change is null or stated_change is null then 'unknown'
        when derived_change = stated_change then 'agree'
        else 'disagree'
    end as agreement,
    previous_rating_id is not null and derived_change is distinct from stated_change
        and derived_change is not null and stated_change is not null as is_disagreement
from changes
