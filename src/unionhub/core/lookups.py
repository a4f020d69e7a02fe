"""`field__one_of=values`: IN with the values bound as one parameter.

`field__in` binds one parameter per value; for the thousands of document numbers an import
checks at once, building and binding those cost several times what running the query does,
and SQLite caps their number. Here the list is one array (PostgreSQL: `= ANY(%s)`) or one JSON
array (SQLite: `IN (SELECT value FROM json_each(%s))`), and the query plans are the same index
look-ups as with IN. Registered on every field by CoreConfig.ready.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Lookup


class OneOf(Lookup):
    lookup_name = "one_of"
    prepare_rhs = False

    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection) for value in self.rhs]
        if connection.vendor == "postgresql":
            return "%s", (values,)
        return "%s", (json.dumps(values),)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", (*lhs_params, *rhs_params)
