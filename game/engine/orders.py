"""A lab's orders for one quarter, and the rules that decide whether they stand."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from game.engine.rulebook import Rulebook
from game.engine.state import GameState, LabState
from game.scenario.limits import HELD_GPUS, HELD_MONEY, HELD_MW


class Orders(BaseModel):
    """What a lab does this quarter: the same form for a human, a policy and a save."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gpus: dict[str, Annotated[int, Field(ge=0, le=HELD_GPUS)]] = Field(
        default_factory=dict, description="GPUs to buy per chip id."
    )
    power: dict[str, Annotated[int, Field(ge=0, le=HELD_MW)]] = Field(
        default_factory=dict, description="MW to build per power source id."
    )
    research: Annotated[float, Field(ge=0, le=HELD_MONEY, allow_inf_nan=False)] = Field(
        default=0.0, description="$M of efficiency research this quarter."
    )
    train_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = Field(
        default=0.5, description="Share of powered compute used for training."
    )


class OrderSet(Protocol):
    """What the engine reads from orders: `Orders` and `PolicyOrders` both fit."""

    @property
    def gpus(self) -> Mapping[str, int]: ...
    @property
    def power(self) -> Mapping[str, int]: ...
    @property
    def research(self) -> float: ...
    @property
    def train_share(self) -> float: ...


@dataclass(slots=True)
class PolicyOrders:
    """Orders a computer policy gives: the fields of `Orders`, without validation.

    Policies build valid orders by construction (the tests hold every policy
    to `check_orders`), and validating thousands of them a second would cost
    the simulator a sixth of its time.
    """

    gpus: dict[str, int]
    power: dict[str, int]
    research: float
    train_share: float

    def validated(self) -> Orders:
        """The same orders as the validated form a human or a save uses."""
        return Orders(
            gpus=self.gpus, power=self.power, research=self.research, train_share=self.train_share
        )


class OrderError(Exception):
    """Orders refused; `problems` lists every reason in plain words, `lab` whose they were."""

    def __init__(self, problems: list[str], lab: str | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.lab = lab


def parse_orders(data: object) -> Orders:
    """Orders from untrusted data (a save, a form): every problem in plain words."""
    try:
        return Orders.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "orders"
            problems.append(f"{where}: {_plain(err)}")
        raise OrderError(problems) from None


def _plain(e: ErrorDetails) -> str:
    kind = e["type"]
    ctx = e.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        return f"must not be below {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"must not be above {ctx.get('le', ctx.get('lt')):,}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind == "int_from_float":
        return "must be a whole number"
    if kind == "extra_forbidden":
        return "is not a kind of order (orders have gpus, power, research, train_share)"
    if kind.startswith("int") or kind.startswith("float"):
        return "must be a number"
    return str(e["msg"]).lower()


def order_cost(state: GameState, orders: OrderSet, capex: dict[str, float]) -> float:
    """$M the orders cost this quarter (GPUs and power are paid when ordered).

    Counts past what any order may hold cost infinity rather than overflow.
    """
    prices = state.world.prices
    total = orders.research
    for chip, n in orders.gpus.items():
        total += prices.get(chip, 0.0) * n if abs(n) <= HELD_GPUS else math.inf
    for src, mw in orders.power.items():
        total += capex.get(src, 0.0) * mw if abs(mw) <= HELD_MW else math.inf
    return total


def check_orders(
    state: GameState,
    lab: LabState,
    orders: OrderSet,
    book: Rulebook,
    *,
    supply_left: dict[str, dict[str, int]] | None = None,
) -> list[str]:
    """Every reason the orders cannot stand, in plain words; empty when they can.

    `supply_left` is what other labs have left of this quarter's supply (all
    of it when None). Chips and power sources are named as the scenario names them.
    """
    world = state.world
    supply = world.supply if supply_left is None else supply_left
    problems: list[str] = []
    if not (0.0 <= orders.research <= HELD_MONEY):
        problems.append(f"research must be between $0 and ${HELD_MONEY:,.0f}M")
    if not (0.0 <= orders.train_share <= 1.0):
        problems.append("the train share must be between 0 and 1")
    for cid, n in sorted(orders.gpus.items()):
        info = book.chip.get(cid)
        chip = f"'{cid}'" if info is None else info.name
        if n < 0:
            problems.append(f"cannot buy a negative number of {chip} GPUs")
            continue
        if n == 0:
            continue
        if n > HELD_GPUS:
            problems.append(f"at most {HELD_GPUS:,} GPUs of one chip can be ordered, not {n:,}")
            continue
        if info is None:
            problems.append(f"there is no chip called {chip}")
            continue
        if info.available > state.turn:
            problems.append(f"{chip} cannot be bought yet")
            continue
        if lab.faction not in world.buyers[cid]:
            problems.append(
                f"{chip} may not be sold to {_faction(lab.faction)} labs (export rules)"
            )
            continue
        left = supply[cid].get(lab.faction, 0)
        if n > left:
            problems.append(
                f"only {left:,} {chip} GPUs are on offer to your side this quarter, not {n:,}"
            )
    for sid, mw in sorted(orders.power.items()):
        src = book.power.get(sid)
        name = f"'{sid}'" if src is None else src.name
        if mw < 0:
            problems.append(f"cannot build a negative amount of {name} power")
            continue
        if mw == 0:
            continue
        if mw > HELD_MW:
            problems.append(f"at most {HELD_MW:,} MW of one source can be ordered, not {mw:,}")
            continue
        if src is None:
            problems.append(f"there is no power source called {name}")
            continue
        caps = src.max_mw
        if caps is not None and mw > caps.get(lab.faction, 0):
            problems.append(
                f"at most {caps.get(lab.faction, 0):,} MW of {name} can be ordered a quarter"
            )
    cost = order_cost(state, orders, book.capex)  # unknown ids price at 0
    if not math.isfinite(cost):
        problems.append("the orders cost more than any lab could pay")
    elif cost > max(lab.cash, 0.0) + 1e-9:
        problems.append(
            f"the orders cost ${cost / 1000:,.2f}B but the lab has ${lab.cash / 1000:,.2f}B"
        )
    return problems


def _faction(f: str) -> str:
    return "Chinese" if f == "china" else "US"
