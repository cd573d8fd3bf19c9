"""The social insurance fund's rules on the social payment for loss of job (docs/rules.md PE-1..PE-6).

Pure: the standard library, ``decimal`` and the kernel's dated parameters; no I/O. The fund's service layer
(not written yet) gathers the facts (the contributions received, the applicant, the registration as
unemployed, the payments already assigned) and asks :func:`decision.decide`.
"""
