"""The dated values of the legal parameters (see :mod:`kernel.parameters`), each with its source.

Ranges start where the simulation models the law: the job-seeker Rules (Minister's order No. 259 of
19.06.2018, state registration No. 17199 of 13.07.2018, applied in the edition of orders No. 194 of
27.05.2020 and No. 95 of 30.03.2021) are dated from their registration; the social insurance values from
the first date the project's legal sources give for them. A value whose law has not changed since stays
open (``until`` None) until a later value is added here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kernel.parameters import Band, BandScale, DatedValue, Parameter

RULES_259 = date(2018, 7, 13)  # state registration of Rules No. 259 (Ministry of Justice No. 17199)
SOCIAL_CODE = date(2023, 7, 1)  # Social Code No. 224-VII of 20.04.2023 in force

PARAMETERS: tuple[Parameter[object], ...] = (
    Parameter(
        "job_seeker.minimum_age",
        "age from which a person applies to be registered as a job seeker without the application of a legal "
        "representative",
        "years",
        (DatedValue(RULES_259, 16, "Rules No. 259 §6"),),
    ),
    Parameter(
        "job_seeker_registration.term_working_days",
        "term of the service 'registration of persons seeking work', counted from the moment the documents "
        "were handed in (at the portal: submitted to the portal)",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 Annex 1 (service standard) item 3; regulation 000 §5, §10; §12"),),
    ),
    Parameter(
        "unemployed.minimum_age",
        "age under which a person is not registered as unemployed",
        "years",
        (DatedValue(RULES_259, 16, "Rules No. 259 §34 sub.1"),),
    ),
    Parameter(
        "unemployed_certificate.validity_calendar_days",
        "validity of the certificate of registration as unemployed, from the day it is issued",
        "calendar days",
        (DatedValue(RULES_259, 30, "Rules No. 259 §38"),),
    ),
    Parameter(
        "unemployed.court_sentence_ground",
        "whether a court sentence to correctional or public works, or to imprisonment not suspended, is a ground "
        "to refuse registration as unemployed",
        "yes/no",
        (
            DatedValue(RULES_259, False, "Rules No. 259 §34 (five grounds; no such ground)", date(2023, 6, 30)),
            DatedValue(SOCIAL_CODE, True, "Social Code Art. 99 p.3 sub.6"),
        ),
    ),
    Parameter(
        "unemployed.reregistration_bar_calendar_days",
        "calendar days after a removal from the register on grounds (2)-(4) of Rules No. 259 §44 during which "
        "the person is not registered as unemployed again (0: no bar)",
        "calendar days",
        (
            DatedValue(RULES_259, 0, "Rules No. 259 §44-45 (no bar on re-registration)", date(2023, 6, 30)),
            DatedValue(SOCIAL_CODE, 30, "Social Code Art. 100 p.2"),
        ),
    ),
    Parameter(
        "labour_mediation.first_offer_working_days",
        "working days from the registration as a job seeker within which the centre helps select suitable work",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 §24"),),
    ),
    Parameter(
        "offer_answer.job_seeker_working_days",
        "working days within which a job seeker says whether they accept the suitable work offered",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 §59"),),
    ),
    Parameter(
        "offer_answer.unemployed_working_days",
        "working days within which an unemployed person says whether they accept the suitable work offered",
        "working days",
        (DatedValue(RULES_259, 3, "Rules No. 259 §59"),),
    ),
    Parameter(
        "unemployed_registration.documents_term_working_days",
        "working days within which the centre sends the job seeker's documents to the local authority once "
        "no suitable work was offered in time or the offer was refused",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 §31"),),
    ),
    Parameter(
        "unemployed_registration.decision_term_working_days",
        "working days from receiving the documents within which the head of the local authority signs the decision",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 §32"),),
    ),
    Parameter(
        "unemployed_registration.notification_term_working_days",
        "working days from the local authority's decision within which the person is notified (Annex 4 or 5) "
        "and told the documents of the job-loss payment",
        "working days",
        (DatedValue(RULES_259, 2, "Rules No. 259 §33, §35"),),
    ),
    Parameter(
        "unemployed_certificate.term_working_days",
        "term of the service 'issuing a certificate of registration as unemployed'",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 §42; Annex 6 item 3"),),
    ),
    Parameter(
        "deregistration.decision_term_working_days",
        "working days from receiving the information within which the local authority removes the person",
        "working days",
        (DatedValue(RULES_259, 2, "Rules No. 259 §44"),),
    ),
    Parameter(
        "deregistration.notification_term_working_days",
        "working days from the removal within which the centre tells the person",
        "working days",
        (DatedValue(RULES_259, 2, "Rules No. 259 §45"),),
    ),
    Parameter(
        "deregistration.refused_offers",
        "refused offers of suitable work after which the unemployed person is removed",
        "offers",
        (DatedValue(RULES_259, 3, "Rules No. 259 §44 sub.2"),),
    ),
    Parameter(
        "deregistration.referral_working_days",
        "working days from the centre's notice within which the person comes to the employer or place of study",
        "working days",
        (DatedValue(RULES_259, 5, "Rules No. 259 §44 sub.3"),),
    ),
    Parameter(
        "deregistration.active_measures_working_days",
        "working days from the invitation within which the person comes to the centre for active measures",
        "working days",
        (DatedValue(RULES_259, 3, "Rules No. 259 §44 sub.3"),),
    ),
    Parameter(
        "deregistration.report_change_working_days",
        "working days within which the unemployed person reports a change of residence, work, business, "
        "founding, disability group or pension",
        "working days",
        (DatedValue(RULES_259, 5, "Rules No. 259 §44 sub.6, §51"),),
    ),
    Parameter(
        "complaint.local_authority_term_working_days",
        "working days from its registration within which a complaint to the local authority is considered",
        "working days",
        (DatedValue(RULES_259, 5, "Rules No. 259 §46"),),
    ),
    Parameter(
        "complaint.quality_body_term_working_days",
        "working days from its registration within which a complaint to the body assessing the quality of "
        "state services is considered",
        "working days",
        (DatedValue(RULES_259, 15, "Rules No. 259 §47"),),
    ),
    Parameter(
        "rural.assistant_term_working_days",
        "working days from confirming the documents within which the rural assistant sends them to the centre",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 §20"),),
    ),
    Parameter(
        "rural.centre_term_working_days",
        "working days from receiving the assistant's documents within which the centre registers the person",
        "working days",
        (DatedValue(RULES_259, 1, "Rules No. 259 §21"),),
    ),
    Parameter(
        "pension_age.men",
        "general pension age of men",
        "years",
        (
            DatedValue(
                date(2023, 1, 1), Decimal(63), "Law on pension provision of 21.06.2013 art. 11 p.1", date(2023, 6, 30)
            ),
            DatedValue(SOCIAL_CODE, Decimal(63), "Social Code Art. 207 p.1"),
        ),
    ),
    Parameter(
        "pension_age.women",
        "general pension age of women, by the year in which it is reached",
        "years",
        (
            DatedValue(
                date(2023, 1, 1), Decimal(61), "Law on pension provision of 21.06.2013 art. 11 p.1", date(2023, 6, 30)
            ),
            DatedValue(SOCIAL_CODE, Decimal(61), "Social Code Art. 207 p.1 (61 years in 2023-2027)"),
            DatedValue(date(2028, 1, 1), Decimal("61.5"), "Social Code Art. 207 p.1 (2028)"),
            DatedValue(date(2029, 1, 1), Decimal(62), "Social Code Art. 207 p.1 (2029)"),
            DatedValue(date(2030, 1, 1), Decimal("62.5"), "Social Code Art. 207 p.1 (2030)"),
            DatedValue(date(2031, 1, 1), Decimal(63), "Social Code Art. 207 p.1 (from 2031)"),
        ),
    ),
    Parameter(
        "minimum_wage",
        "monthly minimum wage",
        "tenge",
        (
            DatedValue(date(2023, 1, 1), Decimal(70_000), "Law on the republican budget for 2023-2025"),
            DatedValue(
                date(2024, 1, 1),
                Decimal(85_000),
                "Law on the republican budget for 2024-2026; unchanged by the budget laws for 2025-2027 and 2026-2028",
            ),
        ),
    ),
    Parameter(
        "social_contribution.rate",
        "social contribution, as a share of the object of calculation (the month's income)",
        "share",
        (
            DatedValue(SOCIAL_CODE, Decimal("0.035"), "Social Code Art. 244 p.1 (3.5 % until 2024-12-31)"),
            DatedValue(date(2025, 1, 1), Decimal("0.05"), "Social Code Art. 244 p.1 (5 % from 2025-01-01)"),
        ),
    ),
    Parameter(
        "social_contribution.base_min_wages",
        "lower bound of the monthly object of calculation from one payer",
        "minimum wages",
        (DatedValue(SOCIAL_CODE, Decimal(1), "Social Code Art. 245 p.1"),),
    ),
    Parameter(
        "social_contribution.base_max_wages",
        "upper bound of the monthly object of calculation from one payer",
        "minimum wages",
        (DatedValue(SOCIAL_CODE, Decimal(7), "Social Code Art. 245 p.1"),),
    ),
    Parameter(
        "job_loss.income_replacement_coefficient",
        "income replacement coefficient of the social payment for loss of job",
        "share",
        (
            DatedValue(
                date(2020, 1, 1),
                Decimal("0.40"),
                "Law on compulsory social insurance (as in force in 2020-2022)",
                date(2022, 12, 31),
            ),
            DatedValue(
                date(2023, 1, 1),
                Decimal("0.45"),
                "Law on compulsory social insurance (from 2023-01-01); Social Code Art. 118 p.2 (from 2023-07-01)",
            ),
        ),
    ),
    Parameter(
        "job_loss.participation_coefficient",
        "participation length coefficient by M, the months for which social contributions were received",
        "coefficient by months",
        (
            DatedValue(
                SOCIAL_CODE,
                BandScale(
                    (
                        Band(6, Decimal("0.70")),
                        Band(12, Decimal("0.75")),
                        Band(24, Decimal("0.85")),
                        Band(36, Decimal("0.90")),
                        Band(48, Decimal("0.95")),
                        Band(60, Decimal("1.00")),
                    ),
                    step=Decimal("0.02"),
                    step_every=12,
                    cap=Decimal("1.30"),
                ),
                "Social Code Art. 118 p.2 (from 60 months: 1.00 + 0.02 for every full 12 months above 60, "
                "at most 1.30)",
            ),
        ),
    ),
    Parameter(
        "job_loss.duration_months",
        "months for which the social payment for loss of job is paid, by M",
        "months by months",
        (
            DatedValue(
                SOCIAL_CODE,
                BandScale(
                    (
                        Band(6, Decimal(1)),
                        Band(12, Decimal(2)),
                        Band(24, Decimal(3)),
                        Band(36, Decimal(4)),
                        Band(48, Decimal(5)),
                        Band(60, Decimal(6)),
                    )
                ),
                "Social Code Art. 118 p.3",
            ),
        ),
    ),
    Parameter(
        "job_loss.averaging_months",
        "calendar months before the month the right arose whose income is averaged (months without income count as 0)",
        "months",
        (DatedValue(SOCIAL_CODE, 24, "Social Code Art. 118 p.2"),),
    ),
    Parameter(
        "job_loss.minimum_participation_months",
        "fewest months with social contributions for the right to the payment",
        "months",
        (DatedValue(SOCIAL_CODE, 6, "Social Code Art. 115 p.1 sub. 7"),),
    ),
    Parameter(
        "job_loss.contribution_check_months",
        "calendar months before the month of the risk in which some social contribution must have been received "
        "for the application to be accepted",
        "months",
        (DatedValue(SOCIAL_CODE, 24, "Social Code Art. 115 p.1 sub. 6"),),
    ),
    Parameter(
        "job_loss.application_term_months",
        "months from the day the right to the payment arose within which the application is made",
        "months",
        (DatedValue(SOCIAL_CODE, 12, "Social Code Art. 113 p.3"),),
    ),
    Parameter(
        "job_loss.repeat_claim_reduction_months",
        "months subtracted from the participation length for every month of job-loss payment received before",
        "months per month paid",
        (DatedValue(SOCIAL_CODE, 12, "Social Code Art. 118 p.5"),),
    ),
    Parameter(
        "job_loss.pension_contribution_withheld",
        "mandatory pension contribution withheld from the gross payment",
        "share",
        (DatedValue(SOCIAL_CODE, Decimal("0.10"), "Social Code Art. 117"),),
    ),
)
