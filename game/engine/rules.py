"""One quarter's resolution, in the fixed order of DESIGN.md §2.

`resolve_turn` is the whole rulebook in one function that reads like the
design: orders are paid, deliveries land, power feeds the best chips,
compute trains and serves, the market pays, the books close, backing and
concern move, labs fall out, chips on sale get cheaper, and the next
quarter's news breaks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from game.engine.events import lab_scope, news_phase, set_flag
from game.engine.fleet import add_gpus, fill_power
from game.engine.happenings import (
    Accounts,
    Breakthrough,
    CapabilityGain,
    Delivered,
    GameOver,
    Happening,
    IdleGPUs,
    LabOut,
    Milestone,
    PowerOnline,
    Rationed,
)
from game.engine.orders import OrderError, OrderSet, check_orders
from game.engine.policies import Offer, Policy, View
from game.engine.rulebook import Rulebook
from game.engine.state import Arrival, Ending, GameState, LabState, Outcome
from game.scenario import limits
from game.scenario.models import Condition, Score, ScoreWeights, TurningPoint

# The rules' version, which saves record. Raise it with any change to the rules
# that makes a recorded game play out differently: a save from other rules is
# then refused in one sentence before it replays, rather than found to desync.
RULES_VERSION = 2

# The policy in each lab's seat, by lab id: it decides for every lab without given orders.
Seats = Mapping[str, Policy]

# Cost-per-token milestones: ($ per million tokens, the lab flag it sets, name).
COST_MILESTONES = (
    (1.0, "cost_below_1_dollar", "$1"),
    (0.1, "cost_below_10_cents", "10 cents"),
    (0.05, "cost_below_5_cents", "5 cents"),
    (0.01, "cost_below_1_cent", "1 cent"),
    (0.001, "cost_below_tenth_cent", "a tenth of a cent"),
)


def resolve_turn(
    book: Rulebook,
    state: GameState,
    given: Mapping[str, OrderSet],
    seats: Seats,
    *,
    inplace: bool = False,
) -> tuple[GameState, list[Happening], dict[str, OrderSet]]:
    """Play one quarter: `state + orders -> new state + happenings`.

    `given` holds orders already decided (the player's, or a replay's); every
    other living lab's come from the policy in its seat. Returns the orders every lab used,
    so a save can replay the turn even if a policy changes later. With
    `inplace` the given state itself becomes the new state (the simulator
    keeps no history, and copying is a fifth of a turn's time).
    """
    s = state if inplace else state.clone()
    out: list[Happening] = []
    labs = [lab for lab in s.labs.values() if lab.alive]

    # Orders: every lab orders against the whole quarter's supply; where a
    # side's labs together ask for more of a chip than is on offer, each gets
    # the same share of its order (see `_allocate`), and pays for that only.
    supply = s.world.supply
    used: dict[str, OrderSet] = {}
    offers: dict[str, Offer] = {}
    player = s.labs[s.player]
    for lab in [player, *[lab for lab in labs if lab is not player]] if player.alive else labs:
        roll = s.rng.random()  # drawn for every lab, so given orders replay exactly
        orders = given.get(lab.id)
        if orders is None:
            # Policies build valid orders by construction (the tests hold them
            # to it), so only given orders, which may come from a file, are checked.
            orders = seats[lab.id].decide(View(book, lab, s, supply, roll, offers))
        else:
            problems = check_orders(s, lab, orders, book)
            if problems:
                raise OrderError(problems, lab.id)
        used[lab.id] = orders
    filled = _allocate(book, s, labs, used, out)
    for lab in labs:
        _place(book, s, lab, used[lab.id], filled.get(lab.id))

    _deliver(book, s, labs, out)
    for lab in labs:
        compute_lab(book, s, lab, used[lab.id], out)
    _market(book, s, labs)
    # The compute the necessity window compares: powered, or every GPU held.
    held = book.k.necessity_held
    sizes = [_held(book, lab, used[lab.id]) if held else lab.raw_compute for lab in labs]
    top = max(sizes, default=0.0)
    best = max([lab.efficiency for lab in labs], default=1.0)
    for lab, size in zip(labs, sizes, strict=True):
        _research(book, s, lab, used[lab.id].research, size, top, best, out)
        _books(book, s, lab, out)
        # Events in the news may have pushed a lab to the edge: a quarter begun
        # at concern 100 or (in China) backing 0 ends it, whatever the drift.
        outcry, abandoned = lab.concern >= 100.0, lab.backing <= 0.0
        _backing_and_concern(book, s, lab)
        _fall_out(book.k.bankruptcy_quarters, s, lab, out, outcry, abandoned)
    rank_labs(s)
    _milestones(book, s, out)
    _prices_fall(book, s)

    _end_or_continue(book, s, out)
    return s, out, used


def _allocate(
    book: Rulebook,
    s: GameState,
    labs: list[LabState],
    used: Mapping[str, OrderSet],
    out: list[Happening],
) -> dict[str, dict[str, int]]:
    """Share out oversubscribed chips: each lab gets the same fraction of its order.

    Returns, for the labs whose orders were cut, the GPUs each chip fills;
    a lab not named gets all it ordered. Whole GPUs left over by rounding go
    to the largest remainders, ties to the lab listed first (scenario order),
    so the same orders always fill the same way.
    """
    # One pass for the totals; the per-lab work only for what is oversubscribed.
    total: dict[tuple[str, str], int] = {}
    for lab in labs:
        gpus = used[lab.id].gpus
        if gpus:
            faction = lab.faction
            for cid, n in gpus.items():
                if n > 0:
                    key = (cid, faction)
                    total[key] = total.get(key, 0) + n
    filled: dict[str, dict[str, int]] = {}
    supply = s.world.supply
    for (cid, faction), asked in total.items():
        on_offer = supply[cid].get(faction, 0)
        if asked <= on_offer:
            continue  # a lab's own order never exceeds the supply (checked or by construction)
        orders = [
            (lab.id, n)
            for lab in labs
            if lab.faction == faction and (n := used[lab.id].gpus.get(cid, 0)) > 0
        ]
        shares = [(lab_id, n, n * on_offer / asked) for lab_id, n in orders]
        got = {lab_id: int(x) for lab_id, _, x in shares}
        spare = on_offer - sum(got.values())
        order = sorted(range(len(shares)), key=lambda i: (-(shares[i][2] - int(shares[i][2])), i))
        for i in order[:spare]:
            got[shares[i][0]] += 1
        for lab_id, n, _ in shares:
            filled.setdefault(lab_id, {})[cid] = got[lab_id]
            if got[lab_id] < n and s.labs[lab_id].is_player:
                name = book.chip[cid].name
                out.append(Rationed(s.turn, lab_id, cid, n, got[lab_id], name, asked / on_offer))
    return filled


def _place(
    book: Rulebook,
    s: GameState,
    lab: LabState,
    orders: OrderSet,
    filled: Mapping[str, int] | None,
) -> None:
    """Pay for the orders (the GPUs as filled) and put them in the pipeline."""
    turn = s.turn
    # Money that events moved since the books last closed: its own ledger line.
    lab.event_cash = lab.cash - lab.cash_settled
    capex = build = 0.0
    if orders.gpus:
        prices = s.world.prices
        items = orders.gpus.items()
        for cid, n in sorted(items) if len(items) > 1 else items:
            if filled is not None and cid in filled:
                n = filled[cid]
            if n <= 0:
                continue
            chip = book.chip[cid]
            capex += prices[cid] * n
            lab.pipeline.append(Arrival(turn + chip.lead, "gpu", cid, n))
            lab.gpus_on_order += n
            lab.kw_on_order += n * chip.kw
    if orders.power:
        leads = s.world.power_lead
        faction = lab.faction
        items = orders.power.items()
        for src, mw in sorted(items) if len(items) > 1 else items:
            if mw <= 0:
                continue
            build += book.capex[src] * mw
            lab.pipeline.append(Arrival(turn + leads[src][faction], "power", src, mw))
            lab.power_building += mw
    lab.paid_gpus = capex
    lab.paid_power = build
    lab.paid_research = orders.research
    lab.cash -= capex + build + orders.research
    lab.train_share = orders.train_share


def _deliver(book: Rulebook, s: GameState, labs: list[LabState], out: list[Happening]) -> None:
    """Land what is due; only the player's deliveries make the news."""
    turn = s.turn
    for lab in labs:
        pipeline = lab.pipeline
        if not pipeline:
            continue
        keep = []
        tell = lab.is_player
        for a in pipeline:
            if a.turn > turn:
                keep.append(a)
            elif a.kind == "gpu":
                add_gpus(book, lab, a.key, a.amount)
                lab.gpus_on_order -= a.amount
                lab.kw_on_order -= a.amount * book.chip[a.key].kw
                if tell:
                    out.append(Delivered(turn, lab.id, a.key, a.amount, book.chip[a.key].name))
            else:
                lab.power[a.key] = min(lab.power.get(a.key, 0) + a.amount, limits.HELD_MW)
                lab.power_building -= a.amount
                if tell:
                    out.append(PowerOnline(turn, lab.id, a.key, a.amount, book.power[a.key].name))
        lab.pipeline = keep


def compute_lab(
    book: Rulebook, s: GameState, lab: LabState, orders: OrderSet, out: list[Happening]
) -> None:
    """Powered GPUs (best chips first), effective compute, capability and cost per token."""
    k = book.k
    cost_h = fill_power(book, lab, s.world.prices)
    if lab.idle_gpus and lab.is_player:
        out.append(IdleGPUs(s.turn, lab.id, lab.idle_gpus, lab.idle_mw_needed))
    train = lab.powered_train
    serve = lab.powered_serve
    eff = lab.efficiency
    share = orders.train_share
    flop = book.flop_per_pflops
    train_flop = train * flop * eff * share
    serve_flop = serve * flop * eff * (1.0 - share)
    lab.compute = train_flop + serve_flop
    lab.raw_compute = (train * share + serve * (1.0 - share)) * flop
    lab.serve_flop = serve_flop
    hist = lab.train_history
    hist.append(train_flop)
    if len(hist) > k.run_quarters:
        del hist[0]
    run = math.fsum(hist) + s.world.reasoning_weight * serve_flop
    before = lab.capability
    if run > 0:
        score = min(k.points_per_decade * math.log10(run / k.reference_flop), HELD_CAPABILITY)
        if score > before:
            lab.capability = score
            if lab.is_player and score - before >= 0.05:
                out.append(CapabilityGain(s.turn, lab.id, before, score))
    tokens_per_h = serve * k.tokens_per_pflop_hour * eff**k.serving_gain
    if tokens_per_h > 0:
        lab.cost_per_mtok = _held_cost(cost_h / tokens_per_h * 1e6)
    elif lab.cost_per_mtok <= 0:
        lab.cost_per_mtok = _held_cost(_fallback_cost(book, s, lab, lab.elec_price))


# A cost per million tokens is held between these, so prices compare without
# dividing by zero and demand's response to a price fall stays finite.
CHEAPEST_COST = 1e-12
DEAREST_COST = 1e12
HELD_CAPABILITY = limits.HELD_CAPABILITY


def _held_cost(cost: float) -> float:
    return CHEAPEST_COST if cost < CHEAPEST_COST else DEAREST_COST if cost > DEAREST_COST else cost


def _fallback_cost(book: Rulebook, s: GameState, lab: LabState, elec: float) -> float:
    """Cost per token with nothing powered: what the best chip on the market would give."""
    tph = book.k.tokens_per_pflop_hour * lab.efficiency**book.k.serving_gain
    best = math.inf
    for chip in book.chips:
        per_h = s.world.prices[chip.id] * book.amortise_per_hour + chip.kw * elec / 1000.0
        best = min(best, per_h / (chip.serve_pflops * tph) * 1e6)
    return best


def _market(book: Rulebook, s: GameState, labs: list[LabState]) -> None:
    """Market shares from capability, price and serving compute; revenue; demand grows.

    A side's closed home market (`world.home_market`) is served by its own
    labs only; the rest of the world's demand is open to every lab.
    """
    k = book.k
    world = s.world
    if not labs:
        return
    frontier = max([lab.capability for lab in labs])
    best_cost = min([lab.cost_per_mtok for lab in labs])
    max_serve = max([lab.serve_flop for lab in labs])
    scale, price_w, serve_w = k.capability_scale, k.price_weight, k.serve_weight
    appeal = [
        math.exp((lab.capability - frontier) / scale)
        * (best_cost / lab.cost_per_mtok) ** price_w
        * (lab.serve_flop / max_serve) ** serve_w
        if lab.serve_flop > 0 and max_serve > 0
        else 0.0
        for lab in labs
    ]
    target = [0.0] * len(labs)
    open_share = 1.0
    for faction, home in book.home_market.items():
        total = math.fsum(
            [a for a, lab in zip(appeal, labs, strict=True) if lab.faction == faction]
        )
        if total <= 0:
            continue  # nobody to serve it: the demand goes to the open market
        open_share -= home
        for i, lab in enumerate(labs):
            if lab.faction == faction:
                target[i] += home * appeal[i] / total
    total = math.fsum(appeal)
    inertia = k.inertia
    shares = 0.0
    for i, lab in enumerate(labs):
        t = target[i] + (open_share * appeal[i] / total if total > 0 else 0.0)
        lab.market_share = inertia * lab.market_share + (1.0 - inertia) * t
        shares += lab.market_share
    demand = world.demand
    for lab in labs:
        if shares > 0:
            lab.market_share /= shares
        lab.revenue = lab.market_share * demand
    # Demand grows, and faster when the best price falls: cheaper tokens find new uses.
    fall = world.best_cost / best_cost if world.best_cost > 0 and best_cost > 0 else 1.0
    grown = demand * (1.0 + world.demand_growth) * fall**k.price_elasticity
    ceiling = book.demand_ceiling
    if ceiling is not None and grown > demand:
        # Logistic growth: the nearer the ceiling, the less of the growth is left.
        room = 1.0 - demand / ceiling
        grown = demand + (grown - demand) * (room if room > 0.0 else 0.0)
    demand = grown
    world.demand = limits.HELD_MONEY if demand > limits.HELD_MONEY else demand
    world.frontier = frontier
    world.best_cost = best_cost


def _held(book: Rulebook, lab: LabState, orders: OrderSet) -> float:
    """Raw compute of every GPU the lab holds, powered or not, at its train share."""
    share = orders.train_share
    chip = book.chip
    pflops = math.fsum(
        n * (chip[c].train_pflops * share + chip[c].serve_pflops * (1.0 - share))
        for c, n in lab.gpus.items()
    )
    return pflops * book.flop_per_pflops


def _research(
    book: Rulebook,
    s: GameState,
    lab: LabState,
    spend: float,
    size: float,
    top: float,
    best: float,
    out: list[Happening],
) -> None:
    """Efficiency research: diminishing returns, breakthroughs, necessity, diffusion.

    `size` is the lab's compute as the necessity window counts it (powered,
    or held) and `top` the largest of any lab this quarter; `best` is the
    best efficiency at the start of the research step.
    """
    k = book.k
    pull = 1.0 - math.exp(-spend * _LN2 / k.half_spend) if spend > 0 else 0.0
    # A lab starved of compute (export controls, no power) gets more from each dollar.
    ratio = size / top if top > 0 else 1.0
    necessity = 1.0
    if ratio < k.necessity_threshold:
        necessity += k.necessity_bonus * (1.0 - ratio / k.necessity_threshold)
    lab.efficiency *= 1.0 + k.base_gain + k.max_gain * pull * necessity
    if pull > 0 and s.rng.random() < k.breakthrough_chance * pull * necessity:
        lab.efficiency *= k.breakthrough_multiplier
        if lab.is_player or necessity > 1.0:
            out.append(Breakthrough(s.turn, lab.id, k.breakthrough_multiplier, necessity > 1.0))
    if best > lab.efficiency:
        lab.efficiency += s.world.diffusion * (best - lab.efficiency)
    if lab.efficiency > limits.HELD_EFFICIENCY:
        lab.efficiency = limits.HELD_EFFICIENCY


_LN2 = math.log(2)


def state_support(book: Rulebook, lab: LabState, capex: float) -> float:
    """$M the state pays a lab a quarter: a share of `capex` plus a grant, times backing."""
    subsidy, grant = book.state_money[lab.faction]
    if not (subsidy or grant):
        return 0.0
    return (capex * subsidy + grant) * lab.backing / 100.0


def electricity_cost(book: Rulebook, lab: LabState) -> float:
    """$M a quarter for the power the lab's powered GPUs draw."""
    return lab.drawn_mw * book.hours * lab.elec_price / 1e6


def running_cost(book: Rulebook, lab: LabState) -> float:
    """$M a quarter of running costs: the lab's own plus its installed GPUs'."""
    return lab.running_costs + book.k.running_cost_per_gpu * lab.gpus_total


def _books(book: Rulebook, s: GameState, lab: LabState, out: list[Happening]) -> None:
    """Close the quarter's books: revenue, state money, electricity, running costs."""
    revenue = lab.revenue
    subsidy, grant = book.state_money[lab.faction]
    support = state_support(book, lab, lab.paid_gpus + lab.paid_power)
    electricity = electricity_cost(book, lab)
    running = running_cost(book, lab)
    cash = lab.cash + revenue + support - electricity - running
    held = limits.HELD_MONEY
    lab.cash = held if cash > held else -held if cash < -held else cash
    events = lab.event_cash
    lab.income = revenue + support + (events if events > 0 else 0.0)
    lab.spending = (
        lab.paid_gpus
        + lab.paid_power
        + lab.paid_research
        + electricity
        + running
        + (-events if events < 0 else 0.0)
    )
    lab.profit = lab.income - lab.spending
    lab.cash_settled = lab.cash
    lab.emissions = lab.drawn_mw * book.hours * lab.co2_rate
    lab.emissions_total += lab.emissions
    if lab.is_player:
        income = [("revenue", revenue)]
        if subsidy or grant:
            income.append(("state support", support))
        spending = [
            ("GPUs", lab.paid_gpus),
            ("power build", lab.paid_power),
            ("research", lab.paid_research),
            ("electricity", electricity),
            ("running costs", running),
        ]
        if events > 0:
            income.insert(0, ("events", events))
        elif events < 0:
            spending.insert(0, ("events", -events))
        out.append(Accounts(s.turn, lab.id, tuple(income), tuple(spending)))


def _backing_and_concern(book: Rulebook, s: GameState, lab: LabState) -> None:
    k = book.k
    target = k.backing_base + k.per_point_vs_frontier * (lab.capability - s.world.frontier)
    if lab.profit < 0 and lab.cash < 0:
        target -= k.per_loss_quarter
    # The target may fall below zero (far behind and losing money), so backing
    # can reach zero, and a Chinese lab be taken over, without an event's push.
    target = 100.0 if target > 100.0 else target
    backing = lab.backing + k.backing_pull * (target - lab.backing)
    lab.backing = 100.0 if backing > 100.0 else 0.0 if backing < 0.0 else backing
    rise = k.per_kt_co2 * lab.emissions / 1000.0 + k.per_share * lab.market_share
    rise += k.per_gw * lab.drawn_mw / 1000.0
    rise *= book.concern_weight[lab.faction]
    concern = lab.concern * (1.0 - k.concern_decay) + rise
    lab.concern = 100.0 if concern > 100.0 else 0.0 if concern < 0.0 else concern


def _fall_out(
    bankruptcy_quarters: int,
    s: GameState,
    lab: LabState,
    out: list[Happening],
    outcry: bool,
    abandoned: bool,
) -> None:
    """Bankruptcy, shutdown and state takeover.

    `outcry` and `abandoned` say the quarter began at concern 100 or backing 0
    (an event in the news pushed the lab there), which ends it too.
    """
    lab.negative_quarters = lab.negative_quarters + 1 if lab.cash < 0 else 0
    reason = ""
    if lab.negative_quarters >= bankruptcy_quarters:
        reason = Ending.BANKRUPTCY
    elif outcry or lab.concern >= 100.0:
        reason = Ending.SHUTDOWN
    elif lab.faction == "china" and (abandoned or lab.backing <= 0.0):
        reason = Ending.TAKEOVER
    if reason:
        lab.alive = False
        lab.out_reason = reason
        lab.market_share = 0.0
        out.append(LabOut(s.turn, lab.id, reason))


def _prices_fall(book: Rulebook, s: GameState) -> None:
    """Hardware gets cheaper: each chip on sale loses a share of its price."""
    keep = 1.0 - book.k.chip_price_decline
    if keep >= 1.0:
        return
    prices = s.world.prices
    for chip in book.chips:
        if chip.available <= s.turn:
            prices[chip.id] = max(prices[chip.id] * keep, 1e-6)


def rank_labs(s: GameState) -> None:
    order = sorted(s.labs.values(), key=lambda lab: (not lab.alive, -lab.capability, lab.id))
    for i, lab in enumerate(order, 1):
        lab.rank = i


def _milestones(book: Rulebook, s: GameState, out: list[Happening]) -> None:
    for lab in s.labs.values():
        if not lab.alive:
            continue
        cost = lab.cost_per_mtok
        for price, flag, name in COST_MILESTONES:
            if cost > price:
                break
            if flag not in lab.flags:
                set_flag(book, lab, flag, s.turn)
                out.append(Milestone(s.turn, lab.id, f"cost per million tokens below {name}"))
        if lab.rank == 1 and "first_frontier" not in lab.flags:
            set_flag(book, lab, "first_frontier", s.turn)
            out.append(Milestone(s.turn, lab.id, "took the frontier"))


def _end_or_continue(book: Rulebook, s: GameState, out: list[Happening]) -> None:
    """Check the end conditions; if the game goes on, advance the date and break the news."""
    outcome: Outcome | None = None
    alive = [lab for lab in s.labs.values() if lab.alive]
    # A person's lab out (any seat's, the player's named first) ends the game.
    player = s.labs[s.player]
    fallen = [lab for lab in s.labs.values() if lab.is_player and not lab.alive]
    fallen.sort(key=lambda lab: lab is not player)
    if fallen:
        best = max(alive, key=lambda lab: (lab.capability, lab.id), default=None)
        text = " ".join(
            f"{lab.name} {LabOut(s.turn, lab.id, lab.out_reason).text()}." for lab in fallen
        )
        outcome = Outcome(
            best.id if best else None,
            fallen[0].out_reason,
            text,
            best is not None and best.id == s.player,
        )
    for k, v in enumerate(book.scenario.victory):
        if outcome is not None:
            break
        if isinstance(v, Condition):
            outcome = _condition(s, alive, book.conditions[k], v.text)
        elif isinstance(v, TurningPoint):
            reached = [lab for lab in alive if lab.capability >= v.threshold]
            if reached:
                win = max(reached, key=lambda lab: (lab.capability, lab.id))
                outcome = Outcome(
                    win.id,
                    Ending.TURNING_POINT,
                    f"{win.name} reached the turning point (capability {win.capability:.1f} "
                    f">= {v.threshold:g}): AI becomes as transformative as electricity.",
                    win.id == s.player,
                )
    if outcome is None and s.turn >= book.turns:
        outcome = _final_verdict(book, s, alive)
    if outcome is not None:
        s.outcome = outcome
        out.append(
            GameOver(
                s.turn,
                outcome.winner,
                outcome.winner,
                outcome.kind,
                outcome.text,
                outcome.player_won,
            )
        )
        return
    s.turn += 1
    s.quarter += 1
    if s.quarter > 4:
        s.quarter = 1
        s.year += 1
    news_phase(book, s, out)


def _condition(
    s: GameState, alive: list[LabState], holds: Callable[..., Any], text: str
) -> Outcome | None:
    """A victory condition: the lab that meets it wins (ties: capability, then id)."""
    scope = lab_scope(s)
    world = s.world
    met = [lab for lab in alive if holds(lab, scope, world, world.flags, s.turn, s.year, s.quarter)]
    if not met:
        return None
    win = max(met, key=lambda lab: (lab.capability, lab.id))
    said = text or "met the scenario's victory condition."
    return Outcome(win.id, Ending.CONDITION, f"{win.name} {said}", win.id == s.player)


def _final_verdict(book: Rulebook, s: GameState, alive: list[LabState]) -> Outcome:
    """The last quarter is over: the best score, or the frontier, wins.

    Outliving the others is not enough: when a lab that fell out still
    leads by the victory's own measure (capability, or the score over every
    lab), the best lab alive has only survived, and nobody wins.
    """
    if not alive:
        return Outcome(None, Ending.FRONTIER_AT_END, "No lab survived to the end.", False)
    labs = list(s.labs.values())
    weights = score_weights(book)
    if weights is not None:
        measure = scores(labs, weights)
        kind, what = Ending.SCORE, "score"
    else:
        measure = {lab.id: lab.capability for lab in labs}
        kind, what = Ending.FRONTIER_AT_END, "capability"
    win = max(alive, key=lambda lab: (measure[lab.id], lab.id))
    leader = max(labs, key=lambda lab: (measure[lab.id], lab.alive, lab.id))
    if not leader.alive:
        return Outcome(
            None,
            Ending.SURVIVED,
            f"{win.name} outlasted {leader.name} but never matched it ({what} "
            f"{measure[win.id]:.2f} against {measure[leader.id]:.2f}): it survived, and nobody "
            "won.",
            False,
        )
    if kind == Ending.SCORE:
        text = f"{win.name} ends with the best score ({measure[win.id]:.2f})."
    else:
        text = f"{win.name} holds the frontier at the end (capability {win.capability:.1f})."
    return Outcome(win.id, kind, text, win.id == s.player)


def score_weights(book: Rulebook) -> ScoreWeights | None:
    """The weights of the score that judges the last quarter, if a score does."""
    kinds = [v for v in book.scenario.victory if not isinstance(v, (TurningPoint, Condition))]
    return kinds[0].weights if kinds and isinstance(kinds[0], Score) else None


def scores(labs: Sequence[LabState], w: ScoreWeights) -> dict[str, float]:
    """The score victory's weighted sum for each lab, by id.

    Each part is scaled across `labs` from 0 (the worst of them) to 1 (the
    best; for emissions, the most emitted), so a weight means the same for
    every part and none can swamp the rest by its units.
    """
    parts = {
        "capability": [lab.capability for lab in labs],
        "market_share": [lab.market_share for lab in labs],
        "cost": [-math.log10(max(lab.cost_per_mtok, CHEAPEST_COST)) for lab in labs],
        "emissions": [lab.emissions_total for lab in labs],
    }
    total = [0.0] * len(labs)
    for name, values in parts.items():
        weight: float = getattr(w, name)
        lo, hi = min(values, default=0.0), max(values, default=0.0)
        for i, v in enumerate(values):
            total[i] += weight * ((v - lo) / (hi - lo) if hi > lo else 1.0)
    return {lab.id: t for lab, t in zip(labs, total, strict=True)}
