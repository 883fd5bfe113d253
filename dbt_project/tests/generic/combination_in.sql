{#- Every combination of `columns` (without nulls) is one that `to` lists in `to_columns`, e.g. a
    rating word's standard rating and score agree with the rating scale seed: the vocabulary is the
    seed's, not restated here. -#}
{% test combination_in(model, columns, to, to_columns) %}
select distinct {{ columns | join(', ') }}
from {{ model }} as tested
where {% for column in columns %}tested.{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
  and not exists (
    select 1 from {{ to }} as reference
    where {% for column in columns %}reference.{{ to_columns[loop.index0] }} = tested.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
  )
{% endtest %}
