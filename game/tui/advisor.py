"""The advisor: warnings before the turn ends, and the orders a new quarter starts from.

Pure functions that only read the game: they never change the state. Where a
figure depends on a rule (which GPUs power can feed), they ask the engine's
own functions on a copy of the lab rather than restating the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.fleet import add_gpus, fill_power
from game.engine.orders import Orders, OrderSet, order_cost
from game.engine.rulebook import Rulebook
from game.engine.rules import electricity_cost, running_cost, state_support
from game.engine.state import GameState, LabState
from game.fmt import money, plural
from game.tui.board import Board, Desk
from game.tui.plain import sentence

# When concern and backing are worth a warning (concern ends the game at
# 100; Chinese state backing at 0; investors fund only labs they trust).
CONCERN_HIGH = 65.0
CONCERN_CRITICAL = 85.0
BACKING_LOW = {"china": 25.0, "us": 35.0}
BEHIND = 5.0  # capability points behind the frontier worth a word


@dataclass(frozen=True, slots=True)
class Advice:
    """One line of advice; `urgent` lines come first and are marked as warnings."""

    text: str
    urgent: bool = False


def _chip_name(book: Rulebook, chip: str) -> str:
    return book.chip[chip].name


def projected_lab(
    book: Rulebook, state: GameState, orders: OrderSet, *, everything: bool = False
) -> LabState:
    """A copy of the player's lab with what lands this quarter installed and powered.

    With `everything`, every GPU and MW on order (these orders included)
    counts as landed: the fleet as it will stand once the pipeline empties.
    """
    lab = state.labs[state.player].clone()
    turn = state.turn
    landing: list[tuple[str, str, int]] = [
        (a.kind, a.key, a.amount) for a in lab.pipeline if everything or a.turn <= turn
    ]
    for chip, n in orders.gpus.items():
        if n > 0 and chip in book.chip and (everything or book.chip[chip].lead <= 0):
            landing.append(("gpu", chip, n))
    for src, mw in orders.power.items():
        lead = state.world.power_lead.get(src, {}).get(lab.faction, 1)
        if mw > 0 and (everything or lead <= 0):
            landing.append(("power", src, mw))
    for kind, key, amount in landing:
        if kind == "gpu":
            add_gpus(book, lab, key, amount)
        else:
            lab.power[key] = lab.power.get(key, 0) + amount
    fill_power(book, lab, state.world.prices)
    return lab


def quarter_costs(book: Rulebook, lab: LabState) -> float:
    """$M of running costs and electricity a quarter for the lab as it stands."""
    return running_cost(book, lab) + electricity_cost(book, lab)


def advise(game: Desk, orders: OrderSet) -> list[Advice]:
    """What the player should know before ending the quarter with `orders`."""
    book, state = game.book, game.state
    lab = game.player
    out: list[Advice] = []

    now = projected_lab(book, state, orders)
    if now.idle_gpus:
        out.append(
            Advice(
                f"{now.idle_gpus:,} GPUs will sit idle this quarter for lack of power: "
                f"they need {now.idle_mw_needed:,} MW more.",
                urgent=True,
            )
        )
    later = projected_lab(book, state, orders, everything=True)
    if later.idle_mw_needed > now.idle_mw_needed:
        out.append(
            Advice(
                f"Once everything on order has landed, {later.idle_gpus:,} GPUs will lack "
                f"power: order {later.idle_mw_needed:,} MW more (power takes longer than GPUs)."
            )
        )

    capex = sum(state.world.prices.get(c, 0.0) * n for c, n in orders.gpus.items()) + sum(
        book.capex.get(s, 0.0) * mw for s, mw in orders.power.items()
    )
    left = lab.cash - order_cost(state, orders, book.capex)
    upkeep = quarter_costs(book, now)
    income = lab.revenue + state_support(book, lab, capex)
    end = left + income - upkeep
    # Orders that cost more than the lab has are refused by the form, which says why.
    if left >= 0 and end < 0:
        out.append(
            Advice(
                f"Cash will not cover this quarter: running costs and power take about "
                f"{money(upkeep)} against about {money(income)} coming in, leaving "
                f"{money(end)}. Below zero for {plural(book.k.bankruptcy_quarters, 'quarter')} "
                "in a row means bankruptcy.",
                urgent=True,
            )
        )
    elif left >= 0 and end + income - upkeep - orders.research < 0:
        out.append(
            Advice(
                f"Cash will not cover next quarter at this pace: about {money(end)} left after "
                f"this one, and each quarter costs about {money(upkeep + orders.research)} "
                f"against {money(income)} of income."
            )
        )

    if lab.concern >= CONCERN_CRITICAL:
        out.append(
            Advice(
                f"Concern is {lab.concern:.0f} of 100: at 100 regulators shut the lab down.",
                urgent=True,
            )
        )
    elif lab.concern >= CONCERN_HIGH:
        out.append(
            Advice(
                f"Concern is {lab.concern:.0f} of 100 and brings protests and hearings; "
                "at 100 regulators shut the lab down."
            )
        )
    low = BACKING_LOW.get(lab.faction, 0.0)
    if lab.backing <= low:
        label = game.scenario.factions[lab.faction].backing_label  # type: ignore[index]
        if lab.faction == "china":
            why = "at 0 the state takes the lab over"
        else:
            why = "investors fund only labs they trust"
        out.append(Advice(f"{sentence(label)} is {lab.backing:.0f}: {why}.", urgent=True))

    out += export_news(game)
    gap = state.world.frontier - lab.capability
    if gap >= BEHIND:
        out.append(
            Advice(
                f"You are #{lab.rank}, {gap:.1f} points behind the frontier: capability comes "
                "from powered GPUs training (buy GPUs and the power to run them) and efficiency."
            )
        )

    out.sort(key=lambda a: not a.urgent)
    return out


def export_news(game: Board) -> list[Advice]:
    """Chips the player's side may buy, or no longer buy, since last quarter."""
    book, state = game.book, game.state
    faction = game.player.faction
    if len(game.history) >= 2:
        before = game.history[-2].world.buyers
        was = {c: faction in before.get(c, ()) for c in book.chip}
    else:
        sc = game.scenario
        was = {c: faction in sc.chips[c].buyers for c in book.chip}
    out: list[Advice] = []
    for chip in book.chip_order:
        now = faction in state.world.buyers.get(chip, ())
        name = _chip_name(book, chip)
        if now and not was[chip]:
            out.append(Advice(f"Export rules changed: you may now buy {name} GPUs."))
        elif was[chip] and not now:
            out.append(Advice(f"Export rules changed: you may no longer buy {name} GPUs."))
        elif now and book.available[chip] == state.turn and state.turn > 1:
            out.append(Advice(f"New on sale this quarter: {name} GPUs."))
    return out


def buyable(game: Board, chip: str) -> bool:
    """Whether the player may order this chip this quarter (export rules, launch date)."""
    state = game.state
    return (
        game.book.available[chip] <= state.turn
        and game.player.faction in state.world.buyers.get(chip, ())
        and state.world.supply.get(chip, {}).get(game.player.faction, 0) > 0
    )


def carry_over(game: Desk, last: OrderSet | None) -> Orders:
    """Last quarter's orders, keeping only the parts that still stand and are affordable.

    The split and the research budget come first, then each purchase in turn,
    each kept only if the orders with it still pass the engine's checks.
    """
    lab = game.player
    share = lab.train_share if last is None else last.train_share
    kept = Orders(train_share=min(1.0, max(0.0, share)))
    if last is None:
        return kept
    if last.research > 0:
        with_research = kept.model_copy(update={"research": last.research})
        if not game.problems(with_research):
            kept = with_research
    for chip, n in last.gpus.items():
        if n <= 0 or not buyable(game, chip):
            continue
        offer = game.state.world.supply[chip].get(lab.faction, 0)
        trial = kept.model_copy(update={"gpus": {**kept.gpus, chip: min(n, offer)}})
        if not game.problems(trial):
            kept = trial
    for src, mw in last.power.items():
        if mw <= 0:
            continue
        trial = kept.model_copy(update={"power": {**kept.power, src: mw}})
        if not game.problems(trial):
            kept = trial
    return kept
