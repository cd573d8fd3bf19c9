"""A step of a story as it is reported: the clock when it ended, what was seen, each expected outcome not met."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


class StoryBroken(AssertionError):
    """A step could not go on (what it waited for never happened): the story stops there."""


@dataclass
class StoryStep:
    title: str
    at: datetime
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def expect(self, holds: bool, problem: str) -> bool:
        if not holds:
            self.problems.append(problem)
        return holds


Reporter = Callable[[StoryStep], None]
