"""The scenario format: pydantic models for every part of a scenario file.

Units, so authors and code agree:
- money is in millions of US dollars ($M), except a chip's `price` (dollars
  per GPU) and power's `price_per_mwh` (dollars per MWh), the units the
  industry quotes;
- power is in megawatts (MW), a chip's draw in kilowatts (kW, all-in:
  cooling and networking included);
- compute is in PFLOP/s per GPU (dense BF16);
- time is in quarters (turns); dates are written "2025 Q3".

Field descriptions end up in the JSON Schema (`airace scenario schema`), so
they are written for scenario authors.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from game.scenario import limits as L
from game.scenario.errors import WarningCode

FACTIONS: tuple[str, ...] = ("us", "china")
Faction = Literal["us", "china"]

_DATE = re.compile(r"^\s*(\d{4})\s*[Qq]([1-4])\s*$")
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=40)]
# Every number has a range a game can live with (see limits.py); NaN and
# infinities are refused wherever a number is written.
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0, le=L.MONEY, allow_inf_nan=False)]
GpuCount = Annotated[int, Field(ge=0, le=L.GPU_COUNT)]
MwCount = Annotated[int, Field(ge=0, le=L.MW)]
MwhPrice = Annotated[float, Field(ge=0, le=L.PRICE_PER_MWH, allow_inf_nan=False)]
Co2Rate = Annotated[float, Field(ge=0, le=L.CO2_PER_MWH, allow_inf_nan=False)]
Multiplier = Annotated[float, Field(ge=0, le=L.MULTIPLIER, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=-L.SCORE_WEIGHT, le=L.SCORE_WEIGHT, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=L.NAME_LENGTH)]
Text = Annotated[str, Field(max_length=L.TEXT_LENGTH)]


class Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Date(Strict):
    """A quarter of a year."""

    year: int = Field(ge=1990, le=2200)
    quarter: int = Field(ge=1, le=4)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, str):
            m = _DATE.match(value)
            if not m:
                raise ValueError(f"'{value}' is not a date like '2025 Q3'")
            return {"year": int(m.group(1)), "quarter": int(m.group(2))}
        return value

    def index(self) -> int:
        """Quarters since year 0, for date arithmetic."""
        return self.year * 4 + self.quarter - 1

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


DateOrTurn = Annotated[int | Date, Field(union_mode="left_to_right")]


def per_faction(value: Any) -> Any:
    """Let an author write one number for both factions."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {f: value for f in FACTIONS}
    return value


class Meta(Strict):
    id: Id = Field(description="Scenario id, used by --scenario and extends.")
    name: Name
    description: Text = Field(default="", description="One paragraph shown when choosing.")
    author: Annotated[str, Field(max_length=L.NAME_LENGTH)] = ""


class Chip(Strict):
    name: Name
    class_: Literal["frontier", "compliant", "domestic", "smuggled"] = Field(
        alias="class", description="What kind of part this is in the story."
    )
    price: float = Field(ge=1, le=L.CHIP_PRICE, allow_inf_nan=False, description="Dollars per GPU.")
    train_pflops: float = Field(
        ge=0.001,
        le=L.PFLOPS,
        allow_inf_nan=False,
        description="Dense BF16 PFLOP/s per GPU for training.",
    )
    serve_pflops: float = Field(
        ge=0.001,
        le=L.PFLOPS,
        allow_inf_nan=False,
        description="Effective PFLOP/s per GPU for serving.",
    )
    kw: float = Field(
        ge=0.001,
        le=L.KW,
        allow_inf_nan=False,
        description="All-in kW per GPU (cooling and networking included).",
    )
    lead_quarters: int = Field(
        default=1, ge=0, le=12, description="Quarters from order to delivery."
    )
    available_from: Date | None = Field(default=None, description="First quarter it can be bought.")
    supply: dict[Faction, GpuCount] = Field(
        description="GPUs each faction's labs may buy per quarter, in all."
    )
    buyers: list[Faction] = Field(
        max_length=2, description="Factions allowed to buy it (the export table)."
    )
    source: Text = ""

    @field_validator("supply", mode="before")
    @classmethod
    def _supply(cls, v: Any) -> Any:
        return per_faction(v)


class PowerSource(Strict):
    name: Name
    capex_per_mw: float = Field(
        ge=0, le=L.CAPEX_PER_MW, allow_inf_nan=False, description="$M to build one MW."
    )
    lead_quarters: dict[Faction, Annotated[int, Field(ge=0, le=20)]] = Field(
        description="Quarters from order until the MW are online, per faction."
    )
    price_per_mwh: dict[Faction, MwhPrice] = Field(description="Electricity price, $ per MWh.")
    co2_t_per_mwh: dict[Faction, Co2Rate] = Field(description="Tonnes of CO2 per MWh, per faction.")
    max_mw_per_quarter: dict[Faction, MwCount] | None = Field(
        default=None, description="Most MW one lab may order per quarter (permits, turbines)."
    )
    source: Text = ""

    @field_validator(
        "lead_quarters", "price_per_mwh", "co2_t_per_mwh", "max_mw_per_quarter", mode="before"
    )
    @classmethod
    def _per_faction(cls, v: Any) -> Any:
        return per_faction(v)


PolicyName = Literal["scaler", "efficient", "balanced", "opportunist", "strategist"]


class Lab(Strict):
    """A lab's starting state."""

    name: Name
    short: str = Field(default="", max_length=12, description="Short name for tables.")
    faction: Faction | None = Field(default=None, description="Rivals only: their side.")
    policy: PolicyName = Field(default="balanced", description="How the computer plays it.")
    cash: float = Field(ge=-L.MONEY, le=L.MONEY, allow_inf_nan=False, description="$M in the bank.")
    gpus: dict[str, GpuCount] = Field(default_factory=dict, max_length=L.MAX_CHIPS)
    power_mw: dict[str, MwCount] = Field(default_factory=dict, max_length=L.MAX_POWER_SOURCES)
    efficiency: float = Field(default=1.0, ge=1.0, le=L.EFFICIENCY, allow_inf_nan=False)
    capability: float = Field(
        default=0,
        ge=0,
        le=L.CAPABILITY,
        allow_inf_nan=False,
        description="0: derived from the first quarter's run.",
    )
    backing: Percent = 50
    concern: Percent = 10
    train_share: Share = 0.5
    market_share: Share = 0
    running_costs: Money = Field(default=0, description="$M per quarter: staff, sites.")
    revenue: Money = Field(default=0, description="$M last quarter.")


class FactionSpec(Strict):
    name: Name
    playable: bool = True
    description: Text = Field(default="", description="What differs when playing this side.")
    lab_id: Id = Field(description="Id of the faction's main lab.")
    lab: Lab
    subsidy_share: Share = Field(
        default=0, description="Share of capital spending the state repays at backing 100."
    )
    state_grant: Money = Field(
        default=0, description="$M a quarter the state grants at backing 100 (vouchers, funds)."
    )
    power_price_multiplier: float = Field(default=1.0, gt=0, le=100, allow_inf_nan=False)
    concern_weight: float = Field(
        default=1.0,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description=(
            "How strongly emissions, power drawn and market share raise public concern "
            "about this side's labs (1: as the rules say)."
        ),
    )
    backing_label: Name = Field(
        default="backing", description="'investor confidence' or 'state backing'."
    )


class CapabilityRules(Strict):
    points_per_decade: float = Field(
        default=10,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Capability points per 10x of run compute.",
    )
    reference_flop: float = Field(
        default=1e20, ge=1, le=1e40, allow_inf_nan=False, description="Run compute that scores 0."
    )
    run_quarters: int = Field(
        default=4, ge=1, le=12, description="Quarters of training in one run."
    )
    reasoning_weight: Share = Field(
        default=0, description="Share of serving compute that counts toward capability."
    )


class ResearchRules(Strict):
    max_gain: float = Field(
        default=0.25,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="Most efficiency growth per quarter.",
    )
    half_spend: float = Field(
        default=400,
        ge=0.001,
        le=L.MONEY,
        allow_inf_nan=False,
        description="$M a quarter that buys half of max_gain.",
    )
    base_gain: float = Field(
        default=0.02,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Growth per quarter with no spending.",
    )
    breakthrough_chance: Share = 0.05
    breakthrough_multiplier: float = Field(default=1.4, gt=0, le=100, allow_inf_nan=False)
    diffusion: Share = Field(
        default=0.05, description="Share of the gap to the best lab closed each quarter."
    )
    necessity_threshold: Share = Field(
        default=0.5, description="A lab below this share of the leader's compute is constrained."
    )
    necessity_bonus: float = Field(
        default=1.0,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="Research multiplier at zero compute.",
    )


class MarketRules(Strict):
    capability_scale: float = Field(
        default=4,
        ge=0.01,
        le=1000,
        allow_inf_nan=False,
        description="Points behind the frontier that cost 63% of appeal.",
    )
    price_weight: float = Field(default=0.6, ge=0, le=10, allow_inf_nan=False)
    serve_weight: float = Field(default=0.5, ge=0, le=10, allow_inf_nan=False)
    inertia: Share = 0.5
    price_elasticity: float = Field(
        default=0.3,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="Demand growth per 10x price fall (log).",
    )
    tokens_per_pflop_hour: float = Field(
        default=1e6,
        ge=1,
        le=1e12,
        allow_inf_nan=False,
        description="Tokens per PFLOP/s-hour of serving at fixed quality, efficiency 1.",
    )
    amortisation_quarters: int = Field(default=16, ge=1, le=400)
    serving_gain: float = Field(
        default=1.0,
        ge=1.0,
        le=4.0,
        allow_inf_nan=False,
        description=(
            "Power of efficiency in tokens served: above 1, each efficiency gain cuts the "
            "cost of a token by more (distillation, quantisation, smaller models)."
        ),
    )


class ConcernRules(Strict):
    decay: Share = 0.08
    per_kt_co2: float = Field(
        default=0.02,
        ge=0,
        le=1000,
        allow_inf_nan=False,
        description="Concern per thousand tonnes of CO2 a quarter.",
    )
    per_share: float = Field(
        default=10,
        ge=0,
        le=1000,
        allow_inf_nan=False,
        description="Concern per unit of market share a quarter.",
    )
    per_gw: float = Field(
        default=2, ge=0, le=1000, allow_inf_nan=False, description="Concern per GW drawn a quarter."
    )


class BackingRules(Strict):
    pull: Share = Field(
        default=0.15, description="Share of the gap to its target backing closes each quarter."
    )
    base: Percent = 50
    per_point_vs_frontier: float = Field(
        default=2.0,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="Target change per capability point vs the frontier.",
    )
    per_loss_quarter: float = Field(
        default=3.0,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="Target drop while the lab loses money.",
    )


class Rules(Strict):
    utilisation: Share = 0.4
    seconds_per_quarter: float = Field(default=7.9e6, ge=1, le=1e8, allow_inf_nan=False)
    capability: CapabilityRules = CapabilityRules()
    research: ResearchRules = ResearchRules()
    market: MarketRules = MarketRules()
    concern: ConcernRules = ConcernRules()
    backing: BackingRules = BackingRules()
    chip_price_decline: Share = Field(
        default=0,
        description=(
            "Share of its price a chip loses each quarter once on sale (older parts get "
            "cheaper as newer ones arrive)."
        ),
    )
    running_cost_per_gpu: float = Field(
        default=0.0015,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="$M per installed GPU a quarter.",
    )
    bankruptcy_quarters: int = Field(
        default=2, ge=1, le=40, description="Quarters in a row below zero cash."
    )


class World(Strict):
    demand: float = Field(
        gt=0,
        le=L.MONEY,
        allow_inf_nan=False,
        description="$M a quarter the world spends on AI services at the start.",
    )
    demand_growth: float = Field(
        default=0.15,
        ge=0,
        le=2,
        allow_inf_nan=False,
        description="Growth per quarter at constant prices.",
    )
    demand_ceiling: float | None = Field(
        default=None,
        gt=0,
        le=L.MONEY,
        allow_inf_nan=False,
        description=(
            "$M a quarter the world could ever spend on AI services: growth slows as demand "
            "nears it (logistic growth). None: demand grows without limit."
        ),
    )
    home_market: dict[Faction, Share] = Field(
        default_factory=dict,
        description="Share of world demand only that side's labs may serve (a closed home market).",
    )

    @field_validator("home_market")
    @classmethod
    def _home_fits(cls, v: dict[Faction, float]) -> dict[Faction, float]:
        if sum(v.values()) > 1.0 + 1e-9:
            raise ValueError("the home markets together are more than the whole world (over 1)")
        return v


class TurningPoint(Strict):
    kind: Literal["turning_point"]
    threshold: float = Field(
        gt=0,
        le=L.CAPABILITY,
        allow_inf_nan=False,
        description="Capability that makes AI as transformative as electricity.",
    )


class FrontierAtEnd(Strict):
    kind: Literal["frontier_at_end"]


class ScoreWeights(Strict):
    """Each part is scaled from 0 (the worst lab alive at the end) to 1 (the best), weighted."""

    capability: Weight = Field(default=1.0, description="Weight of capability.")
    market_share: Weight = Field(default=1.0, description="Weight of market share.")
    cost: Weight = Field(default=0.5, description="Weight of cheap tokens (cost per token, log).")
    emissions: Weight = Field(
        default=-0.5, description="Weight of CO2 emitted over the game (0: least, 1: most)."
    )

    @model_validator(mode="after")
    def _no_part_swamps(self) -> ScoreWeights:
        weights = (self.capability, self.market_share, self.cost, self.emissions)
        gains = sum(w for w in weights if w > 0)
        if sum(-w for w in weights if w < 0) >= gains:
            raise ValueError(
                "the negative weights outweigh the positive ones, so a lab that does nothing "
                "could win: make the positive weights larger together"
            )
        return self


class Score(Strict):
    kind: Literal["score"]
    weights: ScoreWeights = ScoreWeights()


Victory = Annotated[TurningPoint | FrontierAtEnd | Score, Field(discriminator="kind")]

EffectNumber = Annotated[float, Field(ge=-L.EFFECT_VALUE, le=L.EFFECT_VALUE, allow_inf_nan=False)]
ExprOrNumber = Annotated[EffectNumber | str, Field(union_mode="left_to_right")]


class ExportChange(Strict):
    chip: str
    faction: Faction
    allow: bool


class ChipChange(Strict):
    chip: str
    faction: Faction | None = Field(default=None, description="Supply only: one side; none: both.")
    multiply: Multiplier | None = None
    add: (
        Annotated[float, Field(ge=-L.CHIP_PRICE * 100, le=L.CHIP_PRICE * 100, allow_inf_nan=False)]
        | None
    ) = Field(default=None, description="Price: dollars per GPU; supply: GPUs a quarter.")


class DemandChange(Strict):
    multiply: Multiplier | None = None
    growth: float | None = Field(
        default=None,
        ge=-2,
        le=2,
        allow_inf_nan=False,
        description="Added to demand growth per quarter.",
    )


class LeadChange(Strict):
    source: str
    faction: Faction
    add: int = Field(ge=-40, le=40)


class Effect(Strict):
    """One effect; exactly one of its keys is given."""

    add: dict[str, ExprOrNumber] | None = None
    set: dict[str, ExprOrNumber] | None = None
    multiply: dict[str, ExprOrNumber] | None = None
    flag: str | None = Field(default=None, description="Set a world flag.")
    clear_flag: str | None = None
    lab_flag: str | None = Field(default=None, description="Set a flag on the lab the event hit.")
    clear_lab_flag: str | None = None
    export: ExportChange | None = None
    price: ChipChange | None = None
    supply: ChipChange | None = None
    demand: DemandChange | None = None
    power_lead: LeadChange | None = None
    news: Text | None = None

    @model_validator(mode="after")
    def _one_key(self) -> Effect:
        given = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(given) != 1:
            names = ", ".join(type(self).model_fields)
            raise ValueError(f"an effect has exactly one of: {names} (got {len(given)})")
        return self


class Lint(Strict):
    """Lint warnings silenced here (`airace scenario lint`)."""

    ignore: list[WarningCode] = Field(
        default_factory=list,
        # A file that extends others also holds its parents' codes (merge.py).
        max_length=256,
        description=(
            "Codes of the lint warnings not to show, like W107: at the top of a file, for "
            "every warning in the scenario it defines (and, from a parent, for its own "
            "lines); on an event, for the warnings about that event. Say why in a comment."
        ),
        examples=[["W107"]],
    )


class Then(Strict):
    event: str
    delay: int = Field(default=0, ge=0, le=40, description="Turns to wait.")


Who = str  # player | ai | all | world | us | china | <lab id>


class Choice(Strict):
    label: str = Field(min_length=1, max_length=60)
    preview: Text = Field(default="", description="What the player is told before choosing.")
    effects: list[Effect] = Field(default_factory=list, max_length=L.MAX_EFFECTS)
    ai_weight: float = Field(default=1.0, ge=0, le=L.AI_WEIGHT, allow_inf_nan=False)
    then: list[Then] = Field(default_factory=list, max_length=L.MAX_THEN)


class Event(Strict):
    id: Id
    remove: bool = Field(
        default=False, description="In an extending scenario: drop the inherited event."
    )
    title: Annotated[str, Field(max_length=L.TITLE_LENGTH)] = ""
    text: Text = ""
    source: Text = ""
    who: Who = Field(
        default="player",
        description="player, ai, all, world, us, china, or a lab id.",
    )
    when: bool | str = Field(default=True, description="Trigger expression.")
    earliest: DateOrTurn | None = None
    latest: DateOrTurn | None = None
    chance: Share = Field(default=1.0, description="Chance per quarter once eligible.")
    once: bool = False
    chained: bool = Field(default=False, description="Fires only through another event's then.")
    rare: bool = Field(default=False, description="May fire in under 1% of games.")
    effects: list[Effect] = Field(default_factory=list, max_length=L.MAX_EFFECTS)
    choices: list[Choice] = Field(default_factory=list, max_length=9)
    then: list[Then] = Field(default_factory=list, max_length=L.MAX_THEN)
    lint: Lint = Field(
        default_factory=Lint, description="Lint warnings about this event not to show."
    )

    @model_validator(mode="after")
    def _has_title(self) -> Event:
        if not self.remove and not self.title:
            raise ValueError("an event needs a title")
        return self


class GlossaryEntry(Strict):
    term: Name
    text: Annotated[str, Field(min_length=1, max_length=L.TEXT_LENGTH)]
    source: Text = ""


class Difficulty(Strict):
    name: Name
    description: Text = ""
    player_cash: float = Field(
        default=1.0,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Multiplier on the player's starting cash.",
    )
    rival_cash: float = Field(default=1.0, gt=0, le=100, allow_inf_nan=False)
    rival_policies: dict[str, PolicyName] = Field(
        default_factory=dict,
        description=(
            "How computer labs play at this difficulty, by lab id: any rival, and a side's own "
            "lab when the other side is played (the player's own lab is never changed)."
        ),
    )
    event_severity: float = Field(
        default=1.0,
        ge=0.0,
        le=3.0,
        allow_inf_nan=False,
        description=(
            "Weight on the setbacks events deal the player's lab (cash, backing, "
            "GPUs or efficiency lost, concern gained): 0.5 halves them, 1.5 makes "
            "them half as bad again. Gains are never scaled."
        ),
    )


class Scenario(Strict):
    """A whole, merged scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    meta: Meta
    extends: str | None = Field(
        default=None, description="Scenario id or relative path to build on."
    )
    start: Date
    turns: int = Field(ge=8, le=40)
    factions: dict[Faction, FactionSpec] = Field(min_length=1)
    chips: dict[Id, Chip] = Field(min_length=1, max_length=L.MAX_CHIPS)
    power: dict[Id, PowerSource] = Field(min_length=1, max_length=L.MAX_POWER_SOURCES)
    rivals: dict[Id, Lab] = Field(default_factory=dict, max_length=L.MAX_RIVALS)
    world: World
    rules: Rules = Rules()
    victory: list[Victory] = Field(min_length=1, max_length=8)
    events: list[Event] = Field(default_factory=list, max_length=L.MAX_EVENTS)
    glossary: list[GlossaryEntry] = Field(default_factory=list, max_length=L.MAX_GLOSSARY)
    difficulties: dict[Id, Difficulty] = Field(default_factory=dict, max_length=L.MAX_DIFFICULTIES)
    lint: Lint = Field(
        default_factory=Lint,
        description="Lint warnings not to show for this file (`airace scenario lint`).",
    )

    def lab_ids(self) -> list[str]:
        """Every lab id: the factions' main labs, then the rivals, in file order."""
        return [self.factions[f].lab_id for f in FACTIONS if f in self.factions] + list(self.rivals)

    def turn_of(self, when: int | Date) -> int:
        """Turn number (1-based) of a date, or the turn itself."""
        if isinstance(when, Date):
            return when.index() - self.start.index() + 1
        return when
