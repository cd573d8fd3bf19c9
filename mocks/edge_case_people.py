"""The fixed people of the edge-case catalogue (:mod:`mocks.edge_cases`) who are not named personas: each is
in the population with facts that do not depend on the seed, chosen so that on the catalogue's reference
date (:data:`REFERENCE_DATE`, Monday 23 November 2026, the demo's day) they sit exactly on one boundary.

Their IINs are ``make_iin(birth date, sex, serial)`` of the facts below (the classic layout of kernel/iin.py).
"""

from __future__ import annotations

from datetime import date

from mocks import population_tables as tables
from mocks.population_model import (
    CITIZENSHIP_KAZAKHSTAN,
    GENDER_FEMALE,
    GENDER_MALE,
    CourtStatus,
    Death,
    Education,
    Employer,
    EmploymentSpell,
    IdentityDocument,
    RegisteredAddress,
    SyntheticPerson,
    identity_card,
    passport,
)
from mocks.population_tables import Nationality

REFERENCE_DATE = date(2026, 11, 23)  # the day the catalogue's boundaries hold (the demo's virtual clock)

PERSONA_TURNS_16 = "101123543217"  # boy, born 2010-11-23: 16 on the reference date
PERSONA_WOMAN_BEFORE_PENSION_AGE = "651124427189"  # woman, 1965-11-24: 60 years 364 days on the reference date
PERSONA_WOMAN_AT_PENSION_AGE = "651123431419"  # woman, 1965-11-23: 61 on the reference date
PERSONA_MAN_BEFORE_PENSION_AGE = "631124316183"  # man, 1963-11-24: 62 years 364 days on the reference date
PERSONA_MAN_AT_PENSION_AGE = "631123322360"  # man, 1963-11-23: 63 on the reference date
PERSONA_DECEASED = "780409357721"  # man, died 2026-10-14
PERSONA_NO_ADDRESS = "881202369317"  # man without a registered address
PERSONA_IMPRISONED = "910227314143"  # man serving a sentence since 2026-10-05
PERSONA_SENTENCED_LATER = "870816370710"  # man, unemployed; his sentence takes effect on 2026-12-07
PERSONA_MISSING = "840719486601"  # woman declared missing on 2025-03-11
PERSONA_INCAPABLE = "790530341428"  # man declared legally incapable on 2021-09-14
PERSONA_SENIOR_PUPIL = "090315617327"  # girl, 17, in the 11th class of a general school


def _person(
    iin: str,
    names: tuple[str, str, str | None, str, str],
    born: date,
    gender: str,
    nationality: Nationality,
    address: RegisteredAddress | None,
    document: IdentityDocument,
    employment: tuple[EmploymentSpell, ...],
    persona: str,
    *,
    death: Death | None = None,
    imprisonment: CourtStatus | None = None,
    incapacity: CourtStatus | None = None,
    missing: CourtStatus | None = None,
    education: Education | None = None,
) -> SyntheticPerson:
    surname, name, patronymic, eng_name, eng_surname = names
    code, name_ru, name_kz = nationality
    return SyntheticPerson(
        iin,
        surname,
        name,
        patronymic,
        eng_name,
        eng_surname,
        born,
        gender,
        code,
        name_ru,
        name_kz,
        CITIZENSHIP_KAZAKHSTAN,
        address,
        document,
        employment,
        persona,
        death=death,
        imprisonment=imprisonment,
        incapacity=incapacity,
        missing=missing,
        education=education,
    )


def edge_case_people(employers: tuple[Employer, ...]) -> tuple[SyntheticPerson, ...]:
    """The catalogue's fixed people, in the order of the catalogue; nothing here depends on the seed."""
    logistics, energy, construction, agro, caspian, metal, digital, retail = employers[:8]
    kazakh, russian = tables.KAZAKH, tables.RUSSIAN
    return (
        _person(
            PERSONA_TURNS_16,
            ("Байжанов", "Арман", "Канатович", "ARMAN", "BAIZHANOV"),
            date(2010, 11, 23),
            GENDER_MALE,
            kazakh,
            RegisteredAddress("г. Астана", "Сарыаркинский район", "Астана", "улица Кенесары", "40", "18"),
            passport("027315508", date(2021, 6, 15)),
            (),
            "turns-16",
        ),
        _person(
            PERSONA_WOMAN_BEFORE_PENSION_AGE,
            ("Нурпеисова", "Гульнара", "Сериковна", "GULNARA", "NURPEISOVA"),
            date(1965, 11, 24),
            GENDER_FEMALE,
            kazakh,
            RegisteredAddress("Павлодарская область", "г. Павлодар", "Павлодар", "улица Торайгырова", "64", "23"),
            identity_card("043906125", date(2019, 3, 12)),
            (EmploymentSpell(agro, date(2010, 5, 1), date(2026, 8, 31), 240_000),),
            "woman-before-pension-age",
        ),
        _person(
            PERSONA_WOMAN_AT_PENSION_AGE,
            ("Морозова", "Татьяна", "Викторовна", "TATYANA", "MOROZOVA"),
            date(1965, 11, 23),
            GENDER_FEMALE,
            russian,
            RegisteredAddress("Костанайская область", "г. Костанай", "Костанай", "улица Гоголя", "101", "5"),
            identity_card("040277391", date(2018, 10, 2)),
            (EmploymentSpell(retail, date(2012, 2, 1), date(2026, 9, 30), 210_000),),
            "woman-at-pension-age",
        ),
        _person(
            PERSONA_MAN_BEFORE_PENSION_AGE,
            ("Тулегенов", "Берик", "Ержанович", "BERIK", "TULEGENOV"),
            date(1963, 11, 24),
            GENDER_MALE,
            kazakh,
            RegisteredAddress("Актюбинская область", "район Астана", "Актобе", "улица Маресьева", "17", "40"),
            identity_card("042118760", date(2020, 2, 18)),
            (EmploymentSpell(caspian, date(2011, 1, 1), date(2026, 6, 30), 380_000),),
            "man-before-pension-age",
        ),
        _person(
            PERSONA_MAN_AT_PENSION_AGE,
            ("Волков", "Николай", "Иванович", "NIKOLAI", "VOLKOV"),
            date(1963, 11, 23),
            GENDER_MALE,
            russian,
            RegisteredAddress(
                "Восточно-Казахстанская область",
                "г. Усть-Каменогорск",
                "Усть-Каменогорск",
                "улица Казахстан",
                "9",
                "61",
            ),
            identity_card("039870214", date(2017, 12, 5)),
            (EmploymentSpell(metal, date(2006, 4, 1), date(2026, 10, 31), 330_000),),
            "man-at-pension-age",
        ),
        _person(
            PERSONA_DECEASED,
            ("Сейтказин", "Азамат", "Маратович", "AZAMAT", "SEITKAZIN"),
            date(1978, 4, 9),
            GENDER_MALE,
            kazakh,
            RegisteredAddress("Атырауская область", "г. Атырау", "Атырау", "проспект Азаттык", "58", "3"),
            identity_card("046651830", date(2020, 11, 3)),
            (EmploymentSpell(caspian, date(2015, 3, 1), date(2026, 10, 14), 520_000),),
            "deceased",
            death=Death(date(2026, 10, 14), "2610140071", "Отдел ЗАГС г. Атырау"),
        ),
        _person(
            PERSONA_NO_ADDRESS,
            ("Попов", "Андрей", "Олегович", "ANDREI", "POPOV"),
            date(1988, 12, 2),
            GENDER_MALE,
            russian,
            None,
            identity_card("050312847", date(2022, 1, 20)),
            (EmploymentSpell(logistics, date(2017, 6, 1), date(2025, 12, 31), 300_000),),
            "no-registered-address",
        ),
        _person(
            PERSONA_IMPRISONED,
            ("Кенжебаев", "Данияр", "Асхатович", "DANIYAR", "KENZHEBAYEV"),
            date(1991, 2, 27),
            GENDER_MALE,
            kazakh,
            RegisteredAddress("г. Шымкент", "Енбекшинский район", "Шымкент", "улица Байтурсынова", "21", "77"),
            identity_card("045520396", date(2021, 4, 8)),
            (EmploymentSpell(construction, date(2018, 9, 1), date(2026, 10, 2), 290_000),),
            "imprisoned",
            imprisonment=CourtStatus(
                date(2026, 10, 5), date(2029, 10, 4), "1-1187/2026", "Абайский районный суд г. Шымкента"
            ),
        ),
        _person(
            PERSONA_SENTENCED_LATER,
            ("Лебедев", "Роман", "Игоревич", "ROMAN", "LEBEDEV"),
            date(1987, 8, 16),
            GENDER_MALE,
            russian,
            RegisteredAddress("г. Алматы", "Ауэзовский район", "Алматы", "улица Толе би", "250", "14"),
            identity_card("047730581", date(2021, 9, 27)),
            (EmploymentSpell(energy, date(2016, 2, 1), date(2026, 8, 31), 410_000),),
            "sentenced-later",
            imprisonment=CourtStatus(
                date(2026, 12, 7), date(2028, 12, 6), "1-2290/2026", "Бостандыкский районный суд г. Алматы"
            ),
        ),
        _person(
            PERSONA_MISSING,
            ("Абдрахманова", "Динара", "Ерлановна", "DINARA", "ABDRAKHMANOVA"),
            date(1984, 7, 19),
            GENDER_FEMALE,
            kazakh,
            RegisteredAddress("г. Алматы", "Медеуский район", "Алматы", "проспект Достык", "132", "8"),
            identity_card("044409163", date(2020, 5, 14)),
            (EmploymentSpell(digital, date(2019, 10, 1), date(2024, 12, 31), 470_000),),
            "missing",
            missing=CourtStatus(date(2025, 3, 11), None, "2025-0311-17", "Прокуратура г. Алматы"),
        ),
        _person(
            PERSONA_INCAPABLE,
            ("Смирнов", "Олег", "Дмитриевич", "OLEG", "SMIRNOV"),
            date(1979, 5, 30),
            GENDER_MALE,
            russian,
            RegisteredAddress(
                "Карагандинская область", "район имени Казыбек би", "Караганда", "проспект Нуркена Абдирова", "30", "11"
            ),
            identity_card("041562937", date(2019, 8, 21)),
            (EmploymentSpell(metal, date(2005, 7, 1), date(2019, 4, 30), 200_000),),
            "incapable",
            incapacity=CourtStatus(date(2021, 9, 14), None, "2-4512/2021", "Казыбекбийский районный суд г. Караганды"),
        ),
        _person(
            PERSONA_SENIOR_PUPIL,
            ("Омарова", "Камила", "Бериковна", "KAMILA", "OMAROVA"),
            date(2009, 3, 15),
            GENDER_FEMALE,
            kazakh,
            RegisteredAddress("г. Шымкент", "Аль-Фарабийский район", "Шымкент", "проспект Кунаева", "12", "90"),
            identity_card("053381724", date(2025, 3, 20)),
            (),
            "senior-pupil",
            education=Education(
                "general-school", "Шымкент, общеобразовательная школа № 45", date(2026, 9, 1), date(2027, 5, 25), 11
            ),
        ),
    )
