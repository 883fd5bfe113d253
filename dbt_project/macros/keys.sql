{#- The claim key: stable across runs because report_id and claim_seq are. -#}
{% macro claim_id(report_id, claim_seq) -%}
    case when {{ claim_seq }} is not null then {{ report_id }} || '-' || {{ claim_seq }} end
{%- endmacro %}
