{#- Where the last match of `pattern` starts in `context` (1-based), null when absent.
    The greedy `.*` makes regexp_extract stop at the last occurrence. -#}
{% macro last_match_position(context, pattern) -%}
    case when regexp_matches({{ context }}, '{{ pattern }}')
        then length(regexp_extract({{ context }}, '^(?s)(.*)({{ pattern }})', 1)) + 1 end
{%- endmacro %}

{#- What a money/multiple figure measures, for the forecast series: the nearest keyword
    before (or inside) the figure's own text that fits its unit. `context` is the claim text up
    to the end of the figure, lower-cased: "net profit of 8.72/11.35 billion yuan for 2025-2026,
    corresponding to PE of 11/8x" gives net_profit for the yuan figures and pe for the x ones. -#}

{% macro metric_kind(context, unit, per_unit) -%}
    {%- set is_money = "regexp_full_match(coalesce(" ~ unit ~ ", ''), '[A-Z]{3}')" -%}
    {%- set fits = {
        'pe': unit ~ " = 'x'",
        'eps': is_money,
        'target_price': is_money ~ " and coalesce(" ~ per_unit ~ ", 'share') = 'share'",
        'net_profit': is_money ~ " and " ~ per_unit ~ " is null",
        'revenue': is_money ~ " and " ~ per_unit ~ " is null",
    } -%}
    {%- set keywords = {
        'pe': '\\bp/?e\\b|price[- ]to[- ]earnings',
        'eps': '\\beps\\b|earnings per share',
        'target_price': 'target price|price target|reasonable value|fair value',
        'net_profit': 'net profit|net income|net earnings|profit attributable|attributable net profit',
        'revenue': 'revenue|\\bsales\\b',
    } -%}
    {%- set positions = [] -%}
    {%- for kind, pattern in keywords.items() -%}
        {%- do positions.append("case when " ~ fits[kind] ~ " then " ~ last_match_position(context, pattern) ~ " end") -%}
    {%- endfor -%}
    (
        select kind from (values
        {%- for kind in keywords %}
            ('{{ kind }}', {{ positions[loop.index0] }}){{ "," if not loop.last }}
        {%- endfor %}
        ) as candidates(kind, position)
        where position is not null
        order by position desc
        limit 1
    )
{%- endmacro %}
