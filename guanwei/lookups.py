"""`pk__in=[…]` holding a number past the column finds no row for it, as `pk=…` already does.

Django drops an out-of-range value from `exact`, `gt`, `lt`… (IntegerFieldOverflow) but sends it
to the database in `in`: SQLite raises OverflowError, PostgreSQL an out-of-range error. Every
ModelMultipleChoiceField (the Django admin's too) looks its ids up with `pk__in`. Registered by
orgs' AppConfig.ready().
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())

            def in_range(value: Any) -> bool:
                if not isinstance(value, int):
                    return True
                return (low is None or value >= low) and (high is None or value <= high)

            self.rhs = [value for value in self.rhs if in_range(value)]
        return super().process_rhs(compiler, connection)
