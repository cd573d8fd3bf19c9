"""The catalogue of information systems in the simulated ecosystem (README.md, "The systems and the flow").

Each system has a name (its folder and `egov-sim serve NAME`), a default port, the sender id it uses at
the gateway, and the organisation that holds its transport certificate (BIN in the certificate's OU).
The officials who sign business documents are listed here too: their certificates are issued by the
test NCA on first start.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemIdentity:
    name: str
    title: str
    default_port: int
    sender_id: str
    bin: str
    organisation: str
    app_factory: str  # "module:function" taking Settings and returning an ASGI app


@dataclass(frozen=True)
class OfficialIdentity:
    role: str
    iin: str
    surname: str
    given_name: str
    patronymic: str
    organisation: str
    bin: str
    title: str


# Халықты жұмыспен қамту мәселелері жөніндегі жергілікті орган: signs the decisions on unemployed status
# (Rules No. 259 §32, §45).
LOCAL_AUTHORITY = "ГУ «Управление занятости и социальных программ города Астаны»"

# The fund's branch whose department decides on the job-loss payment (regulation 004 §1; SP-1).
FUND_BRANCH = "Филиал АО «Государственный фонд социального страхования» по городу Астане"

SYSTEMS: tuple[SystemIdentity, ...] = (
    SystemIdentity(
        "gateway",
        "e-government gateway (ShEP)",
        8080,
        "SHEP",
        "041140010011",
        "АО «Национальные информационные технологии»",
        "gateway.app:create_app",
    ),
    SystemIdentity(
        "portal",
        "egov portal",
        8081,
        "EGOV_PORTAL",
        "061140010003",
        "egov portal operator",
        "mocks.portal.app:create_app",
    ),
    SystemIdentity(
        "employment",
        "employment centre service (Labour Market system)",
        8082,
        "ENBEK_LABOUR_MARKET",
        "000340010007",
        "КГУ «Центр занятости населения города Астаны»",
        "employment.entrypoints.app:create_app",
    ),
    SystemIdentity(
        "person_registry",
        "person registry (GBD FL)",
        8083,
        "GBDFL",
        "010440010002",
        "person registry operator",
        "mocks.person_registry.app:create_app",
    ),
    SystemIdentity(
        "state_corp",
        "State Corporation system (operator workstation)",
        8084,
        "GK_IIS",
        "160640010002",
        "НАО «Государственная корпорация „Правительство для граждан“»",
        "mocks.state_corp.app:create_app",
    ),
    SystemIdentity(
        "social_fund",
        "State Social Insurance Fund",
        8085,
        "GFSS",
        "980740010004",
        "АО «Государственный фонд социального страхования»",
        "mocks.social_fund.app:create_app",
    ),
    SystemIdentity(
        "monitoring",
        "monitoring IS",
        8086,
        "MONITORING_IS",
        "191240010003",
        "state-service monitoring operator",
        "mocks.monitoring.app:create_app",
    ),
    SystemIdentity(
        "nca",
        "national certifying centre (test PKI)",
        8087,
        "NCA",
        "040540010001",
        "test national certifying centre",
        "mocks.nca.app:create_app",
    ),
    SystemIdentity(
        "local_authority",
        "local employment authority (decisions on unemployed status)",
        8088,
        "MIO_EMPLOYMENT",
        "000440010000",
        LOCAL_AUTHORITY,
        "mocks.local_authority.app:create_app",
    ),
)

OFFICIALS: tuple[OfficialIdentity, ...] = (
    OfficialIdentity(
        "employment-director",
        "880115300126",
        "Серикбаев",
        "Ерлан",
        "Муратович",
        "КГУ «Центр занятости населения города Астаны»",
        "000340010007",
        "director of the employment centre",
    ),
    OfficialIdentity(
        "state-corp-operator",
        "900303400517",
        "Жумабекова",
        "Айгуль",
        "Сериковна",
        "НАО «Государственная корпорация „Правительство для граждан“»",
        "160640010002",
        "State Corporation operator",
    ),
    OfficialIdentity(
        "employment-worker",
        "870921441279",
        "Бекова",
        "Динара",
        "Асхатовна",
        "КГУ «Центр занятости населения города Астаны»",
        "000340010007",
        "specialist of the employment centre's office (registers the people who come in)",
    ),
    OfficialIdentity(
        "rural-assistant",
        "940208362185",
        "Ермеков",
        "Нурлан",
        "Болатович",
        "КГУ «Центр занятости населения города Астаны»",
        "000340010007",
        "assistant of the employment centre at the akimat of a rural district (Rules No. 259 §2 sub.2, §15-21)",
    ),
    OfficialIdentity(
        "local-authority-head",
        "740927405173",
        "Абдрахманова",
        "Гульнара",
        "Бекетовна",
        LOCAL_AUTHORITY,
        "000440010000",
        "head of the local employment authority",
    ),
    OfficialIdentity(
        "fund-department-head",
        "780412400324",
        "Касымова",
        "Жанар",
        "Толеуовна",
        FUND_BRANCH,
        "980740010004",
        "head of the social payments department of the fund's branch (signs the notifications of assignment or "
        "refusal of the job-loss payment, regulation 004 §5 (4))",
    ),
)


def system(name: str) -> SystemIdentity:
    for candidate in SYSTEMS:
        if candidate.name == name:
            return candidate
    known = ", ".join(s.name for s in SYSTEMS)
    raise KeyError(f"unknown system {name!r}; known systems: {known}")


def official(role: str) -> OfficialIdentity:
    for candidate in OFFICIALS:
        if candidate.role == role:
            return candidate
    raise KeyError(f"unknown official role {role!r}")
