"""When the stack replaces or rotates a credential it made: the same dates for the program that makes it and
for the pages that tell people when to expect a new one."""

from __future__ import annotations

from datetime import date, timedelta

from scm_access.plan.slot import Slot

ROTATION_EPOCH = date(2024, 1, 1)
"""Generations count from here, so every run on the same day agrees on the current one."""


def generation(today: date, period_days: int) -> tuple[int, date]:
    """For credentials the platform cannot rotate itself (deploy keys, deploy tokens): the number of the
    current generation and the day it started. Inputs derived from it stay the same between runs and
    change once per period, which makes the next `pulumi up` replace the credential (new before old)."""
    period = max(1, period_days)
    number = (today - ROTATION_EPOCH).days // period
    return number, ROTATION_EPOCH + timedelta(days=number * period)


def rotation_window(slot: Slot, rotate_before_days: int) -> int:
    """Days before expiry in which the stack rotates: never the whole lifetime."""
    return max(1, min(rotate_before_days, slot.lifetime_days - 1))


def next_rotation(slot: Slot, rotate_before_days: int, today: date) -> tuple[date, bool] | None:
    """When the stack next puts a new credential in place of the slot's, and whether that date is exact.

    A kind the provider rotates (its own rotation setting) is rotated from ``rotate_before_days`` before it
    expires, so the date holds for a credential made ``today`` (not exact: it moves with the day it was
    made). A kind the stack replaces follows generations: one that expires is replaced that many days
    before it does; one that does not is replaced once per lifetime. None for what holds no secret."""
    spec = slot.kind.spec
    if not spec.carries_secret or spec.personal:
        return None
    window = rotation_window(slot, rotate_before_days)
    if spec.rotates:
        return today + timedelta(days=slot.lifetime_days - window), False
    period = slot.lifetime_days - window if spec.expires else slot.lifetime_days
    _, started = generation(today, period)
    return started + timedelta(days=max(1, period)), True
