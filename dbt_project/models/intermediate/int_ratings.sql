-- Ratings with the report's broker, date and target, mapped onto the one 5-point scale and the
-- four actions. A broker-specific row of rating_scale beats the general one. Wording that no
-- seed row knows keeps a null rating_std / action_std and is flagged, never dropped.
with scale as (
    select
        {{ name_key('scale.rating_word') }} as rating_key,
        brokers.broker_id as override_broker_id,
        scale.rating_std,
        scale.rating_score
    from {{ ref('rating_scale') }} as scale
    left join {{ ref('int_brokers') }} as brokers on brokers.name_cn = scale.broker_name_cn
),

actions as (
    select
        {{ name_key('action_word') }} as action_key,
        action_std
    from {{ ref('rating_actions') }}
),

rated as (
    select
        ratings.*,
        reports.broker_id,
        reports.published_at,
        reports.industry_id,
        case when ratings.scope = 'company' then reports.subject_company_id end as company_id,
        scale.rating_std,
        scale.rating_score
    from {{ ref('stg_raw__ratings') }} as ratings
    join {{ ref('int_reports') }} as reports using (report_id)
    left join scale
        on scale.rating_key = ratings.rating_key
        and (scale.override_broker_id is null or scale.override_broker_id = reports.broker_id)
    qualify row_number() over (
            partition by ratings.report_id, ratings.rating_seq order by scale.override_broker_id nulls last
        ) = 1
)

select
    rated.report_id || '-r' || rated.rating_seq as rating_id,
    rated.report_id,
    rated.rating_seq,
    rated.broker_id,
    rated.published_at,
    rated.scope,
    rated.industry_id,
    rated.company_id,
    case rated.scope when 'company' then rated.company_id when 'industry' then rated.industry_id end
        as target_id,
    rated.rating_raw,
    rated.rating_std,
    rated.rating_score,
    rated.action_raw,
    actions.action_std,
    rated.rating_std is not null as is_rating_mapped,
    rated.action_raw is null or actions.action_std is not null as is_action_mapped,
    rated.cited_pages,
    rated.char_start,
    rated.char_end,
    rated.loaded_at
from rated
left join actions using (action_key)
