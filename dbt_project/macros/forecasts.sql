{#- Whether a figure is a forecast: stated for a fiscal year after its report's publication, or
    under a heading that announces forecasts (English and Chinese). The one definition of a
    forecast, shared by forecast_series and fct_estimate. -#}
{% macro is_forecast_figure(fiscal_year, published_at, section, subsection) -%}
    coalesce(
        {{ fiscal_year }} > year({{ published_at }})
        or regexp_matches(lower(concat_ws(' ', {{ section }}, {{ subsection }})),
                          'forecast|valuation|estimate|outlook|预测|估值|展望'),
        false
    )
{%- endmacro %}
