"""Where a Ray task's events wait for the run's driver: a plain, single-threaded actor.

Ray runs the calls one submitter makes to a synchronous, single-threaded actor in the order
they were made (an async actor, such as `ray.util.queue.Queue`'s, does not promise that), so
the task's fire-and-forget `put`s land in the order the trainer emitted them, and each
`take` by the driver hands over everything so far, oldest first.
"""

from __future__ import annotations

from typing import Any

Item = tuple[str, dict[str, Any]]


class Mailbox:
    def __init__(self) -> None:
        self.items: list[Item] = []

    def put(self, item: Item) -> None:
        self.items.append(item)

    def take(self) -> list[Item]:
        items, self.items = self.items, []
        return items
