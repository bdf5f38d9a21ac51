"""What every tool about one person shares: how they are named, and what a failed lookup means."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .._fields import PATH, QUERY, ArgsModel, Text, check_path_value


class PersonArgs(ArgsModel):
    """One person, by any of their identifiers."""

    customer_id: Annotated[Text, PATH, AfterValidator(check_path_value)] = Field(
        max_length=254, description="The person's id, email or cio_id."
    )
    id_type: Annotated[Literal["id", "email", "cio_id", "phone"], QUERY] = Field(
        "id", description="What customer_id is (default id); email and phone only where used."
    )


PERSON_NOT_FOUND = (
    "Customer.io has no person with {id_type} {customer_id!r}; if that is an email, pass "
    "id_type='email', or search customers to find their id."
)
# A 400 to a person lookup: most often an id_type the workspace does not identify people by.
PERSON_BAD_REQUEST = (
    "Looking people up by {id_type} works only where the workspace identifies people by it: "
    "look them up by id, email or cio_id, or search customers for the attribute."
)
