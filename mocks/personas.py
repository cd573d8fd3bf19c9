"""The named personas of the synthetic population: people whose facts do not depend on the seed, one per
situation a tester needs (docs/personas.md tells what each service answers them)."""

from __future__ import annotations

from datetime import date

from mocks import population_tables as tables
from mocks.population_model import (
    CITIZENSHIP_KAZAKHSTAN,
    DOCUMENT_PASSPORT,
    GENDER_FEMALE,
    GENDER_MALE,
    Education,
    Employer,
    EmploymentSpell,
    IdentityDocument,
    RegisteredAddress,
    SyntheticPerson,
    identity_card,
)

# IINs of the named personas: make_iin(birth date, sex, serial) with the facts below.
PERSONA_JOB_SEEKER = "920314403019"  # woman, 1992-03-14, Astana; last job ended 2026-07-31
PERSONA_MINOR = "120514504024"  # boy, 2012-05-14, Karaganda; 14 years old in 2026
PERSONA_EMPLOYED = "850902305172"  # man, 1985-09-02, Almaty; employed since 2021-04-01
PERSONA_PENSIONER = "600110301291"  # man, 1960-01-10, Shymkent; employment ended 2023-01-31
PERSONA_STUDENT = "060901602639"  # woman, 2006-09-01, Almaty; never employed; a university student
PERSONA_DISMISSED = "900618330773"  # man, 1990-06-18, Karaganda; labour contract ended 2026-11-22
PERSONA_CONTRACT_NEXT_MONTH = "950207444191"  # woman, 1995-02-07, Almaty; new contract from 2026-12-01
# Label (not an IIN) of the generated person whose identity document has expired.
PERSONA_EXPIRED_DOCUMENT = "expired-document"


def named_personas(employers: tuple[Employer, ...]) -> tuple[SyntheticPerson, ...]:
    """The seven named personas; nothing here depends on the seed."""
    logistics, energy, construction, agro = employers[0], employers[1], employers[2], employers[3]
    digital, retail = employers[6], employers[7]
    kazakh_code, kazakh_ru, kazakh_kz = tables.KAZAKH
    russian_code, russian_ru, russian_kz = tables.RUSSIAN
    job_seeker = SyntheticPerson(
        PERSONA_JOB_SEEKER,
        "Сулейменова",
        "Жанар",
        "Ерлановна",
        "ZHANAR",
        "SULEIMENOVA",
        date(1992, 3, 14),
        GENDER_FEMALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Астана", "Есильский район", "Астана", "проспект Мангилик Ел", "25", "114"),
        identity_card("048812305", date(2021, 8, 10)),
        (EmploymentSpell(logistics, date(2019, 2, 1), date(2026, 7, 31), 420_000),),
        "job-seeker",
    )
    minor = SyntheticPerson(
        PERSONA_MINOR,
        "Ахметов",
        "Алихан",
        "Нурланович",
        "ALIKHAN",
        "AKHMETOV",
        date(2012, 5, 14),
        GENDER_MALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress(
            "Карагандинская область", "район имени Казыбек би", "Караганда", "проспект Бухар жырау", "52", "7"
        ),
        IdentityDocument(DOCUMENT_PASSPORT, "013570246", date(2023, 6, 15), date(2033, 6, 14)),
        (),
        "minor",
    )
    employed = SyntheticPerson(
        PERSONA_EMPLOYED,
        "Кузнецов",
        "Дмитрий",
        "Сергеевич",
        "DMITRII",
        "KUZNETSOV",
        date(1985, 9, 2),
        GENDER_MALE,
        russian_code,
        russian_ru,
        russian_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Алматы", "Бостандыкский район", "Алматы", "проспект Аль-Фараби", "77/2", "31"),
        identity_card("039955120", date(2019, 11, 5)),
        (EmploymentSpell(energy, date(2021, 4, 1), None, 650_000),),
        "employed",
    )
    pensioner = SyntheticPerson(
        PERSONA_PENSIONER,
        "Омаров",
        "Марат",
        "Канатович",
        "MARAT",
        "OMAROV",
        date(1960, 1, 10),
        GENDER_MALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Шымкент", "Абайский район", "Шымкент", "проспект Тауке хана", "14", None),
        identity_card("041207733", date(2020, 1, 20)),
        (EmploymentSpell(construction, date(2008, 3, 1), date(2023, 1, 31), 310_000),),
        "pensioner",
    )
    student = SyntheticPerson(
        PERSONA_STUDENT,
        "Касымова",
        "Айгерим",
        "Маратовна",
        "AIGERIM",
        "KASSYMOVA",
        date(2006, 9, 1),
        GENDER_FEMALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Алматы", "Алмалинский район", "Алматы", "улица Толе би", "101", "45"),
        identity_card("052340918", date(2022, 9, 12)),
        (),
        "student",
        education=Education(
            "higher", "Казахский национальный университет имени аль-Фараби", date(2024, 9, 1), date(2028, 6, 30)
        ),
    )
    dismissed = SyntheticPerson(
        PERSONA_DISMISSED,
        "Жумабаев",
        "Ержан",
        "Серикович",
        "YERZHAN",
        "ZHUMABAYEV",
        date(1990, 6, 18),
        GENDER_MALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress(
            "Карагандинская область", "район Алихана Бокейханова", "Караганда", "улица Ерубаева", "33", "12"
        ),
        identity_card("044318207", date(2020, 7, 2)),
        # Dismissed the day before Monday 2026-11-23: contributions still arrive for October and November.
        (EmploymentSpell(agro, date(2022, 3, 1), date(2026, 11, 22), 380_000),),
        "dismissed-yesterday",
    )
    contract_next_month = SyntheticPerson(
        PERSONA_CONTRACT_NEXT_MONTH,
        "Искакова",
        "Мадина",
        "Бериковна",
        "MADINA",
        "ISKAKOVA",
        date(1995, 2, 7),
        GENDER_FEMALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Алматы", "Медеуский район", "Алматы", "проспект Достык", "48", "9"),
        identity_card("051177364", date(2021, 3, 15)),
        (
            EmploymentSpell(digital, date(2020, 9, 1), date(2026, 5, 31), 510_000),
            EmploymentSpell(retail, date(2026, 12, 1), None, 460_000),  # signed, not yet in force
        ),
        "contract-next-month",
    )
    return job_seeker, minor, employed, pensioner, student, dismissed, contract_next_month
