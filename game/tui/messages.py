"""Messages the TUI's widgets send to their screens: small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from game.engine.orders import Orders


@dataclass
class OrdersChanged(Message):
    """The orders form changed: the orders it holds and every reason they cannot stand."""

    orders: Orders
    problems: list[str]
