"""The scenario format: pydantic models for every part of a scenario file.

Units, so authors and code agree:
- money is in millions of US dollars ($M), except a chip's `price` (dollars
  per GPU) and power's `price_per_mwh` (dollars per MWh), the units the
  industry quotes;
- power is in megawatts (MW), a chip's draw in kilowatts (kW, all-in:
  cooling and networking included);
- compute is in PFLOP/s per GPU (dense BF16);
- time is in quarters (turns); dates are written "2025 Q3".

Field descriptions and examples end up in the JSON Schema (`airace scenario
schema`, see schema.py), so they are written for scenario authors, and every
field has both (a test holds that).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonDict, JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails

from game.scenario import limits as L
from game.scenario.errors import WarningCode

FACTIONS: tuple[str, ...] = ("us", "china")
Faction = Literal["us", "china"]

_DATE = re.compile(r"^\s*(\d{4})\s*[Qq]([1-4])\s*$")
FIRST_YEAR, LAST_YEAR = 1990, 2200
# The same dates as `_DATE` within the years a Date allows, for editors.
DATE_TEXT_PATTERN = r"^\s*(199[0-9]|2[01][0-9][0-9]|2200)\s*[Qq][1-4]\s*$"
ID_PATTERN, ID_LENGTH = r"^[a-z][a-z0-9_-]*$", 40
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=ID_LENGTH)]
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
SOURCE = "Where the figures or the story come from, for players who want to check."


def is_id(text: str) -> bool:
    """Whether `text` is an id as `Id` allows it."""
    return len(text) <= ID_LENGTH and re.fullmatch(ID_PATTERN, text) is not None


class Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Date(Strict):
    """A quarter of a year, written "2025 Q3"."""

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="The year.", examples=[2025])
    quarter: int = Field(ge=1, le=4, description="The quarter, 1 to 4.", examples=[3])

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, str):
            m = _DATE.match(value)
            if not m:
                raise ValueError(f"'{value}' is not a date like '2025 Q3'")
            return {"year": int(m.group(1)), "quarter": int(m.group(2))}
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Authors write the text; the mapping is what a date is once read
        # (a save holds that form), and the loader takes both.
        mapping = handler.resolve_ref_schema(handler(core_schema))
        text = {
            "type": "string",
            "pattern": DATE_TEXT_PATTERN,
            "patternErrorMessage": (
                f"a date is written like '2025 Q3': a year from {FIRST_YEAR} to {LAST_YEAR}, "
                "Q and the quarter, 1 to 4"
            ),
            "examples": ["2025 Q3"],
        }
        return {
            "title": "Date",
            "description": mapping.get("description", ""),
            "anyOf": [text, {k: v for k, v in mapping.items() if k != "description"}],
        }

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


class _OneForBoth:
    """The JSON Schema of a per-side map that also takes one value for both sides."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        per_side = handler(core_schema)
        both = per_side.get("additionalProperties")
        if not isinstance(both, dict):  # rendered as properties (schema.py): any one of them
            both = next(iter(per_side.get("properties", {}).values()), {})
        return {"anyOf": [both, per_side]}


_T = TypeVar("_T")
# A value for each side, or one number that stands for both (`supply: 0`).
PerSide = Annotated[dict[Faction, _T], BeforeValidator(per_faction), _OneForBoth()]


class Meta(Strict):
    id: Id = Field(
        description="Scenario id, used by --scenario and extends: lowercase letters, digits, "
        "'-' and '_'.",
        examples=["chip-war"],
    )
    name: Name = Field(
        description="The scenario's name, as menus show it.", examples=["The Chip War, 2025-2029"]
    )
    description: Text = Field(
        default="",
        description="One paragraph shown when choosing.",
        examples=["Washington tightens the screws every year. Can necessity breed invention?"],
    )
    author: Annotated[str, Field(max_length=L.NAME_LENGTH)] = Field(
        default="", description="Who wrote the scenario.", examples=["AI Race team"]
    )


class Chip(Strict):
    name: Name = Field(
        description="The chip's name, as the game shows it.", examples=["H100-class"]
    )
    class_: Literal["frontier", "compliant", "domestic", "smuggled"] = Field(
        alias="class",
        description="What kind of part this is in the story: frontier (the best), compliant "
        "(cut down to pass export rules), domestic (made in China) or smuggled.",
        examples=["frontier"],
    )
    price: float = Field(
        ge=1,
        le=L.CHIP_PRICE,
        allow_inf_nan=False,
        description="Dollars per GPU (not $M).",
        examples=[27000],
    )
    train_pflops: float = Field(
        ge=0.001,
        le=L.PFLOPS,
        allow_inf_nan=False,
        description="Dense BF16 PFLOP/s per GPU for training.",
        examples=[1.0],
    )
    serve_pflops: float = Field(
        ge=0.001,
        le=L.PFLOPS,
        allow_inf_nan=False,
        description="Effective PFLOP/s per GPU for serving.",
        examples=[1.4],
    )
    kw: float = Field(
        ge=0.001,
        le=L.KW,
        allow_inf_nan=False,
        description="All-in kW per GPU (cooling and networking included).",
        examples=[1.4],
    )
    lead_quarters: int = Field(
        default=1, ge=0, le=12, description="Quarters from order to delivery.", examples=[1]
    )
    available_from: Date | None = Field(
        default=None,
        description="First quarter it can be bought; none: from the start.",
        examples=["2025 Q3"],
    )
    supply: PerSide[GpuCount] = Field(
        description="GPUs each side's labs may buy per quarter, in all: one number for both "
        "sides, or one per side.",
        examples=[{"us": 300000, "china": 0}, 0],
    )
    buyers: list[Faction] = Field(
        max_length=2,
        description="Sides allowed to buy it (the export table); events may change it.",
        examples=[["us"], ["us", "china"], []],
    )
    source: Text = Field(default="", description=SOURCE, examples=["NVIDIA spec; SemiAnalysis"])


class PowerSource(Strict):
    name: Name = Field(
        description="The power source's name, as the game shows it.", examples=["Grid connection"]
    )
    capex_per_mw: float = Field(
        ge=0,
        le=L.CAPEX_PER_MW,
        allow_inf_nan=False,
        description="$M to build one MW.",
        examples=[10],
    )
    lead_quarters: PerSide[Annotated[int, Field(ge=0, le=20)]] = Field(
        description="Quarters from order until the MW are online: one number for both sides, "
        "or one per side.",
        examples=[{"us": 6, "china": 2}, 1],
    )
    price_per_mwh: PerSide[MwhPrice] = Field(
        description="Electricity price, $ per MWh: one number for both sides, or one per side.",
        examples=[{"us": 91, "china": 56}, 75],
    )
    co2_t_per_mwh: PerSide[Co2Rate] = Field(
        description="Tonnes of CO2 per MWh: one number for both sides, or one per side.",
        examples=[{"us": 0.37, "china": 0.58}, 0.03],
    )
    max_mw_per_quarter: PerSide[MwCount] | None = Field(
        default=None,
        description="Most MW one lab may order per quarter (permits, turbines): one number for "
        "both sides, or one per side; none: no limit.",
        examples=[250, {"us": 250, "china": 500}],
    )
    source: Text = Field(default="", description=SOURCE, examples=["EIA; Ember"])


PolicyName = Literal["scaler", "efficient", "balanced", "opportunist", "strategist"]
POLICY = (
    "How the computer plays a lab: scaler, efficient, balanced, opportunist or strategist "
    "(the guide describes each)."
)


class Lab(Strict):
    """A lab's starting state."""

    name: Name = Field(description="The lab's name.", examples=["Prometheus AI"])
    short: str = Field(
        default="", max_length=12, description="Short name for tables.", examples=["Prometheus"]
    )
    faction: Faction | None = Field(
        default=None, description="Rivals only: their side, us or china.", examples=["us"]
    )
    policy: PolicyName = Field(default="balanced", description=POLICY, examples=["strategist"])
    cash: float = Field(
        ge=-L.MONEY,
        le=L.MONEY,
        allow_inf_nan=False,
        description="$M in the bank.",
        examples=[18000],
    )
    gpus: dict[str, GpuCount] = Field(
        default_factory=dict,
        max_length=L.MAX_CHIPS,
        description="GPUs installed at the start, by chip id.",
        examples=[{"h100": 90000}],
    )
    power_mw: dict[str, MwCount] = Field(
        default_factory=dict,
        max_length=L.MAX_POWER_SOURCES,
        description="MW online at the start, by power source id.",
        examples=[{"grid": 130, "gas": 50}],
    )
    efficiency: float = Field(
        default=1.0,
        ge=1.0,
        le=L.EFFICIENCY,
        allow_inf_nan=False,
        description="Algorithmic multiplier on compute, 1 or more.",
        examples=[1.4],
    )
    capability: float = Field(
        default=0,
        ge=0,
        le=L.CAPABILITY,
        allow_inf_nan=False,
        description="Best model so far (GPT-4 is about 53); 0: derived from the first "
        "quarter's run.",
        examples=[66],
    )
    backing: Percent = Field(
        default=50,
        description="0 to 100: investor confidence (US) or state backing (China).",
        examples=[60],
    )
    concern: Percent = Field(
        default=10, description="0 to 100: public concern; 100 shuts the lab down.", examples=[10]
    )
    train_share: Share = Field(
        default=0.5, description="Share of powered compute used for training.", examples=[0.55]
    )
    market_share: Share = Field(
        default=0, description="Share of the world's demand it serves, 0 to 1.", examples=[0.2]
    )
    running_costs: Money = Field(
        default=0, description="$M per quarter: staff, sites.", examples=[350]
    )
    revenue: Money = Field(default=0, description="$M last quarter.", examples=[1500])


_LAB_EXAMPLE = {
    "name": "Prometheus AI",
    "short": "Prometheus",
    "cash": 18000,
    "gpus": {"h100": 90000},
}


class FactionSpec(Strict):
    name: Name = Field(description="The side's name.", examples=["United States"])
    playable: bool = Field(
        default=True, description="Whether a person may play this side.", examples=[True]
    )
    description: Text = Field(
        default="",
        description="What differs when playing this side.",
        examples=["Buys NVIDIA's best chips freely but waits years for grid connections."],
    )
    lab_id: Id = Field(description="Id of the faction's main lab.", examples=["prometheus"])
    lab: Lab = Field(description="The side's main lab at the start.", examples=[_LAB_EXAMPLE])
    subsidy_share: Share = Field(
        default=0,
        description="Share of capital spending the state repays at backing 100.",
        examples=[0.3],
    )
    state_grant: Money = Field(
        default=0,
        description="$M a quarter the state grants at backing 100 (vouchers, funds).",
        examples=[1000],
    )
    power_price_multiplier: float = Field(
        default=1.0,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Multiplier on this side's electricity prices.",
        examples=[1.0],
    )
    handicap: float = Field(
        default=1.0,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description=(
            "Two-player games only: a multiplier on this side's seated lab's starting cash, "
            "to even a face-off between two people that favours one side (1: none)."
        ),
        examples=[1.25],
    )
    concern_weight: float = Field(
        default=1.0,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description=(
            "How strongly emissions, power drawn and market share raise public concern "
            "about this side's labs (1: as the rules say)."
        ),
        examples=[0.4],
    )
    backing_label: Name = Field(
        default="backing",
        description="What backing is called on this side's screens.",
        examples=["investor confidence", "state backing"],
    )


class CapabilityRules(Strict):
    points_per_decade: float = Field(
        default=10,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Capability points per 10x of run compute.",
        examples=[10],
    )
    reference_flop: float = Field(
        default=1e20,
        ge=1,
        le=1e40,
        allow_inf_nan=False,
        description="Run compute (FLOP) that scores 0.",
        examples=[1e20],
    )
    run_quarters: int = Field(
        default=4, ge=1, le=12, description="Quarters of training in one run.", examples=[4]
    )
    reasoning_weight: Share = Field(
        default=0,
        description="Share of serving compute that counts toward capability (test-time compute).",
        examples=[0.1],
    )


class ResearchRules(Strict):
    max_gain: float = Field(
        default=0.25,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="Most efficiency growth per quarter.",
        examples=[0.2],
    )
    half_spend: float = Field(
        default=400,
        ge=0.001,
        le=L.MONEY,
        allow_inf_nan=False,
        description="$M a quarter that buys half of max_gain.",
        examples=[600],
    )
    base_gain: float = Field(
        default=0.02,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Growth per quarter with no spending.",
        examples=[0.02],
    )
    breakthrough_chance: Share = Field(
        default=0.05,
        description="Chance per quarter of a breakthrough at full research spending.",
        examples=[0.05],
    )
    breakthrough_multiplier: float = Field(
        default=1.4,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="What a breakthrough multiplies efficiency by.",
        examples=[1.3],
    )
    diffusion: Share = Field(
        default=0.05,
        description="Share of the gap to the best lab closed each quarter.",
        examples=[0.05],
    )
    necessity_threshold: Share = Field(
        default=0.5,
        description="A lab below this share of the leader's compute is constrained.",
        examples=[0.65],
    )
    necessity_bonus: float = Field(
        default=1.0,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="Research multiplier at zero compute.",
        examples=[1.5],
    )
    necessity_counts: Literal["powered", "held"] = Field(
        default="powered",
        description=(
            "Which compute the necessity window compares: `powered`, what a lab's powered "
            "GPUs can do (a lab short of power counts as starved), or `held`, what all the "
            "GPUs it owns could do (only a lab short of chips is starved; GPUs left "
            "unpowered by choice do not earn the bonus)."
        ),
        examples=["held"],
    )


class MarketRules(Strict):
    capability_scale: float = Field(
        default=4,
        ge=0.01,
        le=1000,
        allow_inf_nan=False,
        description="Points behind the frontier that cost 63% of appeal.",
        examples=[8],
    )
    price_weight: float = Field(
        default=0.6,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="Power of cheapness in a lab's appeal (0: price does not matter).",
        examples=[0.3],
    )
    serve_weight: float = Field(
        default=0.5,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="Power of serving compute in a lab's appeal (1: share follows it one for one).",
        examples=[0.5],
    )
    inertia: Share = Field(
        default=0.5,
        description="Share of its market share a lab keeps each quarter; the rest moves to "
        "what its appeal earns.",
        examples=[0.5],
    )
    price_elasticity: float = Field(
        default=0.3,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="Demand growth per 10x price fall (log).",
        examples=[0.12],
    )
    tokens_per_pflop_hour: float = Field(
        default=1e6,
        ge=1,
        le=1e12,
        allow_inf_nan=False,
        description="Tokens per PFLOP/s-hour of serving at fixed quality, efficiency 1.",
        examples=[1e6],
    )
    amortisation_quarters: int = Field(
        default=16,
        ge=1,
        le=400,
        description="Quarters over which a GPU's price counts in the cost of a token.",
        examples=[16],
    )
    serving_gain: float = Field(
        default=1.0,
        ge=1.0,
        le=4.0,
        allow_inf_nan=False,
        description=(
            "Power of efficiency in tokens served: above 1, each efficiency gain cuts the "
            "cost of a token by more (distillation, quantisation, smaller models)."
        ),
        examples=[1.7],
    )


class ConcernRules(Strict):
    decay: Share = Field(
        default=0.08, description="Share of concern that fades each quarter.", examples=[0.12]
    )
    per_kt_co2: float = Field(
        default=0.02,
        ge=0,
        le=1000,
        allow_inf_nan=False,
        description="Concern per thousand tonnes of CO2 a quarter.",
        examples=[0.002],
    )
    per_share: float = Field(
        default=10,
        ge=0,
        le=1000,
        allow_inf_nan=False,
        description="Concern per unit of market share a quarter.",
        examples=[5],
    )
    per_gw: float = Field(
        default=2,
        ge=0,
        le=1000,
        allow_inf_nan=False,
        description="Concern per GW drawn a quarter.",
        examples=[1.25],
    )


class BackingRules(Strict):
    pull: Share = Field(
        default=0.15,
        description="Share of the gap to its target backing closes each quarter.",
        examples=[0.15],
    )
    base: Percent = Field(
        default=50, description="Target backing of a lab at the frontier.", examples=[55]
    )
    per_point_vs_frontier: float = Field(
        default=2.0,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="Target change per capability point vs the frontier.",
        examples=[1.5],
    )
    per_loss_quarter: float = Field(
        default=3.0,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="Target drop while the lab loses money.",
        examples=[5],
    )


class Rules(Strict):
    utilisation: Share = Field(
        default=0.4,
        description="Share of a GPU's peak PFLOP/s it delivers in practice.",
        examples=[0.4],
    )
    seconds_per_quarter: float = Field(
        default=7.9e6,
        ge=1,
        le=1e8,
        allow_inf_nan=False,
        description="Seconds of running time in a quarter.",
        examples=[7.9e6],
    )
    capability: CapabilityRules = Field(
        default=CapabilityRules(),
        description="How run compute turns into capability.",
        examples=[{"points_per_decade": 10, "run_quarters": 4}],
    )
    research: ResearchRules = Field(
        default=ResearchRules(),
        description="How research spending grows efficiency.",
        examples=[{"max_gain": 0.2, "half_spend": 600}],
    )
    market: MarketRules = Field(
        default=MarketRules(),
        description="How demand is shared between labs and grows.",
        examples=[{"capability_scale": 8, "price_weight": 0.3}],
    )
    concern: ConcernRules = Field(
        default=ConcernRules(),
        description="How public concern rises and fades.",
        examples=[{"per_gw": 0.3}],
    )
    backing: BackingRules = Field(
        default=BackingRules(),
        description="How backing moves toward its target.",
        examples=[{"base": 55, "per_loss_quarter": 5}],
    )
    chip_price_decline: Share = Field(
        default=0,
        description=(
            "Share of its price a chip loses each quarter once on sale (older parts get "
            "cheaper as newer ones arrive)."
        ),
        examples=[0.04],
    )
    running_cost_per_gpu: float = Field(
        default=0.0015,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="$M per installed GPU a quarter.",
        examples=[0.0008],
    )
    bankruptcy_quarters: int = Field(
        default=2,
        ge=1,
        le=40,
        description="Quarters in a row below zero cash that end a lab.",
        examples=[2],
    )


class World(Strict):
    demand: float = Field(
        gt=0,
        le=L.MONEY,
        allow_inf_nan=False,
        description="$M a quarter the world spends on AI services at the start.",
        examples=[8000],
    )
    demand_growth: float = Field(
        default=0.15,
        ge=0,
        le=2,
        allow_inf_nan=False,
        description="Growth per quarter at constant prices.",
        examples=[0.1],
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
        examples=[2500000],
    )
    home_market: dict[Faction, Share] = Field(
        default_factory=dict,
        description="Share of world demand only that side's labs may serve (a closed home "
        "market); the shares add up to 1 at most.",
        examples=[{"china": 0.3, "us": 0.35}],
    )

    @field_validator("home_market")
    @classmethod
    def _home_fits(cls, v: dict[Faction, float]) -> dict[Faction, float]:
        if sum(v.values()) > 1.0 + 1e-9:
            raise ValueError("the home markets together are more than the whole world (over 1)")
        return v


class TurningPoint(Strict):
    kind: Literal["turning_point"] = Field(
        description="The first lab whose capability reaches the threshold wins; checked every "
        "quarter.",
        examples=["turning_point"],
    )
    threshold: float = Field(
        gt=0,
        le=L.CAPABILITY,
        allow_inf_nan=False,
        description="Capability that makes AI as transformative as electricity.",
        examples=[106],
    )


class FrontierAtEnd(Strict):
    kind: Literal["frontier_at_end"] = Field(
        description="The lab with the highest capability when the last turn ends wins.",
        examples=["frontier_at_end"],
    )


class ScoreWeights(Strict):
    """Each part is scaled from 0 (the worst lab alive at the end) to 1 (the best), weighted.

    The negative weights together must stay below the positive ones.
    """

    capability: Weight = Field(default=1.0, description="Weight of capability.", examples=[1])
    market_share: Weight = Field(default=1.0, description="Weight of market share.", examples=[0.5])
    cost: Weight = Field(
        default=0.5, description="Weight of cheap tokens (cost per token, log).", examples=[0.5]
    )
    emissions: Weight = Field(
        default=-0.5,
        description="Weight of CO2 emitted over the game (0: least, 1: most).",
        examples=[-0.75],
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
    kind: Literal["score"] = Field(
        description="The best weighted score when the last turn ends wins.", examples=["score"]
    )
    weights: ScoreWeights = Field(
        default=ScoreWeights(),
        description="How much each part of the score counts.",
        examples=[{"capability": 1, "market_share": 0.5, "cost": 0.5, "emissions": -0.75}],
    )


class Condition(Strict):
    kind: Literal["condition"] = Field(
        description="The first lab for which `when` holds at the end of a quarter wins; checked "
        "every quarter, in the order written with turning points (ties: the higher "
        "capability, then the lab id).",
        examples=["condition"],
    )
    when: Annotated[str, Field(min_length=1, max_length=L.TEXT_LENGTH)] = Field(
        description="An expression about the lab, as in an event's when (me is the lab).",
        examples=["me.capability >= 100 and me.market_share > 0.3"],
    )
    text: Text = Field(
        default="",
        description="Why the lab has won, said after its name on the end screen.",
        examples=["dominates the market with a frontier model."],
    )


Victory = Annotated[TurningPoint | FrontierAtEnd | Score | Condition, Field(discriminator="kind")]

EffectNumber = Annotated[float, Field(ge=-L.EFFECT_VALUE, le=L.EFFECT_VALUE, allow_inf_nan=False)]
ExprOrNumber = Annotated[EffectNumber | str, Field(union_mode="left_to_right")]
TARGETS = (
    "By target: me.<field>, us.<field>, china.<field> or rival.<lab id>.<field> (cash, "
    "efficiency, capability, concern, backing, train_share, gpus.<chip>, power.<source>), or "
    "world.demand, world.demand_growth, world.reasoning_weight, world.diffusion; each value a "
    "number or an expression."
)


class ExportChange(Strict):
    chip: str = Field(
        description="The chip's id, or a chip group's (every chip in it).", examples=["h20"]
    )
    faction: Faction = Field(description="The side whose labs it concerns.", examples=["china"])
    allow: bool = Field(
        description="true: the side may buy the chip; false: it may not.", examples=[False]
    )


class ChipChange(Strict):
    chip: str = Field(
        description="The chip's id, or a chip group's (every chip in it).", examples=["h20"]
    )
    faction: Faction | None = Field(
        default=None, description="Supply only: one side; none: both.", examples=["china"]
    )
    multiply: Multiplier | None = Field(
        default=None,
        description="Multiply the price or the supply by this.",
        examples=[1.15, 0],
    )
    add: (
        Annotated[float, Field(ge=-L.CHIP_PRICE * 100, le=L.CHIP_PRICE * 100, allow_inf_nan=False)]
        | None
    ) = Field(
        default=None,
        description="Price: dollars per GPU; supply: GPUs a quarter.",
        examples=[2000, -50000],
    )


class DemandChange(Strict):
    multiply: Multiplier | None = Field(
        default=None, description="Multiply the world's demand by this.", examples=[1.1]
    )
    growth: float | None = Field(
        default=None,
        ge=-2,
        le=2,
        allow_inf_nan=False,
        description="Added to demand growth per quarter.",
        examples=[0.02],
    )


class LeadChange(Strict):
    source: str = Field(description="The power source's id.", examples=["grid"])
    faction: Faction = Field(description="The side whose lead time changes.", examples=["us"])
    add: int = Field(
        ge=-40,
        le=40,
        description="Quarters added to the lead time (negative: faster).",
        examples=[2],
    )


class Effect(Strict):
    """One effect; exactly one of its keys is given."""

    add: dict[str, ExprOrNumber] | None = Field(
        default=None,
        description=f"Add to values. {TARGETS}",
        examples=[{"me.cash": -500, "me.backing": 5}],
    )
    set: dict[str, ExprOrNumber] | None = Field(
        default=None,
        description=f"Set values. {TARGETS}",
        examples=[{"me.train_share": 0.8}],
    )
    multiply: dict[str, ExprOrNumber] | None = Field(
        default=None,
        description=f"Multiply values. {TARGETS}",
        examples=[{"me.efficiency": 1.3, "me.gpus.h20": 0.5}],
    )
    flag: str | None = Field(
        default=None,
        description="Set a world flag (read as flags.<name>).",
        examples=["stargate"],
    )
    clear_flag: str | None = Field(
        default=None, description="Clear a world flag.", examples=["stargate"]
    )
    lab_flag: str | None = Field(
        default=None,
        description="Set a flag on the lab the event hit (read as me.flags.<name>).",
        examples=["smuggling"],
    )
    clear_lab_flag: str | None = Field(
        default=None, description="Clear a flag on the lab the event hit.", examples=["smuggling"]
    )
    export: ExportChange | None = Field(
        default=None,
        description="Allow or forbid one side to buy a chip.",
        examples=[{"chip": "h20", "faction": "china", "allow": False}],
    )
    price: ChipChange | None = Field(
        default=None,
        description="Change a chip's price (add is in $ per GPU).",
        examples=[{"chip": "h20", "multiply": 1.15}],
    )
    supply: ChipChange | None = Field(
        default=None,
        description="Change how many GPUs of a chip a side may buy a quarter (no faction: both).",
        examples=[{"chip": "ascend", "faction": "china", "multiply": 2}],
    )
    demand: DemandChange | None = Field(
        default=None,
        description="Change the world's demand or its growth.",
        examples=[{"multiply": 1.1, "growth": 0.02}],
    )
    power_lead: LeadChange | None = Field(
        default=None,
        description="Change how many quarters a power source takes to come online for a side.",
        examples=[{"source": "grid", "faction": "us", "add": 2}],
    )
    news: Text | None = Field(
        default=None,
        description="A line of news in the turn report.",
        examples=["Inference is now nearly free."],
    )

    for_quarters: int | None = Field(
        default=None,
        ge=1,
        le=40,
        description="With add, set or multiply: the change lasts this many quarters, then is "
        "undone (an add taken back, a multiply divided out, a set restored to the value "
        "before); none: for good.",
        examples=[4],
    )

    @model_validator(mode="after")
    def _one_key(self) -> Effect:
        kinds = [k for k in type(self).model_fields if k not in _EFFECT_OPTIONS]
        given = [k for k in kinds if getattr(self, k) is not None]
        if len(given) != 1:
            names = ", ".join(kinds)
            raise ValueError(f"an effect has exactly one of: {names} (got {len(given)})")
        if self.for_quarters is not None and given[0] not in ("add", "set", "multiply"):
            raise ValueError(
                f"for_quarters goes with add, set or multiply, not with {given[0]}: "
                "only a change to a figure can be undone"
            )
        return self


# Keys an effect may have beside its one kind.
_EFFECT_OPTIONS = ("for_quarters",)


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


_EFFECTS_EXAMPLE = [{"add": {"me.cash": -1000, "me.backing": 5}}]


class Then(Strict):
    event: str = Field(description="The id of the event that follows.", examples=["h20_halt"])
    delay: int = Field(
        default=0,
        ge=0,
        le=40,
        description="Quarters to wait; 0: the same quarter.",
        examples=[2],
    )


_THEN_EXAMPLE = [{"event": "turbine_permits", "delay": 2}]

# player | ai | all | world | us | china | <lab id>, or a list of them but world (any of them)
Who = str | Annotated[tuple[str, ...], Field(min_length=1, max_length=L.MAX_RIVALS + 8)]


def who_words(who: str | tuple[str, ...]) -> tuple[str, ...]:
    """The words an event's `who` is made of: one, or the list's."""
    return (who,) if isinstance(who, str) else who


def who_text(who: str | tuple[str, ...]) -> str:
    """An event's `who` as written: `us`, or `[us, xai]`."""
    return who if isinstance(who, str) else f"[{', '.join(who)}]"


class Choice(Strict):
    label: str = Field(
        min_length=1,
        max_length=60,
        description="What the player picks, in a few words.",
        examples=["On-site gas turbines"],
    )
    preview: Text = Field(
        default="",
        description="What the player is told before choosing.",
        examples=["+150 MW now for $1.05B; +15 concern"],
    )
    effects: list[Effect] = Field(
        default_factory=list,
        max_length=L.MAX_EFFECTS,
        description="What happens when this choice is made.",
        examples=[_EFFECTS_EXAMPLE],
    )
    ai_weight: float = Field(
        default=1.0,
        ge=0,
        le=L.AI_WEIGHT,
        allow_inf_nan=False,
        description="How often computer labs pick this choice, against the other choices' "
        "weights (0: never).",
        examples=[2],
    )
    then: list[Then] = Field(
        default_factory=list,
        max_length=L.MAX_THEN,
        description="Events that follow this choice.",
        examples=[_THEN_EXAMPLE],
    )


# An event that stays needs a title; one that removes an inherited event does not.
_TITLE_UNLESS_REMOVED: JsonDict = {
    "if": {"properties": {"remove": {"const": True}}, "required": ["remove"]},
    "else": {"required": ["title"], "properties": {"title": {"minLength": 1}}},
}


class Event(Strict):
    model_config = ConfigDict(json_schema_extra=_TITLE_UNLESS_REMOVED)

    id: Id = Field(
        description="Unique id: lowercase letters, digits, '-' and '_'. The lab it hits gets "
        "the flag me.flags.<id> (a world event, flags.<id>).",
        examples=["grid_strain"],
    )
    remove: bool = Field(
        default=False,
        description="In an extending scenario: drop the inherited event with this id.",
        examples=[True],
    )
    title: Annotated[str, Field(max_length=L.TITLE_LENGTH)] = Field(
        default="",
        description="The headline; every event but a removal needs one. Event text may say "
        "{lab}, {lab_short} or {side} for the lab it hits; {{ and }} are braces.",
        examples=["Power like a city"],
    )
    text: Text = Field(
        default="",
        description="The story, a few sentences; may say {lab}, {lab_short} or {side}.",
        examples=["A 100,000-GPU cluster draws over 150 MW, as much as a city."],
    )
    source: Text = Field(default="", description=SOURCE, examples=["SemiAnalysis, Jun 2024"])
    who: Who = Field(
        default="player",
        description="Who it happens to: player, ai, all, world, us, china, or a lab id; or a "
        "list of these but world, for any of them.",
        examples=["us", "world", ["china", "xai"]],
    )
    when: bool | str = Field(
        default=True,
        description="Trigger: an expression that must hold, or true/false.",
        examples=["me.idle_gpus > 20000"],
    )
    earliest: DateOrTurn | None = Field(
        default=None,
        description="First quarter it may fire: a date or a turn number (1: the start).",
        examples=["2025 Q2", 3],
    )
    latest: DateOrTurn | None = Field(
        default=None,
        description="Last quarter it may fire: a date or a turn number.",
        examples=["2026 Q4", 12],
    )
    at: Literal["random"] | None = Field(
        default=None,
        description="random: the event comes due once, at a quarter drawn evenly from earliest "
        "to latest when that window opens (both are needed); none: it is checked every "
        "quarter of the window.",
        examples=["random"],
    )
    chance: Annotated[Share | str, Field(union_mode="left_to_right")] = Field(
        default=1.0,
        description="Chance per quarter once eligible: a number from 0 to 1, or an expression "
        "worked out each time it is checked and held between 0 and 1.",
        examples=[0.5, "0.1 + 0.02 * turn"],
    )
    once: bool = Field(
        default=False,
        description="At most once per lab (per game for who: world).",
        examples=[True],
    )
    chained: bool = Field(
        default=False, description="Fires only through another event's then.", examples=[True]
    )
    rare: bool = Field(default=False, description="May fire in under 1% of games.", examples=[True])
    effects: list[Effect] = Field(
        default_factory=list,
        max_length=L.MAX_EFFECTS,
        description="What happens when it fires, before any choice.",
        examples=[_EFFECTS_EXAMPLE],
    )
    choices: list[Choice] = Field(
        default_factory=list,
        max_length=9,
        description="Up to 9 choices: the player picks one, computers pick by ai_weight.",
        examples=[[{"label": "Wait for the grid", "effects": [{"add": {"me.backing": -3}}]}]],
    )
    choices_for: dict[Faction, Annotated[list[Choice], Field(min_length=1, max_length=9)]] = Field(
        default_factory=dict,
        description="A who: world event only: each side's own choices, by side (us, "
        "china). When it fires, every living lab of a side is asked its side's list, "
        "the player about their own lab, computers by ai_weight.",
        examples=[
            {
                "us": [{"label": "Back the ban", "effects": [{"add": {"me.backing": 5}}]}],
                "china": [{"label": "Build at home", "effects": [{"add": {"me.cash": -500}}]}],
            }
        ],
    )
    then: list[Then] = Field(
        default_factory=list,
        max_length=L.MAX_THEN,
        description="Events that follow this one.",
        examples=[_THEN_EXAMPLE],
    )
    lint: Lint = Field(
        default_factory=Lint,
        description="Lint warnings about this event not to show.",
        examples=[{"ignore": ["W107"]}],
    )

    @model_validator(mode="wrap")
    @classmethod
    def _has_title(cls, data: Any, handler: ModelWrapValidatorHandler[Event]) -> Event:
        # Checked around the fields rather than after them, so that a missing
        # title is reported in the same run as the event's other problems.
        return _with_required(cls.__name__, data, handler, "title")


_M = TypeVar("_M", bound=BaseModel)


def _with_required(name: str, data: Any, handler: ModelWrapValidatorHandler[_M], key: str) -> _M:
    """Validate `data`, adding "`key` is missing" to the other errors of the same run
    (unless it is a removal, which needs no `key`)."""
    missing = _unwritten(data, key)
    try:
        done = handler(data)
    except ValidationError as e:
        errors = e.errors()
        if missing is None or any(err["loc"][:1] == (key,) for err in errors):
            raise
        raise ValidationError.from_exception_data(e.title, [*_details(errors), missing]) from None
    if missing is not None:
        raise ValidationError.from_exception_data(name, [missing])
    return done


def _unwritten(data: Any, key: str) -> InitErrorDetails | None:
    """The error of an entry that stays (is not a removal) but has no `key`; None if it has one."""
    if not isinstance(data, dict) or data.get("remove") is True:
        return None
    if key not in data:
        return InitErrorDetails(type="missing", loc=(key,), input=data)
    if data[key] == "":
        return InitErrorDetails(
            type="string_too_short", loc=(key,), input="", ctx={"min_length": 1}
        )
    return None


def _details(errors: list[Any]) -> list[InitErrorDetails]:
    """Pydantic's reported errors as errors to raise again."""
    out: list[InitErrorDetails] = []
    for err in errors:
        detail = InitErrorDetails(type=err["type"], loc=err["loc"], input=err["input"])
        if "ctx" in err:
            detail["ctx"] = err["ctx"]
        out.append(detail)
    return out


# A glossary entry that stays needs its text; one that removes an inherited term does not.
_TEXT_UNLESS_REMOVED: JsonDict = {
    "if": {"properties": {"remove": {"const": True}}, "required": ["remove"]},
    "else": {"required": ["text"], "properties": {"text": {"minLength": 1}}},
}


class GlossaryEntry(Strict):
    model_config = ConfigDict(json_schema_extra=_TEXT_UNLESS_REMOVED)

    term: Name = Field(description="The word or phrase explained.", examples=["Export controls"])
    text: Annotated[str, Field(max_length=L.TEXT_LENGTH)] = Field(
        default="",
        description="What it means, a few sentences; every entry but a removal needs it.",
        examples=["US rules that stop the most capable AI chips from being sold to China."],
    )
    source: Text = Field(default="", description=SOURCE, examples=["natlawreview.com"])
    # Never kept: the merge drops the inherited entry and this one with it.
    remove: bool = Field(
        default=False,
        exclude=True,
        description="In an extending scenario: drop the inherited entry with this term.",
        examples=[True],
    )

    @model_validator(mode="wrap")
    @classmethod
    def _has_text(
        cls, data: Any, handler: ModelWrapValidatorHandler[GlossaryEntry]
    ) -> GlossaryEntry:
        return _with_required(cls.__name__, data, handler, "text")


class Difficulty(Strict):
    name: Name = Field(description="The name the player picks.", examples=["Hard"])
    description: Text = Field(
        default="",
        description="What changes at this level, in a sentence.",
        examples=["Less money for you, more for the rivals."],
    )
    player_cash: float = Field(
        default=1.0,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Multiplier on the player's starting cash.",
        examples=[0.7],
    )
    rival_cash: float = Field(
        default=1.0,
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Multiplier on every other lab's starting cash.",
        examples=[1.2],
    )
    rival_policies: dict[str, PolicyName] = Field(
        default_factory=dict,
        description=(
            "How computer labs play at this difficulty, by lab id: any rival, and a side's own "
            "lab when the other side is played (the player's own lab is never changed, so the "
            "advisor is the same at every level)."
        ),
        examples=[{"openai": "strategist", "xai": "balanced"}],
    )
    rival_policies_against: dict[Faction, dict[str, PolicyName]] = Field(
        default_factory=dict,
        description=(
            "Rival policies that apply only when the player plays this side, by side and "
            "then by lab id, on top of `rival_policies`: a level can ease one side's game "
            "without easing the other's."
        ),
        examples=[{"china": {"deepseek": "scaler"}}],
    )
    event_severity: float = Field(
        default=1.0,
        ge=0.0,
        le=3.0,
        allow_inf_nan=False,
        description=(
            "Weight on the setbacks events deal the player's lab (cash, backing, GPUs, "
            "power or efficiency lost, concern gained): 0.5 halves them, 1.5 makes "
            "them half as bad again. Gains and set effects are never scaled."
        ),
        examples=[1.5],
    )


class Scenario(Strict):
    """A whole, merged scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    meta: Meta = Field(
        description="The scenario's id and name; never inherited.",
        examples=[{"id": "my-scenario", "name": "My scenario"}],
    )
    extends: str | None = Field(
        default=None,
        description="The scenario this one builds on: a shipped id or a path relative to this "
        "file. Everything but meta is inherited, and every key becomes optional.",
        examples=["base"],
    )
    start: Date = Field(description="The first quarter played.", examples=["2025 Q1"])
    turns: int = Field(ge=8, le=40, description="How many quarters a game lasts.", examples=[24])
    factions: dict[Faction, FactionSpec] = Field(
        min_length=1,
        description="The sides, us and china: each with its main lab.",
        examples=[{"us": {"name": "United States", "lab_id": "prometheus", "lab": _LAB_EXAMPLE}}],
    )
    chips: dict[Id, Chip] = Field(
        min_length=1,
        max_length=L.MAX_CHIPS,
        description="The GPUs labs may buy, by id.",
        examples=[
            {
                "h100": {
                    "name": "H100-class",
                    "class": "frontier",
                    "price": 27000,
                    "train_pflops": 1.0,
                    "serve_pflops": 1.0,
                    "kw": 1.4,
                    "supply": {"us": 300000, "china": 0},
                    "buyers": ["us"],
                }
            }
        ],
    )
    chip_groups: dict[Id, Annotated[list[str], Field(min_length=1, max_length=L.MAX_CHIPS)]] = (
        Field(
            default_factory=dict,
            max_length=L.MAX_CHIPS,
            description="Named groups of chips, by id: an export, price or supply change may "
            "name a group where it names a chip, and then changes every chip in it.",
            examples=[{"nvidia": ["h100", "h200", "b200"]}],
        )
    )
    power: dict[Id, PowerSource] = Field(
        min_length=1,
        max_length=L.MAX_POWER_SOURCES,
        description="The power sources labs may build, by id.",
        examples=[
            {
                "gas": {
                    "name": "On-site gas turbines",
                    "capex_per_mw": 7,
                    "lead_quarters": 1,
                    "price_per_mwh": {"us": 75, "china": 70},
                    "co2_t_per_mwh": 0.45,
                }
            }
        ],
    )
    rivals: dict[Id, Lab] = Field(
        default_factory=dict,
        max_length=L.MAX_RIVALS,
        description="The other labs, by id; each needs a faction.",
        examples=[{"xai": {"name": "Colossus AI", "faction": "us", "cash": 12000}}],
    )
    world: World = Field(
        description="The world's demand for AI services.", examples=[{"demand": 8000}]
    )
    rules: Rules = Field(
        default=Rules(),
        description="The rules' numbers; each has a default.",
        examples=[{"concern": {"per_gw": 0.3}}],
    )
    victory: list[Victory] = Field(
        min_length=1,
        max_length=8,
        description="How a game is won: turning_point, frontier_at_end, score or condition.",
        examples=[[{"kind": "turning_point", "threshold": 106}, {"kind": "frontier_at_end"}]],
    )
    events: list[Event] = Field(
        default_factory=list,
        max_length=L.MAX_EVENTS,
        description="The event deck. In an extending scenario, events merge by id: the same id "
        "replaces, a new id adds, remove: true drops.",
        examples=[[{"id": "grid_strain", "title": "Power like a city", "who": "us"}]],
    )
    glossary: list[GlossaryEntry] = Field(
        default_factory=list,
        max_length=L.MAX_GLOSSARY,
        description="Terms the help screen explains. In an extending scenario, entries merge by "
        "term: the same term replaces, a new term adds, remove: true drops.",
        examples=[[{"term": "H20", "text": "A cut-down NVIDIA GPU made to pass US export rules."}]],
    )
    difficulties: dict[Id, Difficulty] = Field(
        default_factory=dict,
        max_length=L.MAX_DIFFICULTIES,
        description="The levels a player may pick, by id.",
        examples=[{"hard": {"name": "Hard", "player_cash": 0.7}}],
    )
    lint: Lint = Field(
        default_factory=Lint,
        description="Lint warnings not to show for this file (`airace scenario lint`).",
        examples=[{"ignore": ["W109"]}],
    )

    def chips_named(self, name: str) -> tuple[str, ...]:
        """The chips an effect's `chip` names: a group's chips, or the one chip."""
        group = self.chip_groups.get(name)
        return tuple(group) if group is not None else (name,)

    def lab_ids(self) -> list[str]:
        """Every lab id: the factions' main labs, then the rivals, in file order."""
        return [self.factions[f].lab_id for f in FACTIONS if f in self.factions] + list(self.rivals)

    def turn_of(self, when: int | Date) -> int:
        """Turn number (1-based) of a date, or the turn itself."""
        if isinstance(when, Date):
            return when.index() - self.start.index() + 1
        return when
