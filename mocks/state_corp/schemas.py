"""JSON contract of the State Corporation operator workstation (SP-2, regulation 004 §7)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class PersonLookupRequest(BaseModel):
    operatorIin: str = Field(min_length=1, max_length=32, description="the operator's IIN")
    applicantIin: str = Field(min_length=1, max_length=32, description="the applicant's IIN")


class PersonFound(BaseModel):
    found: Literal[True] = True
    person: dict[str, Any] = Field(description="the person as the registry answered (camelCase keys)")
    correlationId: str


class PersonNotFound(BaseModel):
    found: Literal[False] = False
    message: str
    correlationId: str


class LookupFailed(BaseModel):
    detail: str
    correlationId: str | None = None
