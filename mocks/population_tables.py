"""Fixture tables of the synthetic population: names, nationalities, places and employers.

Data only; :mod:`mocks.population` builds the people from them.
"""

from __future__ import annotations

from datetime import date

Nationality = tuple[str, str, str]  # (code, name in Russian, name in Kazakh)
Names = tuple[tuple[str, str], ...]  # (Cyrillic, Latin) pairs


# ---- fixture data: names, nationalities, places, employers -------------------------------------

# (nationality code, name in Russian, name in Kazakh); codes are synthetic.
KAZAKH: Nationality = ("005", "КАЗАХ", "ҚАЗАҚ")
RUSSIAN: Nationality = ("001", "РУССКИЙ", "ОРЫС")

# (Cyrillic, Latin) first names and surnames (male form; the female form adds "а"/"A").
KAZAKH_MALE: Names = (
    ("Нурлан", "NURLAN"),
    ("Ерлан", "YERLAN"),
    ("Серик", "SERIK"),
    ("Бауыржан", "BAUYRZHAN"),
    ("Асхат", "ASKHAT"),
    ("Данияр", "DANIYAR"),
    ("Марат", "MARAT"),
    ("Арман", "ARMAN"),
    ("Ержан", "YERZHAN"),
    ("Канат", "KANAT"),
    ("Азамат", "AZAMAT"),
    ("Жандос", "ZHANDOS"),
    ("Берик", "BERIK"),
    ("Мурат", "MURAT"),
    ("Алихан", "ALIKHAN"),
    ("Тимур", "TIMUR"),
)
KAZAKH_FEMALE: Names = (
    ("Айгерим", "AIGERIM"),
    ("Жанар", "ZHANAR"),
    ("Динара", "DINARA"),
    ("Асель", "ASSEL"),
    ("Гульнара", "GULNARA"),
    ("Мадина", "MADINA"),
    ("Айжан", "AIZHAN"),
    ("Сауле", "SAULE"),
    ("Алия", "ALIYA"),
    ("Жанна", "ZHANNA"),
    ("Камила", "KAMILA"),
    ("Индира", "INDIRA"),
)
KAZAKH_SURNAMES: Names = (
    ("Ахметов", "AKHMETOV"),
    ("Сулейменов", "SULEIMENOV"),
    ("Нурпеисов", "NURPEISOV"),
    ("Жумабаев", "ZHUMABAYEV"),
    ("Касымов", "KASSYMOV"),
    ("Омаров", "OMAROV"),
    ("Искаков", "ISKAKOV"),
    ("Абдрахманов", "ABDRAKHMANOV"),
    ("Тулегенов", "TULEGENOV"),
    ("Сейтказин", "SEITKAZIN"),
    ("Байжанов", "BAIZHANOV"),
    ("Кенжебаев", "KENZHEBAYEV"),
    ("Мукашев", "MUKASHEV"),
)
RUSSIAN_MALE: Names = (
    ("Алексей", "ALEKSEI"),
    ("Дмитрий", "DMITRII"),
    ("Сергей", "SERGEI"),
    ("Андрей", "ANDREI"),
    ("Иван", "IVAN"),
    ("Владимир", "VLADIMIR"),
    ("Виктор", "VIKTOR"),
    ("Олег", "OLEG"),
    ("Роман", "ROMAN"),
    ("Игорь", "IGOR"),
    ("Николай", "NIKOLAI"),
    ("Константин", "KONSTANTIN"),
)
RUSSIAN_FEMALE: Names = (
    ("Елена", "YELENA"),
    ("Ольга", "OLGA"),
    ("Наталья", "NATALYA"),
    ("Ирина", "IRINA"),
    ("Татьяна", "TATYANA"),
    ("Анна", "ANNA"),
    ("Светлана", "SVETLANA"),
    ("Екатерина", "YEKATERINA"),
    ("Юлия", "YULIYA"),
    ("Марина", "MARINA"),
)
RUSSIAN_SURNAMES: Names = (
    ("Иванов", "IVANOV"),
    ("Смирнов", "SMIRNOV"),
    ("Кузнецов", "KUZNETSOV"),
    ("Попов", "POPOV"),
    ("Волков", "VOLKOV"),
    ("Соколов", "SOKOLOV"),
    ("Лебедев", "LEBEDEV"),
    ("Козлов", "KOZLOV"),
    ("Новиков", "NOVIKOV"),
    ("Морозов", "MOROZOV"),
)

# city -> (region, districts, streets); real places.
PLACES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "Астана": (
        "г. Астана",
        ("Есильский район", "Алматинский район", "Сарыаркинский район", "район Байконур"),
        ("проспект Мангилик Ел", "улица Кенесары", "проспект Республики", "проспект Кабанбай батыра"),
    ),
    "Алматы": (
        "г. Алматы",
        ("Бостандыкский район", "Алмалинский район", "Медеуский район", "Ауэзовский район"),
        ("проспект Абая", "улица Толе би", "проспект Достык", "проспект Аль-Фараби"),
    ),
    "Шымкент": (
        "г. Шымкент",
        ("Абайский район", "Енбекшинский район", "Аль-Фарабийский район"),
        ("проспект Тауке хана", "улица Байтурсынова", "проспект Кунаева"),
    ),
    "Караганда": (
        "Карагандинская область",
        ("район имени Казыбек би", "район Алихана Бокейханова"),
        ("проспект Бухар жырау", "улица Ерубаева", "проспект Нуркена Абдирова"),
    ),
    "Актобе": (
        "Актюбинская область",
        ("район Астана", "район Алматы"),
        ("проспект Абилкайыр хана", "улица Маресьева", "проспект Санкибай батыра"),
    ),
    "Павлодар": ("Павлодарская область", ("г. Павлодар",), ("улица Лермонтова", "улица Торайгырова")),
    "Усть-Каменогорск": (
        "Восточно-Казахстанская область",
        ("г. Усть-Каменогорск",),
        ("улица Казахстан", "улица Протозанова"),
    ),
    "Атырау": ("Атырауская область", ("г. Атырау",), ("проспект Азаттык", "улица Сатпаева")),
    "Костанай": ("Костанайская область", ("г. Костанай",), ("улица Баймагамбетова", "улица Гоголя")),
}

# (name, registration month, serial): BINs are derived with make_bin.
EMPLOYERS: tuple[tuple[str, date, int], ...] = (
    ("ТОО «Астана Логистик Групп»", date(2012, 4, 1), 1234),
    ("АО «Алатау Энерго Сервис»", date(2008, 11, 1), 871),
    ("ТОО «Оңтүстік Құрылыс»", date(2004, 2, 1), 2210),
    ("ТОО «Сарыарка Агро»", date(2015, 7, 1), 3345),
    ("ТОО «Каспий Сервис Ойл»", date(2010, 3, 1), 1502),
    ("ТОО «Ертіс Металл»", date(2009, 9, 1), 977),
    ("ТОО «Цифровые решения Qazaq»", date(2019, 1, 1), 4120),
    ("АО «Торговая сеть Арай»", date(2013, 10, 1), 2788),
)
