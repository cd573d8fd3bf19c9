"""The demo's story of one person, printed step by step with the shared clock: the recently dismissed
Жумабаев Ержан Серикович applies through the portal (JS-11: his registered address shown and agreed), is
registered as a job seeker, gets no offer within the JS-9 window, is registered as unemployed by the local
authority's head (UN-1, UN-2), finds the Annex 4 notification in his cabinet, obtains the certificate (Annex 8),
applies through the portal for the social payment for loss of job (SP-4..SP-6), which the fund's department
assigns after its 8 working days (the notification with the monthly schedule, gross and net to the tiyn),
signs a labour contract whose contributions reach the fund (DR-1 (1)), is removed from the register (DR-2), sees
the payment terminated from the 1st of the next month (Social Code Art. 119) and is refused a certificate the
day after (CE-3). Then another person, a job seeker but not unemployed, applies at the State Corporation and is
refused (PE-4 (4))."""

from __future__ import annotations

import time
from contextlib import suppress

from rich.console import Console

from ecosystem.catalogue import official
from mocks.population import PERSONA_DISMISSED, SyntheticPerson, find_person
from scenarios.driver import ScenarioDriver
from scenarios.payment_refusal import refused_at_the_state_corporation
from scenarios.payment_story import PaymentPath, PaymentStory
from scenarios.story_step import StoryBroken, StoryStep

STORY_PERSON = PERSONA_DISMISSED  # the edge-case catalogue's "recently-dismissed": his contract ended yesterday


def print_step(console: Console, step: StoryStep) -> None:
    mark = "[green]✓[/green]" if not step.problems else "[red]✗[/red]"
    console.print(f"{mark} [bold][{step.at:%Y-%m-%d %H:%M %a}][/bold] {step.title}", highlight=False)
    for line in step.lines:
        console.print(f"    {line}", highlight=False, markup=False, soft_wrap=True)
    for problem in step.problems:
        console.print(f"    ✗ {problem}", style="red", highlight=False, markup=False)


def run_story(console: Console, tester: ScenarioDriver, person: SyntheticPerson) -> list[str]:
    """The story of ``person`` from the portal application to the refused certificate; the problems found."""
    console.rule(f"One person's story: {person.full_name}, IIN {person.iin}")
    step = StoryStep("JS-10, JS-11, JS-6: the application through the portal", tester.now())
    outcome = tester.register_job_seeker("the story's application", person)
    step.lines += [
        f"the portal showed the registered address {outcome.registered_address!r} "
        f"(centre: {outcome.centre}); the applicant agreed and signed",
        f"application {outcome.application_id}: {outcome.status}, result {outcome.result_kind}, signed by "
        f"{(outcome.signed_by or {}).get('commonName')}",
    ]
    step.expect(bool(outcome.registered_address), "the portal showed no registered address (JS-11)")
    step.expect(outcome.result_kind == "registered", f"not registered as a job seeker: {outcome.error}")
    step.expect(
        (outcome.signed_by or {}).get("iin") == official("employment-director").iin,
        "the Annex 3 notification is not signed by the centre's director",
    )
    step.at = tester.now()
    print_step(console, step)
    if step.problems:
        return [f"{step.title}: {problem}" for problem in step.problems]
    story = PaymentStory(
        tester, person, outcome.application_id, PaymentPath.PORTAL, report=lambda s: print_step(console, s)
    )
    began = time.monotonic()
    with suppress(StoryBroken):  # the step that broke was printed with its problem, which story.problems holds
        story.run()
    console.print(
        f"the story took {time.monotonic() - began:.1f} s of real time, {tester.now() - story.started} on the "
        "shared clock",
        highlight=False,
    )
    return story.problems


def run_refusal(console: Console, tester: ScenarioDriver, person: SyntheticPerson) -> list[str]:
    """A payment applied for at the State Corporation by someone not registered as unemployed: refused (PE-4 (4))."""
    console.rule(f"A job-loss payment refused: {person.full_name}, IIN {person.iin}")
    step = refused_at_the_state_corporation(tester, person)
    print_step(console, step)
    return [f"{step.title}: {problem}" for problem in step.problems]


def story_person(population: tuple[SyntheticPerson, ...]) -> SyntheticPerson:
    person = find_person(population, STORY_PERSON)
    if person is None:
        raise LookupError(f"the story's person {STORY_PERSON} is not in the population")
    return person
