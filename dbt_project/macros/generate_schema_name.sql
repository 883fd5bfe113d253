{#- Custom schema names are used as they are (staging, intermediate, marts, snapshots), not
    prefixed with the target schema as dbt does by default: BI and the scorer read `marts.*`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
