"""The names a scenario's expressions and effects may use, and what they mean.

This table is the contract between scenario files and the engine: the
expression compiler checks every name against it when a scenario loads, and
the engine keeps each attribute named here up to date on its state objects.
The meanings are written for scenario authors: the reference
(scenarios/REFERENCE.md, written by game/scenario/reference.py) shows them.

It is data only. It lives with the scenarios, below the engine, so that
imports run one way (the engine reads scenarios, never the reverse). Which
names exist in one scenario, and which an effect may write, is names.py's
to check; what an expression compiles to is expr.py's.
"""

from __future__ import annotations

# Lab fields readable in expressions: name in YAML -> (attribute on LabState, meaning).
LAB_FIELDS: dict[str, tuple[str, str]] = {
    "cash": ("cash", "$M in the bank"),
    "gpus": ("gpus_total", "installed GPUs, all chips"),
    "powered_gpus": ("powered_gpus", "installed GPUs the online power can feed"),
    "idle_gpus": ("idle_gpus", "installed GPUs without power"),
    "gpus_on_order": ("gpus_on_order", "GPUs bought, not yet delivered"),
    "power_mw": ("power_mw", "MW online, all sources"),
    "power_building": ("power_building", "MW ordered, not yet online"),
    "efficiency": ("efficiency", "algorithmic multiplier on compute, 1 or more"),
    "capability": ("capability", "best model so far (GPT-4 is about 53)"),
    "rank": ("rank", "place by capability: 1 is the frontier"),
    "cost_per_mtok": (
        "cost_per_mtok",
        "$ per million tokens served at fixed (GPT-4-level) quality",
    ),
    "market_share": ("market_share", "share of the world's demand it serves, 0 to 1"),
    "revenue": ("revenue", "$M earned last quarter"),
    "profit": ("profit", "$M last quarter, income minus spending"),
    "concern": ("concern", "public concern, 0 to 100 (100 shuts the lab down)"),
    "backing": (
        "backing",
        "0 to 100: state backing (China), investor confidence (US)",
    ),
    "train_share": ("train_share", "share of powered compute used for training, 0 to 1"),
    "compute": ("compute", "effective FLOP used last quarter"),
    "emissions": ("emissions", "tonnes of CO2 emitted last quarter"),
    "faction": ("faction", "its side, 'us' or 'china' (compare it with text)"),
    "is_player": (
        "is_player",
        "true for a lab a person plays (the player's, or either seat of a two-player game)",
    ),
    "alive": ("alive", "false once bankrupt, shut down or taken over"),
}
LAB_READ: dict[str, str] = {name: attr for name, (attr, _) in LAB_FIELDS.items()}

# Lab fields an effect may add to, set or multiply.
LAB_WRITE: dict[str, str] = {
    "cash": "cash",
    "efficiency": "efficiency",
    "capability": "capability",  # only ever raised: capability never falls
    "concern": "concern",
    "backing": "backing",
    "train_share": "train_share",
}
# What an effect on a lab field does beyond changing it, where it does more or less.
LAB_WRITE_NOTES: dict[str, str] = {"capability": "only ever raised: capability never falls"}

# Lab fields with a sub-key: `me.gpus.h100`, `me.power.grid`.
LAB_MAPS: dict[str, str] = {"gpus": "gpus", "power": "power"}
# The names with a key after them, read and (but flags) written: name -> meaning.
LAB_KEYED: dict[str, str] = {
    "gpus.<chip>": "installed GPUs of one chip",
    "power.<source>": "MW online of one power source",
    "flags.<name>": "true when the lab has that flag (read only: effects set flags)",
}

# World fields readable in expressions (`world.demand`): name -> (attribute, meaning).
WORLD_FIELDS: dict[str, tuple[str, str]] = {
    "demand": ("demand", "$M a quarter the world spends on AI services"),
    "demand_growth": ("demand_growth", "demand's growth per quarter at constant prices"),
    "frontier": ("frontier", "the best capability of any lab"),
    "best_cost": ("best_cost", "the lowest cost per million tokens of any lab"),
    "turns": ("turns", "the length of the game, in quarters"),
    "reasoning_weight": (
        "reasoning_weight",
        "share of serving compute that counts toward capability (test-time compute); "
        "starts at rules.capability.reasoning_weight",
    ),
    "diffusion": (
        "diffusion",
        "share of the efficiency gap to the best lab closed each quarter (published "
        "research); starts at rules.research.diffusion",
    ),
}
WORLD_READ: dict[str, str] = {name: attr for name, (attr, _) in WORLD_FIELDS.items()}

WORLD_WRITE: dict[str, str] = {
    "demand": "demand",
    "demand_growth": "demand_growth",
    "reasoning_weight": "reasoning_weight",
    "diffusion": "diffusion",
}

# Plain names: name -> meaning.
GLOBAL_MEANINGS: dict[str, str] = {
    "turn": "the turn about to be played (1: the first)",
    "year": "its year",
    "quarter": "its quarter, 1 to 4",
}
GLOBALS: tuple[str, ...] = tuple(GLOBAL_MEANINGS)

# The faction names usable as lab scopes (`us.capability` is the main US lab).
FACTION_SCOPES: tuple[str, ...] = ("us", "china")

# The names that start with a scope, by what they refer to: name -> meaning.
SCOPES: dict[str, str] = {
    "me.<field>": "the lab the event happens to (not in who: world events)",
    "us.<field>": "the US side's main lab",
    "china.<field>": "the Chinese side's main lab",
    "rival.<lab id>.<field>": "any lab, by its id (a side's main lab too)",
    "world.<field>": "the world",
    "flags.<name>": "true when the world has that flag",
}
