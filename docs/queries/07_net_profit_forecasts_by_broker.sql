-- Question: How have brokers' net profit forecasts for a company (here 比亚迪 / BYD, 002594) evolved by fiscal year and report date?
select
    series.fiscal_year,
    series.published_date,
    brokers.name_en as broker,
    series.value / 1e9 as net_profit_bn,
    series.unit,
    series.value - lag(series.value) over (
        partition by series.broker_id, series.fiscal_year order by series.published_at
    ) as change_vs_broker_previous,
    series.raw_text
from marts.forecast_series as series
join marts.dim_company as companies using (company_id)
left join marts.dim_broker as brokers using (broker_id)
where (companies.ticker = '002594' or companies.name_cn = '比亚迪')
  and series.metric_kind = 'net_profit'
  and series.is_forecast
order by series.fiscal_year, series.published_at, broker;
