{#- Generic test: a boolean column is true exactly when `condition` holds (a flag derived from other
    columns, e.g. is_company_resolved <=> company_id is not null); fails on every row where they differ. -#}
{% test true_iff(model, column_name, condition) %}
select *
from {{ model }}
where {{ column_name }} is distinct from ({{ condition }})
{% endtest %}
