-- Question: Which companies reported a year-on-year fall in net profit in their latest results (as stated in the latest report about them), and by how much?
-- Results, not forecasts: the figure is for the publication year or earlier (or states no year)
-- and is not under a forecast/valuation heading. fall is signed_value: negative, in `unit`.
with latest_reports as (
    select *
    from marts.dim_report
    where subject_company_id is not null
    qualify row_number() over (partition by subject_company_id order by published_at desc, report_id desc) = 1
)

select
    companies.name_cn,
    companies.name_en,
    companies.ticker,
    reports.published_date,
    brokers.name_en as broker,
    metrics.fiscal_year,
    metrics.signed_value as fall,
    metrics.unit,
    metrics.raw_text,
    claims.claim_text
from latest_reports as reports
join marts.fct_metric as metrics on metrics.report_id = reports.report_id
left join marts.fct_claim as claims using (claim_id)
left join marts.dim_company as companies on companies.company_id = reports.subject_company_id
left join marts.dim_broker as brokers on brokers.broker_id = reports.broker_id
where metrics.measure = 'net_profit'
  and metrics.change_basis = 'yoy'
  and metrics.direction = 'down'
  and coalesce(metrics.fiscal_year <= year(reports.published_at), true)
  and not coalesce(regexp_matches(lower(concat_ws(' ', claims.section, claims.subsection)),
                                  'forecast|valuation|estimate|outlook|预测|估值|展望'), false)
order by fall, companies.ticker, metrics.metric_seq;
