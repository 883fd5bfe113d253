-- Rows held aside from loaded reports, as many per report and table as were held.
select
    report_id,
    table_name,
    row_json,
    expectation,
    reason,
    loaded_at
from {{ source('audit', 'quarantined_rows') }}
