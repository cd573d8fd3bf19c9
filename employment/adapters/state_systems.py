"""The employment centre's ports implemented through the gateway (person registry, social fund, monitoring)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from adapters.person_registry import PersonRegistryClient, PersonRegistryUnavailable, RegistryPerson
from adapters.shep.rest_client import RestChannelClient, RestChannelError
from adapters.shep.sync_client import GatewayUnreachable
from adapters.social_fund import SocialFundClient, SocialFundUnavailable
from contracts.stage_report import SERVICE_ID as MONITORING_SERVICE_ID
from contracts.stage_report import StageReportDocument, write_stage_report
from employment.domain.models import (
    Contribution,
    EmploymentPeriod,
    InsuranceHistory,
    PersonStatus,
    RegistryRecord,
    Sex,
    StageReport,
)
from employment.service_layer.ports import ExternalSystemUnavailable, StageReportRefused

# Answers that say "not now" rather than "never": the report is sent again later.
RETRYABLE_STATUSES = frozenset({408, 409, 425, 429})


class GatewayPersonRegistry:
    """JS-4: the person's data from the person registry, by IIN, through the gateway."""

    def __init__(self, client: PersonRegistryClient) -> None:
        self._client = client

    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None:
        try:
            person = self._client.find_by_iin(iin, correlation_id)
        except PersonRegistryUnavailable as exc:
            raise ExternalSystemUnavailable("the person registry", str(exc)) from exc
        if person is None:
            return None
        return RegistryRecord(
            iin=person.iin,
            surname=person.surname,
            name=person.name,
            patronymic=person.patronymic,
            birth_date=person.birth_date,
            address=person.address,
            document_valid_until=person.document_valid_until,
            sex=_SEX.get(person.gender_code),
            statuses=statuses_of(person),
            document_number=person.document_number,
            document_issued_on=person.document_issued_on,
        )


# GBD FL ``gender`` codes (docs/protocol.md): 1 male, 2 female; any other code leaves the sex unknown.
_SEX = {"1": Sex.MALE, "2": Sex.FEMALE}


def statuses_of(person: RegistryPerson) -> frozenset[PersonStatus]:
    """The statuses the register's rules read (UN-4 (5), (6); DR-1 (5)), from the registry's answer. A senior
    pupil of a general school (10th or 11th class) counts with the students: UN-4 (5) names both."""
    statuses = {
        PersonStatus.DECEASED: person.deceased,
        PersonStatus.IMPRISONED: person.imprisoned,
        PersonStatus.MISSING: person.missing,
        PersonStatus.INCAPABLE: person.incapable,
        PersonStatus.STUDENT: person.student or person.senior_pupil,
    }
    found = frozenset(status for status, present in statuses.items() if present)
    return found if PersonStatus.DECEASED in found else found | {PersonStatus.LIVING}


class GatewayContributions:
    """Rules No. 259 §4, regulation 000 §5 action 3: the person's employment periods (labour contracts),
    with the contributions received, from the State Social Insurance Fund."""

    def __init__(self, client: SocialFundClient) -> None:
        self._client = client

    def history(self, iin: str, period_from: date, period_to: date, correlation_id: str | None) -> InsuranceHistory:
        try:
            answer = self._client.query(iin, period_from, period_to, correlation_id)
        except SocialFundUnavailable as exc:
            raise ExternalSystemUnavailable("the State Social Insurance Fund", str(exc)) from exc
        return InsuranceHistory(
            contributions=tuple(
                Contribution(month=r.month, employer_bin=r.employer_bin, employer_name=r.employer_name)
                for r in answer.records
            ),
            employment=tuple(
                EmploymentPeriod(employer_bin=p.employer_bin, employer_name=p.employer_name, start=p.start, end=p.end)
                for p in answer.periods
            ),
        )


class GatewayStageReporter:
    """JS-8: each stage to the monitoring IS, through the gateway's REST channel."""

    def __init__(
        self,
        client: RestChannelClient,
        register_org: str,
        executor_org: str,
        register_orgs: Mapping[str, str] | None = None,
    ) -> None:
        """``register_orgs``: the organisation where an application of each channel is registered (the State
        Corporation for its channel, ...); ``register_org`` for a channel it does not name."""
        self._client = client
        self._register_org = register_org
        self._executor_org = executor_org
        self._register_orgs = dict(register_orgs or {})

    def report(self, report: StageReport) -> None:
        document = StageReportDocument(
            applicationId=report.application_id,
            serviceType=report.service_type,
            stage=report.stage.value,
            stageAt=report.at,
            deadline=report.deadline,
            isPositive=report.is_positive,
            registerOrg=self._register_orgs.get(report.channel or "", self._register_org),
            executorOrg=self._executor_org,
            refuseReason=report.refuse_reason,
            ruleId=report.rule_id,
            shepCorrelationId=report.correlation_id,
            channel=report.channel,
        )
        try:
            self._client.send(MONITORING_SERVICE_ID, write_stage_report(document), correlation_id=report.correlation_id)
        except RestChannelError as exc:
            if 400 <= exc.status < 500 and exc.status not in RETRYABLE_STATUSES:
                raise StageReportRefused(f"monitoring IS refused the report (HTTP {exc.status}): {exc}") from exc
            raise ExternalSystemUnavailable("the monitoring IS", f"HTTP {exc.status}: {exc}") from exc
        except GatewayUnreachable as exc:
            raise ExternalSystemUnavailable("the monitoring IS", str(exc)) from exc
