{#- A report's source line states a Beijing-time clock reading (stored as a plain timestamp); BI
    tools need the zone to place it: the same instant as timestamptz. -#}
{% macro with_source_time_zone(timestamp_column) -%}
    timezone('{{ var("source_time_zone") }}', {{ timestamp_column }})
{%- endmacro %}

{#- The report's publication time on a fact row, the time axis BI tools use: published_at (unless the
    model already has it), published_at_tz (with its zone) and published_date. -#}
{% macro report_time_columns(published_at, with_published_at=true) -%}
    {%- if with_published_at %}
    {{ published_at }} as published_at,
    {%- endif %}
    {{ with_source_time_zone(published_at) }} as published_at_tz,
    {{ published_at }}::date as published_date
{%- endmacro %}

{#- The publication time of each report, to join to a fact's source rows. -#}
{% macro report_times() -%}
    (select report_id, published_at from {{ ref('stg_raw__reports') }})
{%- endmacro %}
