{#- The listing venue implied by a mainland/Hong Kong stock code: 60/68 Shanghai, 00/30
    Shenzhen, 8/4/92 Beijing (six digits), five digits Hong Kong; null when unknown. -#}
{% macro exchange_from_code(code) -%}
    case
        when regexp_full_match({{ code }}, '6[08][0-9]{4}') then 'SSE'
        when regexp_full_match({{ code }}, '(00|30)[0-9]{4}') then 'SZSE'
        when regexp_full_match({{ code }}, '(8|4|92)[0-9]{4,5}') and length({{ code }}) = 6 then 'BSE'
        when regexp_full_match({{ code }}, '[0-9]{5}') then 'HKEX'
    end
{%- endmacro %}

{#- A ticker in the form titles write it: no exchange suffix (688041.SH -> 688041), Hong Kong
    codes zero-padded to five digits (0700.HK -> 00700). -#}
{% macro comparable_ticker(ticker) -%}
    case
        when regexp_full_match(regexp_replace(trim({{ ticker }}), '\.[A-Za-z]+$', ''), '[0-9]{1,5}')
            then lpad(regexp_replace(trim({{ ticker }}), '\.[A-Za-z]+$', ''), 5, '0')
        else regexp_replace(trim({{ ticker }}), '\.[A-Za-z]+$', '')
    end
{%- endmacro %}
